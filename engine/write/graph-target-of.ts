/**
 * The one place a graph connection gets its writer: a GremlinTarget for a Gremlin server, else a Neo4jTarget
 * (Bolt, with its dialects). The command line, the benchmark and the graph write node all come here.
 */
import { isGremlinConnection, type GraphConnection } from '../connect/graph-connection';
import type { WriteHooks } from './bolt-types';
import { GremlinTarget } from './gremlin-target';
import { Neo4jTarget } from './neo4j-target';
import type { GraphTarget } from './target';

export interface GraphTargetOptions {
  concurrency?: number;
  maxRetries?: number;
  batchTimeoutMs?: number;
  /** Bolt only: test hooks around each write attempt. */
  hooks?: WriteHooks;
}

export function graphTargetOf(connection: GraphConnection, options: GraphTargetOptions = {}): GraphTarget {
  const { hooks, ...common } = options;
  return isGremlinConnection(connection) ? new GremlinTarget(connection, common) : new Neo4jTarget(connection, { ...common, hooks });
}
