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
  /** A statement in this database as the server's admin user (roles are cluster-wide: the database's own role may not create them). */
  queryAsAdmin(sql: string): Promise<void>;
  /** Connections on this database's server whose application_name is the given one. */
  connectionsNamed(applicationName: string): Promise<number>;
  drop(): Promise<void>;
}

/**
 * Who a scratch database is reached as.
 * - `admin` (the default): the test server's own user. Its password may be empty (a trust-auth server named by PG*).
 * - `password`: a role of its own, owner of the database, with a known, non-empty password: for proving that a
 *   secret stays out of output. The server may not check it (trust auth accepts any password).
 * - `checked-password`: the same role on a server proven to refuse a wrong password: the test server when it
 *   does, otherwise a throwaway cluster started once for the tests that need one (nothing is assumed about a
 *   server named by the environment).
 */
export type ScratchLogin = 'admin' | 'password' | 'checked-password';

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const randomName = (prefix: string) => `pg2graph_${prefix}_${crypto.randomBytes(4).toString('hex')}`;
const q = pg.escapeIdentifier;

/** The URL of adminUrl's server for another database and, when given, another login. */
function urlFor(adminUrl: string, database: string, login?: { user: string; password: string }): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (login) {
    url.username = encodeURIComponent(login.user);
    url.password = encodeURIComponent(login.password);
  }
  return url.toString();
}

/** What this process created on a server and has not dropped yet (a root hook drops and names leftovers). */
const live = new Map<string, { adminUrl: string; database: string; role?: string }>();

/** True when the server refuses a wrong password of a login role (probed with a role of its own, dropped again). */
async function refusesWrongPassword(adminUrl: string): Promise<boolean> {
  const role = randomName('probe');
  const password = crypto.randomBytes(12).toString('hex');
  await withAdmin(adminUrl, (client) => client.query(`CREATE ROLE ${q(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`));
  try {
    const probe = new pg.Client({
      connectionString: urlFor(adminUrl, new URL(adminUrl).pathname.slice(1) || 'postgres', { user: role, password: `${password}-wrong` }),
    });
    try {
      await probe.connect();
      await probe.end();
      return false;
    } catch (error) {
      // 28P01: password authentication failed. Anything else (no pg_hba entry, ...) does not prove a check.
      return (error as { code?: string }).code === '28P01';
    }
  } finally {
    await withAdmin(adminUrl, (client) => client.query(`DROP ROLE IF EXISTS ${q(role)}`));
  }
}

interface ExtraServer {
  connectionString: string;
  stop(): Promise<void>;
}
let checkedServer: Promise<string> | undefined;
let extraServer: Promise<ExtraServer> | undefined;

/** The admin URL of a server that refuses wrong passwords: the test server when it does, else a throwaway cluster. */
function passwordCheckingServer(): Promise<string> {
  checkedServer ??= (async () => {
    const testServer = testServices().postgresUrl;
    if (await refusesWrongPassword(testServer)) return testServer;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmbeddedPostgres } = require('../../scripts/lib/postgres-server') as { startEmbeddedPostgres(): Promise<ExtraServer> };
    extraServer = startEmbeddedPostgres();
    const server = await extraServer;
    if (!(await refusesWrongPassword(server.connectionString))) throw new Error('the throwaway PostgreSQL accepted a wrong password');
    return server.connectionString;
  })();
  return checkedServer;
}

/**
 * Creates an empty database with a unique name (on the test server, or for `checked-password` on a server that
 * checks passwords); drop() removes it again, and the role it was reached as.
 */
export async function createScratchDatabase(prefix = 't', options: { login?: ScratchLogin } = {}): Promise<ScratchDatabase> {
  const login = options.login ?? 'admin';
  const adminUrl = login === 'checked-password' ? await passwordCheckingServer() : testServices().postgresUrl;
  const name = randomName(prefix);
  const role = login === 'admin' ? undefined : { user: name, password: `pw-${crypto.randomBytes(12).toString('hex')}` };
  await withAdmin(adminUrl, async (client) => {
    if (role) await client.query(`CREATE ROLE ${q(role.user)} LOGIN PASSWORD ${pg.escapeLiteral(role.password)}`);
    live.set(name, { adminUrl, database: name, role: role?.user });
    await client.query(`CREATE DATABASE ${q(name)}${role ? ` OWNER ${q(role.user)}` : ''}`);
  });
  const url = urlFor(adminUrl, name, role);
  const parsed = new URL(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let dropped = false;
  return {
    name,
    url,
    settings: {
      host: parsed.hostname,
      port: parsed.port || '5432',
      database: name,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    },
    query: (sql, params) => pool.query(sql, params as unknown[]),
    queryAsAdmin: async (sql) => {
      await withAdmin(urlFor(adminUrl, name), (client) => client.query(sql));
    },
    connectionsNamed: (applicationName) =>
      withAdmin(adminUrl, async (client) => {
        const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
        return Number(result.rows[0].n);
      }),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await pool.end();
      await dropScratch(name);
    },
  };
}

