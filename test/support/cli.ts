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

export function pg2graph(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: environment(env), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the command line and hands back the process (to kill it mid-run). */
export function startPg2graph(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
}
