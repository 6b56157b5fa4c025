// @ts-check
'use strict';
/**
 * The benchmark's contenders, each migrating one workload's plan into an empty Neo4j:
 *   nodered   pg2graph in a real Node-RED runtime: pg read -> row → node / fk → edge -> graph write (ack loop)
 *   cli       pg2graph migrate
 *   baseline  the hand-written script (scripts/bench/baseline.js)
 *   perrow    today's Node-RED way, one Cypher statement per row, on a slice (scripts/bench/per-row.js)
 *   offline   pg2graph export --format neo4j-admin, the real import, Neo4j on that store, constraints
 *             (scripts/bench/offline.js; into a Neo4j of its own: it returns what it wrote as `written`)
 * and two into an empty Gremlin Server (TinkerGraph) instead:
 *   gremlin           pg2graph migrate --gremlin URL
 *   gremlin-baseline  the hand-written Gremlin script (scripts/bench/gremlin-baseline.js)
 * Each returns { seconds, rows, peakRssMb, split?: { readMs, shapeMs, writeMs }, note? }.
 */
const path = require('path');
const { execFile } = require('child_process');
const { startNodeRed } = require('../lib/node-red-runtime');
const { watchRuntime, deployFlow, clickInject } = require('../lib/runtime-comms');
const { runPerRow } = require('./per-row');
const { runOffline } = require('./offline');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'pg2graph.js');

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(args.find((a) => !a.startsWith('--')) ?? command)} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** The example migration flow, fed the plan by its inject node (the flow a user builds, minus verification). */
function migrationFlow(plan, mode) {
  // flow nodes need a position: the runtime takes a node without x/y for a config node
  let y = 0;
  const placed = (node) => (node.z ? { x: 200, y: (y += 40), ...node } : node);
  return [
    { id: 'tab', type: 'tab', label: 'bench' },
    {
      id: 'pgcfg',
      type: 'pg2graph-postgres',
      name: 'source',
      connectionEnv: 'DATABASE_URL',
      sslMode: 'disable',
      poolSize: '4',
      applicationName: 'pg2graph-bench',
    },
    {
      id: 'neocfg',
      type: 'pg2graph-neo4j',
      name: 'target',
      uri: '${NEO4J_URI}',
      database: '',
      dialect: 'neo4j',
      tls: 'uri',
      credentials: { user: '${NEO4J_USER}', password: '${NEO4J_PASSWORD}' },
    },
    { id: 'start', type: 'inject', z: 'tab', props: [{ p: 'plan', v: JSON.stringify(plan), vt: 'json' }], wires: [['reader']] },
    {
      id: 'reader',
      type: 'pg2graph-read',
      z: 'tab',
      postgres: 'pgcfg',
      neo4j: '',
      batchSize: '',
      maxUnacknowledged: '8',
      wires: [['tonode'], ['toedge'], ['done']],
    },
    { id: 'tonode', type: 'pg2graph-to-node', z: 'tab', wires: [['writer']] },
    { id: 'toedge', type: 'pg2graph-to-edge', z: 'tab', wires: [['writer']] },
    { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'neocfg', mode, concurrency: 4, maxRetries: 5, wires: [['reader'], []] },
    { id: 'done', type: 'debug', z: 'tab', name: 'done', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', wires: [] },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['failed']] },
    { id: 'failed', type: 'debug', z: 'tab', name: 'failed', active: true, tosidebar: true, console: false, complete: 'error', targetType: 'msg', wires: [] },
  ].map(placed);
}

async function nodered({ plan, mode, postgresUrl, neo4j, nodeFlags }) {
  const runtime = await startNodeRed({
    nodeArgs: nodeFlags,
    settings: { debugMaxLength: 1_000_000 },
    env: { DATABASE_URL: postgresUrl, NEO4J_URI: neo4j.uri, NEO4J_USER: neo4j.user, NEO4J_PASSWORD: neo4j.password },
  });
  let socket;
  try {
    let settle = (/** @type {{ result?: any, error?: string }} */ _v) => {};
    const outcome = new Promise((resolve) => {
      settle = resolve;
    });
    socket = await watchRuntime(runtime.url, {
      onDebug: (debug) => {
        if (debug.id === 'done') settle({ result: JSON.parse(debug.msg) });
        if (debug.id === 'failed') settle({ error: debug.msg });
      },
    });
    await deployFlow(runtime.url, migrationFlow(plan, mode));
    const started = Date.now();
    await clickInject(runtime.url, 'start');
    const { result, error } = /** @type {{ result?: any, error?: string }} */ (await outcome);
    const seconds = (Date.now() - started) / 1000;
    if (error) throw new Error(`the Node-RED flow failed: ${error}`);
    const readMs = Object.values(result.entries).reduce((sum, e) => sum + (e.readMs ?? 0), 0);
    return { seconds, rows: result.rows, peakRssMb: runtime.peakRssMb(), split: { readMs } };
  } finally {
    socket?.close();
    await runtime.stop();
  }
}

/** `pg2graph migrate` as a whole process, timed from its start; `extra` names the graph. */
async function migrateProcess({ planFile, mode, nodeFlags }, extra, env) {
  const started = Date.now();
  const out = await run(process.execPath, [...nodeFlags, CLI, 'migrate', '--plan', planFile, '--mode', mode, '--json', ...extra], env);
  const seconds = (Date.now() - started) / 1000;
  const result = JSON.parse(out);
  return { seconds, rows: result.read.rows, peakRssMb: result.peakRssMb, split: result.timings };
}

/**
 * A hand-written script as a whole process, timed from its start like `pg2graph migrate` (its start-up and
 * connecting count, as they do for pg2graph); its own figures are the JSON of its last line.
 */
async function scriptProcess({ planFile, nodeFlags }, script, env) {
  const started = Date.now();
  const out = await run(process.execPath, [...nodeFlags, path.join(__dirname, script), planFile], env);
  const seconds = (Date.now() - started) / 1000;
  const result = JSON.parse(out.trim().split('\n').pop() || '{}');
  return { seconds, rows: result.rows, peakRssMb: result.peakRssMb, split: { readMs: result.readMs, writeMs: result.writeMs } };
}

const neo4jEnv = ({ postgresUrl, neo4j }) => ({
  DATABASE_URL: postgresUrl,
  NEO4J_URI: neo4j.uri,
  NEO4J_USER: neo4j.user,
  NEO4J_PASSWORD: neo4j.password,
});

function cli(context) {
  return migrateProcess(context, [], neo4jEnv(context));
}

function baseline(context) {
  return scriptProcess(context, 'baseline.js', neo4jEnv(context));
}

async function perrow({ largestEntry, postgresUrl, neo4j, perRowRows }) {
  const result = await runPerRow({ entry: largestEntry, limit: perRowRows, postgres: new URL(postgresUrl), neo4j });
  return { seconds: result.seconds, rows: result.rows, peakRssMb: result.peakRssMb, note: `slice: the first ${result.rows} rows of ${largestEntry.id}` };
}

async function offline({ planFile, postgresUrl, nodeFlags, smoke }) {
  const runCli = (cliArgs, env) => run(process.execPath, [...nodeFlags, CLI, ...cliArgs], env);
  return runOffline({ planFile, postgresUrl, smoke, runCli });
}

function gremlinRoad(context) {
  const { gremlin, postgresUrl } = context;
  // the bench's server has no login: none from the environment
  return migrateProcess(context, ['--gremlin', gremlin.url, '--traversal-source', gremlin.traversalSource], {
    DATABASE_URL: postgresUrl,
    GREMLIN_USER: '',
    GREMLIN_PASSWORD: '',
  });
}

function gremlinBaseline(context) {
  const { gremlin, postgresUrl } = context;
  return scriptProcess(context, 'gremlin-baseline.js', {
    DATABASE_URL: postgresUrl,
    GREMLIN_URL: gremlin.url,
    GREMLIN_TRAVERSAL_SOURCE: gremlin.traversalSource,
  });
}

const CONTENDERS = { nodered, cli, baseline, perrow, offline, gremlin: gremlinRoad, 'gremlin-baseline': gremlinBaseline };

/** The contenders that write to the Gremlin Server; every other one writes to Neo4j. */
const GREMLIN_CONTENDERS = ['gremlin', 'gremlin-baseline'];

/** Whose rows/s a contender's ratio is against: the hand-written script for its own kind of graph. */
const ratioBase = (contender) => (GREMLIN_CONTENDERS.includes(contender) ? 'gremlin-baseline' : 'baseline');

module.exports = { CONTENDERS, GREMLIN_CONTENDERS, ratioBase, migrationFlow };
