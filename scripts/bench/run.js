// @ts-check
'use strict';
/**
 * npm run bench: every contender on every workload, on this machine, in one run, each into an empty graph:
 * Neo4j, or for the Gremlin road (gremlin, gremlin-baseline) a Gremlin Server with TinkerGraph. Prints a table
 * (rows/s, nodes/s, relationships/s, wall time, peak RSS, time split, ratio to the hand-written baseline for the
 * same kind of graph) and writes the same as JSON under bench/results/. Always uses its own throwaway
 * PostgreSQL, Neo4j and (when a Gremlin contender runs) Gremlin Server; it empties the graph between contenders.
 *
 * Options: --smoke (small workloads, for CI), --workloads=a,b
 *          --contenders=baseline,nodered,cli,perrow,offline,gremlin-baseline,gremlin (named: each runs on every
 *          workload; by default the two Gremlin ones run on pgbench-1 and sample only, with --smoke on
 *          pgbench-smoke and sample; an unknown name ends the run, naming the known ones), --mode=create|merge
 *          (pg2graph's write mode, default create: every contender starts from an empty graph),
 *          --per-row-rows=N (slice of the per-row contender, default 2000), --repeat=N (runs per contender and
 *          workload, the median is reported; default 3, with --smoke 1),
 *          --node-flags="--optimize-for-size" (V8 flags for every contender's Node.js process)
 *
 * Before measuring, every contender migrates the sample database once, untimed, and the hand-written baseline of
 * each graph in use (baseline, gremlin-baseline) migrates each workload once, untimed: a fresh Neo4j or Gremlin
 * Server runs its first statements several times slower (JIT, caches, store files growing), which would
 * otherwise penalise whoever goes first.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const neo4j = require('neo4j-driver');
const pg = require('pg');
const { startEmbeddedPostgres } = require('../lib/postgres-server');
const { startNeo4j } = require('../lib/neo4j-server');
const { startGremlinServer } = require('../lib/gremlin-server');
const { recreateDatabase } = require('../lib/sample-db');
const { createWorkload, WORKLOADS } = require('./workloads');
const { CONTENDERS, GREMLIN_CONTENDERS, ratioBase } = require('./contenders');
const { emptyGraph, graphTotals, gremlinConnection, emptyGremlin, gremlinTotals } = require('./graph');

const ROOT = path.resolve(__dirname, '..', '..');
const engine = require(path.join(ROOT, 'dist', 'engine', 'index.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const smoke = args.includes('--smoke');
const workloads = option('workloads', smoke ? 'pgbench-smoke,sample,wide-smoke' : 'pgbench-1,pgbench-10,sample,wide').split(',');
const contendersOption = option('contenders', undefined);
const contenders = (contendersOption ?? 'baseline,nodered,cli,perrow,offline,gremlin-baseline,gremlin').split(',');
const mode = option('mode', 'create');
/** Where the Gremlin contenders run unless named in --contenders. */
const GREMLIN_WORKLOADS = smoke ? ['pgbench-smoke', 'sample'] : ['pgbench-1', 'sample'];
const perRowRows = Number(option('per-row-rows', smoke ? '200' : '2000'));
const repeatOption = option('repeat', undefined);
const nodeFlags = (args.find((a) => a.startsWith('--node-flags='))?.slice('--node-flags='.length) ?? '').split(/\s+/).filter(Boolean);
const log = (line) => process.stderr.write(`${line}\n`);

/** A name not in the list ends the run before anything starts, naming the valid ones. */
function checkNames(what, given, valid) {
  const unknown = given.filter((name) => !valid.includes(name));
  if (unknown.length) {
    log(`bench: unknown ${what} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the ${what}s are ${valid.join(', ')}`);
    process.exit(2);
  }
}
checkNames('workload', workloads, WORKLOADS);
checkNames('contender', contenders, Object.keys(CONTENDERS));
checkNames('mode', [mode], ['create', 'merge']);

const isGremlin = (contender) => GREMLIN_CONTENDERS.includes(contender);
/** The contenders that run on a workload. */
const contendersOf = (workload) => contenders.filter((c) => !isGremlin(c) || contendersOption !== undefined || GREMLIN_WORKLOADS.includes(workload));
const running = [...new Set(workloads.flatMap(contendersOf))];

/**
 * Source rows of a plan, counted by Postgres alone: every row of each node entry's table and every row of each
 * relationship entry's source whose match columns are all non-NULL. The same figure for every contender, so
 * their rows/s compare.
 */
