/** Runs the built command line (dist/cli/pg2graph.js) as a child process, the way a user or script does. */
import path from 'path';
import { execFile, spawn, type ChildProcess } from 'child_process';

export const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'pg2graph.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of this process without DATABASE_URL, so each test says which database it means. */
function environment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  return { ...clean, ...env };
}

/**
 * The arguments and environment as README tells a user to give them: a password in a --pg URL moves to
 * PGPASSWORD (arguments are visible in the process list; the command line warns about one there).
 */
function asAdvised(args: string[], env: NodeJS.ProcessEnv): { args: string[]; env: NodeJS.ProcessEnv } {
  const at = args.indexOf('--pg');
  if (at < 0 || !args[at + 1]) return { args, env };
  let url: URL;
  try {
    url = new URL(args[at + 1]);
  } catch {
    return { args, env };
  }
  if (!url.password) return { args, env };
  const password = decodeURIComponent(url.password);
  url.password = '';
  const advised = [...args];
  advised[at + 1] = url.toString();
  return { args: advised, env: { ...env, PGPASSWORD: password } };
}

export function pg2graph(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliRun> {
  const advised = asAdvised(args, env);
  return pg2graphVerbatim(advised.args, advised.env, timeoutMs);
}

/** The command line with exactly these arguments (a password in --pg included, for the tests of its warning). */
export function pg2graphVerbatim(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: environment(env), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the command line and hands back the process (to kill it mid-run). */
export function startPg2graph(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const advised = asAdvised(args, env);
  return spawn(process.execPath, [CLI, ...advised.args], { env: environment(advised.env), stdio: ['ignore', 'pipe', 'pipe'] });
}
