// @ts-check
'use strict';
/**
 * Builds the package: TypeScript to CommonJS in dist/, then each node's editor .html, the locales/ and the
 * icons/ copied beside the compiled node .js files, where Node-RED looks for them.
 */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

function copyTree(from, to, filter = () => true) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(source, target, filter);
    } else if (filter(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}

fs.rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], {
  stdio: 'inherit',
  cwd: ROOT,
});
const nodesOut = path.join(DIST, 'nodes');
for (const name of fs.readdirSync(path.join(ROOT, 'nodes'))) {
  if (name.endsWith('.html')) fs.copyFileSync(path.join(ROOT, 'nodes', name), path.join(nodesOut, name));
}
copyTree(path.join(ROOT, 'nodes', 'locales'), path.join(nodesOut, 'locales'));
copyTree(path.join(ROOT, 'icons'), path.join(nodesOut, 'icons'));
const cli = path.join(DIST, 'cli', 'pg2graph.js');
if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
