export { PostgresConnection, type PostgresServerInfo } from './postgres-connection';
export { toPoolConfig, describePostgres, SSL_MODES, isSslMode, type PostgresSettings, type PostgresSslMode } from './postgres-settings';
export { Neo4jConnection, type Neo4jServerInfo } from './neo4j-connection';
export { toDriverConfig, describeNeo4j, checkBoltUri, checkedDialect, DIALECTS, type Neo4jSettings, type GraphDialect, type Neo4jTls } from './neo4j-settings';
export { redact } from './redact';
export { GremlinConnection, type GremlinServerInfo } from './gremlin-connection';
export {
  checkGremlinSettings,
  checkGremlinUrl,
  describeGremlin,
  DEFAULT_TRAVERSAL_SOURCE,
  DEFAULT_GREMLIN_CONNECT_TIMEOUT_MS,
  type GremlinSettings,
  type GremlinTls,
} from './gremlin-settings';
export { GremlinLong, GremlinDouble } from './gremlin-codec';
export { isTransientGremlinError } from './gremlin-errors';
export { isGremlinConnection, type GraphConnection } from './graph-connection';
