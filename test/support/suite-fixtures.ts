/**
 * The query-suite fixtures (test/fixtures): a membership/booking database (schema cd, of the shape of the public
 * "pgexercises" sample, data of its own) and an orders/products one (schema shop), each in a scratch database
 * with its generated plan and its suite file (test/fixtures/suites).
 */
import fs from 'fs';
import path from 'path';
import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from './databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

const SCHEMAS = { membership: 'cd', orders: 'shop' } as const;
export type SuiteFixture = keyof typeof SCHEMAS;

export interface FixtureDatabase extends ScratchDatabase {
  schema: string;
  plan: GraphPlan;
  /** The fixture's suite file. */
  suiteFile: string;
  connection(applicationName?: string): PostgresConnection;
}

export async function createFixtureDatabase(fixture: SuiteFixture): Promise<FixtureDatabase> {
  const db = await createScratchDatabase(fixture);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    client.on('notice', () => undefined);
    await client.query(fs.readFileSync(path.join(FIXTURES, `${fixture}.sql`), 'utf8'));
  } finally {
    await client.end();
  }
  const schema = SCHEMAS[fixture];
  const connection = (applicationName = 'pg2graph-test') => new PostgresConnection({ ...db.settings, applicationName });
  const introspecting = connection('pg2graph-test-plan');
  try {
    const plan = generatePlan(await introspectDatabase(introspecting, { schemas: [schema] }));
    return { ...db, schema, plan, suiteFile: path.join(FIXTURES, 'suites', `${fixture}.json`), connection };
  } finally {
    await introspecting.close();
  }
}
