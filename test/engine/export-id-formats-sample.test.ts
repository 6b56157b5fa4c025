/**
 * The proof for the formats no tool here can load (Neptune openCypher and Gremlin CSV, ArangoDB JSON Lines):
 * exportPlan() of the sample database (plus one order whose int8 key is beyond 2^53) in each format, every set
 * passing our strict validator, counts per label and type equal to the source's, every order and warehouse
 * key present, and values read back exactly (int8 beyond 2^53, numeric, timestamptz with microseconds, a BC
 * date, quotes, the empty string).
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { exportPlan } from '../../dist/engine/migrate/export';
import { neptuneNodeId } from '../../dist/engine/cypher';
import { documentKey } from '../../dist/engine/write/files/formats/arangodb-keys';
import type { NodeEntry } from '../../dist/engine/plan/types';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { filesUnder, readExportManifest } from '../support/export-files';
import { pg2graph } from '../support/cli';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import { assertNoErrors, validateArangoExport, validateNeptuneExport, type NeptuneSet } from '../support/export-validators';

const BIG_ORDER = '9007199254740993';

describe('export (engine): Neptune and ArangoDB sets of the sample database, proven by validation', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;
  let root: string;
  let orders: NodeEntry;
  let warehouses: NodeEntry;
  let authors: NodeEntry;
  let orderIds: string[];
  let warehouseKeys: Array<[string, string]>;
  const name = (entry: NodeEntry, column: string) => entry.properties.find((p) => p.column === column)!.name;

  before(async () => {
    db = await createSampleDatabase('idformats');
    await db.query(
      `INSERT INTO bookshop.orders (order_id, customer_id, status, ordered_at, shipping_address_id, billing_address_id, total, note)
       VALUES (${BIG_ORDER}, 1, 'paid', '2024-01-01 00:00:00.123456+00', NULL, 1, 1234567890.12, NULL)`,
    );
    expected = await expectedCounts(db, db.plan);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-idformats-'));
    const entryOf = (table: string) => db.plan.nodes.find((n) => n.table?.name === table)!;
    [orders, warehouses, authors] = [entryOf('orders'), entryOf('warehouse'), entryOf('author')];
    orderIds = (await db.query<{ id: string }>('SELECT order_id::text AS id FROM bookshop.orders')).rows.map((r) => r.id);
    warehouseKeys = (await db.query<{ region: string; site: string }>('SELECT region, site_no::text AS site FROM bookshop.warehouse')).rows.map((r) => [
      r.region,
      r.site,
    ]);
  });
  after(async () => {
    await db?.drop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  async function exported(format: 'neptune-opencypher' | 'neptune-gremlin' | 'arangodb', gzip: boolean): Promise<string> {
    const out = path.join(root, format);
    const source = db.connection();
    const started = Date.now();
    try {
      const result = await exportPlan(source, { plan: db.plan, format, out, gzip, batchSize: 400 });
      assert.equal(result.read.stopped, false);
    } finally {
      await source.close();
    }
    const manifest = readExportManifest(out);
    assert.equal(manifest.complete, true);
    assert.ok(manifest.files.length > db.plan.nodes.length + db.plan.relationships.length, 'several parts for the larger entries');
    console.log(`      ${format}: ${manifest.files.length} parts in ${Date.now() - started} ms`);
    return out;
  }

  for (const [format, gzip] of [
    ['neptune-opencypher', true],
    ['neptune-gremlin', false],
  ] as const) {
    it(`${format}: the set passes the validator and holds the source's nodes, relationships and values exactly`, async () => {
      const dir = await exported(format, gzip);
      const set = validateNeptuneExport(dir, format);
      assertNoErrors(set, format);
      assert.deepEqual(set.nodeCounts, expected.nodes);
      assert.deepEqual(set.relationshipCounts, expected.relationships);
      for (const id of orderIds) assert.ok(set.nodes.has(neptuneNodeId(orders.label, [id])), `order ${id}`);
      for (const key of warehouseKeys) assert.ok(set.nodes.has(neptuneNodeId(warehouses.label, key)), `warehouse ${key.join(',')}`);
      const value = (set: NeptuneSet, id: string, property: string) => set.nodes.get(id)?.properties.get(property);
      const big = neptuneNodeId(orders.label, [BIG_ORDER]);
      assert.deepEqual(value(set, big, name(orders, 'order_id')), { type: 'Long', text: BIG_ORDER });
      assert.deepEqual(value(set, big, name(orders, 'total')), { type: 'String', text: '1234567890.12' });
      assert.deepEqual(value(set, big, name(orders, 'ordered_at')), { type: 'String', text: '2024-01-01T00:00:00.123456Z' });
      assert.equal(value(set, big, name(orders, 'note')), undefined, 'NULL: no value');
      assert.deepEqual(value(set, neptuneNodeId(orders.label, ['9000000025']), name(orders, 'note')), { type: 'String', text: 'Leave at the door, "please"' });
      assert.deepEqual(value(set, neptuneNodeId(orders.label, ['9000000001']), name(orders, 'note')), { type: 'String', text: '' }, 'the empty string stays');
      assert.deepEqual(value(set, neptuneNodeId(authors.label, ['1']), name(authors, 'born')), { type: 'String', text: '-000749-01-01' }, '750 BC');
      const placed = [...set.relationships.values()].filter((r) => r.from === big);
      assert.ok(placed.length >= 2, 'the big order has its customer and billing address');
      assert.ok(placed.every((r) => set.nodes.has(r.to)));
    });
  }

  it('arangodb: the set passes the validator and holds the source’s documents, edges and values exactly', async () => {
    const dir = await exported('arangodb', true);
    const set = validateArangoExport(dir);
    assertNoErrors(set, 'arangodb');
    assert.deepEqual(set.counts, { ...expected.nodes, ...expected.relationships });
    const manifest = readExportManifest(dir);
    assert.ok(
      manifest.files.every((f) => typeof f.collection === 'string'),
      'every file names its collection',
    );
    const documents = (entry: NodeEntry) => set.collections.get(entry.label)!.documents;
    for (const id of orderIds) assert.ok(documents(orders).has(documentKey([id])), `order ${id}`);
    for (const key of warehouseKeys) assert.ok(documents(warehouses).has(documentKey(key)), `warehouse ${key.join(',')}`);
    const big = documents(orders).get(BIG_ORDER)!;
    assert.equal(big[name(orders, 'order_id')], BIG_ORDER, 'beyond 2^53: an exact string');
    assert.equal(documents(orders).get('9000000001')![name(orders, 'order_id')], 9000000001, 'within 2^53: a number');
    assert.equal(big[name(orders, 'total')], '1234567890.12');
    assert.equal(big[name(orders, 'ordered_at')], '2024-01-01T00:00:00.123456Z');
    assert.equal(name(orders, 'note') in big, false, 'NULL: no attribute');
    assert.equal(documents(orders).get('9000000025')![name(orders, 'note')], 'Leave at the door, "please"');
    assert.equal(documents(orders).get('9000000001')![name(orders, 'note')], '');
    assert.equal(documents(authors).get('1')![name(authors, 'born')], '-000749-01-01');
  });

  it('pg2graph export --format neptune-gremlin / arangodb: the command writes sets that pass their validators', async () => {
    const planFile = path.join(root, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(db.plan));
    const env = { DATABASE_URL: db.url, NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: '' };
    for (const format of ['neptune-gremlin', 'arangodb'] as const) {
      const out = path.join(root, `cli-${format}`);
      const run = await pg2graph(['export', '--plan', planFile, '--format', format, '--out', out, '--gzip'], env);
      assert.equal(run.code, 0, run.stderr);
      const set = format === 'arangodb' ? validateArangoExport(out) : validateNeptuneExport(out, format);
      assertNoErrors(set, `pg2graph export --format ${format}`);
      assert.ok(fs.readFileSync(path.join(out, 'IMPORT.md'), 'utf8').includes(format === 'arangodb' ? 'arangoimport' : '/loader'));
    }
  });

  it('a label ArangoDB cannot use as a collection is refused by name before anything is written', async () => {
    const plan = structuredClone(db.plan);
    plan.nodes.find((n) => n.table?.name === 'author')!.label = 'Autor·in';
    const out = path.join(root, 'refused');
    const source = db.connection();
    try {
      await assert.rejects(
        exportPlan(source, { plan, format: 'arangodb', out }),
        (error: unknown) =>
          error instanceof Pg2GraphError &&
          error.code === 'EXPORT_PLAN_UNSUPPORTED' &&
          /entry bookshop\.author, label "Autor·in": an ArangoDB collection name/.test(error.message),
      );
    } finally {
      await source.close();
    }
    assert.deepEqual(fs.existsSync(out) ? filesUnder(out).filter((f) => f.startsWith('nodes/') || f.startsWith('relationships/')) : [], [], 'no part written');
  });
});
