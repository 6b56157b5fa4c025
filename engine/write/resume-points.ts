/**
 * Turns the checkpoints of an unfinished run into what a reader needs to resume it: per entry the key to read
 * after and the batch index to continue with (the checkpoint's contract: indexes count on across a resume),
 * and the entries that are complete and need no reading at all.
 */
import type { EntryCheckpoint } from './target';

export interface ResumePoints {
  /** Entry id -> last key written in order: read the rows after it. */
  resume: Record<string, Array<string | null>>;
  /** Entry id -> index of the first batch to send. */
  nextIndex: Record<string, number>;
  /** Entries whose every batch is written. */
  complete: string[];
}

export function resumePoints(checkpoints: Map<string, EntryCheckpoint>): ResumePoints {
  const points: ResumePoints = { resume: {}, nextIndex: {}, complete: [] };
  for (const checkpoint of checkpoints.values()) {
    if (checkpoint.complete) {
      points.complete.push(checkpoint.entry);
    } else if (checkpoint.batches > 0 && checkpoint.lastKey) {
      points.resume[checkpoint.entry] = checkpoint.lastKey;
      points.nextIndex[checkpoint.entry] = checkpoint.batches;
    }
    // no key (a cursor read) or nothing in order yet: read the entry again from its start, batch index 0
  }
  points.complete.sort();
  return points;
}
