/**
 * The checkpoints of a graph read over a plain connection: what the reader (pg read, migrate) needs to resume a
 * run, without constructing a writer. The writer advances the same checkpoints (on Bolt inside its transactions).
 */
import type { Neo4jConnection } from '../connect/neo4j-connection';
import { isGremlinConnection, type GraphConnection } from '../connect/graph-connection';
import { withRetries, DEFAULT_RETRY_POLICY } from '../core/retry';
import { isTransientGremlinError } from '../connect/gremlin-errors';
import { GremlinCheckpoints } from './gremlin-checkpoints';
import type { CheckpointStore } from './checkpoint-store';
import { dialectFor } from '../cypher/dialects';
import { BoltCheckpoints, type CypherRunner } from './bolt-checkpoints';

export function sessionRunner(connection: Pick<Neo4jConnection, 'session' | 'translate'>): CypherRunner {
  return async (text, params, mode) => {
    const session = connection.session(mode);
    try {
      const result = await session.run(text, params);
      return result.records.map((record) => record.toObject());
    } catch (error) {
      throw connection.translate(error);
    } finally {
      await session.close().catch(() => undefined);
    }
  };
}

/** How long one checkpoint read or clear may wait for a Gremlin server. */
const GREMLIN_CHECKPOINT_TIMEOUT_MS = 60_000;

export function checkpointsOf(connection: GraphConnection): CheckpointStore {
  if (isGremlinConnection(connection)) {
    return new GremlinCheckpoints(async (build, what) => {
      const { value } = await withRetries(
        () => connection.run(build(connection.g()), GREMLIN_CHECKPOINT_TIMEOUT_MS, what),
        DEFAULT_RETRY_POLICY,
        isTransientGremlinError,
      ).catch((failure: unknown) => {
        throw (failure as { error?: unknown }).error ?? failure;
      });
      return value;
    });
  }
  return boltCheckpointsOf(connection);
}

export function boltCheckpointsOf(connection: Pick<Neo4jConnection, 'session' | 'translate' | 'dialect'>): BoltCheckpoints {
  return new BoltCheckpoints(sessionRunner(connection), dialectFor(connection.dialect).keyedById);
}
