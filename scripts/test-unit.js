// @ts-check
'use strict';
/**
 * npm run test:unit: builds the package and the tests (as npm test does), then runs with mocha only the suites
 * of pure logic, which start no server and touch no database. Seconds, no services.
 *
 * A suite belongs on UNIT_SUITES when it imports only compiled engine modules, Node.js built-ins and plain
 * packages: nothing from test/support/ that opens a database or a Node-RED (databases, sample, node-red, cli,
 * browser), no scripts/lib service. scripts/lib/unit-guard.js checks that at every run and fails it otherwise,
 * and the run has no database settings in its environment, so a suite that needs one fails rather than finding
 * one by chance. npm test's root hook (test/support/hooks.ts), which starts the services, is not loaded here.
 *
 * Options: --grep=TEXT (mocha grep).
 */
const path = require('path');
const { ROOT, step, build } = require('./lib/steps');

const UNIT_SUITES = [
  'test/engine/error-codes.test.ts',
  'test/engine/export-id-formats.test.ts',
  'test/engine/export-neo4j-admin-unit.test.ts',
  'test/engine/export-load-csv-unit.test.ts',
  'test/cli/secrets-unit.test.ts',
  'test/engine/core-helpers.test.ts',
  'test/engine/connection-tls.test.ts',
  'test/engine/plan-naming.test.ts',
  'test/engine/run-logic.test.ts',
  'test/engine/values.test.ts',
  'test/engine/verify-compare.test.ts',
  'test/engine/query-compare.test.ts',
  'test/engine/verify-units.test.ts',
  'test/engine/gremlin-unit.test.ts',
  'test/engine/write-logic.test.ts',
  'test/engine/write-statements.test.ts',
  'test/engine/translate-sql.test.ts',
  'test/nodes/node-messages.test.ts',
  'test/nodes/throttled-status.test.ts',
];

const grep = process.argv
  .slice(2)
  .find((a) => a.startsWith('--grep='))
  ?.slice('--grep='.length);
const compiled = (suite) => suite.replace(/^test\//, 'build/').replace(/\.ts$/, '.js');

build();
// Without these a suite that reaches for PostgreSQL or Neo4j fails at once instead of using whatever is running.
for (const name of Object.keys(process.env)) {
  if (/^(DATABASE_URL|PG[A-Z]+|NEO4J_[A-Z_]+)$/.test(name)) delete process.env[name];
}
const mocha = [require.resolve('mocha/bin/mocha.js'), '--require', path.join(ROOT, 'scripts', 'lib', 'unit-guard.js'), '--timeout', '10000'];
if (grep) mocha.push('--grep', grep);
step(process.execPath, [...mocha, ...UNIT_SUITES.map(compiled)]);
