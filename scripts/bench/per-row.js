// @ts-check
'use strict';
/**
 * Contender 4 of the benchmark: the way a Node-RED user wires a migration today without this pack: a query
 * emits one message per row into a function node that runs one Cypher MERGE per row through neo4j-driver
 * (loaded with functionExternalModules), after creating the key's uniqueness constraint. It runs on a slice of
 * one table (the first `limit` rows by key) and is reported as such.
 *
 * The registry's Postgres node that is served here, node-red-contrib-re-postgres 0.1.10, depends on pg 6,
 * whose connect never completes on Node.js 14 and later (it hangs on Node 20 against any server), so the
 * query runs in a function node with pg instead, sending one message per row as that node's per-row mode does.
 */
const fs = require('fs');
const path = require('path');
const { startNodeRed } = require('../lib/node-red-runtime');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The function nodes' modules must count as installed (listed in the user directory's package.json and present
 * in its node_modules), or Node-RED would npm-install them on deploy.
 */
function linkModules(userDir) {
  const modules = ['pg', 'neo4j-driver'];
  for (const name of modules) {
    const link = path.join(userDir, 'node_modules', name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(ROOT, 'node_modules', name), link, 'dir');
  }
  const version = (name) => require(path.join(ROOT, 'node_modules', name, 'package.json')).version;
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify(
      {
        name: 'node-red-project',
        private: true,
        dependencies: Object.fromEntries(modules.map((m) => [m, version(m)])),
      },
      null,
      2,
    ),
  );
}

/** A function node body: run the query and send one message per row. */
function queryBody() {
  return `
const client = new pg.Client({ connectionString: env.get('PERROW_PG_URL') });
await client.connect();
try {
  const result = await client.query(msg.payload);
  for (const row of result.rows) node.send({ payload: row });
} finally {
  await client.end();
}
return null;`;
}

const q = (name) => `"${name.replace(/"/g, '""')}"`;
const bt = (name) => `\`${name.replace(/`/g, '``')}\``;

/** A function node body: one session and one MERGE per row message (the key constrained first), like a careful hand-made flow. */
function functionBody(entry, total) {
  const key = entry.key.map((k) => `${bt(k)}: $${k}`).join(', ');
  const setters = entry.properties.filter((p) => !entry.key.includes(p.name)).map((p) => `n.${bt(p.name)} = $${p.name}`);
  const cypher = `MERGE (n:${bt(entry.label)} {${key}})${setters.length ? ` SET ${setters.join(', ')}` : ''}`;
  const names = Object.fromEntries(entry.properties.map((p) => [p.column, p.name]));
  const constraint = `CREATE CONSTRAINT IF NOT EXISTS FOR (n:${bt(entry.label)}) REQUIRE (${entry.key.map((k) => `n.${bt(k)}`).join(', ')}) IS UNIQUE`;
  return `
let driver = context.get('driver');
if (!driver) {
  driver = neo4j.driver(env.get('NEO4J_URI'), neo4j.auth.basic(env.get('NEO4J_USER'), env.get('NEO4J_PASSWORD')));
  context.set('driver', driver);
  // the key's constraint first, as a careful flow author would: MERGE without it scans the label every time
  context.set('ready', driver.executeQuery(${JSON.stringify(constraint)}));
}
await context.get('ready');
const names = ${JSON.stringify(names)};
const params = {};
for (const [column, value] of Object.entries(msg.payload)) {
  const name = names[column];
  if (!name) continue;
  params[name] = typeof value === 'number' && Number.isInteger(value) ? neo4j.int(value)
    : value instanceof Date ? neo4j.types.DateTime.fromStandardDate(value)
    : Buffer.isBuffer(value) ? value.toString('hex')
    : value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : value;
}
const session = driver.session();
try {
  await session.run(${JSON.stringify(cypher)}, params);
} finally {
  await session.close();
}
const done = (context.get('done') || 0) + 1;
context.set('done', done);
if (done === ${total}) node.warn('PER_ROW_DONE ' + done);
return null;`;
}

/**
 * @param {{ entry: any, limit: number, postgres: URL, neo4j: { uri: string, user: string, password: string } }} options
 * @returns {Promise<{ rows: number, seconds: number, peakRssMb: number }>}
 */
async function runPerRow({ entry, limit, postgres, neo4j }) {
  const userDirRoot = fs.mkdtempSync(path.join(require('os').tmpdir(), 'pg2graph-perrow-'));
  linkModules(userDirRoot);
  const runtime = await startNodeRed({
    userDir: userDirRoot,
    settings: { functionExternalModules: true },
    env: { NEO4J_URI: neo4j.uri, NEO4J_USER: neo4j.user, NEO4J_PASSWORD: neo4j.password, PERROW_PG_URL: postgres.toString() },
  });
  try {
    const keyOrder = entry.key.map((k) => q(entry.properties.find((p) => p.name === k).column)).join(', ');
    const sql = `SELECT * FROM ${q(entry.table.schema)}.${q(entry.table.name)} ORDER BY ${keyOrder} LIMIT ${limit}`;
    const flows = [
      { id: 'tab', type: 'tab', label: 'per-row migration' },
      { id: 'start', type: 'inject', z: 'tab', payload: sql, payloadType: 'str', once: false, x: 120, y: 60, wires: [['query']] },
      { id: 'query', type: 'function', z: 'tab', func: queryBody(), outputs: 1, libs: [{ var: 'pg', module: 'pg' }], x: 300, y: 60, wires: [['cypher']] },
      {
        id: 'cypher',
        type: 'function',
        z: 'tab',
        func: functionBody(entry, limit),
        outputs: 1,
        libs: [{ var: 'neo4j', module: 'neo4j-driver' }],
        x: 480,
        y: 60,
        wires: [[]],
      },
    ];
    const deploy = await fetch(`${runtime.url}/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    if (deploy.status >= 300) throw new Error(`deploy failed: ${deploy.status} ${await deploy.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = Date.now();
    const trigger = await fetch(`${runtime.url}/inject/start`, { method: 'POST' });
    if (trigger.status >= 300) throw new Error(`inject failed: ${trigger.status}\n${runtime.output().slice(-3000)}`);
    const deadline = Date.now() + 30 * 60_000;
    while (!/PER_ROW_DONE/.test(runtime.output())) {
      if (Date.now() > deadline) throw new Error('per-row flow did not finish');
      if (/\[error\]/.test(runtime.output())) throw new Error(`per-row flow failed:\n${runtime.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    return { rows: limit, seconds, peakRssMb: runtime.peakRssMb() };
  } finally {
    await runtime.stop();
    fs.rmSync(userDirRoot, { recursive: true, force: true });
  }
}

module.exports = { runPerRow };
