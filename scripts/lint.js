// @ts-check
'use strict';
/**
 * npm run lint: the three checks of package.json's lint:eslint, lint:format and lint:imports, one after the
 * other. All three run even when one fails, so one pass shows every problem; the exit code is 1 if any failed.
 */
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const CHECKS = ['lint:eslint', 'lint:format', 'lint:imports'];

/** npm itself: the one running this script when there is one (npm sets npm_execpath), else the one on PATH. */
function npm(args) {
  const cli = process.env.npm_execpath;
  const [command, list] = cli && cli.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
  return spawnSync(command, list, { stdio: 'inherit', cwd: ROOT }).status;
}

const failed = CHECKS.filter((check) => {
  console.log(`\n> npm run ${check}`);
  const status = npm(['run', '--silent', check]);
  if (status === 0) console.log('ok');
  return status !== 0;
});
if (failed.length) {
  console.error(`\nlint failed: ${failed.map((check) => `npm run ${check}`).join(', ')}`);
  process.exit(1);
}
