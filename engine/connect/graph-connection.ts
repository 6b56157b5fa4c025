/**
 * The graph a run writes to and verifies: Neo4j over Bolt (with its dialects) or a Gremlin server (README.md,
 * Connections). Both are owned by whoever made them (a config node, a command) and closed by it.
 */
import { GremlinConnection } from './gremlin-connection';
import type { Neo4jConnection } from './neo4j-connection';

export type GraphConnection = Neo4jConnection | GremlinConnection;

export function isGremlinConnection(connection: GraphConnection): connection is GremlinConnection {
  return connection instanceof GremlinConnection;
}