async function sourceRows(url, plan) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = pg.escapeIdentifier;
  try {
    let total = 0;
    for (const entry of plan.nodes) {
      total += Number((await client.query(`SELECT count(*) AS n FROM ${q(entry.table.schema)}.${q(entry.table.name)}`)).rows[0].n);
    }
    for (const entry of plan.relationships) {
      const columns = [...Object.values(entry.from.match), ...Object.values(entry.to.match)].filter((c) => c !== '$rowHash');
      const where = columns.length ? ` WHERE ${columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')}` : '';
      total += Number((await client.query(`SELECT count(*) AS n FROM ${q(entry.source.table.schema)}.${q(entry.source.table.name)}${where}`)).rows[0].n);
    }
    return total;
  } finally {
    await client.end();
  }
}

/** The plan every contender migrates (generated as `pg2graph plan` does), and its largest keyed node entry. */
async function planFor(url, schemas) {
  const connection = new engine.PostgresConnection({ connectionString: url });
  try {
    const plan = engine.generatePlan(await engine.introspectDatabase(connection, { schemas }));
    let largestEntry;
    let largest = -1;
    for (const entry of plan.nodes.filter((n) => n.keySource !== 'rowContent')) {
      const client = await connection.connect();
      try {
        const n = Number(
          (await client.query(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(entry.table.schema)}.${pg.escapeIdentifier(entry.table.name)}`)).rows[0].n,
        );
        if (n > largest) [largest, largestEntry] = [n, entry];
      } finally {
        client.release();
      }
    }
    return { plan, largestEntry };
  } finally {
    await connection.close();
  }
}

const rate = (count, seconds) => (seconds > 0 ? Math.round(count / seconds) : 0);
const pad = (text, width) => String(text).padStart(width);

function table(results) {
  const header = ['workload', 'contender', 'rows', 'nodes', 'rels', 'seconds', 'rows/s', 'nodes/s', 'rels/s', 'peak MB', 'x baseline', 'read/shape/write s'];
  const widths = [14, 16, 9, 9, 9, 8, 9, 9, 9, 8, 10, 20];
  const lines = [header.map((h, i) => (i < 2 ? h.padEnd(widths[i]) : pad(h, widths[i]))).join(' ')];
  for (const r of results) {
    const split = r.split ? ['readMs', 'shapeMs', 'writeMs'].map((k) => (r.split[k] === undefined ? '-' : (r.split[k] / 1000).toFixed(1))).join('/') : '-';
    lines.push(
      [
        r.workload.padEnd(widths[0]),
        r.contender.padEnd(widths[1]),
        pad(r.rows, widths[2]),
        pad(r.nodes, widths[3]),
        pad(r.relationships, widths[4]),
        pad(r.seconds.toFixed(1), widths[5]),
        pad(r.rowsPerSecond, widths[6]),
        pad(r.nodesPerSecond, widths[7]),
        pad(r.relationshipsPerSecond, widths[8]),
        pad(r.peakRssMb, widths[9]),
        pad(r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`, widths[10]),
        pad(split, widths[11]),
      ].join(' '),
    );
    if (r.note) lines.push(`${''.padEnd(widths[0] + widths[1] + 2)}(${r.note})`);
  }
  if (results.some((r) => isGremlin(r.contender))) lines.push('(x baseline: the Gremlin contenders against gremlin-baseline, the others against baseline)');
  return lines.join('\n');
}

/** The issue's targets, judged on this run's figures. */
function judged(results) {
  const find = (workload, contender) => results.find((r) => r.workload === workload && r.contender === contender);
  const lines = [];
  for (const workload of workloads) {
    const red = find(workload, 'nodered');
    const base = find(workload, 'baseline');
    const slow = find(workload, 'perrow');
    if (red && base) lines.push(`${workload}: Node-RED flow at ${(red.rowsPerSecond / base.rowsPerSecond).toFixed(2)}x the baseline's rows/s (target >= 0.9x)`);
    if (red && slow) lines.push(`${workload}: Node-RED flow at ${(red.rowsPerSecond / slow.rowsPerSecond).toFixed(0)}x the per-row way (target >= 50x)`);
    const road = find(workload, 'gremlin');
    const hand = find(workload, 'gremlin-baseline');
    if (road && hand)
      lines.push(
        `${workload}: Gremlin road at ${(road.rowsPerSecond / hand.rowsPerSecond).toFixed(2)}x the hand-written Gremlin baseline's rows/s (target >= 0.9x)`,
      );
  }
  for (const workload of workloads) {
    const red = find(workload, 'nodered');
    const road = find(workload, 'offline');
    if (road && red)
      lines.push(
        `${workload}: offline road to a loaded graph in ${road.seconds.toFixed(1)} s, ${(road.seconds / red.seconds).toFixed(2)} of the Node-RED flow's ${red.seconds.toFixed(1)} s (target at scale 10 <= 0.33)`,
      );
    if (road) lines.push(`${workload}: the export alone at ${road.exportRowsPerSecond} rows/s (target >= 150,000)`);
  }
  const small = workloads.find((w) => /^pgbench-(1|smoke)$/.test(w));
  const big = workloads.find((w) => w === 'pgbench-10');
  for (const contender of ['nodered', 'cli', 'offline']) {
    const a = small && find(small, contender);
    const b = big && find(big, contender);
    if (a && b)
      lines.push(
        `${contender}: peak RSS ${b.peakRssMb} MB at scale 10 vs ${a.peakRssMb} MB at scale 1 (${((b.peakRssMb / a.peakRssMb - 1) * 100).toFixed(0)}%, target within 20%)`,
      );
  }
  return lines.join('\n');
}

/**
 * The graphs the contenders write to: the shared Neo4j and the shared Gremlin Server, each started only when a
 * contender needs it; `empty` and `totals` pick the contender's own.
 */
async function startServices() {
  const needsNeo4j = running.some((c) => !isGremlin(c));
  const needsGremlin = running.some(isGremlin);
  log(`starting a throwaway PostgreSQL${needsNeo4j ? ', Neo4j' : ''}${needsGremlin ? ', Gremlin Server' : ''}...`);
  const [postgres, neo, gremlinServer] = await Promise.all([
    startEmbeddedPostgres(),
    needsNeo4j ? startNeo4j({ heapMb: smoke ? 1024 : 4096, pageCacheMb: smoke ? 256 : 2048 }) : undefined,
    needsGremlin ? startGremlinServer({ heapMb: smoke ? 1024 : 4096, log: (line) => log(`[gremlin] ${line}`) }) : undefined,
  ]);
  const driver = neo && neo4j.driver(neo.uri, neo4j.auth.basic(neo.user, neo.password));
  const gremlinGraph = gremlinServer && gremlinConnection(gremlinServer);
  return {
    postgres,
    neo4jLogin: neo && { uri: neo.uri, user: neo.user, password: neo.password },
    gremlin: gremlinServer && { url: gremlinServer.url, traversalSource: gremlinServer.traversalSource },
    empty: (contender) => (isGremlin(contender) ? emptyGremlin(gremlinServer) : emptyGraph(driver)),
    totals: (contender) => (isGremlin(contender) ? gremlinTotals(gremlinGraph) : graphTotals(driver)),
    async stop() {
      await Promise.allSettled([driver?.close(), gremlinGraph?.close()]);
      await Promise.allSettled([postgres.stop(), neo?.stop(), gremlinServer?.stop()]);
    },
  };
}

/** Every contender once on the sample database, untimed, so that none of them meets a cold graph. */
async function warmUp(services) {
  log('warming the graphs up: every contender once on the sample database (untimed)...');
  const url = await recreateDatabase(services.postgres.connectionString, 'bench_warm_up');
  const info = await createWorkload('sample', url);
  const { plan, largestEntry } = await planFor(url, info.schemas);
  const planFile = path.join(os.tmpdir(), `pg2graph-bench-${process.pid}-warm-up.json`);
  fs.writeFileSync(planFile, JSON.stringify(plan));
  try {
    // the offline road imports into a Neo4j of its own: nothing of the shared one to warm up
    for (const contender of running.filter((c) => c !== 'offline')) {
      await services.empty(contender);
      await CONTENDERS[contender]({
        plan,
        planFile,
        mode,
        postgresUrl: url,
        neo4j: services.neo4jLogin,
        gremlin: services.gremlin,
        perRowRows: Math.min(perRowRows, 200),
        largestEntry,
        nodeFlags,
      });
    }
  } finally {
    fs.rmSync(planFile, { force: true });
  }
}

const modeOf = (contender) =>
  ({ baseline: 'create', perrow: 'merge per row', offline: 'neo4j-admin import', 'gremlin-baseline': 'mergeV / mergeE' })[contender] ?? mode;

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'pg2graph.js'))) throw new Error('build first: npm run build');
  log(`bench: workloads ${workloads.join(', ')}; contenders ${running.join(', ')}; pg2graph write mode ${mode}`);
  const services = await startServices();
  const results = [];
  try {
    await warmUp(services);
    for (const workload of workloads) {
      const here = contendersOf(workload);
      log(`\n== ${workload}: creating the source...`);
      const url = await recreateDatabase(services.postgres.connectionString, `bench_${workload.replace(/-/g, '_')}`);
      const info = await createWorkload(workload, url);
      const { plan, largestEntry } = await planFor(url, info.schemas);
      const rows = await sourceRows(url, plan);
      const repeat = Number(repeatOption ?? (smoke ? 1 : 3));
      const planFile = path.join(os.tmpdir(), `pg2graph-bench-${process.pid}-${workload}.json`);
      fs.writeFileSync(planFile, JSON.stringify(plan));
      const context = {
        plan,
        planFile,
        mode,
        postgresUrl: url,
        neo4j: services.neo4jLogin,
        gremlin: services.gremlin,
        perRowRows,
        largestEntry,
        nodeFlags,
        smoke,
      };
      // a fresh or emptied graph runs a new workload's first migration up to twice as slowly (store files grow,
      // the JVM compiles new paths): one untimed run of the hand-written baseline first, so that no contender pays
      for (const warm of ['baseline', 'gremlin-baseline'].filter((b) => here.some((c) => ratioBase(c) === b))) {
        log(`   warming the graph up on this workload (one untimed ${warm} run)...`);
        await services.empty(warm);
        await CONTENDERS[warm](context);
      }
      for (const contender of here) {
        const runs = [];
        for (let i = 0; i < repeat; i++) {
          await services.empty(contender);
          log(`   ${contender}${repeat > 1 ? ` (run ${i + 1} of ${repeat})` : ''}...`);
          const outcome = await CONTENDERS[contender](context);
          // the offline road loads a Neo4j of its own and counts what it holds before stopping it
          runs.push({ outcome, written: outcome.written ?? (await services.totals(contender)) });
        }
        // the median run by wall time
        runs.sort((a, b) => a.outcome.seconds - b.outcome.seconds);
        const { outcome, written } = runs[Math.floor((runs.length - 1) / 2)];
        // the per-row contender runs on a slice: its own row count; the others all migrate the same source rows
        const migrated = contender === 'perrow' ? outcome.rows : rows;
        results.push({
          workload,
          source: info.source,
          contender,
          mode: modeOf(contender),
          graph: isGremlin(contender) ? 'gremlin' : 'neo4j',
          runs: runs.length,
          secondsOfRuns: runs.map((r) => r.outcome.seconds),
          seconds: outcome.seconds,
          rows: migrated,
          nodes: written.nodes,
          relationships: written.relationships,
          rowsPerSecond: rate(migrated, outcome.seconds),
          nodesPerSecond: rate(written.nodes, outcome.seconds),
          relationshipsPerSecond: rate(written.relationships, outcome.seconds),
          peakRssMb: outcome.peakRssMb,
          split: outcome.split,
          note: outcome.note,
          ...(outcome.exportRowsPerSecond ? { exportRowsPerSecond: outcome.exportRowsPerSecond } : {}),
        });
        log(
          `   ${contender}: ${migrated} rows in ${outcome.seconds.toFixed(1)} s${repeat > 1 ? ` (median of ${runs.map((r) => r.outcome.seconds.toFixed(1)).join(', ')})` : ''}`,
        );
      }
      fs.rmSync(planFile, { force: true });
    }
  } finally {
    await services.stop();
  }
  for (const r of results) {
    r.ratioTo = ratioBase(r.contender);
    const base = results.find((b) => b.workload === r.workload && b.contender === r.ratioTo);
    if (base && base.rowsPerSecond) r.ratio = r.rowsPerSecond / base.rowsPerSecond;
  }
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}`;
  const report = { date: new Date().toISOString(), machine, smoke, mode, nodeFlags, workloads, results };
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `bench-${report.date.replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`);
  fs.writeFileSync(outFile, JSON.stringify(report, null, 2));
  console.log(`\n${machine}; pg2graph write mode ${mode}; each contender into an empty graph${nodeFlags.length ? `; node ${nodeFlags.join(' ')}` : ''}\n`);
  console.log(table(results));
  console.log(`\n${judged(results)}`);
  console.log(`\nJSON: ${path.relative(ROOT, outFile)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
