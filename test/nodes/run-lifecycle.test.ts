/**
 * A run's lifecycle in the migration flow (Node-RED 4.1 and 5.0): a run cut off by a redeploy, a Node-RED
 * restart, msg.stop or a failed batch is finished by the next run, and once a run is complete its checkpoints
 * are gone, so the next run of the same plan is a new run: it reads every row again (rows added to the source
 * meanwhile arrive), MERGE changes nothing else, and again no checkpoint is left behind.
 */
import assert from 'assert/strict';
import pg from 'pg';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { helper, nextMessage, withNodeRedServer } from '../support/node-red';
import { statusTexts, warningTexts } from './read-flow';
import { nodeRedPackage } from '../support/env';
import { clearGraph, testDriver } from '../support/databases';
import { duplicateRelationships, graphCounts } from '../support/graph-counts';
import { createSampleDatabase, expectedCounts, sourceRows, type SampleDatabase } from '../support/sample';
import {
  checkpoints,
  migrationCredentials,
  migrationFlow,
  migrationModules,
  runMigrationFlow,
  waitForCheckpoints,
  type Caught,
  type Completion,
} from '../support/migration-flow';

/** The core function node of the runtime under test (to refuse one batch as a failed write would). */
function functionModule(): unknown {
  const runtime = path.dirname(require.resolve(`${nodeRedPackage()}/package.json`));
  const candidates = [
    path.join(runtime, 'node_modules', '@node-red', 'nodes', 'core', 'function', '10-function.js'),
    path.join(runtime, '..', '@node-red', 'nodes', 'core', 'function', '10-function.js'),
  ];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(candidates.find((c) => require('fs').existsSync(c)) as string);
}

/** Refuses relationship batch 2 of the first relationship entry once, acknowledging it as failed (as graph write does). */
const REFUSE_ONE_BATCH = `
const b = msg.payload && msg.payload.batch;
if (b && b.phase === 'relationships' && b.index === 2 && !context.get('refused')) {
  context.set('refused', true);
  return [null, { ack: { run: b.run, seq: b.seq, entry: b.entry, ok: false, error: { code: 'TEST_REFUSED', message: 'refused once by the test' } } }];
}
return [msg, null];`;

