import type { GraphConnection, PostgresConnection } from '../../engine/connect';
import type { RedNode } from './red';

/** What nodes using a pg2graph-postgres config node see of it. */
export interface PostgresConfigNode extends RedNode {
  connection: PostgresConnection;
}

/**
 * What nodes using a pg2graph-neo4j config node see of it: Neo4j over Bolt or a Gremlin server. Reading
 * `connection` throws the typed error of a setting the node could not take (an unknown protocol).
 */
export interface GraphConfigNode extends RedNode {
  readonly connection: GraphConnection;
}
