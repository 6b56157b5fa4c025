import type { RecordBatch } from '../core/records';

/**
 * What an acknowledgement reports of the shaper's work besides the writer's stats, only the counts that are not
 * 0: one function for every writer (graph write, migrate), so the reader's totals mean the same everywhere.
 */
export function shapingCounts(records: RecordBatch): { skippedNullMatch?: number; rejected?: number } {
  const counts: { skippedNullMatch?: number; rejected?: number } = {};
  if (records.kind === 'relationships' && records.skippedNullMatch) counts.skippedNullMatch = records.skippedNullMatch;
  if (records.rejects?.length) counts.rejected = records.rejects.length;
  return counts;
}
