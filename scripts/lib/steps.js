// @ts-check
'use strict';
/** The steps that the test commands share: the lint and the build, each run in the repository root. */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs a command with the output inherited; exits with its status when it fails, so a later step never runs. */
function step(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** npm run lint: eslint, the formatter check and the import rules (scripts/lint.js). */
function lint() {
  step(process.execPath, [path.join(ROOT, 'scripts', 'lint.js')]);
}

/**
 * The package into dist/ (scripts/build.js), then the tests into a fresh build/ (they import the compiled dist/;
 * emptied first, so a test file that was renamed or removed never runs from an old build).
 */
function build() {
  step(process.execPath, [path.join(ROOT, 'scripts', 'build.js')]);
  fs.rmSync(path.join(ROOT, 'build'), { recursive: true, force: true });
  step(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'test', 'tsconfig.json')]);
}

module.exports = { ROOT, step, lint, build };
