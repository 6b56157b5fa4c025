/**
 * One read query on the graph, its rows as plain JavaScript (README.md, Graph query): a managed read
 * transaction with a server-side timeout, and a client-side deadline a little after it for a server that stops
 * answering, so every call ends within a bounded time.
 */
import type { Neo4jConnection } from '../connect/neo4j-connection';
import { settlesWithin, withDeadline } from '../core/deadline';
import { Pg2GraphError } from '../core/errors';
import { toJsNative } from '../values/js-native';
import { toDriverParams } from './params';

export interface GraphQueryOptions {
  /** The query's whole time, in milliseconds (default GRAPH_QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Aborting ends the wait at once with QUERY_CANCELLED and closes the session. */
  signal?: AbortSignal;
}

export interface GraphQueryResult {
  /** The result's column names, in the order of the query's RETURN (also when there are no rows). */
  columns: string[];
  /** One object per record, keyed by column name, values as plain JavaScript (values/js-native.ts). */
  rows: Record<string, unknown>[];
}

export const GRAPH_QUERY_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 86_400_000;
/** The server's transaction timeout answers first; the client gives up this much later (a stalled server). */
const CLIENT_GRACE_MS = 2000;
/** A session of a stalled server may never confirm its close: it is given up after this. */
const CLOSE_WAIT_MS = 2000;

function checkedTimeout(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return GRAPH_QUERY_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new Pg2GraphError(
      'QUERY_INPUT_INVALID',
      `graph query timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, not ${JSON.stringify(timeoutMs) ?? typeof timeoutMs}`,
      {
        setting: 'timeoutMs',
      },
    );
  }
  return timeoutMs;
}

function timedOut(connection: Neo4jConnection, timeoutMs: number, cause?: unknown): Pg2GraphError {
  return new Pg2GraphError(
    'QUERY_TIMEOUT',
    `graph query on ${connection.target} did not finish within its timeout of ${timeoutMs} ms`,
    { target: connection.target, timeoutMs },
    cause,
  );
}

function cancelled(connection: Neo4jConnection): Pg2GraphError {
  return new Pg2GraphError('QUERY_CANCELLED', `graph query on ${connection.target} was cancelled`, { target: connection.target });
}

/** A connection failure keeps its own code (login, reachability); what the server said about the query becomes QUERY_FAILED. */
function queryError(connection: Neo4jConnection, error: unknown, timeoutMs: number): Pg2GraphError {
  if (error instanceof Pg2GraphError) return error;
  const typed = connection.translate(error);
  const neo4jCode = typed.details.neo4jCode;
  if (typeof neo4jCode === 'string' && /TransactionTimedOut/.test(neo4jCode)) return timedOut(connection, timeoutMs, error);
  if (typed.code !== 'NEO4J_ERROR') return typed;
  return new Pg2GraphError('QUERY_FAILED', `graph query failed: ${typed.message}`, { ...typed.details }, error);
}

function abortion(signal: AbortSignal | undefined, onAbort: () => Error): { promise: Promise<never>; dispose(): void } {
  if (!signal) return { promise: new Promise<never>(() => undefined), dispose: () => undefined };
  let listener: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', listener) };
}

export async function runGraphQuery(
  connection: Neo4jConnection,
  cypher: string,
  params: Record<string, unknown> = {},
  options: GraphQueryOptions = {},
): Promise<GraphQueryResult> {
  if (typeof cypher !== 'string' || !cypher.trim()) {
    throw new Pg2GraphError('QUERY_INPUT_INVALID', "graph query has no Cypher to run (msg.cypher or the node's Cypher setting)", { setting: 'cypher' });
  }
  const timeoutMs = checkedTimeout(options.timeoutMs);
  const driverParams = toDriverParams(params);
  if (options.signal?.aborted) throw cancelled(connection);
  const session = connection.session('READ');
  const work = session.executeRead(
    async (tx) => {
      const result = tx.run(cypher, driverParams);
      const columns = await result.keys();
      const { records } = await result;
      return { columns: [...columns], records };
    },
    { timeout: timeoutMs },
  );
  const abort = abortion(options.signal, () => cancelled(connection));
  let given = false;
  try {
    const { columns, records } = await withDeadline(Promise.race([work, abort.promise]), timeoutMs + CLIENT_GRACE_MS, () => timedOut(connection, timeoutMs));
    const rows = records.map((record) => {
      const row: Record<string, unknown> = {};
      for (const column of columns) row[column] = toJsNative(record.get(column));
      return row;
    });
    return { columns, rows };
  } catch (error) {
    given = error instanceof Pg2GraphError && (error.code === 'QUERY_TIMEOUT' || error.code === 'QUERY_CANCELLED');
    throw queryError(connection, error, timeoutMs);
  } finally {
    abort.dispose();
    const closing = session.close().catch(() => undefined);
    // a query given up is not waited for again: its session closes (and ends the transaction) on its own time
    if (!given) await settlesWithin(closing, CLOSE_WAIT_MS);
  }
}
