/**
 * The checkpoints of a Bolt graph read over a plain connection: what the reader (pg read, migrate) needs to
 * resume a run, without constructing a writer. The writer advances the same nodes inside its transactions.
 */
import type { Neo4jConnection } from '../connect/neo4j-connection';
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

export function checkpointsOf(connection: Pick<Neo4jConnection, 'session' | 'translate' | 'dialect'>): BoltCheckpoints {
  return new BoltCheckpoints(sessionRunner(connection), dialectFor(connection.dialect).keyedById);
}
