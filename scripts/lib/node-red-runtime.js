// @ts-check
'use strict';
/**
 * Runs a real Node-RED (4.1.x on this Node.js, or 5.0.x on a Node.js 22 binary) as a child process with the
 * pack installed in a fresh user directory, the way a user installs it (node_modules/@pg2graph/... linking
 * to this checkout). Used by the runtime tests, the demo and the benchmark.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { freePort } = require('./free-port');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * @typedef {{
 *   major?: 4 | 5, node?: string, nodeArgs?: string[], userDir?: string, port?: number, settings?: Record<string, unknown>,
 *   onOutput?: (text: string) => void, env?: Record<string, string>, keepUserDir?: boolean
 * }} RuntimeOptions
 * @typedef {{
 *   url: string, port: number, userDir: string, pid: number | undefined, output: () => string,
 *   peakRssMb: () => number, stop: () => Promise<void>
 * }} Runtime
 */

/** Makes a user directory with the pack linked into node_modules and a settings.js. */
function prepareUserDir(userDir, settings) {
  fs.mkdirSync(path.join(userDir, 'node_modules', '@pg2graph'), { recursive: true });
  const link = path.join(userDir, 'node_modules', '@pg2graph', 'node-red-pg2graph');
  if (!fs.existsSync(link)) fs.symlinkSync(ROOT, link, 'dir');
  const pkgFile = path.join(userDir, 'package.json');
  if (!fs.existsSync(pkgFile)) {
    fs.writeFileSync(
      pkgFile,
      JSON.stringify(
        {
          name: 'node-red-project',
          private: true,
          dependencies: { '@pg2graph/node-red-pg2graph': `file:${ROOT}` },
        },
        null,
        2,
      ),
    );
  }
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
}

/** Peak resident set size of a live process in MB (VmHWM), 0 when unknown. */
function peakRssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * @param {RuntimeOptions} [options]
 * @returns {Promise<Runtime>}
 */
async function startNodeRed(options = {}) {
  const major = options.major || 4;
  const port = options.port || (await freePort());
  const userDir = options.userDir || fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-nr-'));
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: 'pg2graph-local-secret',
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    externalModules: { palette: { allowInstall: false } },
    logging: { console: { level: 'info' } },
    ...options.settings,
  };
  prepareUserDir(userDir, settings);
  const pkg = major === 5 ? 'node-red-5' : 'node-red';
  const redJs = path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] })), 'red.js');
  const node = options.node || process.execPath;
  const child = spawn(node, [...(options.nodeArgs ?? []), redJs, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false', ...options.env },
  });
  let output = '';
  const onData = (/** @type {Buffer} */ chunk) => {
    const text = chunk.toString();
    output += text;
    if (options.onOutput) options.onOutput(text);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 90_000;
  while (!/Server now running at/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Node-RED did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    userDir,
    pid: child.pid,
    output: () => output,
    peakRssMb: () => peakRssMb(child.pid),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      if (!options.userDir && !options.keepUserDir) fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startNodeRed, prepareUserDir, peakRssMb };
