/**
 * Loading a neo4j-admin export for real in tests: `neo4j-admin database import full` into a fresh home, Neo4j
 * started on that home, constraints.cypher (and after-import.cypher) run.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { runNeo4jImport, runCypherFile } = require('../../scripts/lib/neo4j-admin') as {
  runNeo4jImport(options: { home: string; dir: string; args: string[] }): Promise<{ code: number | null; output: string; ms: number; timedOut: boolean }>;
  runCypherFile(driver: Driver, file: string): Promise<number>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNeo4j } = require('../../scripts/lib/neo4j-server') as {
  startNeo4j(options: { home: string; auth: boolean; log?: (line: string) => void }): Promise<{ uri: string; stop(): Promise<void> }>;
};

const log = (line: string) => process.stderr.write(`      ${line}\n`);

export interface Loaded {
  uri: string;
  driver: Driver;
  target: Neo4jConnection;
  importMs: number;
  stop(): Promise<void>;
}

/** The real import into a fresh home, Neo4j started on it, constraints.cypher run. */
export async function importAndStart(dir: string, args: string[], homes: string[]): Promise<Loaded> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-admin-home-'));
  homes.push(home);
  const result = await runNeo4jImport({ home, dir, args });
  assert.equal(result.code, 0, `the import failed:\n${result.output.slice(-4000)}`);
  assert.match(result.output, /IMPORT DONE/);
  log(`neo4j-admin import: ${result.ms} ms (${/Imported:[\s\S]*?properties/.exec(result.output)?.[0].replace(/\s+/g, ' ') ?? ''})`);
  assert.ok(fs.existsSync(path.join(home, 'data', 'databases', 'neo4j')), 'the store is where Neo4j opens database neo4j');
  const server = await startNeo4j({ home, auth: false, log: () => undefined });
  const driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', ''));
  assert.ok((await runCypherFile(driver, path.join(dir, 'constraints.cypher'))) > 0, 'constraints.cypher holds the key constraints');
  await runCypherFile(driver, path.join(dir, 'after-import.cypher'));
  const helpers = await driver.executeQuery(
    "CALL { MATCH (n) WHERE any(k IN keys(n) WHERE k STARTS WITH '__pg2graph') RETURN n AS x UNION MATCH ()-[r]->() WHERE any(k IN keys(r) WHERE k STARTS WITH '__pg2graph') RETURN r AS x } RETURN count(x) AS n",
  );
  assert.equal(helpers.records[0].get('n').toNumber(), 0, 'after-import.cypher leaves no helper property');
  const target = new Neo4jConnection({ uri: server.uri, user: 'neo4j', password: '' });
  return {
    uri: server.uri,
    driver,
    target,
    importMs: result.ms,
    stop: async () => {
      await Promise.allSettled([driver.close(), target.close()]);
      await server.stop();
    },
  };
}
