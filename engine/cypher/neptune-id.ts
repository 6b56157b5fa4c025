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
  // temporal and point values print themselves (ISO 8601, POINT(...)); plain objects would print [object Object]
  if (value && typeof value === 'object' && value.toString !== Object.prototype.toString) return (value as { toString(): string }).toString();
  return JSON.stringify(value);
}

export function neptuneNodeId(label: string, keyValues: readonly unknown[]): string {
  return [label, ...keyValues.map(idText)].map(escapePart).join(':');
}
