/**
 * The checkpoint of one plan entry: the contiguous progress of the reading that owns it. A checkpoint never
 * claims a key range that no committed batch of its owner's reading wrote:
 * - batches of the owner advance it (within one reading batch indexes are unambiguous);
 * - a reading from the entry's start may take it over, starting from nothing;
 * - a resumed reading (after key K) takes it over only when K came from the current owner's progress
 *   (`resumedAfter.from` names that owner), and then claims no more than K;
 * - any other batch (a reading resumed from a key nobody vouched for, or a late commit of an older reading)
 *   is written but claims nothing.
 * Pending batches therefore always belong to the owner's reading: another batch size or rows inserted between
 * two runs cannot make one reading's batch indexes count for another's.
 */
import type { BatchInfo } from '../core/records';
import { advanceProgress, isComplete, startProgress, type ContiguousProgress } from './progress';

export interface CheckpointState extends ContiguousProgress {
  /** Run id of the reading whose progress this is. */
  owner?: string;
}

/** What the reader and the commands see of a stored checkpoint. */
export interface EntryCheckpoint {
  entry: string;
  owner?: string;
  /** Key of the last row of the owner's progress (rows up to it are written); absent for cursor reads. */
  lastKey?: Array<string | null>;
  /** Batches of the owner's reading committed in order. */
  batches: number;
  complete: boolean;
}

export const EMPTY_CHECKPOINT: CheckpointState = { batches: 0, pending: [] };

type CommittedBatch = Pick<BatchInfo, 'run' | 'index' | 'lastKey' | 'last' | 'resumedAfter'>;

/** The state after one more committed batch (see the rules above). */
export function advanceCheckpoint(state: CheckpointState, batch: CommittedBatch): CheckpointState {
  let base: CheckpointState | undefined;
  if (state.owner === batch.run) base = state;
  else if (!batch.resumedAfter) base = { owner: batch.run, ...startProgress() };
  else if (batch.resumedAfter.from !== undefined && batch.resumedAfter.from === state.owner) {
    base = { owner: batch.run, ...startProgress(batch.resumedAfter.key) };
  }
  if (!base) return state;
  return { owner: batch.run, ...advanceProgress(base, { index: batch.index, lastKey: batch.lastKey, last: batch.last }) };
}

export function toEntryCheckpoint(entry: string, state: CheckpointState): EntryCheckpoint {
  return {
    entry,
    ...(state.owner ? { owner: state.owner } : {}),
    batches: state.batches,
    ...(state.lastKey ? { lastKey: state.lastKey } : {}),
    complete: isComplete(state),
  };
}
