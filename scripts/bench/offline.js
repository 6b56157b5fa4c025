// @ts-check
'use strict';
/**
 * The offline road as a benchmark contender: `pg2graph export --format neo4j-admin --gzip`, the real
 * `neo4j-admin database import full` into a fresh home, Neo4j started on that store, constraints.cypher (and
 * after-import.cypher) run. Timed from the export's start to a graph ready to query; then `pg2graph verify`
 * checks the graph (untimed) and the contender fails when it does not pass.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const neo4j = require('neo4j-driver');
const { runNeo4jImport, runCypherFile } = require('../lib/neo4j-admin');
const { startNeo4j } = require('../lib/neo4j-server');
const { graphTotals } = require('./graph');

/**
 * @param {{ planFile: string, postgresUrl: string, smoke: boolean,
 *   runCli: (args: string[], env: Record<string, string>) => Promise<string> }} options
 */
async function runOffline({ planFile, postgresUrl, smoke, runCli }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-bench-offline-'));
  const out = path.join(work, 'export');
  const home = path.join(work, 'home');
  /** @type {Awaited<ReturnType<typeof startNeo4j>> | undefined} */
  let server;
  /** @type {import('neo4j-driver').Driver | undefined} */
  let driver;
  try {
    const started = Date.now();
    const exported = JSON.parse(
      await runCli(['export', '--plan', planFile, '--format', 'neo4j-admin', '--gzip', '--out', out, '--json'], { DATABASE_URL: postgresUrl }),
    );
    const exportMs = Date.now() - started;
    const imported = await runNeo4jImport({ home, dir: out, args: exported.manifest.importArgs, heapMb: smoke ? 1024 : 2048, log: () => undefined });
    if (imported.code !== 0) throw new Error(`neo4j-admin import failed (exit ${imported.code}):\n${imported.output.slice(-3000)}`);
    const importMs = imported.ms;
    const starting = Date.now();
    server = await startNeo4j({ home, auth: false, heapMb: smoke ? 1024 : 4096, pageCacheMb: smoke ? 256 : 2048, log: () => undefined });
    const startMs = Date.now() - starting;
    driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', ''));
    const schema = Date.now();
    await runCypherFile(driver, path.join(out, 'constraints.cypher'));
    await runCypherFile(driver, path.join(out, 'after-import.cypher'));
    const schemaMs = Date.now() - schema;
    const seconds = (Date.now() - started) / 1000;
    const written = await graphTotals(driver);
    // exit 0: every check passed; the run does not count otherwise
    await runCli(['verify', '--plan', planFile], { DATABASE_URL: postgresUrl, NEO4J_URI: server.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '' });
    const s = (ms) => (ms / 1000).toFixed(1);
    return {
      seconds,
      rows: exported.read.rows,
      peakRssMb: exported.peakRssMb,
      written,
      exportRowsPerSecond: Math.round(exported.read.rows / (exportMs / 1000)),
      split: { exportMs, importMs, startMs, schemaMs },
      note: `export ${s(exportMs)} s (${Math.round(exported.read.rows / (exportMs / 1000))} rows/s), import ${s(importMs)} s, Neo4j start ${s(startMs)} s, constraints ${s(schemaMs)} s; pg2graph verify passed`,
    };
  } finally {
    await driver?.close();
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { runOffline };
