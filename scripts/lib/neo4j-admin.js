// @ts-check
'use strict';
/**
 * Runs the real `neo4j-admin database import full` (org.neo4j.cli.AdminTool from the Maven set the test Neo4j
 * uses) on an export directory: NEO4J_HOME names the home the store goes to (`$home/data/databases/<db>`, which
 * startNeo4j({ home }) then opens), the arguments are the manifest's importArgs, relative to the export directory.
 */
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { prepareClasspath } = require('./neo4j-server');
const { javaBin } = require('./java-launcher');

const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * @typedef {{ code: number | null, signal: string | null, output: string, ms: number, timedOut: boolean }} ImportResult
 * @param {{ home: string, dir: string, args: string[], database?: string, timeoutMs?: number, heapMb?: number,
 *   log?: (line: string) => void }} options
 * @returns {Promise<ImportResult>}
 */
async function runNeo4jImport(options) {
  const log = options.log || ((line) => process.stderr.write(`[neo4j-admin] ${line}\n`));
  const classpath = prepareClasspath(log);
  fs.mkdirSync(options.home, { recursive: true });
  const database = options.database || 'neo4j';
  const timeoutMs = options.timeoutMs || DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  const child = spawn(javaBin('java'), [`-Xmx${options.heapMb || 1024}m`, 'org.neo4j.cli.AdminTool', 'database', 'import', 'full', database, ...options.args], {
    cwd: options.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLASSPATH: classpath, NEO4J_HOME: path.resolve(options.home) },
  });
  let output = '';
  const collect = (/** @type {Buffer} */ chunk) => {
    output += chunk.toString();
    // the tool prints progress dots for every stage: keep the end, where the summary and errors are
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  /** @type {{ code: number | null, signal: string | null }} */
  const exit = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearTimeout(timer));
  return { ...exit, output, ms: Date.now() - started, timedOut };
}

/**
 * Runs a Cypher file of an export (constraints.cypher, after-import.cypher) statement by statement, each in its
 * own auto-commit transaction (schema statements and CALL ... IN TRANSACTIONS need one); a missing file is skipped.
 * @param {import('neo4j-driver').Driver} driver
 * @param {string} file
 * @returns {Promise<number>} the statements run
 */
async function runCypherFile(driver, file) {
  if (!fs.existsSync(file)) return 0;
  const statements = fs
    .readFileSync(file, 'utf8')
    .split(';\n')
    .filter((s) => s.trim());
  for (const statement of statements) await driver.executeQuery(statement);
  return statements.length;
}

module.exports = { runNeo4jImport, runCypherFile };
