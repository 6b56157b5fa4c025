/**
 * Where a run continues an unfinished one: from the checkpoints a writer committed with its batches (entries
 * complete → skipped, keyset entries → after their last committed key, vouched for by the checkpoint's owner)
 * or from a stopped run's acknowledgements (the reader's own resume points). Cursor reads have no key to
 * continue after and start again from their beginning.
 */
import type { RowKey, SourceMark } from '../core/records';
import type { EntryCheckpoint } from './checkpoint-state';

/** Where an entry starts: after a key (keyset entries) or "done" (skipped: finished in an earlier run). */
export type ResumePoint = RowKey | 'done';

export interface ResumeFrom {
  /** Entry id → resume point. */
  points: Record<string, ResumePoint>;
  /**
   * Entry id → the run that owned the entry's progress (its checkpoint's owner, or the stopped run): the new
   * reading names it in every batch, so the checkpoint can follow the new reading and no other.
   */
  from: Record<string, string>;
  /**
   * Entry id → what its source looked like when the checkpoint's reading read it. The reader checks every
   * resumed or skipped entry against it and reads a changed one again from its start; an entry with a resume
   * point and no mark counts as changed. Absent (resume points given by hand): no check.
   */
  marks?: Record<string, SourceMark>;
}

export const NO_RESUME: ResumeFrom = Object.freeze({ points: {}, from: {} });

export function resumeFromCheckpoints(checkpoints: ReadonlyMap<string, EntryCheckpoint>): ResumeFrom {
  const result: ResumeFrom = { points: {}, from: {}, marks: {} };
  for (const checkpoint of checkpoints.values()) {
    if (checkpoint.mark) result.marks![checkpoint.entry] = checkpoint.mark;
    if (checkpoint.complete) {
      result.points[checkpoint.entry] = 'done';
      // read again when its source changed: the new reading then takes the checkpoint over
      if (checkpoint.owner) result.from[checkpoint.entry] = checkpoint.owner;
      continue;
    }
    // read again from its start (a cursor read, or nothing in order yet) or after its key: either way the new
    // reading says whose checkpoint it continues
    if (checkpoint.owner) result.from[checkpoint.entry] = checkpoint.owner;
    if (checkpoint.lastKey && checkpoint.batches > 0) result.points[checkpoint.entry] = checkpoint.lastKey;
  }
  return result;
}

/** Entries a run resumed and those it skipped as finished, for summaries. */
export function describeResume(resume: ResumeFrom): { resumed: string[]; skipped: string[] } {
  const entries = Object.entries(resume.points);
  return {
    resumed: entries
      .filter(([, point]) => point !== 'done')
      .map(([id]) => id)
      .sort(),
    skipped: entries
      .filter(([, point]) => point === 'done')
      .map(([id]) => id)
      .sort(),
  };
}
