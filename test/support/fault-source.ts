/**
 * A generated source for the fault campaign's Postgres and TLS scenarios, on any server (the shared one, or one a
 * scenario starts to restart or to give a certificate): schema "fault" with city and person (person → city,
 * person → manager), its plan made by `pg2graph plan`, and the checks every scenario ends with (exact counts, no
 * duplicate keys or relationships, a passing `pg2graph verify`).
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import pg from 'pg';
import type { Driver } from 'neo4j-driver';
import { pg2graph, type CliRun } from './cli';
import { duplicateNodeKeys, duplicateRelationships, graphCounts } from './graph-counts';
import { expectedCounts } from './sample';
import type { GraphPlan } from '../../dist/engine/plan/types';

export interface FaultSource {
  /** Environment for the command line: DATABASE_URL and NEO4J_* (plus what the scenario adds). */
  env: NodeJS.ProcessEnv;
  planFile: string;
  plan: GraphPlan;
  expected: { nodes: Record<string, number>; relationships: Record<string, number> };
  remove(): void;
}

/** Runs one statement batch on the server at url (a client of its own, closed again). */
export async function onServer<T = void>(url: string, work: (client: pg.Client) => Promise<T>, ssl?: pg.ClientConfig['ssl']): Promise<T> {
  const client = new pg.Client({ connectionString: url, ssl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Fills the database at url with `people` persons in `people / 50` cities and makes the plan (`pg2graph plan`
 * with env, which names the same database and the Neo4j). `ssl`: how this helper itself reaches the server.
 */
export async function createFaultSource(url: string, people: number, env: NodeJS.ProcessEnv, ssl?: pg.ClientConfig['ssl']): Promise<FaultSource> {
  const cities = Math.max(1, Math.floor(people / 50));
  await onServer(
    url,
    async (client) => {
      await client.query('DROP SCHEMA IF EXISTS fault CASCADE');
      await client.query('CREATE SCHEMA fault');
      await client.query('CREATE TABLE fault.city (id int PRIMARY KEY, name text NOT NULL)');
      await client.query(
        'CREATE TABLE fault.person (id int PRIMARY KEY, name text NOT NULL, note text, city_id int REFERENCES fault.city, manager_id int REFERENCES fault.person)',
      );
      await client.query(`INSERT INTO fault.city SELECT g, 'city ' || g FROM generate_series(1, ${cities}) g`);
      // every 7th person has no manager; every 11th no city: NULL ends are no relationship, not a missing end
      await client.query(
        `INSERT INTO fault.person SELECT g, 'person ' || g, repeat('x', 40),
           CASE WHEN g % 11 = 0 THEN NULL ELSE 1 + g % ${cities} END,
           CASE WHEN g % 7 = 0 OR g = 1 THEN NULL ELSE 1 + (g * 13) % (g - 1) END
         FROM generate_series(1, ${people}) g`,
      );
      await client.query('ANALYZE fault.city, fault.person');
    },
    ssl,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-fault-'));
  const planned = await pg2graph(['plan', '--schema', 'fault'], env);
  assert.equal(planned.code, 0, planned.stderr);
  const planFile = path.join(dir, 'plan.json');
  fs.writeFileSync(planFile, planned.stdout);
  const plan = JSON.parse(planned.stdout) as GraphPlan;
  const expected = await onServer(url, (client) => expectedCounts({ query: (sql: string) => client.query(sql) } as never, plan), ssl);
  return { env, planFile, plan, expected, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface FinalCheck {
  exact: boolean;
  duplicates: number;
  verify: CliRun;
}

/**
 * The end of every scenario: the graph holds exactly the source's nodes and relationships, no key twice, no
 * (start, type, end) twice, and `pg2graph verify` passes. Asserts each, and hands back the figures for the table.
 */
export async function assertExactGraph(driver: Driver, source: FaultSource, env: NodeJS.ProcessEnv = source.env): Promise<FinalCheck> {
  const counts = await graphCounts(driver);
  const duplicates = (await duplicateNodeKeys(driver, source.plan)) + (await duplicateRelationships(driver));
  const verify = await pg2graph(['verify', '--plan', source.planFile], env, 120_000);
  assert.deepEqual(counts, source.expected, 'the graph holds exactly the source rows');
  assert.equal(duplicates, 0, 'no key held twice, no relationship twice');
  assert.equal(verify.code, 0, `verify passes:\n${verify.stdout}\n${verify.stderr}`);
  return { exact: true, duplicates, verify };
}
