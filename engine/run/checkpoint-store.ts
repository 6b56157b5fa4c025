/**
 * Where a target keeps its checkpoints. Each target stores them its own way (Bolt: a node per entry written
 * in the batch's transaction; other targets beside their data) behind this one interface, which the reader,
 * the writers and migrate() use.
 */
import type { EntryCheckpoint } from './checkpoint-state';

export interface CheckpointStore {
  /** Checkpoints of an unfinished run of the plan with this fingerprint (empty when none). */
  read(planKey: string): Promise<Map<string, EntryCheckpoint>>;
  /** A run finished: the checkpoints of these entries (all of the plan's when omitted) go, so the next run starts fresh. */
  clear(planKey: string, entries?: readonly string[]): Promise<void>;
}
