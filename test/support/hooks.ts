/**
 * Mocha root hooks: make sure a Postgres, a Neo4j and a Gremlin Server are there (start throwaway ones for those
 * the environment does not name), give a Neo4j with auth disabled a stand-in password (useNeo4jPasswordStandIn)
 * and print the server versions this run is testing against; after all tests, drop what a test left behind on the
 * PostgreSQL server (and fail the run naming it).
 */
import pg from 'pg';
import neo4j from 'neo4j-driver';
import { nodeRedPackage, useNeo4jPasswordStandIn } from './env';
import { releaseScratch } from './databases';
import { redactUri } from '../../dist/engine/connect/redact';

interface Services {
  env: Record<string, string>;
  stop(): Promise<void>;
}
interface GremlinVersion {
  version: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startServices } = require('../../scripts/lib/services') as { startServices(): Promise<Services> };

let started: Services | undefined;

async function versions(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const pgVersion = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  await client.end();
  const driver = neo4j.driver(process.env.NEO4J_URI as string, neo4j.auth.basic(process.env.NEO4J_USER || 'neo4j', process.env.NEO4J_PASSWORD || ''));
  try {
    const info = await driver.getServerInfo();
    const session = driver.session();
    const edition = (await session.run('CALL dbms.components() YIELD edition RETURN edition')).records[0]?.get('edition');
    await session.close();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeRed = require(`${nodeRedPackage()}/package.json`).version as string;
    return `PostgreSQL ${pgVersion} | ${info.agent} (${edition}) | ${await gremlinVersion()} | Node-RED ${nodeRed} | Node.js ${process.version}`;
  } finally {
    await driver.close();
  }
}

/** Gremlin has no version query: the throwaway server's inspection endpoint tells it; another is named by its URL. */
async function gremlinVersion(): Promise<string> {
  const inspect = process.env.GREMLIN_INSPECT_URL;
  if (!inspect) return `Gremlin Server at ${redactUri(process.env.GREMLIN_URL ?? '')}`;
  const response = await fetch(`${inspect}/version`);
  if (!response.ok) throw new Error(`${inspect}/version answered ${response.status}`);
  return `Gremlin Server ${((await response.json()) as GremlinVersion).version} (TinkerGraph)`;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000);
    // each one the environment names is used as it is; startServices starts only the others
    if (!process.env.DATABASE_URL || !process.env.NEO4J_URI || !process.env.GREMLIN_URL) {
      started = await startServices();
      Object.assign(process.env, started.env);
    }
    const standIn = useNeo4jPasswordStandIn();
    let tested: string;
    try {
      tested = await versions();
    } catch (error) {
      if (standIn && (error as { code?: string }).code === 'Neo.ClientError.Security.Unauthorized') {
        throw new Error(`NEO4J_PASSWORD is empty, but the Neo4j at ${process.env.NEO4J_URI} checks passwords: set NEO4J_PASSWORD`, { cause: error });
      }
      throw error;
    }
    console.log(`    testing against: ${tested}${standIn ? ' (Neo4j auth disabled: a stand-in password)' : ''}`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    try {
      const leftovers = await releaseScratch();
      // Dropped now, but a test that leaves its database or role behind would do so on a server named by PG* too.
      if (leftovers.length) throw new Error(`scratch databases not dropped by their tests (dropped now): ${leftovers.join(', ')}`);
    } finally {
      if (started) await started.stop();
    }
  },
};
