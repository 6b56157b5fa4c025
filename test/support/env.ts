import crypto from 'crypto';

/** Which services and runtime this test process runs against (set by scripts/test.js or the root hooks). */
export interface TestServices {
  postgresUrl: string;
  neo4jUri: string;
  neo4jUser: string;
  neo4jPassword: string;
}

export function testServices(): TestServices {
  const postgresUrl = process.env.DATABASE_URL;
  const neo4jUri = process.env.NEO4J_URI;
  if (!postgresUrl || !neo4jUri) {
    throw new Error('test services are not running: run the tests with `npm test` (or set DATABASE_URL and NEO4J_URI)');
  }
  return {
    postgresUrl,
    neo4jUri,
    neo4jUser: process.env.NEO4J_USER || 'neo4j',
    neo4jPassword: process.env.NEO4J_PASSWORD || '',
  };
}

/** The Gremlin Server this test process runs against: GREMLIN_URL, and GREMLIN_INSPECT_URL when it is a throwaway one. */
export interface TestGremlin {
  url: string;
  traversalSource: string;
  /** The launcher's inspection endpoint (GET /types); absent for a server named by GREMLIN_URL alone. */
  inspectUrl?: string;
}

export function testGremlin(): TestGremlin {
  const url = process.env.GREMLIN_URL;
  if (!url) throw new Error('no Gremlin Server: run the tests with `npm test` (or set GREMLIN_URL)');
  return { url, traversalSource: 'g', inspectUrl: process.env.GREMLIN_INSPECT_URL || undefined };
}

/**
 * A Neo4j named with an empty NEO4J_PASSWORD has authentication disabled and takes any login. The tests then
 * hand everything a known, non-empty stand-in instead (random per process), so that a check that the password
 * stays out of output can fail. Sets NEO4J_PASSWORD, so child processes get it too; true when it did.
 */
export function useNeo4jPasswordStandIn(): boolean {
  if (process.env.NEO4J_PASSWORD) return false;
  process.env.NEO4J_PASSWORD = `pg2graph-standin-${crypto.randomBytes(6).toString('hex')}`;
  return true;
}

/** 4 or 5: the Node-RED major version this test process loads (PG2GRAPH_NODE_RED). */
export function nodeRedMajor(): 4 | 5 {
  return process.env.PG2GRAPH_NODE_RED === '5' ? 5 : 4;
}

/** The node-red package to load for that major version (5.x is installed under the alias node-red-5). */
export function nodeRedPackage(): string {
  return nodeRedMajor() === 5 ? 'node-red-5' : 'node-red';
}
