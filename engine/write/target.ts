/**
 * GraphTarget: where record batches go (see README, Writing). Neo4j over Bolt is first-class; Memgraph and Neptune are
 * dialects of the same statements; file sinks may implement it later.
 */
import type { GraphDialect } from '../connect/neo4j-settings';
import type { GraphPlan } from '../plan/types';
import type { NodeBatch, RelationshipBatch, WriteStats } from '../core/records';

export type WriteMode = 'merge' | 'create';

/** Progress of one plan entry as committed in the target together with its batches. */
export interface EntryCheckpoint {
  entry: string;
  /** Key of the last row of the last batch committed in order (no gap before it). */
  lastKey?: Array<string | null>;
  /** Batches committed in order. */
  batches: number;
  complete: boolean;
}

/** Per-call options of a batch write. */
export interface BatchWriteOptions {
  /**
   * Plan fingerprint (planFingerprint): when set, the entry's checkpoint is committed in the same transaction
   * as the batch. BatchInfo.index must then count on across a resumed run (the first batch after a resume is
   * EntryCheckpoint.batches), so the checkpoint can tell consecutive batches from a gap.
   */
  planKey?: string;
}

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
  /** The entry's checkpoint after this batch, when a planKey was given. */
  checkpoint?: EntryCheckpoint;
}

export interface GraphTarget {
  readonly dialect: GraphDialect;
  /** Constraints and indexes for every node entry's key (and relationship match properties); idempotent. */
  prepare(plan: GraphPlan): Promise<{ statements: string[] }>;
  writeNodes(batch: NodeBatch, mode: WriteMode, options?: BatchWriteOptions): Promise<WriteStats>;
  writeRelationships(batch: RelationshipBatch, mode: WriteMode, options?: BatchWriteOptions): Promise<WriteStats>;
  /** Checkpoints of an unfinished run of the plan with this fingerprint (empty when none). */
  checkpoints(planKey: string): Promise<Map<string, EntryCheckpoint>>;
  /** Clears the checkpoints of a finished run, so the next run of the plan starts fresh. */
  completeRun?(planKey: string): Promise<void>;
}
