export { Pg2GraphError, isPg2GraphError } from './errors';
export { PostgresConnection, type PostgresServerInfo } from './connect/postgres-connection';
export { toPoolConfig, describePostgres, type PostgresSettings, type PostgresSslMode } from './connect/postgres-settings';
export { Neo4jConnection, type Neo4jServerInfo } from './connect/neo4j-connection';
export { toDriverConfig, describeNeo4j, checkBoltUri, DIALECTS, type Neo4jSettings, type GraphDialect, type Neo4jTls } from './connect/neo4j-settings';
export { Neo4jTarget, WriteTotals, dialectFor, resumePoints, type ResumePoints, type Neo4jTargetOptions, type BoltConnection, type WriteHooks, type WriteAttempt, type WriteTotalsSnapshot } from './write';
export type { GraphTarget, WriteMode, EntryCheckpoint, BatchWriteOptions, BatchWriteResult, MissingEndExample } from './write';
