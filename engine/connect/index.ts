export { PostgresConnection, type PostgresServerInfo } from './postgres-connection';
export { toPoolConfig, describePostgres, SSL_MODES, isSslMode, type PostgresSettings, type PostgresSslMode } from './postgres-settings';
export { Neo4jConnection, type Neo4jServerInfo } from './neo4j-connection';
export { toDriverConfig, describeNeo4j, checkBoltUri, checkedDialect, DIALECTS, type Neo4jSettings, type GraphDialect, type Neo4jTls } from './neo4j-settings';
export { redact } from './redact';
