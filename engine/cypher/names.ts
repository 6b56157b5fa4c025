/**
 * Names in Cypher text: every label, relationship type and property name goes through quoteName (backticks,
 * a backtick inside doubled), so any name a Postgres schema can hold works and none can inject Cypher.
 */
import crypto from 'crypto';
import { Pg2GraphError } from '../core/errors';

export function quoteName(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** ":`A`:`B`" for a label list. */
export function labelText(labels: readonly string[]): string {
  return labels.map((label) => `:${quoteName(label)}`).join('');
}

/** Throws naming the entry when a name cannot be used at all (empty, or not a string). */
export function checkName(name: unknown, what: string, entry: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Pg2GraphError('WRITE_INPUT_INVALID', `Entry "${entry}": ${what} must be a non-empty string, got ${JSON.stringify(name)}`, { entry });
  }
  return name;
}

function shortHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * A predictable schema object name: "pg2graph_<parts>_<suffix>" with every character outside [A-Za-z0-9_]
 * replaced; when that replacement lost information a short hash of the original parts keeps names unique.
 */
export function schemaObjectName(parts: readonly string[], suffix: string): string {
  const clean = parts.map((part) => part.replace(/[^A-Za-z0-9_]/g, '_'));
  const lossy = clean.some((part, i) => part !== parts[i]);
  const base = `pg2graph_${clean.join('_')}`;
  return `${base}${lossy ? `_${shortHash(parts.join('\u0000'))}` : ''}_${suffix}`;
}
