// @ts-check
'use strict';
/**
 * The fault campaign (npm run test:faults): builds, then runs the scenarios of test/faults/*.faults.ts on Node.js 20
 * with Node-RED 4.1.x against the same services as npm test (throwaway ones unless DATABASE_URL / PG* and
 * NEO4J_URI name running ones; scenarios that kill, freeze or restart a server start their own). Prints the
 * table of outcomes (scenario, exact, duplicates, time to recover) at the end and writes it to
 * build/faults-table.md. Options: --grep=TEXT, files after `--`. .ci/run calls it after npm test.
 */
const { spawn } = require('child_process');
const { ROOT, build } = require('./lib/steps');

const args = process.argv.slice(2);
const dashDash = args.indexOf('--');
const files = dashDash >= 0 ? args.slice(dashDash + 1) : [];
const grep = (dashDash >= 0 ? args.slice(0, dashDash) : args).find((a) => a.startsWith('--grep='))?.slice('--grep='.length);

async function main() {
  const started = Date.now();
  build();
  const specs = files.length ? files.map((f) => f.replace(/^test\//, 'build/').replace(/\.ts$/, '.js')) : ['build/faults/**/*.faults.js'];
  const mocha = [
    require.resolve('mocha/bin/mocha.js'),
    '--require',
    'build/support/hooks.js',
    '--require',
    'build/support/fault-hooks.js',
    '--timeout',
    '300000',
    '--exit',
    ...(grep ? ['--grep', grep] : []),
    ...specs,
  ];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, mocha, { stdio: 'inherit', cwd: ROOT, env: { ...process.env, PG2GRAPH_NODE_RED: '4' } });
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
  console.log(`fault campaign: ${code ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 60000).toFixed(1)} min`);
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
