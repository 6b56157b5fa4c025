// @ts-check
'use strict';
/**
 * Starts a throwaway Apache TinkerPop Gremlin Server 3.7 over an in-memory TinkerGraph (resolved from Maven Central;
 * scripts/gremlin/GremlinLauncher.java says how it stands in for Neptune) on 127.0.0.1, with the inspection endpoint
 * (for tests and the benchmark) beside it. The jars are resolved once and cached (java-launcher.js).
 */
const { spawn } = require('child_process');
const { freePort } = require('./free-port');
const { javaBin, prepareLauncherClasspath } = require('./java-launcher');

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * @typedef {{ url: string, traversalSource: string, inspectUrl?: string, version?: string, external: boolean,
 *   stop: () => Promise<void> }} GremlinService
 */

/** Resolves the Gremlin Server jars (Maven) and compiles the launcher once; returns the full classpath. */
function prepareClasspath(log) {
  return prepareLauncherClasspath({ name: 'gremlin', launcher: 'GremlinLauncher', title: 'Gremlin Server', log });
}

/**
 * Starts Gremlin Server on a free port (and the inspection endpoint on another) and waits until both accept
 * connections. `stop()` ends it; the graph lives in memory only, so nothing is left behind.
 * @param {{ log?: (line: string) => void, heapMb?: number }} [options]
 * @returns {Promise<GremlinService & { inspectUrl: string, version: string, readonly pid: number }>}
 */
async function startGremlinServer(options = {}) {
  const log = options.log || ((line) => process.stderr.write(`[gremlin] ${line}\n`));
  const classpath = prepareClasspath(log);
  const port = await freePort();
  let inspectPort = await freePort();
  while (inspectPort === port) inspectPort = await freePort();
  const heapMb = options.heapMb || Number(process.env.PG2GRAPH_GREMLIN_HEAP_MB || 1024);

  const child = spawn(javaBin('java'), [`-Xmx${heapMb}m`, 'GremlinLauncher', String(port), String(inspectPort)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // via the environment rather than -cp: keeps process listings short
    env: { ...process.env, CLASSPATH: classpath },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // stdin closing ends the JVM when this process dies; this covers an exit that leaves the pipe to a grandchild
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  const version = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Gremlin Server did not start within ${START_TIMEOUT_MS / 1000}s:\n${output.slice(-4000)}`));
    }, START_TIMEOUT_MS);
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      const ready = /GREMLIN_READY \d+ \d+ (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        resolve(ready[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      reject(new Error(`Gremlin Server exited with code ${code} before it was ready:\n${output.slice(-4000)}`));
    });
  });
  // keep reading (and dropping: WARN lines only) so the server never blocks on a full pipe
  child.stdout.resume();
  child.stderr.resume();

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
    }
    process.removeListener('exit', killOnExit);
  }
  return {
    url: `ws://127.0.0.1:${port}/gremlin`,
    traversalSource: 'g',
    inspectUrl: `http://127.0.0.1:${inspectPort}`,
    version,
    external: false,
    get pid() {
      return /** @type {number} */ (child.pid);
    },
    stop,
  };
}

/**
 * The Gremlin Server named by GREMLIN_URL when set (GREMLIN_INSPECT_URL, when set, names its inspection
 * endpoint), else a throwaway one.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<GremlinService>}
 */
async function gremlinService(options = {}) {
  if (process.env.GREMLIN_URL) {
    return {
      url: process.env.GREMLIN_URL,
      traversalSource: 'g',
      ...(process.env.GREMLIN_INSPECT_URL ? { inspectUrl: process.env.GREMLIN_INSPECT_URL } : {}),
      external: true,
      stop: async () => {},
    };
  }
  return startGremlinServer(options);
}

module.exports = { gremlinService, startGremlinServer };
