/**
 * GraphTarget: where record batches go (DESIGN §7). Neo4j over Bolt is first-class; Memgraph and Neptune are
 * dialects of the same statements; file sinks may implement it later.
 */
import type { GraphDialect } from '../connect/neo4j-settings';
import type { GraphPlan } from '../plan/types';
import type { NodeBatch, RelationshipBatch, WriteStats } from '../records';

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

export interface GraphTarget {
  readonly dialect: GraphDialect;
  /** Constraints and indexes for every node entry's key (and relationship match properties); idempotent. */
  prepare(plan: GraphPlan): Promise<{ statements: string[] }>;
  writeNodes(batch: NodeBatch, mode: WriteMode): Promise<WriteStats>;
  writeRelationships(batch: RelationshipBatch, mode: WriteMode): Promise<WriteStats>;
  /** Checkpoints of an unfinished run of the plan with this fingerprint (empty when none). */
  checkpoints(planKey: string): Promise<Map<string, EntryCheckpoint>>;
}
