/** The project's sample database migrated into the test Neo4j: the starting point of the verification tests. */
import type { Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase, type ScratchLogin } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import { migrate } from '../../dist/engine/migrate/migrate';
import type { GraphPlan } from '../../dist/engine/plan/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadSample, SAMPLE_SCHEMA } = require('../../scripts/lib/sample-db') as { loadSample(url: string): Promise<void>; SAMPLE_SCHEMA: string };

export interface MigratedSample {
  db: ScratchDatabase;
  plan: GraphPlan;
  source: PostgresConnection;
  target: Neo4jConnection;
  driver: Driver;
  /** Runs the migration again (MERGE: puts back what a test deleted or changed among mapped properties). */
  remigrate(): Promise<void>;
  close(): Promise<void>;
}

/** A scratch database with the sample loaded, its generated plan, and an empty graph migrated from it. */
export async function migratedSample(prefix: string, include?: string[], login: ScratchLogin = 'admin'): Promise<MigratedSample> {
  const db = await createScratchDatabase(prefix, { login });
  await loadSample(db.url);
  const source = new PostgresConnection({ ...db.settings, applicationName: `pg2graph-test-${prefix}` });
  const target = new Neo4jConnection(neo4jSettings());
  const driver = testDriver();
  const model = await introspectDatabase(source, { schemas: [SAMPLE_SCHEMA] });
  const plan = generatePlan(model, include ? { include } : {});
  await clearGraph(driver);
  const remigrate = async () => {
    await migrate(source, target, { plan });
  };
  await remigrate();
  return {
    db,
    plan,
    source,
    target,
    driver,
    remigrate,
    close: async () => {
      // leave an empty graph to the tests that follow
      await clearGraph(driver).catch(() => undefined);
      await Promise.allSettled([source.close(), target.close(), driver.close()]);
      await db.drop();
    },
  };
}

/** A single number from Postgres. */
export async function sqlCount(db: ScratchDatabase, sql: string, params: unknown[] = []): Promise<number> {
  const result = await db.query<{ n: string }>(sql, params);
  return Number(result.rows[0].n);
}

/** A single number from Neo4j. */
export async function cypherCount(driver: Driver, cypher: string, params: Record<string, unknown> = {}): Promise<number> {
  const result = await driver.executeQuery(cypher, params);
  return Number(result.records[0].get(0));
}

/** Runs a write in the graph (planting or undoing a fault). */
export async function cypher(driver: Driver, text: string, params: Record<string, unknown> = {}): Promise<void> {
  await driver.executeQuery(text, params);
}
