/** The graph side verification reads for a connection: Cypher for Neo4j over Bolt, Gremlin for a Gremlin server. */
import { isGremlinConnection, type GraphConnection } from '../connect/graph-connection';
import type { GraphPlan } from '../plan/types';
import { CypherGraphSide } from './cypher-side';
import type { GraphSide } from './graph-side';
import { GremlinGraphSide } from './gremlin-side';

export function graphSideOf(connection: GraphConnection, plan: GraphPlan): GraphSide {
  return isGremlinConnection(connection) ? new GremlinGraphSide(connection, plan) : new CypherGraphSide(connection);
}