async function dropScratch(name: string): Promise<void> {
  const entry = live.get(name);
  if (!entry) return;
  await withAdmin(entry.adminUrl, async (client) => {
    // a pool that was just closed may still be saying goodbye: terminating its backend mid-way (FORCE) can reach
    // the client as an error nobody listens to any more, so wait (briefly) for the database's sessions to end
    for (let waited = 0; waited < 5000; waited += 50) {
      const open = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        entry.database,
      ]);
      if (Number(open.rows[0].n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS ${q(entry.database)} WITH (FORCE)`);
    if (entry.role) await client.query(`DROP ROLE IF EXISTS ${q(entry.role)}`);
  });
  live.delete(name);
}

/**
 * For the root hook after all tests: drops what a test left behind (and names it, so the test gets fixed) and
 * stops the password-checking cluster and Neo4j if one was started.
 */
export async function releaseScratch(): Promise<string[]> {
  const leftovers = [...live.keys()];
  for (const name of leftovers) await dropScratch(name);
  if (extraServer) await (await extraServer).stop();
  if (extraNeo4j) await (await extraNeo4j).stop();
  return leftovers;
}

/** The test Neo4j as a config node would reach it (with auth disabled, the password is the stand-in: see useNeo4jPasswordStandIn). */
export function neo4jSettings(): Neo4jSettings {
  const s = testServices();
  return { uri: s.neo4jUri, user: s.neo4jUser, password: s.neo4jPassword };
}

/** A driver for the test Neo4j, or for the given one (e.g. passwordCheckingNeo4j's). */
export function testDriver(settings: Neo4jSettings = neo4jSettings()): Driver {
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.user ?? '', settings.password ?? ''));
}

/** Bolt's answer to a login: 'ok', 'refused' (Neo.ClientError.Security.Unauthorized) or another error's code. */
async function neo4jLogin(settings: Neo4jSettings): Promise<string> {
  const driver = testDriver(settings);
  try {
    await driver.getServerInfo();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'Neo.ClientError.Security.Unauthorized' ? 'refused' : String(code ?? error);
  } finally {
    await driver.close();
  }
}

/**
 * True when the Neo4j refuses a wrong password of the settings' user and takes the right one (tried after the
 * wrong one: a successful login resets the server's count of failed ones, so the probe locks nobody out).
 */
async function neo4jRefusesWrongPassword(settings: Neo4jSettings): Promise<boolean> {
  const wrong = await neo4jLogin({ ...settings, password: `${settings.password ?? ''}-wrong` });
  const right = await neo4jLogin(settings);
  if (right !== 'ok') throw new Error(`the Neo4j at ${settings.uri} refuses the tests' login (${right})`);
  return wrong === 'refused';
}

interface ExtraNeo4j {
  uri: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}
let checkedNeo4j: Promise<Neo4jSettings> | undefined;
let extraNeo4j: Promise<ExtraNeo4j> | undefined;

/**
 * A Neo4j proven to refuse a wrong password, for tests of a refused login (NEO4J_AUTH_FAILED, the stored
 * password the test-connection endpoint falls back to): the test Neo4j when a probe shows it does (it may have
 * auth disabled), otherwise a throwaway one with auth, started once per test process.
 */
export function passwordCheckingNeo4j(): Promise<Neo4jSettings> {
  checkedNeo4j ??= (async () => {
    const testServer = neo4jSettings();
    if (await neo4jRefusesWrongPassword(testServer)) return testServer;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startNeo4j } = require('../../scripts/lib/neo4j-server') as { startNeo4j(options: { heapMb: number; pageCacheMb: number }): Promise<ExtraNeo4j> };
    extraNeo4j = startNeo4j({ heapMb: 768, pageCacheMb: 64 });
    const server = await extraNeo4j;
    const settings = { uri: server.uri, user: server.user, password: server.password };
    if (!(await neo4jRefusesWrongPassword(settings))) throw new Error('the throwaway Neo4j accepted a wrong password');
    return settings;
  })();
  return checkedNeo4j;
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
