export type { GraphTarget, WriteMode, EntryCheckpoint, BatchWriteOptions, BatchWriteResult, MissingEndExample } from './target';
export { Neo4jTarget, type Neo4jTargetOptions } from './neo4j-target';
export type { BoltConnection, WriteHooks, WriteAttempt } from './bolt-types';
export { dialectFor, NEO4J_DIALECT, MEMGRAPH_DIALECT, NEPTUNE_DIALECT, type CypherDialect, type KeySpec, type MatchSpec } from './dialects';
export {
  nodeWriteStatement, relationshipWriteStatement, missingEndsStatement, checkpointStatements, CHECKPOINT_LABEL,
  type NodeShape, type RelationshipShape, type RowStatement,
} from './statements';
export { planSchema, entryLabels } from './schema-spec';
export { neptuneNodeId } from './neptune-id';
export { WriteTotals, type WriteTotalsSnapshot, type EntryTotals } from './totals';
export { emptyStats, addStats, pickStats } from './stats';
export { resumePoints, type ResumePoints } from './resume-points';