describe('run lifecycle: stop, failure, redeploy, restart, then the next run', function () {
  this.timeout(300_000);
  let db: SampleDatabase;
  let driver: Driver;

  before(async () => {
    db = await createSampleDatabase('lifecycle');
    driver = testDriver();
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });
  withNodeRedServer();

  const load = (options: Parameters<typeof migrationFlow>[1] = {}) =>
    helper.load(options.between ? [...migrationModules, functionModule()] : migrationModules, migrationFlow(db, options), migrationCredentials(db));

  /** A finished run leaves the exact graph and no checkpoint. */
  async function expectFinished(completion: Completion, what: string): Promise<void> {
    assert.equal(completion.topic, 'complete', what);
    assert.deepEqual(await graphCounts(driver), await expectedCounts(db, db.plan), `${what}: the graph holds the source`);
    assert.equal(await duplicateRelationships(driver), 0, `${what}: no duplicate relationship`);
    assert.equal((await checkpoints(driver)).nodes, 0, `${what}: no checkpoint is left`);
  }

  /** The next run of the same plan reads every row again and leaves no checkpoint either. */
  async function expectNextRunReadsEverything(): Promise<void> {
    const completion = await runMigrationFlow({ plan: db.plan });
    assert.equal(completion.payload.rows, await sourceRows(db, db.plan), 'the next run read every row again');
    await expectFinished(completion, 'the next run');
  }

  it('redeployed mid-run, resumed, then run again after rows were added: the new rows arrive, no checkpoint is left', async () => {
    await clearGraph(driver);
    await load({ batchSize: '100' });
    helper.getNode('reader').receive({ plan: db.plan });
    // cut off once some entries are finished and one is half way, with more batches left than can be in flight
    // (4), so the batches still out when the flow goes cannot finish it: the resumed run skips the finished
    // entries and continues that one from its key
    const batchesOf = new Map<string, number>();
    for (const entry of db.plan.nodes) {
      const table = `${pg.escapeIdentifier(entry.table!.schema)}.${pg.escapeIdentifier(entry.table!.name)}`;
      const rows = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      batchesOf.set(entry.id, Math.ceil(rows / 100));
    }
    await waitForCheckpoints(driver, (c) => c.complete >= 2 && c.nodes > c.complete);
    for (const deadline = Date.now() + 60_000; ;) {
      const open = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) WHERE NOT c.complete RETURN c.entry AS entry, c.batches AS batches');
      if (open.records.some((r) => (batchesOf.get(r.get('entry')) ?? 0) - Number(r.get('batches')) > 8)) break;
      assert.ok(Date.now() < deadline, 'no entry was ever half way with batches to spare');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    const cutOff = await checkpoints(driver);
    assert.ok(cutOff.complete >= 2 && cutOff.nodes > cutOff.complete, JSON.stringify(cutOff));

    await helper.setFlows(migrationFlow(db, { batchSize: '100' }), 'full', migrationCredentials(db));
    const resumed = await runMigrationFlow({ plan: db.plan });
    assert.ok(resumed.payload.rows < (await sourceRows(db, db.plan)), `the resumed run read only what was left (${resumed.payload.rows} rows)`);
    await expectFinished(resumed, 'the resumed run');

    await db.query(`INSERT INTO bookshop.customer (customer_id, email, full_name, tier, referred_by, signed_up_at)
      VALUES (900001, 'late@example.org', 'Late Comer', 'gold', 1, '2026-12-01 12:00:00.123456+00')`);
    await db.query("INSERT INTO bookshop.address (address_id, customer_id, street, city, country) VALUES (900001, 900001, '1 New Street', 'Leeds', 'GB')");
    try {
      await expectNextRunReadsEverything();
      const late = await driver.executeQuery(
        'MATCH (a:Address {addressId: 900001})-[]->(c:Customer {customerId: 900001})-[]->(:Customer {customerId: 1}) RETURN count(*) AS n',
      );
      assert.equal(Number(late.records[0].get('n')), 1, 'the added customer, its address and both relationships arrived');
    } finally {
      await db.query('DELETE FROM bookshop.address WHERE address_id = 900001');
      await db.query('DELETE FROM bookshop.customer WHERE customer_id = 900001');
    }
  });

  it('redeployed mid-run, then a row of a finished entry updated: the resumed run reads that entry again, warns and says so in its status', async () => {
    await clearGraph(driver);
    await load({ batchSize: '100' });
    helper.getNode('reader').receive({ plan: db.plan });
    await waitForCheckpoints(driver, (c) => c.complete >= 1 && c.nodes > c.complete);
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    const done = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) WHERE c.complete RETURN c.entry AS entry');
    const finished = db.plan.nodes.find((n) => done.records.some((r) => r.get('entry') === n.id))!;
    // an update that changes no value still writes a new row version: the source changed since the checkpoint
    const table = `${pg.escapeIdentifier(finished.table!.schema)}.${pg.escapeIdentifier(finished.table!.name)}`;
    const column = pg.escapeIdentifier(finished.properties[0].column!);
    await db.query(`UPDATE ${table} SET ${column} = ${column} WHERE ctid = (SELECT ctid FROM ${table} LIMIT 1)`);

    await helper.setFlows(migrationFlow(db, { batchSize: '100' }), 'full', migrationCredentials(db));
    const resumed = await runMigrationFlow({ plan: db.plan });
    const reread = (resumed.payload as unknown as { reread: Array<{ entry: string; was: string; reason: string }> }).reread;
    const mine = reread.find((r) => r.entry === finished.id);
    assert.ok(mine, `the finished entry ${finished.id} was read again: ${JSON.stringify(reread)}`);
    assert.equal(mine.was, 'done');
    assert.match(mine.reason, /changed since: 1 rows inserted or updated$/);
    assert.ok(statusTexts('reader').includes('pg2graph-read.status.doneReread'), statusTexts('reader').join(' | '));
    assert.ok(warningTexts('reader').includes('pg2graph-read.warn.run'), 'a warning says so');
    await expectFinished(resumed, 'the resumed run');
  });

  it('restarted mid-run (Node-RED stopped and started): the next run resumes from the checkpoints and finishes', async () => {
    await clearGraph(driver);
    await load({ batchSize: '100' });
    helper.getNode('reader').receive({ plan: db.plan });
    await waitForCheckpoints(driver, (c) => c.batches >= 8);
    await helper.unload();
    await new Promise((resolve) => helper.stopServer(resolve));
    assert.ok((await checkpoints(driver)).nodes > 0, 'the stopped run left its checkpoints');
    await new Promise((resolve) => helper.startServer(resolve));
    await load({ batchSize: '100' });
    const resumed = await runMigrationFlow({ plan: db.plan });
    assert.ok(resumed.payload.rows < (await sourceRows(db, db.plan)), 'resumed, not read again from the start');
    await expectFinished(resumed, 'the resumed run');
    await expectNextRunReadsEverything();
  });

  it("stopped with msg.stop, continued with the stopped message's msg.resume, then run again", async () => {
    await clearGraph(driver);
    await load({ batchSize: '100' });
    const stopped = nextMessage<Completion>(helper.getNode('done'), 60_000);
    helper.getNode('reader').receive({ plan: db.plan });
    await waitForCheckpoints(driver, (c) => c.batches >= 5);
    helper.getNode('reader').receive({ stop: true });
    const first = await stopped;
    assert.equal(first.topic, 'stopped');
    assert.ok(first.resume && Object.keys(first.resume).length > 0, 'the stopped message says where to resume');
    const resumed = await runMigrationFlow({ plan: db.plan, resume: first.resume, resumeFrom: first.resumeFrom });
    assert.ok(resumed.payload.rows < (await sourceRows(db, db.plan)), `continued, not read again from the start (${resumed.payload.rows} rows)`);
    await expectFinished(resumed, 'the continued run');
    await expectNextRunReadsEverything();
  });

  it('a failed batch stops the run; the caught message continues it; then run again', async () => {
    await clearGraph(driver);
    await load({ batchSize: '100', between: { type: 'function', func: REFUSE_ONE_BATCH, outputs: 2, wires: [['writer'], ['reader']] } });
    const caught = nextMessage<Caught>(helper.getNode('caught'), 60_000);
    helper.getNode('reader').receive({ plan: db.plan });
    const failure = await caught;
    assert.equal(failure.error.code, 'READ_BATCH_FAILED');
    assert.match(failure.error.message, /batch 2 of entry "bookshop\.[^"]+" \(keys .* to .*\) was not written: refused once by the test/);
    assert.ok(failure.resume, 'the caught message carries msg.resume');
    const resumed = await runMigrationFlow({ plan: db.plan, resume: failure.resume, resumeFrom: failure.resumeFrom });
    assert.ok(resumed.payload.rows < (await sourceRows(db, db.plan)), `continued, not read again from the start (${resumed.payload.rows} rows)`);
    await expectFinished(resumed, 'the continued run');
    await expectNextRunReadsEverything();
  });
});
