/**
 * GraphTarget: where record batches go (see README, Writing). Neo4j over Bolt (with the Memgraph and Neptune
 * dialects) is the first implementation; file sinks and a Gremlin target implement the same interface. A target
 * writes each batch with the entry's checkpoint (under the batch's BatchInfo.plan), keeps its checkpoints in a
 * CheckpointStore, and hears when a run is complete (finishRun) from the party that knows it: the reader.
 */
import type { GraphPlan } from '../plan/types';
import type { NodeBatch, RelationshipBatch, WriteStats } from '../core/records';
import type { CheckpointStore, EntryCheckpoint } from '../run';

export type WriteMode = 'merge' | 'create';

/** A relationship row whose start or end node was not found (values as readable text). */
export interface MissingEndExample {
  /** Position of the row in the batch. */
  row: number;
  from: string[];
  to: string[];
  missing: 'from' | 'to' | 'both';
}

/** What one batch write did: the WriteStats plus what a caller needs to report it. */
export interface BatchWriteResult extends WriteStats {
  /** The mode actually used: a resumed CREATE entry is written with MERGE (see README, Writing). */
  mode: WriteMode;
  /** A few relationship rows whose start or end node was missing (stats.missingEnds counts all). */
  missingEndExamples?: MissingEndExample[];
  /** The entry's checkpoint after this batch, when the batch named its plan. */
  checkpoint?: EntryCheckpoint;
}

export interface GraphTarget {
  /** Schema work for every node entry's key (and relationship match properties) before a run; idempotent. */
  prepare(plan: GraphPlan): Promise<{ statements: string[] }>;
  writeNodes(batch: NodeBatch, mode: WriteMode): Promise<BatchWriteResult>;
  writeRelationships(batch: RelationshipBatch, mode: WriteMode): Promise<BatchWriteResult>;
  /** Where this target's checkpoints are kept (read to resume, cleared when a run finished). */
  readonly checkpoints: CheckpointStore;
  /**
   * The reader saw every batch of a run acknowledged: the run's entries are complete and their checkpoints go
   * (all of the plan's when entries is omitted); what the target kept for that run is forgotten.
   */
  finishRun(planKey: string, entries?: readonly string[], run?: string): Promise<void>;
  /** Batches accepted and not yet settled. */
  readonly pending: number;
  /** Stops taking batches; waits up to maxWaitMs for those in flight, then gives them up. */
  close(maxWaitMs?: number): Promise<void>;
}
