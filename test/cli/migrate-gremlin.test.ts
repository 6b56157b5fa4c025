/**
 * `pg2graph migrate --gremlin` as a child process on the sample database, against the real Gremlin Server the
 * test hooks start: a plan made by `pg2graph plan` migrates completely, a re-run changes nothing, a process
 * killed mid-run (SIGKILL) is resumed from the Gremlin checkpoints to exact counts, `pg2graph verify --gremlin`
 * passes on what was written and catches planted faults (a value of the wrong Java type, a vertex gone, one too
 * many, an edge gone), the value-traps database migrates and verifies, and bad input (an unreachable
 * server, a port that never answers, an unknown traversal source, extra labels, CREATE into a non-empty graph)
 * ends with a typed error within its bound and nothing written.
 */
import assert from 'assert/strict';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import type { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import gremlinClient from 'gremlin';
import { GremlinLong } from '../../dist/engine/connect/gremlin-codec';
import { createSampleDatabase, expectedCounts, sourceRows, type SampleDatabase } from '../support/sample';
import { trapsDatabase, TRAP_ROWS } from '../support/value-traps';
import { pg2graph, startPg2graph } from '../support/cli';
import { countEntries } from '../../dist/engine/verify/count-check';
import {
  clearGremlin,
  gremlinCheckpointCount,
  gremlinCommittedBatches,
  gremlinCounts,
  gremlinSnapshot,
  gremlinUrl,
  testGremlinConnection,
} from '../support/gremlin';

describe('pg2graph migrate --gremlin (command line, real Gremlin Server)', function () {
  this.timeout(240_000);
  let db: SampleDatabase;
  let gremlin: GremlinConnection;
  let dir: string;
  let planFile: string;
  let env: NodeJS.ProcessEnv;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;
  let totalRows: number;

  before(async () => {
    db = await createSampleDatabase('cligremlin');
    gremlin = testGremlinConnection();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-gremlin-'));
    // only the Gremlin server is named: the command picks it (NEO4J_URI is not set for these runs)
    env = { DATABASE_URL: db.url, GREMLIN_URL: gremlinUrl(), NEO4J_URI: '' };
    const plan = await pg2graph(['plan', '--schema', 'bookshop'], env);
    assert.equal(plan.code, 0, plan.stderr);
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, plan.stdout);
    expected = await expectedCounts(db, JSON.parse(plan.stdout));
    totalRows = await sourceRows(db, JSON.parse(plan.stdout));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await gremlin?.close();
  });
  beforeEach(() => clearGremlin(gremlin));

  it('migrates the plan completely: vertices and edges per label equal the source rows', async () => {
    const run = await pg2graph(['migrate', '--plan', planFile, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.read.rows, totalRows);
    assert.equal(
      summary.written.nodesCreated,
      Object.values(expected.nodes).reduce((a, b) => a + b, 0),
    );
    assert.equal(
      summary.written.relationshipsCreated,
      Object.values(expected.relationships).reduce((a, b) => a + b, 0),
    );
    assert.deepEqual(await gremlinCounts(gremlin), expected);
    assert.equal(await gremlinCheckpointCount(gremlin), 0, 'a finished run leaves no checkpoint');
  });

  it('a re-run changes nothing (MERGE finds every element by its id)', async () => {
    assert.equal((await pg2graph(['migrate', '--plan', planFile], env)).code, 0);
    const before = await gremlinSnapshot(gremlin);
    const again = await pg2graph(['migrate', '--plan', planFile], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nodes created 0, matched \d+ \(already there\); relationships created 0;/);
    assert.deepEqual(await gremlinSnapshot(gremlin), before);
  });

  it('a process killed mid-run is resumed by running the same command again: exact counts, no element twice', async () => {
    const args = ['migrate', '--plan', planFile, '--batch-size', '100', '--mode', 'create'];
    const child = startPg2graph(args, env);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 60_000;
    let committed = 0;
    while (committed < 5 && Date.now() < deadline && child.exitCode === null) committed = await gremlinCommittedBatches(gremlin);
    child.kill('SIGKILL');
    await exited;
    assert.ok(committed >= 5, 'batches were committed before the kill');
    assert.notDeepEqual(await gremlinCounts(gremlin), expected, 'the killed run did not finish');

    const resumed = await pg2graph(args, env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /resumed an unfinished run/);
    // ids are unique on the server: equal counts mean every row is there exactly once
    assert.deepEqual(await gremlinCounts(gremlin), expected);
    assert.equal(await gremlinCheckpointCount(gremlin), 0);
  });

  it('pg2graph verify passes on the migrated graph and names each planted fault', async () => {
    assert.equal((await pg2graph(['migrate', '--plan', planFile], env)).code, 0);
    const passed = await pg2graph(['verify', '--plan', planFile, '--json'], env);
    assert.equal(passed.code, 0, passed.stdout + passed.stderr);
    assert.equal(JSON.parse(passed.stdout).ok, true);

    const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
    const book = plan.nodes.find((n: { table: { name: string } }) => n.table.name === 'book');
    const customer = plan.nodes.find((n: { table: { name: string } }) => n.table.name === 'customer');
    const g = gremlin.g();
    const { cardinality } = gremlinClient.process;
    // a Long written as an Int (what a JS number < 2^31 becomes): equal as a number, wrong as a Java type
    const [bookId] = await gremlin.run<string>(g.V().hasLabel(book.label).limit(1).id(), 10_000, 'a book');
    const [properties0] = await gremlin.run<Map<string, unknown[]>>(gremlin.g().V(bookId).valueMap(), 10_000, 'its properties');
    const [intProperty, [stored]] = [...properties0].find(([, values]) => values[0] instanceof GremlinLong) as [string, GremlinLong[]];
    assert.ok(stored instanceof GremlinLong, `${intProperty} of ${bookId} is a Long`);
    await gremlin.run(gremlin.g().V(bookId).property(cardinality.single, intProperty, Number(stored.value)), 10_000, 'plant an Int');
    const [customerId] = await gremlin.run<string>(gremlin.g().V().hasLabel(customer.label).limit(1).id(), 10_000, 'a customer');
    await gremlin.run(gremlin.g().V(customerId).drop(), 10_000, 'drop a customer');
    await gremlin.run(gremlin.g().addV(book.label).property(gremlinClient.process.t.id, `${book.label}:planted`), 10_000, 'an extra book');

    // the count check after a run reads every count in one pass per element kind; each differs where planted
    const source = db.connection('pg2graph-test-counts');
    try {
      const counts = await countEntries(source, gremlin, { plan });
      const byEntry = new Map(counts.map((c) => [c.entry, c]));
      assert.equal(counts.length, plan.nodes.length + plan.relationships.length);
      assert.deepEqual(byEntry.get(book.id), {
        entry: book.id,
        kind: 'node',
        source: expected.nodes[book.label],
        graph: expected.nodes[book.label] + 1,
        ok: false,
      });
      assert.deepEqual(byEntry.get(customer.id), {
        entry: customer.id,
        kind: 'node',
        source: expected.nodes[customer.label],
        graph: expected.nodes[customer.label] - 1,
        ok: false,
      });
      const wrong = counts.filter((c) => !c.ok && c.kind === 'relationship');
      assert.ok(wrong.length >= 1 && wrong.every((c) => c.graph < c.source), JSON.stringify(wrong));
      assert.ok(
        counts.filter((c) => c.ok).every((c) => c.source === c.graph && c.source > 0),
        'the untouched entries count what the source holds',
      );
    } finally {
      await source.close();
    }

    const failed = await pg2graph(['verify', '--plan', planFile, '--json'], env);
    assert.equal(failed.code, 1, failed.stderr);
    const report = JSON.parse(failed.stdout);
    const entry = (id: string) => report.entries.find((e: { entry: string }) => e.entry === id);
    const check = (id: string, name: string) => entry(id).checks.find((c: { check: string }) => c.check === name);
    const properties = check(book.id, 'properties');
    assert.equal(properties.ok, false);
    assert.ok(
      properties.examples.some((e: { property: string; found: string }) => e.property === intProperty && /^Int \d+$/.test(e.found)),
      JSON.stringify(properties.examples),
    );
    assert.equal(check(book.id, 'unexpected').found, 1);
    assert.equal(check(customer.id, 'missing').found, 1);
    assert.equal(check(customer.id, 'count').ok, false);
    // the customer's edges went with it: the relationship entries ending there miss them
    const customerEdges = report.entries.filter(
      (e: { entry: string; ok: boolean }) => e.entry.startsWith('bookshop.') && !e.ok && e.entry !== book.id && e.entry !== customer.id,
    );
    assert.ok(customerEdges.length >= 1, 'a relationship entry names its missing edges');
  });

  it('the value-traps database migrates under the lossless policies and verifies', async () => {
    const traps = await trapsDatabase('gremlintraps');
    try {
      const trapsEnv = { ...env, DATABASE_URL: traps.url };
      const plan = await pg2graph(['plan', '--schema', 'public'], trapsEnv);
      assert.equal(plan.code, 0, plan.stderr);
      const file = path.join(dir, 'traps.json');
      fs.writeFileSync(file, plan.stdout);
      const run = await pg2graph(['migrate', '--plan', file], trapsEnv);
      assert.equal(run.code, 0, run.stderr);
      const counts = await gremlinCounts(gremlin);
      assert.equal(
        Object.values(counts.nodes).reduce((a, b) => a + b, 0),
        Object.values(TRAP_ROWS).reduce((a, b) => a + b, 0),
      );
      const verified = await pg2graph(['verify', '--plan', file], trapsEnv);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    } finally {
      await traps.drop();
    }
  });

  it('bad input: unreachable server, a port that never answers, an unknown traversal source, extra labels, CREATE into a non-empty graph', async () => {
    const started = Date.now();
    const refused = await pg2graph(['migrate', '--plan', planFile, '--gremlin', 'ws://127.0.0.1:1/gremlin'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /GREMLIN_UNREACHABLE: Gremlin server at ws:\/\/127\.0\.0\.1:1\/gremlin/);

    // accepts TCP and never answers: the connection check gives up after its 5 s connect timeout
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const blackHole = Date.now();
      const hung = await pg2graph(['migrate', '--plan', planFile, '--gremlin', `ws://127.0.0.1:${port}/gremlin`], env, 30_000);
      assert.equal(hung.code, 1, hung.stderr);
      assert.match(hung.stderr, /GREMLIN_UNREACHABLE: .*gave no answer to the connection check within 5000 ms/);
      assert.ok(Date.now() - blackHole < 15_000, `ended ${Date.now() - blackHole} ms after it started`);
    } finally {
      silent.close();
    }

    const unknownSource = await pg2graph(['migrate', '--plan', planFile, '--traversal-source', 'nope'], env);
    assert.equal(unknownSource.code, 1);
    assert.match(unknownSource.stderr, /GREMLIN_TRAVERSAL_SOURCE_UNKNOWN: .*no traversal source "nope"/);

    const badSource = await pg2graph(['migrate', '--plan', planFile, '--traversal-source', 'g; drop'], env);
    assert.match(badSource.stderr, /GREMLIN_SETTING_INVALID: Gremlin setting "traversalSource" must be a name/);
    const badUrl = await pg2graph(['migrate', '--plan', planFile, '--gremlin', 'http://127.0.0.1:8182/gremlin'], env);
    assert.match(badUrl.stderr, /GREMLIN_SETTING_INVALID: Gremlin setting "url" has scheme "http"; expected ws or wss/);
    const both = await pg2graph(['migrate', '--plan', planFile, '--gremlin', gremlinUrl(), '--target', 'neo4j'], env);
    assert.match(both.stderr, /CLI_FLAG_INVALID: --gremlin names a Gremlin server, --target neo4j asks for Neo4j/);

    const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
    plan.nodes[0].labels = ['Extra'];
    const labelled = path.join(dir, 'labels.json');
    fs.writeFileSync(labelled, JSON.stringify(plan));
    const extra = await pg2graph(['migrate', '--plan', labelled], env);
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, new RegExp(`WRITE_PLAN_UNSUPPORTED: Entry "${plan.nodes[0].id}" has the extra labels "Extra": a Gremlin vertex has one label`));
    assert.deepEqual(await gremlinCounts(gremlin), { nodes: {}, relationships: {} }, 'nothing written by the failed starts');
    assert.ok(Date.now() - started < 120_000);

    assert.equal((await pg2graph(['migrate', '--plan', planFile], env)).code, 0);
    const create = await pg2graph(['migrate', '--plan', planFile, '--mode', 'create'], env);
    assert.equal(create.code, 1);
    assert.match(create.stderr, /WRITE_TARGET_NOT_EMPTY: .*CREATE mode refuses entry .*the target already holds vertices labelled/);

    // CREATE asks about every label at once: one vertex of the last node entry's label alone is found too
    await clearGremlin(gremlin);
    const last = plan.nodes[plan.nodes.length - 1];
    await gremlin.run(gremlin.g().addV(last.label).property(gremlinClient.process.t.id, `${last.label}:planted`), 10_000, 'one vertex of the last label');
    const lastRefused = await pg2graph(['migrate', '--plan', planFile, '--mode', 'create'], env);
    assert.equal(lastRefused.code, 1, lastRefused.stderr);
    assert.match(lastRefused.stderr, new RegExp(`WRITE_TARGET_NOT_EMPTY: .*CREATE mode refuses entry "${last.id}".*vertices labelled "${last.label}"`));
  });
});
