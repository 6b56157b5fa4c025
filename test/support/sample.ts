/** The project's sample database (sample/bookshop.sql) in a scratch database, with its generated plan. */
import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from './databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import { ROW_HASH_COLUMN } from '../../dist/engine/plan/row-content';
import type { GraphPlan } from '../../dist/engine/plan/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadSample } = require('../../scripts/lib/sample-db') as { loadSample(url: string): Promise<void> };

export interface SampleDatabase extends ScratchDatabase {
  plan: GraphPlan;
  connection(applicationName?: string): PostgresConnection;
}

export async function createSampleDatabase(prefix = 'sample'): Promise<SampleDatabase> {
  const db = await createScratchDatabase(prefix);
  await loadSample(db.url);
  const connection = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-plan' });
  try {
    const plan = generatePlan(await introspectDatabase(connection, { schemas: ['bookshop'] }));
    return { ...db, plan, connection: (applicationName = 'pg2graph-test') => new PostgresConnection({ ...db.settings, applicationName }) };
  } finally {
    await connection.close();
  }
}

const q = pg.escapeIdentifier;

/**
 * What each plan entry must write, counted by Postgres alone (not through the engine): a node per row of a node
 * entry's table (tables without a key too), a relationship per source row whose match columns are all non-NULL.
 */
export async function expectedEntryRows(db: Pick<ScratchDatabase, 'query'>, plan: GraphPlan): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  for (const entry of plan.nodes) rows[entry.id] = await count(`SELECT count(*) AS n FROM ${q(entry.table!.schema)}.${q(entry.table!.name)}`);
  for (const entry of plan.relationships) {
    const columns = [...Object.values(entry.from.match), ...Object.values(entry.to.match)].filter((c) => c !== ROW_HASH_COLUMN);
    const where = columns.length ? `WHERE ${columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')}` : '';
    rows[entry.id] = await count(`SELECT count(*) AS n FROM ${q(entry.source.table.schema)}.${q(entry.source.table.name)} ${where}`);
  }
  return rows;
}

/** What the graph must hold (expectedEntryRows): nodes per label and relationships per type. */
export async function expectedCounts(
  db: Pick<ScratchDatabase, 'query'>,
  plan: GraphPlan,
): Promise<{ nodes: Record<string, number>; relationships: Record<string, number> }> {
  const rows = await expectedEntryRows(db, plan);
  const nodes: Record<string, number> = {};
  for (const entry of plan.nodes) nodes[entry.label] = (nodes[entry.label] ?? 0) + rows[entry.id];
  const relationships: Record<string, number> = {};
  for (const entry of plan.relationships) relationships[entry.type] = (relationships[entry.type] ?? 0) + rows[entry.id];
  return { nodes, relationships };
}

/** Rows a full run of the plan reads: every row of every entry's table (rows with a NULL match column too). */
export async function sourceRows(db: ScratchDatabase, plan: GraphPlan): Promise<number> {
  let rows = 0;
  for (const entry of [...plan.nodes.map((n) => n.table!), ...plan.relationships.map((r) => r.source.table)]) {
    rows += Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(entry.schema)}.${q(entry.name)}`)).rows[0].n);
  }
  return rows;
}
