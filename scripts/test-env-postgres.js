// @ts-check
'use strict';
/**
 * The Postgres-facing tests once more, against a PostgreSQL that is already running (by default the machine's
 * own on 127.0.0.1:5432, as user postgres), the way README says the tests take a server named by PG*:
 *   node scripts/test-env-postgres.js [--host=H] [--port=P] [--user=U] [--grep=TEXT] [-- files]
 * When nothing answers there (or it refuses the login) it says so and exits 0: the project never needs that
 * server. Otherwise it runs node scripts/test.js --only=4 --no-lint with PGHOST / PGPORT / PGUSER set and
 * DATABASE_URL unset (Neo4j: NEO4J_URI when set, else a throwaway one), prints how long that took and exits
 * with its status. .ci/run calls it after npm test.
 */
const path = require('path');
const { spawn } = require('child_process');
const pg = require('pg');
const { ROOT } = require('./lib/steps');

/** Suites left out of this pass; every other suite runs (a new one too). */
const LEFT_OUT = [
  // they never touch PostgreSQL: Neo4j only
  'test/engine/write-neo4j.test.ts',
  'test/engine/write-resume.test.ts',
  'test/nodes/write-node.test.ts',
  'test/nodes/write-redeploy.test.ts',
  // long, and what they ask of PostgreSQL (the sample read through the engine) the command line and flow suites ask too
  'test/bench/smoke.test.ts',
  'test/engine/migrate.test.ts',
  'test/engine/resume-boundaries.test.ts',
  // long (a Neo4j of their own, the import tool, LOAD CSV); their reading of PostgreSQL is export-sink's and the export command's
  'test/engine/export-neo4j-admin.test.ts',
  'test/engine/export-load-csv.test.ts',
];
const PROBE_TIMEOUT_MS = 3000;

const args = process.argv.slice(2);
const dashDash = args.indexOf('--');
const flags = dashDash >= 0 ? args.slice(0, dashDash) : args;
const files = dashDash >= 0 ? args.slice(dashDash + 1) : [];
const option = (name, fallback) => flags.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const host = option('host', '127.0.0.1');
const port = option('port', '5432');
const user = option('user', 'postgres');
const grep = option('grep', undefined);

/** Every test suite (test/<dir>/<name>.test.ts) but those left out. */
function postgresSuites() {
  const fs = require('fs');
  const suites = [];
  for (const dir of fs.readdirSync(path.join(ROOT, 'test'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(ROOT, 'test', dir.name))) {
      const suite = `test/${dir.name}/${file}`;
      if (file.endsWith('.test.ts') && !LEFT_OUT.includes(suite)) suites.push(suite);
    }
  }
  return suites.sort();
}

/** The server's version when it answers and lets `user` in within the timeout; otherwise why not. */
async function probe(environment) {
  const client = new pg.Client({
    host,
    port: Number(port),
    user,
    database: 'postgres',
    password: environment.PGPASSWORD,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const version = (await client.query('SHOW server_version')).rows[0].server_version;
    return { version };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main() {
  const environment = { ...process.env, PGHOST: host, PGPORT: port, PGUSER: user };
  // DATABASE_URL would win over PG*; PGDATABASE would point the scratch databases' admin connection elsewhere
  delete environment.DATABASE_URL;
  delete environment.PGDATABASE;
  const found = await probe(environment);
  if (!found.version) {
    console.log(`\n=== no PostgreSQL to test against at ${host}:${port} as ${user} (${found.reason}): the second pass is skipped ===`);
    return 0;
  }
  const suites = files.length ? files : postgresSuites();
  console.log(`\n=== the Postgres-facing tests again (${suites.length} suites), against PostgreSQL ${found.version} at ${host}:${port} as ${user} ===`);
  const started = Date.now();
  const testArgs = [path.join(__dirname, 'test.js'), '--only=4', '--no-lint', ...(grep ? [`--grep=${grep}`] : []), '--', ...suites];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, testArgs, { stdio: 'inherit', cwd: ROOT, env: environment });
    child.on('exit', (exit, signal) => resolve(exit ?? (signal ? 1 : 0)));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`=== against ${host}:${port}: ${code === 0 ? 'passed' : 'FAILED'} in ${Math.floor(seconds / 60)} min ${seconds % 60} s ===`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
