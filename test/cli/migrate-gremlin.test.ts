/**
 * `pg2graph migrate --gremlin` as a child process on the sample database, against the real Gremlin Server the
 * test hooks start: a plan made by `pg2graph plan` migrates completely, a re-run changes nothing, a process
 * killed mid-run (SIGKILL) is resumed from the Gremlin checkpoints to exact counts, and bad input (an unreachable
 * server, a port that never answers, an unknown traversal source, extra labels, CREATE into a non-empty graph)
 * ends with a typed error within its bound and nothing written.
 */
import assert from 'assert/strict';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import type { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import { createSampleDatabase, expectedCounts, sourceRows, type SampleDatabase } from '../support/sample';
import { pg2graph, startPg2graph } from '../support/cli';
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
  });
});
