/**
 * The password file libpq reads (PGPASSFILE, else ~/.pgpass): lines of hostname:port:database:username:password,
 * `*` matching anything, `\:` and `\\` escaping; the first matching line wins. The command line looks it up itself
 * so that a password never has to be typed into a flag, where the process list (ps) would show it.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

export interface PassLookup {
  host: string;
  port: string;
  database: string;
  user: string;
}

/** The fields of one line, with escapes resolved; undefined for comments, blank and malformed lines. */
function fields(line: string): string[] | undefined {
  if (!line.trim() || line.startsWith('#')) return undefined;
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':' && parts.length < 4) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.length === 5 ? parts : undefined;
}

/** The password of the first line of the file's text that matches, or undefined. */
export function passwordFrom(text: string, lookup: PassLookup): string | undefined {
  const wanted = [lookup.host, lookup.port, lookup.database, lookup.user];
  for (const line of text.split(/\r?\n/)) {
    const parts = fields(line);
    if (parts && wanted.every((value, i) => parts[i] === '*' || parts[i] === value)) return parts[4];
  }
  return undefined;
}

/** The password file's path: PGPASSFILE, else ~/.pgpass. */
export function passFilePath(env: NodeJS.ProcessEnv): string {
  return env.PGPASSFILE || path.join(os.homedir(), '.pgpass');
}

/** Looks the password up in the password file; undefined when there is none or no line matches. */
export function lookUpPassword(lookup: PassLookup, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(passFilePath(env), 'utf8');
  } catch {
    return undefined;
  }
  return passwordFrom(text, lookup);
}
