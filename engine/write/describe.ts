/** Readable text for batches in error messages (values and keys: values/graph-text.ts). */
import type { BatchInfo } from '../core/records';
import { describeKey } from '../values/graph-text';

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
