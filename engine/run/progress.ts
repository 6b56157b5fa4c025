/**
 * Contiguous progress of one entry within one reading: batches settle (are acknowledged, or commit) in any
 * order, and progress is the run of batches settled with no gap from the reading's first batch, with the last
 * key of that run. The reader follows its acknowledgements with it and the checkpoints follow commits with it,
 * so both agree on what "written in order" means.
 */
import type { RowKey } from '../core/records';

export interface SettledBatch {
  /** 0-based index of the batch within its reading. */
  index: number;
  /** Keyset bound of the batch's last row; absent for cursor reads. */
  lastKey?: RowKey;
  /** The entry's last batch. */
  last: boolean;
}

export interface ContiguousProgress {
  /** Batches 0..batches-1 of the reading have settled. */
  batches: number;
  /** Key of the last row of batch batches-1 (or the key the reading started after, before its first batch). */
  lastKey?: RowKey;
  /** Batches settled beyond a gap: [index, lastKey], in index order. */
  pending: Array<[number, RowKey | null]>;
  /** Index of the entry's last batch, once it settled. */
  lastIndex?: number;
}

/** Progress of a reading that starts after `after` (a resume) or at the entry's beginning. */
export function startProgress(after?: RowKey): ContiguousProgress {
  return { batches: 0, pending: [], ...(after ? { lastKey: after } : {}) };
}

/** The progress after one more settled batch; a batch already counted (a replay) changes nothing. */
export function advanceProgress(progress: ContiguousProgress, batch: SettledBatch): ContiguousProgress {
  const lastIndex = batch.last ? batch.index : progress.lastIndex;
  if (batch.index < progress.batches) return lastIndex === progress.lastIndex ? progress : { ...progress, lastIndex };
  const pending = new Map<number, RowKey | null>(progress.pending);
  pending.set(batch.index, batch.lastKey ?? null);
  let { batches, lastKey } = progress;
  while (pending.has(batches)) {
    const key = pending.get(batches);
    pending.delete(batches);
    if (key) lastKey = key;
    batches += 1;
  }
  const rest = [...pending.entries()].sort((a, b) => a[0] - b[0]);
  return { batches, lastKey, pending: rest, ...(lastIndex === undefined ? {} : { lastIndex }) };
}

/** Every batch up to and including the entry's last one has settled. */
export function isComplete(progress: ContiguousProgress): boolean {
  return progress.lastIndex !== undefined && progress.batches > progress.lastIndex;
}
