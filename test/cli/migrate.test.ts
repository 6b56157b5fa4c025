/**
 * `pg2graph migrate` as a child process on the sample database: a plan made by `pg2graph plan` migrates
 * completely, a re-run changes nothing, a process killed mid-run (SIGKILL) is resumed by running the same
 * command again, and bad input gives clear errors and a non-zero exit code.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { duplicateRelationships, graphCounts } from '../support/graph-counts';
import { createSampleDatabase, expectedCounts, sourceRows, type SampleDatabase } from '../support/sample';
import { pg2graph, startPg2graph } from '../support/cli';
import { assertNoSecret } from '../support/secrets';
import { graphSnapshot } from '../engine/write-batches';
import { checkpoints } from '../support/graph-counts';

const checkpointNodes = async (driver: Driver) => (await checkpoints(driver)).nodes;

describe('pg2graph migrate (command line)', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let driver: Driver;
  let dir: string;
  let planFile: string;
  let env: NodeJS.ProcessEnv;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;
  let totalRows: number;

  before(async () => {
    db = await createSampleDatabase('climigrate');
    driver = testDriver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-migrate-'));
    const neo = neo4jSettings();
    env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
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
    await driver?.close();
  });
  beforeEach(() => clearGraph(driver));

  it('migrates the plan completely; --json prints the summary on stdout, progress goes to stderr', async () => {
    const run = await pg2graph(['migrate', '--plan', planFile, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.read.stopped, false);
    assert.equal(
      summary.written.nodesCreated,
      Object.values(expected.nodes).reduce((a, b) => a + b, 0),
    );
    assert.equal(
      summary.written.relationshipsCreated,
      Object.values(expected.relationships).reduce((a, b) => a + b, 0),
    );
    assert.deepEqual(await graphCounts(driver), expected);
    assert.equal(summary.read.rows, totalRows);
    assertNoSecret(run.stdout + run.stderr, [env.NEO4J_PASSWORD], 'no password in the output');
  });

  it('a re-run changes nothing', async () => {
    assert.equal((await pg2graph(['migrate', '--plan', planFile], env)).code, 0);
    const before = await graphSnapshot(driver);
    const again = await pg2graph(['migrate', '--plan', planFile], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nodes created 0, matched \d+ \(already there\); relationships created 0;/);
    assert.deepEqual(await graphSnapshot(driver), before);
  });

  it('a process killed mid-run is resumed by running the same command again: exact counts, no duplicates', async () => {
    const child = startPg2graph(['migrate', '--plan', planFile, '--batch-size', '100', '--mode', 'create'], env);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // kill it once some batches are committed, but long before the end
    const deadline = Date.now() + 60_000;
    let committed = 0;
    while (committed < 5 && Date.now() < deadline && child.exitCode === null) {
      const result = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) RETURN coalesce(sum(c.batches), 0) AS n');
      committed = neo4j.integer.toNumber(result.records[0].get('n'));
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(committed >= 5, 'batches were committed before the kill');
    assert.notDeepEqual(await graphCounts(driver), expected, 'the killed run did not finish');

    const resumed = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '100', '--mode', 'create'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /resumed an unfinished run/);
    assert.deepEqual(await graphCounts(driver), expected);
    assert.equal(await duplicateRelationships(driver), 0);
    assert.equal(await checkpointNodes(driver), 0, 'the finished run left no checkpoint');

    // the next run of the same plan is a new run: it reads every row again and MERGE changes nothing
    const graph = await graphSnapshot(driver);
    const again = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '100', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout);
    assert.deepEqual([summary.resumed, summary.skipped], [[], []]);
    assert.equal(summary.read.rows, totalRows, 'every row read again');
    assert.deepEqual([summary.written.nodesCreated, summary.written.relationshipsCreated], [0, 0]);
    assert.deepEqual(await graphSnapshot(driver), graph);
    assert.equal(await checkpointNodes(driver), 0);
  });

  it('bad input: no --plan, a missing file, a bad mode, an invalid plan, an unreachable Neo4j', async () => {
    const noPlan = await pg2graph(['migrate'], env);
    assert.equal(noPlan.code, 1);
    assert.match(noPlan.stderr, /CLI_FLAG_INVALID: --plan FILE is required/);
    const missing = await pg2graph(['migrate', '--plan', path.join(dir, 'nope.json')], env);
    assert.match(missing.stderr, /PLAN_NOT_FOUND/);
    assert.equal(missing.code, 1);
    const badMode = await pg2graph(['migrate', '--plan', planFile, '--mode', 'upsert'], env);
    assert.match(badMode.stderr, /--mode must be merge or create, got "upsert"/);
    const edited = JSON.parse(fs.readFileSync(planFile, 'utf8'));
    edited.nodes[1].properties[0].column = 'no_such_column';
    const editedFile = path.join(dir, 'edited.json');
    fs.writeFileSync(editedFile, JSON.stringify(edited));
    const invalid = await pg2graph(['migrate', '--plan', editedFile], env);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /PLAN_INVALID/);
    assert.match(invalid.stderr, /nodes\[1\]\.properties\[0\]\.column/);
    for (const [value, shown] of [
      ['0', '"0"'],
      ['-1', '"-1"'],
      ['1.5', '"1.5"'],
      ['soon', '"soon"'],
      ['', '""'],
      ['86400001', '"86400001"'],
    ]) {
      // --flag=VALUE: parseArgs takes "-1" after a space for a flag of its own
      const badTimeout = await pg2graph(['migrate', '--plan', planFile, `--batch-timeout-ms=${value}`], env);
      assert.equal(badTimeout.code, 1, badTimeout.stderr);
      assert.match(badTimeout.stderr, new RegExp(`CLI_FLAG_INVALID: --batch-timeout-ms must be an integer from 1 to 86,400,000, got ${shown}`));
    }
    const unreachable = await pg2graph(['migrate', '--plan', planFile, '--neo4j-uri', 'bolt://127.0.0.1:1'], env);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /NEO4J_UNREACHABLE/);
    assert.deepEqual((await graphCounts(driver)).nodes, {}, 'nothing was written by a failed start');
  });
});
