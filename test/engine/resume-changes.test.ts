/**
 * A resume checks what its checkpoints call finished or half read against the source (README, Resuming a run):
 * an unchanged source resumes as before, an entry whose table had rows inserted, updated or deleted since is
 * read again from its start (MERGE), trustCheckpoints skips the check, and the count check after the run names
 * what a MERGE re-read cannot undo (rows deleted).
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { Neo4jConnection, PostgresConnection } from '../../dist/engine/connect';
import { migrate, type MigrateOptions, type MigrateResult } from '../../dist/engine/migrate';
import { countEntries } from '../../dist/engine/verify';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { duplicateRelationships, graphCounts } from '../support/graph-counts';

const FIXTURE = `
  CREATE SCHEMA shop;
  CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE, total int NOT NULL);
  INSERT INTO shop.customers SELECT g, 'customer ' || g FROM generate_series(1, 1000) g;
  INSERT INTO shop.orders SELECT g, 1 + g % 1000, g FROM generate_series(1, 1000) g;
`;

describe('resume: what changed in the source since the checkpoints', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let plan: GraphPlan;
  let ids: { customers: string; orders: string; placed: string };

  before(async () => {
    db = await createScratchDatabase('resumechg');
    driver = testDriver();
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });
  beforeEach(async () => {
    await clearGraph(driver);
    await db.query('DROP SCHEMA IF EXISTS shop CASCADE');
    await db.query(FIXTURE);
    const connection = new PostgresConnection(db.settings);
    try {
      plan = generatePlan(await introspectDatabase(connection, { schemas: ['shop'] }));
    } finally {
      await connection.close();
    }
    ids = {
      customers: plan.nodes.find((n) => n.table?.name === 'customers')!.id,
      orders: plan.nodes.find((n) => n.table?.name === 'orders')!.id,
      placed: plan.relationships[0].id,
    };
  });

  async function run(options: Partial<MigrateOptions> = {}): Promise<MigrateResult & { warnings: string[] }> {
    const source = new PostgresConnection(db.settings);
    const target = new Neo4jConnection(neo4jSettings());
    const warnings: string[] = [];
    try {
      const result = await migrate(source, target, { plan, batchSize: 100, concurrency: 1, onWarning: (w) => warnings.push(w), ...options });
      return { ...result, warnings };
    } finally {
      await source.close();
      await target.close();
    }
  }

  /** Writes `stopAfter` batches (customers 0-9, orders 10-19, the relationships 20-29), then aborts like Ctrl-C. */
  async function interrupted(stopAfter: number): Promise<void> {
    const controller = new AbortController();
    let written = 0;
    await assert.rejects(
      run({
        signal: controller.signal,
        afterBatch: () => {
          if (++written === stopAfter) controller.abort();
        },
      }),
      (error: { code?: string }) => error.code === 'READ_CANCELLED',
    );
  }

  async function counts() {
    const source = new PostgresConnection(db.settings);
    const target = new Neo4jConnection(neo4jSettings());
    try {
      return Object.fromEntries((await countEntries(source, target, { plan })).map((c) => [c.entry, [c.source, c.graph]]));
    } finally {
      await source.close();
      await target.close();
    }
  }

  async function exact(): Promise<void> {
    const all = await counts();
    for (const [entry, [source, graph]] of Object.entries(all)) assert.equal(graph, source, `entry ${entry}: graph count equals source count`);
    assert.equal(await duplicateRelationships(driver), 0);
  }

  it('records the source with every checkpoint; an unchanged source resumes as before and reads nothing again', async () => {
    await interrupted(25);
    const stored = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) RETURN c.entry AS entry, c.source AS source');
    assert.equal(stored.records.length, 3);
    for (const record of stored.records) {
      const mark = JSON.parse(String(record.get('source')));
      assert.match(mark.xmin, /^[0-9]+$/, 'the snapshot xmin, as a 64-bit id in text');
      assert.equal(mark.rows, 1000, `${record.get('entry')}: the table's rows in that snapshot`);
    }
    const resumed = await run();
    assert.deepEqual([resumed.skipped, resumed.resumed, resumed.reread], [[ids.customers, ids.orders].sort(), [ids.placed], []]);
    assert.deepEqual(resumed.read.reread, []);
    assert.equal(resumed.warnings.filter((w) => w.startsWith('resume:')).length, 0, resumed.warnings.join('\n'));
    assert.ok(resumed.read.resumeCheckMs >= 0);
    assert.ok(resumed.read.rows < 1000, 'only the rest of the relationship entry was read');
    await exact();
  });

  it("rows inserted into a finished entry: it is read again (the issue's case: no node is left out)", async () => {
    await interrupted(25);
    await db.query(`INSERT INTO shop.customers SELECT g, 'late ' || g FROM generate_series(1001, 1100) g`);
    await db.query('INSERT INTO shop.orders SELECT g, g - 100, g FROM generate_series(1101, 1200) g');
    const resumed = await run();
    assert.deepEqual(resumed.reread, [ids.customers, ids.orders, ids.placed].sort());
    const why = Object.fromEntries(resumed.read.reread.map((r) => [r.entry, r]));
    assert.deepEqual([why[ids.customers].was, why[ids.placed].was], ['done', 'started']);
    assert.match(why[ids.customers].reason, /table shop\.customers\) changed since: 100 rows inserted or updated, 1000 rows then, 1100 now/);
    for (const id of [ids.customers, ids.orders, ids.placed]) {
      assert.ok(
        resumed.warnings.some((w) => w.startsWith(`resume: entry "${id}"`) && /is read again from its start/.test(w)),
        `a warning names ${id}: ${resumed.warnings.join('\n')}`,
      );
    }
    assert.equal(resumed.written.missingEnds, 0);
    assert.deepEqual(await graphCounts(driver), { nodes: { Customer: 1100, Order: 1100 }, relationships: { [plan.relationships[0].type]: 1100 } });
    await exact();
  });

  it('an update in a finished entry (same row count) is read again; an unchanged half-read entry continues', async () => {
    await interrupted(15);
    await db.query(`UPDATE shop.customers SET name = 'renamed' WHERE id <= 5`);
    const resumed = await run();
    assert.deepEqual(resumed.reread, [ids.customers]);
    assert.match(resumed.read.reread[0].reason, /5 rows inserted or updated$/);
    assert.deepEqual(resumed.resumed, [ids.orders]);
    const renamed = await driver.executeQuery(`MATCH (c:Customer) WHERE c.name = 'renamed' RETURN count(c) AS n`);
    assert.equal(Number(renamed.records[0].get('n')), 5);
    await exact();
  });

  it('rows deleted from a finished entry: it is read again, and the count check names what MERGE keeps', async () => {
    await interrupted(25);
    // ON DELETE CASCADE: the orders go with their customers
    await db.query('DELETE FROM shop.customers WHERE id <= 10');
    const resumed = await run();
    assert.deepEqual(resumed.reread, [ids.customers, ids.orders, ids.placed].sort());
    assert.match(resumed.read.reread.find((r) => r.entry === ids.customers)!.reason, /changed since: 1000 rows then, 990 now$/);
    const all = await counts();
    assert.deepEqual(all[ids.customers], [990, 1000]);
    assert.deepEqual(all[ids.orders], [990, 1000]);
  });

  it('trustCheckpoints resumes without the check: the inserted rows are left out, and the count check says so', async () => {
    await interrupted(25);
    await db.query(`INSERT INTO shop.customers SELECT g, 'late ' || g FROM generate_series(1001, 1050) g`);
    const resumed = await run({ trustCheckpoints: true });
    assert.deepEqual([resumed.reread, resumed.read.resumeCheckMs], [[], 0]);
    assert.deepEqual(resumed.skipped, [ids.customers, ids.orders].sort());
    const all = await counts();
    assert.deepEqual(all[ids.customers], [1050, 1000]);
    assert.deepEqual(all[ids.orders], [1000, 1000]);
  });

  it('a checkpoint whose record of the source is missing or damaged counts as changed', async () => {
    await interrupted(25);
    await driver.executeQuery(`MATCH (c:Pg2GraphCheckpoint) WHERE c.entry = $entry SET c.source = 'not a mark'`, { entry: ids.customers });
    await driver.executeQuery(`MATCH (c:Pg2GraphCheckpoint) WHERE c.entry = $entry REMOVE c.source`, { entry: ids.orders });
    const resumed = await run();
    assert.deepEqual(resumed.reread, [ids.customers, ids.orders, ids.placed].sort());
    assert.match(resumed.read.reread.find((r) => r.entry === ids.customers)!.reason, /does not record what the source looked like/);
    assert.equal(resumed.read.reread.find((r) => r.entry === ids.placed)!.reason, `its start entry "${ids.orders}" is read again`);
    await exact();
  });

  it('the count check names a node entry and a relationship entry whose graph counts differ', async () => {
    await run();
    await exact();
    await driver.executeQuery('MATCH (c:Customer) WHERE c.id <= 3 DETACH DELETE c');
    const all = await counts();
    assert.deepEqual(all[ids.customers], [1000, 997]);
    assert.deepEqual(all[ids.placed], [1000, 997]);
    assert.deepEqual(all[ids.orders], [1000, 1000]);
  });
});
