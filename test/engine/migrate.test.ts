/**
 * The whole migration in one process (engine migrate(), what `pg2graph migrate` runs) on the sample database:
 * complete, idempotent, and exact after being interrupted at any batch — in the node phase, in the
 * relationship phase, in MERGE and in CREATE mode.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate, type MigrateOptions } from '../../dist/engine/migrate/migrate';
import type { RecordBatch } from '../../dist/engine/core/records';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { duplicateRelationships, graphCounts } from '../support/graph-counts';
import { createSampleDatabase, expectedCounts, sourceRows, type SampleDatabase } from '../support/sample';
import { PlanRun } from '../../dist/engine/read';
import { shapeNodes, shapeRelationships } from '../../dist/engine/shape';
import { Neo4jTarget } from '../../dist/engine/write';
import type { NodeEntry, RelationshipEntry } from '../../dist/engine/plan';
import { graphSnapshot } from './write-batches';

describe('migrate (engine) on the sample database', function () {
  this.timeout(120_000);
  let db: SampleDatabase;
  let driver: Driver;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;

  before(async () => {
    db = await createSampleDatabase('migrate');
    driver = testDriver();
    expected = await expectedCounts(db, db.plan);
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });
  beforeEach(() => clearGraph(driver));

  async function run(options: Partial<MigrateOptions> = {}) {
    const source = db.connection();
    const target = new Neo4jConnection(neo4jSettings());
    try {
      return await migrate(source, target, { plan: db.plan, ...options });
    } finally {
      await source.close();
      await target.close();
    }
  }

  /** Runs until `stopAfter` batches were written, then aborts (what Ctrl-C or a killed process leaves behind). */
  async function interruptedRun(stopAfter: number, options: Partial<MigrateOptions> = {}): Promise<RecordBatch[]> {
    const controller = new AbortController();
    const written: RecordBatch[] = [];
    await assert.rejects(
      run({
        ...options,
        signal: controller.signal,
        afterBatch: (batch) => {
          written.push(batch);
          if (written.length === stopAfter) controller.abort();
        },
      }),
      (error: { code?: string }) => error.code === 'READ_CANCELLED',
    );
    return written;
  }

  it('migrates every table and foreign key: counts equal what Postgres counts', async () => {
    const result = await run();
    assert.equal(result.read.stopped, false);
    assert.deepEqual(await graphCounts(driver), expected);
    const totalNodes = Object.values(expected.nodes).reduce((a, b) => a + b, 0);
    const totalRelationships = Object.values(expected.relationships).reduce((a, b) => a + b, 0);
    assert.equal(result.written.nodesCreated, totalNodes);
    assert.equal(result.written.relationshipsCreated, totalRelationships);
    assert.equal(result.written.missingEnds, 0);
    assert.ok(result.timings.readMs > 0 && result.timings.shapeMs > 0 && result.timings.writeMs > 0, JSON.stringify(result.timings));
    assert.equal(await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN count(c)'), 0, 'a finished run leaves no checkpoint');
  });

  it('a second MERGE run changes nothing', async () => {
    await run();
    const before = await graphSnapshot(driver);
    const again = await run();
    assert.equal(again.written.nodesCreated, 0);
    assert.equal(again.written.relationshipsCreated, 0);
    assert.deepEqual(await graphSnapshot(driver), before);
  });

  it('CREATE into an empty graph builds the same graph as MERGE; into a non-empty one it refuses', async () => {
    await run({ mode: 'merge' });
    const merged = await graphSnapshot(driver);
    await clearGraph(driver);
    await run({ mode: 'create' });
    assert.deepEqual(await graphSnapshot(driver), merged);
    await assert.rejects(
      run({ mode: 'create' }),
      (error: { code?: string; message: string }) => error.code === 'WRITE_TARGET_NOT_EMPTY' && /bookshop\./.test(error.message),
    );
  });

  for (const { stopAfter, mode } of [
    { stopAfter: 1, mode: 'merge' as const },
    { stopAfter: 9, mode: 'merge' as const },
    { stopAfter: 45, mode: 'merge' as const },
    { stopAfter: 5, mode: 'create' as const },
    { stopAfter: 50, mode: 'create' as const },
  ]) {
    it(`interrupted after batch ${stopAfter} (${mode}), a second run resumes and ends with the exact graph`, async () => {
      await run({ mode, batchSize: 250 });
      const complete = await graphSnapshot(driver);
      await clearGraph(driver);

      const written = await interruptedRun(stopAfter, { mode, batchSize: 250, concurrency: 2 });
      assert.ok(written.length >= stopAfter);
      const partial = await graphCounts(driver);
      assert.notDeepEqual(partial, expected, 'the interrupted run left the graph unfinished');
      // 36 node batches of 250 rows: later stops fall in the relationship phase
      if (stopAfter > 36)
        assert.ok(
          written.some((b) => b.kind === 'relationships'),
          'interrupted in the relationship phase',
        );

      const resumed = await run({ mode, batchSize: 250 });
      assert.ok(resumed.resumed.length + resumed.skipped.length > 0, 'the second run resumed from the checkpoints');
      assert.deepEqual(await graphCounts(driver), expected);
      assert.equal(await duplicateRelationships(driver), 0);
      assert.deepEqual(await graphSnapshot(driver), complete);
    });
  }

  it('a run whose entries all finished before its end arrived reads nothing and still ends the run; the next one reads everything', async () => {
    // a reading without control messages (so without runEnd): every batch is written with its checkpoint
    const source = db.connection();
    const target = new Neo4jConnection(neo4jSettings());
    const writer = new Neo4jTarget(target);
    try {
      await writer.prepare(db.plan);
      const reading = new PlanRun(source, { plan: db.plan });
      const writes: Array<Promise<void>> = [];
      await reading.start((batch) => {
        writes.push(
          (async () => {
            const records =
              batch.phase === 'nodes'
                ? await shapeNodes(batch.entry as NodeEntry, batch.rows)
                : shapeRelationships(batch.entry as RelationshipEntry, batch.ends!, batch.rows);
            const stats = records.kind === 'nodes' ? await writer.writeNodes(records, 'merge') : await writer.writeRelationships(records, 'merge');
            reading.acknowledge({ run: reading.id, seq: batch.rows.batch.seq, ok: true, stats });
          })(),
        );
      });
      await Promise.all(writes);
    } finally {
      await writer.close();
      await Promise.all([source.close(), target.close()]);
    }
    const entries = db.plan.nodes.length + db.plan.relationships.length;
    assert.equal(await count(driver, 'MATCH (c:Pg2GraphCheckpoint) WHERE c.complete RETURN count(c)'), entries, 'every entry finished, no run end yet');

    const ended = await run();
    assert.deepEqual([ended.skipped.length, ended.resumed.length, ended.read.rows], [entries, 0, 0], 'nothing left to read');
    assert.equal(await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN count(c)'), 0, 'and still its end removed the checkpoints');
    const next = await run();
    assert.deepEqual([next.skipped, next.resumed], [[], []]);
    assert.equal(next.read.rows, await sourceRows(db, db.plan), 'the next run reads every row again');
    assert.deepEqual(await graphCounts(driver), expected);
  });

  it('--fresh ignores the checkpoints of an unfinished run and reads everything again', async () => {
    await interruptedRun(4, { batchSize: 250 });
    const result = await run({ batchSize: 250, fresh: true });
    assert.deepEqual(result.resumed, []);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(await graphCounts(driver), expected);
  });

  it('bad input: an unknown mode, a plan whose table is gone', async () => {
    await assert.rejects(run({ mode: 'upsert' as never }), (e: { code?: string }) => e.code === 'MIGRATE_MODE_INVALID');
    const plan = structuredClone(db.plan);
    plan.nodes[0].table = { schema: 'bookshop', name: 'no_such_table' };
    await assert.rejects(run({ plan }), (e: { code?: string; message: string }) => e.code === 'READ_TABLE_NOT_FOUND' && e.message.includes(plan.nodes[0].id));
  });
});

async function count(driver: Driver, cypher: string): Promise<number> {
  const result = await driver.executeQuery(cypher);
  return Number(result.records[0].get(0));
}
