/** Scratch Postgres databases and a clean Neo4j for tests. */
import crypto from 'crypto';
import pg from 'pg';
import neo4j, { type Driver } from 'neo4j-driver';
import { testServices } from './env';
import type { PostgresSettings } from '../../dist/engine/connect/postgres-settings';
import type { Neo4jSettings } from '../../dist/engine/connect/neo4j-settings';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Settings as a config node would hold them (host, port, database, user, password). */
  settings: PostgresSettings;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServices().postgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name on the test server; drop() removes it again. */
export async function createScratchDatabase(prefix = 't'): Promise<ScratchDatabase> {
  const name = `pg2graph_${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(testServices().postgresUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    name,
    url: url.toString(),
    settings: {
      host: url.hostname,
      port: url.port || '5432',
      database: name,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    },
    query: (sql, params) => pool.query(sql, params as unknown[]),
    drop: async () => {
      await pool.end();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

/** Connections on the test server whose application_name is the given one. */
export async function connectionsNamed(applicationName: string): Promise<number> {
  return withAdmin(async (client) => {
    const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    return Number(result.rows[0].n);
  });
}

export function neo4jSettings(): Neo4jSettings {
  const s = testServices();
  return { uri: s.neo4jUri, user: s.neo4jUser, password: s.neo4jPassword };
}

export function testDriver(): Driver {
  const s = testServices();
  return neo4j.driver(s.neo4jUri, neo4j.auth.basic(s.neo4jUser, s.neo4jPassword));
}

/** Empties the graph: every node, relationship, constraint and index. */
export async function clearGraph(driver: Driver): Promise<void> {
  // CALL {} IN TRANSACTIONS needs an implicit (auto-commit) transaction: session.run, not executeQuery
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
  const constraints = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name');
  for (const record of constraints.records) {
    await driver.executeQuery(`DROP CONSTRAINT \`${String(record.get('name')).replace(/`/g, '``')}\` IF EXISTS`);
  }
  const indexes = await driver.executeQuery("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name");
  for (const record of indexes.records) {
    await driver.executeQuery(`DROP INDEX \`${String(record.get('name')).replace(/`/g, '``')}\` IF EXISTS`);
  }
}

/** Bolt connections the server holds for a user agent (the config node sets pg2graph/<node id>). */
export async function boltConnectionsWithAgent(driver: Driver, userAgent: string): Promise<number> {
  const result = await driver.executeQuery('CALL dbms.listConnections() YIELD userAgent WHERE userAgent = $agent RETURN count(*) AS n', { agent: userAgent });
  return Number(result.records[0].get('n'));
}

/** Polls until check() is true or the time is up; returns the last value seen. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
