export { quoteName, labelText, checkName, schemaObjectName } from './names';
export { dialectFor, NEO4J_DIALECT, MEMGRAPH_DIALECT, NEPTUNE_DIALECT, type CypherDialect, type KeySpec, type MatchSpec } from './dialects';
export { neptuneNodeId, idText } from './neptune-id';
