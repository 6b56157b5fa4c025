export { Pg2GraphError, isPg2GraphError } from './core';
export { ERROR_CODES, type ErrorCode } from './core';
export type {
  RowBatch,
  NodeBatch,
  RelationshipBatch,
  BatchInfo,
  Acknowledgement,
  WriteStats,
  RowKey,
  RunControl,
  RowReject,
  OnInvalid,
  SourceMark,
} from './core';
export { emptyStats, addStats, pickStats } from './core';
export { PostgresConnection, type PostgresServerInfo } from './connect';
export { toPoolConfig, describePostgres, SSL_MODES, type PostgresSettings, type PostgresSslMode } from './connect';
export { Neo4jConnection, type Neo4jServerInfo } from './connect';
export { toDriverConfig, describeNeo4j, checkBoltUri, DIALECTS, type Neo4jSettings, type GraphDialect, type Neo4jTls } from './connect';
export { introspect, introspectDatabase, type IntrospectOptions } from './schema';
export type { SchemaModel, TableInfo, ColumnInfo, PgTypeInfo, ForeignKeyInfo, TableRef } from './schema';
export { compileValue, resolveRule, type TextConverter, type ValueSpec, type ValueSite, type ValueRule, type ValuePolicy } from './values';
export { ValueError } from './values';
export { parseArrayLiteral, type ParsedArray, type ArrayTree } from './values';
export { isFlattened, type Flattened } from './values';
export { toJsNative } from './values';
export { readTypeLabel, typeInfoFromLabel } from './values';
export { ruleType, arrayElement, allowedRules, defaultRule, isRuleAllowed, ALL_SCALAR_RULES, isValueRule, defaultPolicies, pgTypeLabel } from './values';
export type { GraphPlan, NodeEntry, RelationshipEntry, PropertyMapping, PlanOptions, AggregateSpec } from './plan';
export { generatePlan, DEFAULT_BATCH_SIZE, type GenerateOptions } from './plan';
export { validatePlan, assertValidPlan, type PlanValidation } from './plan';
export { loadPlan, parsePlanText } from './plan';
export { applyOverrides, type PlanOverrides, type AppliedOverrides } from './plan';
export { parseOverrides } from './plan';
export { buildPlan, type BuiltPlan } from './plan';
export { explainPlan, summarizePlan, planWarnings, type PlanSummary } from './plan';
export { ROW_HASH_PROPERTY, ROW_HASH_COLUMN } from './plan';
export type { PlanProblem } from './plan';
export { planFingerprint } from './plan';
export { ROW_HASH_ALIAS, entryColumns, isRelationshipEntry, type PlanEntry } from './plan';
export { relationshipEnds, nodeLabels, type RelationshipEnds, type EndInfo } from './plan';
export { runGraphQuery, toDriverParams, GRAPH_QUERY_TIMEOUT_MS, type GraphQueryOptions, type GraphQueryResult } from './query';
export {
  compareResultSets,
  describeResultValue,
  type ResultSet,
  type SourceResultSet,
  type CompareOptions,
  type ResultDifference,
  type DifferenceKind,
  type ResultComparison,
} from './query';
export { ReadSnapshot, VALUE_TEXT_SETTINGS, type TextRow } from './read';
export { prepareRead, type PreparedRead } from './read';
export { dialectFor, type CypherDialect } from './cypher';
export { readEntry, checkBatchSize, MAX_BATCH_SIZE, type ReadEntryOptions } from './read';
export {
  PlanRun,
  checkWindow,
  type PlanRunOptions,
  type RunBatch,
  type RunOutlet,
  type RunResult,
  type RunProgress,
  type EntryTotals,
  type RereadEntry,
  type AckOutcome,
} from './read';
export { singleEntryPlan, parseTableName, probeDatabase, type SingleEntryRequest } from './read';
export {
  resumeFromCheckpoints,
  decodeMark,
  checkpointsOf,
  advanceCheckpoint,
  advanceProgress,
  BoltCheckpoints,
  CHECKPOINT_LABEL,
  type ResumePoint,
  type ResumeFrom,
  type EntryCheckpoint,
  type CheckpointStore,
  type CheckpointState,
  type ContiguousProgress,
} from './run';
export {
  probePlan,
  problemRows,
  applyProbe,
  assertRepresentable,
  unrepresentableError,
  checkProbeTimeout,
  DEFAULT_PROBE_TIMEOUT_MS,
  type ProbeSession,
  type ProbeOptions,
  type ProbeResult,
  type ValueProblem,
  type NotProbed,
  type ProblemKind,
  type PolicyChange,
  type ProbedPlan,
} from './probe';
export { shapeNodes, compileNodeShaper, type NodeShaper } from './shape';
export { shapeRelationships, compileRelationshipShaper, type RelationshipShaper } from './shape';
export { fromJs } from './shape';
export { nodeEntryFromSettings, type NodeMappingSettings } from './shape';
export { Neo4jTarget, WriteTotals, type Neo4jTargetOptions, type BoltConnection, type WriteHooks, type WriteAttempt, type WriteTotalsSnapshot } from './write';
export type { GraphTarget, WriteMode, BatchWriteResult, MissingEndExample } from './write';
export {
  FileSink,
  EXPORT_FORMATS,
  isExportFormat,
  MANIFEST_NAME,
  readManifest,
  type FileSinkOptions,
  type ExportFormatName,
  type Manifest,
  type ManifestFile,
} from './write';
export { verify, type VerifyOptions } from './verify';
export type { VerifyProgress } from './verify';
export { checkAggregateSpecs, type AggregateResult } from './verify';
export { DEFAULT_VERIFY_BATCH_SIZE } from './verify';
export { countEntries, countMismatchLines, type EntryCount, type CountCheckOptions } from './verify';
export { sameGraphValue, describeGraphValue, kindOf, type GraphValueKind } from './verify';
export {
  formatReport,
  countFailures,
  keyText,
  MAX_EXAMPLES,
  type VerificationReport,
  type EntryReport,
  type CheckResult,
  type CheckName,
  type KeyValues,
  type KeyExample,
  type PairExample,
  type ValueExample,
  type Example,
} from './verify';
export { migrate, exportPlan, type MigrateOptions, type MigrateResult, type MigrateTimings, type ExportOptions, type ExportResult } from './migrate';
export { translateSql, type Translation, type TranslationNote, type TranslateOptions } from './translate';
