export { Pg2GraphError, isPg2GraphError } from './errors';
export { PostgresConnection, type PostgresServerInfo } from './connect/postgres-connection';
export { toPoolConfig, describePostgres, type PostgresSettings, type PostgresSslMode } from './connect/postgres-settings';
export { Neo4jConnection, type Neo4jServerInfo } from './connect/neo4j-connection';
export { toDriverConfig, describeNeo4j, checkBoltUri, DIALECTS, type Neo4jSettings, type GraphDialect, type Neo4jTls } from './connect/neo4j-settings';
export * from './values';
export * from './read';
export * from './shape';
