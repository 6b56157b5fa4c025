/**
 * The checkpoint of one plan entry: the contiguous progress of the reading that owns it. A checkpoint never
 * claims a key range that no committed batch of its owner's reading wrote:
 * - batches of the owner advance it (within one reading batch indexes are unambiguous);
 * - a reading takes it over only when it began from this very owner (`origin.from` is the owner: the reader
 *   found that owner's checkpoint, or continued that run's acknowledgements), and then claims no more than the
 *   key it began after (`origin.after`; nothing when it began at the entry's start);
 * - when nobody owns it (a new checkpoint), a reading from the entry's start takes it;
 * - any other batch (a reading that began from another owner, such as a late commit of an older reading, or
 *   from a key nobody vouched for) is written but claims nothing.
 * Pending batches therefore always belong to the owner's reading: another batch size or rows inserted between
 * two runs cannot make one reading's batch indexes count for another's, and two readings never take the
 * checkpoint from each other in turn.
 */
import type { BatchInfo, SourceMark } from '../core/records';
import { advanceProgress, isComplete, startProgress, type ContiguousProgress } from './progress';

export interface CheckpointState extends ContiguousProgress {
  /** Run id of the reading whose progress this is. */
  owner?: string;
  /** The source as the owner's reading saw it (its batches carry it), for the check on resume. */
  mark?: SourceMark;
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
  /** The entry's source as the owner's reading saw it; absent when it could not be recorded (see SourceMark). */
  mark?: SourceMark;
}

export const EMPTY_CHECKPOINT: CheckpointState = { batches: 0, pending: [] };

type CommittedBatch = Pick<BatchInfo, 'run' | 'index' | 'lastKey' | 'last' | 'origin' | 'mark'>;

/** The state after one more committed batch (see the rules above). */
export function advanceCheckpoint(state: CheckpointState, batch: CommittedBatch): CheckpointState {
  let base: CheckpointState | undefined;
  if (state.owner === batch.run) base = state;
  else if (state.owner === undefined ? !batch.origin?.after : batch.origin?.from === state.owner) {
    base = { owner: batch.run, ...startProgress(batch.origin?.after) };
  }
  if (!base) return state;
  // the owner's reading says what its snapshot saw: every batch of one reading carries the same mark
  const progress = advanceProgress(base, { index: batch.index, lastKey: batch.lastKey, last: batch.last });
  return { owner: batch.run, ...progress, ...(batch.mark ? { mark: batch.mark } : {}) };
}

export function toEntryCheckpoint(entry: string, state: CheckpointState): EntryCheckpoint {
  return {
    entry,
    ...(state.owner ? { owner: state.owner } : {}),
    batches: state.batches,
    ...(state.lastKey ? { lastKey: state.lastKey } : {}),
    complete: isComplete(state),
    ...(state.mark ? { mark: state.mark } : {}),
  };
}
