import type { Neo4jConnection, PostgresConnection } from '../../engine/connect';
import type { RedNode } from './red';

/** What nodes using a pg2graph-postgres config node see of it. */
export interface PostgresConfigNode extends RedNode {
  connection: PostgresConnection;
}

/** What nodes using a pg2graph-neo4j config node see of it. */
export interface Neo4jConfigNode extends RedNode {
  connection: Neo4jConnection;
}
