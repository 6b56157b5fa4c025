// @ts-check
'use strict';
/**
 * Starts a throwaway Neo4j 5.26 Community DBMS (embedded, resolved from Maven Central) with Bolt on
 * 127.0.0.1 and auth on (or off on request). The jars are resolved once and cached (java-launcher.js).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { spawn } = require('child_process');
const { freePort } = require('./free-port');
const { javaBin, prepareLauncherClasspath } = require('./java-launcher');

const START_TIMEOUT_MS = 240_000;

/** Resolves the Neo4j jars (Maven) and compiles the launcher once; returns the full classpath. */
function prepareClasspath(log) {
  return prepareLauncherClasspath({ name: 'neo4j', launcher: 'Neo4jLauncher', title: 'Neo4j', log });
}

/**
 * @typedef {{ uri: string, user: string, password: string, external: boolean, stop: () => Promise<void> }} Neo4jService
 * @typedef {Neo4jService & {
 *   home: string, port: number, readonly pid: number,
 *   kill: () => Promise<void>, restart: () => Promise<void>
 * }} OwnNeo4j
 * @typedef {{ log?: (line: string) => void, heapMb?: number, pageCacheMb?: number, auth?: boolean,
 *   home?: string, port?: number, password?: string, tlsDir?: string, importDir?: string }} StartOptions
 */

/**
 * Runs the launcher on a home directory and port and waits until Bolt accepts connections.
 * @param {{ classpath: string, home: string, port: number, auth: boolean, password: string, heapMb: number,
 *   pageCacheMb: number, tlsDir: string, importDir: string }} spec
 * @returns {Promise<{ child: import('child_process').ChildProcessWithoutNullStreams, exited: Promise<unknown> }>}
 */
async function launch(spec) {
  const args = [
    `-Xmx${spec.heapMb}m`,
    '-XX:+UseG1GC',
    '--add-opens',
    'java.base/java.nio=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.io=ALL-UNNAMED',
    '--add-opens',
    'java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens',
    'java.base/java.lang=ALL-UNNAMED',
    'Neo4jLauncher',
    spec.home,
    String(spec.port),
  ];
  const child = spawn(javaBin('java'), args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // via the environment rather than -cp: keeps process listings short
      CLASSPATH: spec.classpath,
      NEO4J_LAUNCHER_AUTH: spec.auth ? 'password' : 'none',
      NEO4J_LAUNCHER_PASSWORD: spec.password,
      NEO4J_LAUNCHER_PAGECACHE_MB: String(spec.pageCacheMb),
      NEO4J_LAUNCHER_TLS_DIR: spec.tlsDir,
      NEO4J_LAUNCHER_IMPORT_DIR: spec.importDir,
    },
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Neo4j did not start within ${START_TIMEOUT_MS / 1000}s:\n${output.slice(-4000)}`));
    }, START_TIMEOUT_MS);
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      if (output.includes('NEO4J_READY')) {
        clearTimeout(timer);
        resolve(undefined);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Neo4j exited with code ${code} before it was ready:\n${output.slice(-4000)}`));
    });
  });
  return { child, exited };
}

/**
 * Starts Neo4j on a free port: with auth on and a random password of the neo4j user, or with `auth: false`
 * authentication disabled (password '', any login accepted). `home`, `port` and `password` start it on a store
 * and port of an earlier one instead (the password must be that store's). The service it returns can also be
 * killed (`kill()`: SIGKILL, the store stays) and started again on the same store and port (`restart()`, which
 * kills it first when it still runs); `pid` is the current process (for SIGSTOP / SIGCONT). `stop()` ends it
 * and removes the home directory when startNeo4j made it. With `tlsDir` (a directory holding private.key and
 * public.crt, PEM; default NEO4J_LAUNCHER_TLS_DIR) Bolt requires TLS with that certificate and the URI handed
 * back is bolt+ssc:// (bolt+s:// needs a certificate the client trusts). LOAD CSV reads `file:///` URLs only under
 * `importDir` (relative to it; default `<home>/import`).
 * @param {StartOptions} [options]
 * @returns {Promise<OwnNeo4j>}
 */
async function startNeo4j(options = {}) {
  const log = options.log || ((line) => process.stderr.write(`[neo4j] ${line}\n`));
  const classpath = prepareClasspath(log);
  const port = options.port || (await freePort());
  const ownHome = !options.home;
  const home = options.home || fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-neo4j-'));
  const auth = options.auth !== false;
  const password = auth ? options.password || `pg2graph-${crypto.randomBytes(6).toString('hex')}` : '';
  const spec = {
    classpath,
    home,
    port,
    auth,
    password,
    heapMb: options.heapMb || Number(process.env.PG2GRAPH_NEO4J_HEAP_MB || 2048),
    pageCacheMb: options.pageCacheMb || 512,
    tlsDir: options.tlsDir ? path.resolve(options.tlsDir) : process.env.NEO4J_LAUNCHER_TLS_DIR || '',
    importDir: options.importDir ? path.resolve(options.importDir) : '',
  };
  let current = await launch(spec);
  let stopped = false;

  /** SIGKILL, as a crash would: the store stays for restart(). */
  async function kill() {
    if (current.child.exitCode !== null || current.child.signalCode !== null) return;
    current.child.kill('SIGKILL');
    await current.exited;
  }
  async function restart() {
    if (stopped) throw new Error('this Neo4j was stopped; start a new one');
    await kill();
    current = await launch(spec);
  }
  async function stop() {
    if (stopped) return;
    stopped = true;
    const { child, exited } = current;
    if (child.exitCode === null && child.signalCode === null) {
      // a frozen (SIGSTOP) server cannot read its stdin closing
      child.kill('SIGCONT');
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    }
    if (ownHome) fs.rmSync(home, { recursive: true, force: true });
  }
  return {
    uri: `${spec.tlsDir ? 'bolt+ssc' : 'bolt'}://127.0.0.1:${port}`,
    user: 'neo4j',
    password,
    external: false,
    home,
    port,
    get pid() {
      return /** @type {number} */ (current.child.pid);
    },
    kill,
    restart,
    stop,
  };
}

/**
 * The Neo4j named by NEO4J_URI when set, else a throwaway one.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<Neo4jService>}
 */
async function neo4jService(options = {}) {
  if (process.env.NEO4J_URI) {
    return {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER || process.env.NEO4J_USERNAME || 'neo4j',
      password: process.env.NEO4J_PASSWORD || '',
      external: true,
      stop: async () => {},
    };
  }
  return startNeo4j(options);
}

module.exports = { startNeo4j, neo4jService, prepareClasspath };
