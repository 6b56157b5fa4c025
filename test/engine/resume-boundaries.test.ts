/**
 * A resume never loses rows, whatever happened between the runs. The first run fails with batches committed
 * after a gap (batch 3 of the node entry fails once batches 4..6 committed: the checkpoint holds a gap and
 * pending batches). Rows are then inserted into the gap's and the pending batches' key ranges, and the
 * resumed run (with another batch size, or the same) is crashed after each of its batches in turn; a last
 * run finishes. Every time, the graph ends with exactly the source's rows and relationships, and no checkpoint.
 * The resumed runs trust their checkpoints (the check of what changed since, test/engine/resume-changes.test.ts,
 * would read the changed entry again from its start and never exercise the checkpoint's gap).
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate, type MigrateOptions } from '../../dist/engine/migrate/migrate';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { count } from './write-batches';
import { checkpoints } from '../support/graph-counts';

const ROWS = 300;
const FIRST_BATCH = 25;
/** Source ids are 10, 20, ...: room for rows inserted between two runs inside any batch's key range. Inserted between the runs: into the gap (batch 3 of the first run: ids 760..1000), the pending batches (4..6) and beyond. */
const INSERTED = [765, 995, 1005, 1255, 1745, 2995];

class Crash extends Error {}

describe('resume after a gap: changed batch boundaries, rows inserted between the runs, a crash at every batch', function () {
  this.timeout(600_000);
  let db: ScratchDatabase;
  let plan: GraphPlan;
  let driver: Driver;

  before(async () => {
    db = await createScratchDatabase('gap');
    await db.query('CREATE TABLE items (id int PRIMARY KEY, parent int REFERENCES items (id), name text NOT NULL)');
    await db.query(`INSERT INTO items SELECT (g + 1) * 10, CASE WHEN g > 0 THEN g * 10 END, 'item ' || g FROM generate_series(0, ${ROWS - 1}) AS g`);
    const connection = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-plan' });
    try {
      plan = generatePlan(await introspectDatabase(connection, { schemas: ['public'] }));
    } finally {
      await connection.close();
    }
    assert.deepEqual([plan.nodes.length, plan.relationships.length], [1, 1]);
    driver = testDriver();
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });

  async function run(options: Partial<MigrateOptions>) {
    const source = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-gap' });
    const target = new Neo4jConnection(neo4jSettings());
    try {
      return await migrate(source, target, { plan, mode: 'merge', ...options });
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  }

  /** Node batch 3 of the first run fails inside its transaction once batches 4, 5 and 6 have committed. */
  async function runWithGap(): Promise<void> {
    const committed = new Set<number>();
    await assert.rejects(
      run({
        batchSize: FIRST_BATCH,
        concurrency: 4,
        afterBatch: (batch) => {
          if (batch.kind === 'nodes') committed.add(batch.batch.index);
        },
        writerHooks: {
          afterWrite: async (attempt) => {
            if (attempt.kind !== 'nodes' || attempt.index !== 3) return;
            const deadline = Date.now() + 20_000;
            while (![4, 5, 6].every((i) => committed.has(i)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
            throw new Crash('batch 3 fails after 4..6 committed');
          },
        },
      }),
    );
    assert.ok([4, 5, 6].every((i) => committed.has(i)) && !committed.has(3), `committed node batches: ${[...committed].sort((a, b) => a - b)}`);
  }

  /** The resumed run dies right after its k-th batch committed (nothing read ahead: one batch out at a time). */
  async function crashAfter(k: number, batchSize: number): Promise<number> {
    let written = 0;
    let resumed = false;
    try {
      await run({
        batchSize,
        trustCheckpoints: true,
        concurrency: 1,
        maxUnacknowledged: 1,
        afterBatch: (batch) => {
          if (batch.batch.origin?.after) resumed = true;
          if (++written === k) throw new Crash(`crash after batch ${k}`);
        },
      });
    } catch {
      assert.ok(resumed, "the run after the gap resumed after the checkpoint's key");
      return written;
    }
    return written;
  }

  async function expectExactGraph(what: string): Promise<void> {
    const source = await db.query<{ ids: number[]; pairs: string[] }>(
      "SELECT array_agg(id ORDER BY id) AS ids, array_agg(id || '>' || parent ORDER BY id) FILTER (WHERE parent IS NOT NULL) AS pairs FROM items",
    );
    const nodes = await driver.executeQuery('MATCH (n:Item) RETURN n.id AS id ORDER BY id');
    assert.deepEqual(
      nodes.records.map((r) => Number(r.get('id'))),
      source.rows[0].ids.map(Number),
      `${what}: every row is a node`,
    );
    const pairs = await driver.executeQuery('MATCH (a:Item)-[r]->(b:Item) RETURN toString(a.id) + ">" + toString(b.id) AS pair ORDER BY a.id');
    assert.deepEqual(
      pairs.records.map((r) => r.get('pair')),
      source.rows[0].pairs,
      `${what}: every foreign key is a relationship, once`,
    );
    assert.equal(await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN count(c)'), 0, `${what}: no checkpoint is left`);
  }

  for (const secondBatch of [17, FIRST_BATCH]) {
    it(`resumed with batch size ${secondBatch} (first run: ${FIRST_BATCH}), crashed after each of its batches`, async () => {
      let boundaries = 0;
      for (let k = 1; ; k++) {
        await clearGraph(driver);
        await db.query('DELETE FROM items WHERE id % 10 <> 0');
        await runWithGap();
        for (const extra of INSERTED) await db.query('INSERT INTO items VALUES ($1, $2, $3)', [extra, extra - 5, `inserted ${extra}`]);
        const written = await crashAfter(k, secondBatch);
        const finished = written < k; // the resumed run ended before its k-th batch: every boundary was tried
        const last = await run({ batchSize: FIRST_BATCH });
        assert.equal(last.read.stopped, false);
        // after a crash the last run continues the checkpoints (it does not merely read everything again)
        if (!finished) assert.ok(last.resumed.length + last.skipped.length > 0, `the run after the crash after batch ${k} resumed`);
        await expectExactGraph(finished ? 'resumed run completed' : `crashed after batch ${k} of the resumed run`);
        if (finished) break;
        boundaries++;
      }
      assert.ok(boundaries >= 10, `${boundaries} crash points tried`);
      console.log(`      ${boundaries} crash points, each followed by an exact graph`);
    });
  }

  /** A first run stopped after 5 batches, then a row inserted behind its checkpoint and some beyond it. */
  async function stoppedThenInserted(): Promise<{ behind: number; beyond: number[] }> {
    await clearGraph(driver);
    await db.query('DELETE FROM items WHERE id % 10 <> 0');
    const controller = new AbortController();
    let written = 0;
    await assert.rejects(
      run({
        batchSize: FIRST_BATCH,
        concurrency: 2,
        signal: controller.signal,
        afterBatch: () => {
          if (++written === 5) controller.abort();
        },
      }),
    );
    const result = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint {entry: $entry}) RETURN c.lastKey AS lastKey', { entry: plan.nodes[0].id });
    const reached = Number(JSON.parse(result.records[0].get('lastKey'))[0]);
    assert.ok(reached >= 250 && reached < 3000, `the stopped run's checkpoint reached id ${reached}`);
    const behind = reached - 5;
    const beyond = INSERTED.filter((extra) => extra > reached);
    for (const extra of [behind, ...beyond]) await db.query('INSERT INTO items VALUES ($1, $2, $3)', [extra, extra - 5, `inserted ${extra}`]);
    return { behind, beyond };
  }

  it('a row inserted behind the checkpoint of a half-read entry: the resume reads that entry again and the row arrives', async () => {
    const { behind, beyond } = await stoppedThenInserted();
    const resumed = await run({ batchSize: 40 });
    assert.ok(resumed.reread.includes(plan.nodes[0].id), 'read again from its start: its table changed');
    assert.equal(resumed.resumed.includes(plan.nodes[0].id), false);
    const present = (await driver.executeQuery('MATCH (n:Item) RETURN collect(n.id) AS ids')).records[0].get('ids').map(Number);
    assert.ok(
      [behind, ...beyond].every((extra) => present.includes(extra)),
      'every inserted row arrived',
    );
    await expectExactGraph('the resume that read the changed entry again');
  });

  it('trusting the checkpoints, a resumed run reads every row beyond its checkpoint as of its own snapshot; rows inserted behind it wait for the next run', async () => {
    const { behind, beyond } = await stoppedThenInserted();
    const resumed = await run({ batchSize: 40, trustCheckpoints: true });
    assert.ok(resumed.resumed.includes(plan.nodes[0].id), 'resumed from the checkpoint');
    const ids = async () => (await driver.executeQuery('MATCH (n:Item) RETURN collect(n.id) AS ids')).records[0].get('ids').map(Number);
    const present = await ids();
    assert.ok(
      beyond.every((extra) => present.includes(extra)),
      'rows inserted beyond the checkpoint arrive with the resume',
    );
    assert.equal(
      present.includes(behind),
      false,
      'a row inserted behind the checkpoint is not read again by the resume (it is newer than that part of the copy)',
    );
    assert.equal((await checkpoints(driver)).nodes, 0, 'the resumed run completed');

    const next = await run({ batchSize: 40 });
    assert.deepEqual([next.resumed, next.skipped], [[], []], 'the next run is a new run');
    await expectExactGraph('the next run');
  });
});
