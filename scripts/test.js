// @ts-check
'use strict';
/**
 * The test command (npm test): runs npm run lint (eslint, the formatter check, the import rules) and stops if it
 * fails, builds the package and the tests, starts a throwaway PostgreSQL, Neo4j and Gremlin Server
 * (unless DATABASE_URL / PG*, NEO4J_URI and GREMLIN_URL name running ones), then runs
 *   1. every test on Node.js 20 with Node-RED 4.1.x, and
 *   2. the Node-RED tests again on Node.js 22 with Node-RED 5.0.x (Node-RED 5 needs Node >= 22.9),
 * and stops the services it started.
 *
 * Options: --only=4|5 (one Node-RED major), --grep=TEXT (mocha grep), --no-lint (skip the lint while iterating
 * locally), files after `--`. The suites that need no services run on their own with npm run test:unit.
 */
const { spawn, execFileSync } = require('child_process');
const { startServices } = require('./lib/services');
const { ROOT, lint, build } = require('./lib/steps');

const args = process.argv.slice(2);
const option = (name) =>
  args
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')
    .slice(1)
    .join('=');
const only = option('only');
const grep = option('grep');
const dashDash = args.indexOf('--');
const files = dashDash >= 0 ? args.slice(dashDash + 1) : [];
const skipLint = (dashDash >= 0 ? args.slice(0, dashDash) : args).includes('--no-lint');

const NODE22_PACKAGE = 'node@22';

function run(command, commandArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: ROOT, env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A Node.js 22 binary: PG2GRAPH_NODE22 when set, else the `node` npm package fetched by npx. */
function node22() {
  if (process.env.PG2GRAPH_NODE22) return process.env.PG2GRAPH_NODE22;
  const out = execFileSync('npx', ['--yes', '-p', NODE22_PACKAGE, '--', 'node', '-p', 'process.execPath'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop() || '';
}

function mochaArgs(defaultSpecs) {
  const specs = files.length ? files.map((f) => f.replace(/^test\//, 'build/').replace(/\.ts$/, '.js')) : defaultSpecs;
  const list = ['--require', 'build/support/hooks.js', '--timeout', '30000', '--exit'];
  if (grep) list.push('--grep', grep);
  return [require.resolve('mocha/bin/mocha.js'), ...list, ...specs];
}

async function main() {
  // Before anything slow: a lint failure costs seconds, not the eight minutes of a full run.
  if (!skipLint) lint();
  build();

  const services = await startServices();
  const env = { ...process.env, ...services.env };
  let failed = 0;
  const stop = async () => {
    await services.stop();
  };
  process.on('SIGINT', () => {
    stop().finally(() => process.exit(130));
  });
  try {
    if (only !== '5') {
      console.log('\n=== Node.js %s, Node-RED 4.1.x ===', process.version);
      failed += await run(process.execPath, mochaArgs(['build/**/*.test.js']), { ...env, PG2GRAPH_NODE_RED: '4' });
    }
    if (only !== '4') {
      const node = node22();
      console.log('\n=== Node.js 22 (%s), Node-RED 5.0.x ===', node);
      failed += await run(node, mochaArgs(['build/nodes/**/*.test.js', 'build/runtime/**/*.test.js']), {
        ...env,
        PG2GRAPH_NODE_RED: '5',
        PG2GRAPH_NODE22: node,
      });
    }
  } finally {
    await stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
