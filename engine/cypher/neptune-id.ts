/**
 * Neptune node ids (`~id`): "<label>:<key value>[:<key value>...]", so ids of different labels never meet and
 * a composite key stays several parts. A backslash or colon inside the label or a value is escaped with a
 * backslash ("a:b" -> "a\:b"), which keeps every id unambiguous.
 */
import neo4j from 'neo4j-driver';

function escapePart(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

/** The text of one key value as it appears in an id: integers in decimal, temporals in ISO form, strings as they are. */
export function idText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (neo4j.isInt(value)) return value.toString();
  if (value && typeof value === 'object' && typeof (value as object).toString === 'function' && (value as object).toString !== Object.prototype.toString) {
    return String(value);
  }
  return JSON.stringify(value);
}

export function neptuneNodeId(label: string, keyValues: readonly unknown[]): string {
  return [label, ...keyValues.map(idText)].map(escapePart).join(':');
}
