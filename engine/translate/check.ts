/**
 * The proof of a translation (README.md, From SQL to Cypher): the SQL on Postgres, in a read-only transaction
 * under a statement timeout, and its Cypher on the migrated graph (runGraphQuery), their rows compared under the
 * value rules (compareResultSets): the same rows as multisets, in the same order where the SQL orders them.
 */
import type { Neo4jConnection } from '../connect/neo4j-connection';
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError, isPg2GraphError } from '../core/errors';
import { compareResultSets, type ResultComparison } from '../query/compare-results';
import { GRAPH_QUERY_TIMEOUT_MS, runGraphQuery } from '../query/run-graph-query';
import type { Translation } from './types';

export interface ParityOptions {
  /** Within which each side must answer (ms, default 60,000). */
  timeoutMs?: number;
  /** How many differing rows to name (default 5). */
  maxExamples?: number;
  /**
   * Columns compared as numbers to 12 significant digits on both sides: for an answer the translation notes is
   * a float where Postgres computes exactly (AVG_AS_FLOAT). Named by the caller, never assumed.
   */
  approximate?: readonly string[];
}

const APPROXIMATE_DIGITS = 12;

/** The value as text of its first significant digits (null stays null): what an approximate column compares. */
function approximately(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n.toPrecision(APPROXIMATE_DIGITS) : value;
}

export interface ParityResult extends ResultComparison {
  sourceRows: number;
  graphRows: number;
}

interface SourceRows {
  columns: string[];
  rows: unknown[][];
}

/** The SQL's rows as pg's default type parsers give them (what a Postgres node's rows hold), columns in order. */
async function sourceRows(source: PostgresConnection, sql: string, params: readonly unknown[], timeoutMs: number): Promise<SourceRows> {
  const client = await source.connect();
  let failed = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    const result = await client.query({ text: sql, values: [...params], rowMode: 'array' });
    await client.query('COMMIT');
    return { columns: result.fields.map((field) => field.name), rows: result.rows as unknown[][] };
  } catch (error) {
    failed = true;
    const typed = isPg2GraphError(error) ? error : source.translate(error);
    throw new Pg2GraphError(typed.code, `Running the SQL on Postgres failed: ${typed.message}`, { ...typed.details, side: 'postgres' }, error);
  } finally {
    // a failed transaction's connection is not handed back to the pool half-open
    client.release(failed);
  }
}

/** Runs both sides and compares them; a side that cannot run is a typed error naming it. */
export async function checkParity(
  source: PostgresConnection,
  graph: Neo4jConnection,
  sql: string,
  params: readonly unknown[],
  translation: Translation,
  options: ParityOptions = {},
): Promise<ParityResult> {
  const timeoutMs = options.timeoutMs ?? GRAPH_QUERY_TIMEOUT_MS;
  const expected = await sourceRows(source, sql, params, timeoutMs);
  const found = await runGraphQuery(graph, translation.cypher, translation.parameters, { timeoutMs });
  for (const column of options.approximate ?? []) {
    const index = expected.columns.indexOf(column);
    if (index < 0)
      throw new Pg2GraphError(
        'TRANSLATE_INPUT_INVALID',
        `The approximate column "${column}" is not a column of the SQL's result (${expected.columns.join(', ')})`,
        { column },
      );
    for (const row of expected.rows) row[index] = approximately(row[index]);
    for (const row of found.rows) if (column in row) row[column] = approximately(row[column]);
  }
  const comparison = compareResultSets(expected, found, { ordered: translation.ordered, maxExamples: options.maxExamples });
  return { ...comparison, sourceRows: expected.rows.length, graphRows: found.rows.length };
}
