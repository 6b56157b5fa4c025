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
 * What the graph must hold, counted by Postgres alone (not through the engine): nodes per label (one per row,
 * tables without a key too) and relationships per type (source rows whose match columns are all non-NULL).
 */
export async function expectedCounts(
  db: Pick<ScratchDatabase, 'query'>,
  plan: GraphPlan,
): Promise<{ nodes: Record<string, number>; relationships: Record<string, number> }> {
  const nodes: Record<string, number> = {};
  for (const entry of plan.nodes) {
    const table = `${q(entry.table!.schema)}.${q(entry.table!.name)}`;
    nodes[entry.label] = (nodes[entry.label] ?? 0) + Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  }
  const relationships: Record<string, number> = {};
  for (const entry of plan.relationships) {
    const columns = [...Object.values(entry.from.match), ...Object.values(entry.to.match)].filter((c) => c !== ROW_HASH_COLUMN);
    const where = columns.length ? `WHERE ${columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')}` : '';
    const sql = `SELECT count(*) AS n FROM ${q(entry.source.table.schema)}.${q(entry.source.table.name)} ${where}`;
    relationships[entry.type] = (relationships[entry.type] ?? 0) + Number((await db.query<{ n: string }>(sql)).rows[0].n);
  }
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
