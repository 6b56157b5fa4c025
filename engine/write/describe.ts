/** Readable text for values, keys and batches in error messages and reports (never whole rows). */
import neo4j from 'neo4j-driver';
import type { BatchInfo } from '../core/records';

const MAX_TEXT = 60;

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    const text = JSON.stringify(value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
    return text;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (neo4j.isInt(value)) return value.toString();
  if (value instanceof Int8Array || value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return `[${value.slice(0, 5).map(describeValue).join(', ')}${value.length > 5 ? ', …' : ''}]`;
  if (typeof value === 'object' && (value as object).toString !== Object.prototype.toString) return String(value);
  return 'a map';
}

/** "[42]" or "[\"DE\", 7]" */
export function describeKey(values: readonly unknown[]): string {
  return `[${values.map(describeValue).join(', ')}]`;
}

/** Key values as plain text (what reports and acknowledgements carry). */
export function keyTexts(values: readonly unknown[]): string[] {
  return values.map((value) => (typeof value === 'string' ? value : describeValue(value)));
}

/** 'entry "public.orders" batch 3' */
export function describeBatch(info: Pick<BatchInfo, 'entry' | 'index'>): string {
  return `entry "${info.entry}" batch ${info.index}`;
}

/** "keys [1]..[500]" from BatchInfo, or from the first and last row when the reader gave no bounds. */
export function describeKeyRange(info: Pick<BatchInfo, 'firstKey' | 'lastKey'>, rows: readonly unknown[][], keyLength: number): string {
  const first = info.firstKey ?? rows[0]?.slice(0, keyLength);
  const last = info.lastKey ?? rows[rows.length - 1]?.slice(0, keyLength);
  if (!first || !last) return 'no rows';
  return `keys ${describeKey(first)}..${describeKey(last)}`;
}
