export type { GraphTarget, WriteMode, BatchWriteResult, MissingEndExample } from './target';
export { Neo4jTarget, type Neo4jTargetOptions } from './neo4j-target';
export { graphTargetOf, type GraphTargetOptions } from './graph-target-of';
export { GremlinTarget, type GremlinTargetOptions, DEFAULT_ROWS_PER_REQUEST } from './gremlin-target';
export type { BoltConnection, WriteHooks, WriteAttempt } from './bolt-types';
export { nodeWriteStatement, relationshipWriteStatement, missingEndsStatement, type NodeShape, type RelationshipShape, type RowStatement } from './statements';
export { planSchema, entryLabels } from './schema-spec';
export { WriteTotals, type WriteTotalsSnapshot, type EntryTotals } from './totals';
export { DEFAULT_BATCH_TIMEOUT_MS, MAX_BATCH_TIMEOUT_MS, checkBatchTimeout } from './batch-timeout';
export {
  FileSink,
  EXPORT_FORMATS,
  isExportFormat,
  formatNamed,
  MANIFEST_NAME,
  readManifest,
  type FileSinkOptions,
  type ExportFormatName,
  type FileFormat,
  type ManifestFile,
  type Manifest,
} from './files';
