/** Shaping rows into node and relationship records; relationships written to the real Neo4j to prove they match. */
import assert from 'assert/strict';
import neo4j, { type Driver, type Integer, type Date as GraphDate } from 'neo4j-driver';
import { createScratchDatabase, testDriver, clearGraph, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { PlanRun, type RunBatch } from '../../dist/engine/read/plan-run';
import { shapeNodes } from '../../dist/engine/shape/nodes';
import { shapeRelationships } from '../../dist/engine/shape/relationships';
import { relationshipEnds } from '../../dist/engine/plan/ends';
import { nodeEntryFromSettings } from '../../dist/engine/shape/settings-entry';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../../dist/engine/plan/types';
import type { NodeBatch, RelationshipBatch, RowBatch } from '../../dist/engine/core/records';

const tick = (name: string) => `\`${name.replace(/`/g, '``')}\``;

function rows(columns: string[], data: Array<Array<string | null>>, index = 0): RowBatch {
  return { kind: 'rows', columns, rows: data, batch: { run: 'r', seq: index + 1, phase: 'nodes', entry: 'e', index, rows: data.length, last: true } };
}

async function expectError(promise: Promise<unknown> | (() => unknown), code: string): Promise<Pg2GraphError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    assert.ok(error instanceof Pg2GraphError, `expected a Pg2GraphError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const PEOPLE: NodeEntry = {
  id: 'public.people',
  table: { schema: 'public', name: 'people' },
  label: 'Person',
  labels: ['Contact'],
  key: ['personId'],
  properties: [
    { column: 'first_name', name: 'firstName', pgType: 'text', as: 'string' },
    { column: 'person_id', name: 'personId', pgType: 'int8', as: 'integer' },
    { column: 'born', name: 'born', pgType: 'date', as: 'date' },
    { column: 'doc', name: 'doc', pgType: 'jsonb', as: 'string' },
  ],
  computed: [
    { name: 'display', expression: "firstName & ' (' & $string(person_id) & ')'" },
    { name: 'greeting', expression: "first_name & ' ' & last_name" },
    { name: 'bornYear', expression: '$number($substring(born, 0, 4))', as: 'integer' },
    { name: 'city', expression: 'doc.address.city' },
    { name: 'nextBirthday', expression: '$substring(born, 0, 10)', as: 'date' },
    { name: 'tags', expression: 'doc.tags' },
  ],
  warnings: [],
};

describe('shaping', function () {
  this.timeout(60_000);

  describe('node records', () => {
    const columns = ['person_id', 'first_name', 'last_name', 'born', 'doc'];
    const batch = rows(columns, [
      ['9007199254740993', 'Ada', 'Lovelace', '1815-12-10', '{"address": {"city": "London"}, "tags": ["math", "poetry"]}'],
      ['2', null, 'Nobody', null, null],
    ]);

    it('puts the key first, renames properties, keeps NULL as null (absent) and computes JSONata properties', async () => {
      const nodes = await shapeNodes(PEOPLE, batch);
      assert.deepEqual(nodes.labels, ['Person', 'Contact']);
      assert.deepEqual(nodes.key, ['personId']);
      assert.deepEqual(nodes.columns, ['personId', 'firstName', 'born', 'doc', 'display', 'greeting', 'bornYear', 'city', 'nextBirthday', 'tags']);
      const [ada, nobody] = nodes.rows;
      assert.equal((ada[0] as Integer).toString(), '9007199254740993');
      assert.equal(ada[1], 'Ada');
      assert.ok(neo4j.isDate(ada[2] as object));
      assert.equal(ada[4], ' (9007199254740993)', 'expressions see columns by column name (firstName is not a column: no value)');
      assert.equal(ada[5], 'Ada Lovelace', 'unmapped columns are there as text');
      assert.equal(String(ada[6]), '1815');
      assert.ok(neo4j.isInt(ada[6]));
      assert.equal(ada[7], 'London', 'json columns are parsed for expressions');
      assert.ok(neo4j.isDate(ada[8] as object));
      assert.deepEqual(ada[9], ['math', 'poetry']);
      assert.deepEqual(nobody.slice(1, 4), [null, null, null]);
      assert.equal(nobody[7], null, 'an expression without result leaves the property absent');
      assert.deepEqual(nodes.batch, batch.batch, 'the batch info travels unchanged');
    });

    it('compiles each entry once: a second batch reuses the compiled shaper and gives the same result', async () => {
      const first = await shapeNodes(PEOPLE, batch);
      const second = await shapeNodes(PEOPLE, batch);
      assert.deepEqual(
        second.rows.map((r) => r.map(String)),
        first.rows.map((r) => r.map(String)),
      );
    });

    it('flattens json members per batch, concurrently safe', async () => {
      const entry: NodeEntry = {
        id: 'docs',
        label: 'Doc',
        key: ['id'],
        warnings: [],
        properties: [
          { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
          { column: 'd', name: 'd', pgType: 'jsonb', as: 'flatten' },
        ],
      };
      const [a, b] = await Promise.all([
        shapeNodes(
          entry,
          rows(
            ['id', 'd'],
            [
              ['1', '{"x": 1}'],
              ['2', '{"y": "z", "x": 2}'],
            ],
          ),
        ),
        shapeNodes(
          entry,
          rows(
            ['id', 'd'],
            [
              ['3', '{"w": true}'],
              ['4', '[1]'],
            ],
          ),
        ),
      ]);
      assert.deepEqual(a.columns, ['id', 'd', 'd_x', 'd_y']);
      assert.deepEqual(
        a.rows.map((r) => r.map((v) => (v === null ? null : String(v)))),
        [
          ['1', null, '1', null],
          ['2', null, '2', 'z'],
        ],
      );
      assert.deepEqual(b.columns, ['id', 'd', 'd_w']);
      assert.deepEqual(
        b.rows.map((r) => r.map((v) => (v === null ? null : String(v)))),
        [
          ['3', null, 'true'],
          ['4', '[1]', null],
        ],
      );
      await expectError(
        shapeNodes(
          { ...entry, properties: [...entry.properties, { column: 'id', name: 'd_x', pgType: 'int4', as: 'integer' }] },
          rows(['id', 'd'], [['1', '{"x": 1}']]),
        ),
        'SHAPE_FLATTEN_COLLISION',
      );
    });

    it('bad input with onInvalid "fail": a NULL key, a missing column, a broken expression, a failing expression, a value its rule cannot hold', async () => {
      const fail = { onInvalid: 'fail' } as const;
      const nullKey = await expectError(shapeNodes(PEOPLE, rows(columns, [[null, 'x', 'y', null, null]]), fail), 'SHAPE_KEY_NULL');
      assert.match(nullKey.message, /"personId"/);
      const missing = await expectError(shapeNodes(PEOPLE, rows(['person_id'], [['1']])), 'SHAPE_COLUMN_MISSING');
      assert.match(missing.message, /"first_name"/);
      const broken = await expectError(shapeNodes({ ...PEOPLE, computed: [{ name: 'x', expression: 'first_name &' }] }, batch), 'SHAPE_EXPRESSION_INVALID');
      assert.match(broken.message, /computed\[0\]/);
      const failing = await expectError(
        shapeNodes({ ...PEOPLE, computed: [{ name: 'x', expression: 'first_name', as: 'integer' }] }, batch, fail),
        'VALUE_INVALID',
      );
      assert.match(failing.message, /computed x/);
      assert.match(failing.message, /\["9007199254740993"\]/);
      const mixed = await expectError(shapeNodes({ ...PEOPLE, computed: [{ name: 'x', expression: '[1, "a"]' }] }, batch, fail), 'VALUE_INVALID');
      assert.match(mixed.message, /mixed types/);
      const value = await expectError(shapeNodes(PEOPLE, rows(columns, [['12', 'x', 'y', 'not a date', null]]), fail), 'VALUE_INVALID');
      assert.match(value.message, /entry "public\.people", column "born", row \["12"\]: malformed date text: "not a date"/);
      await expectError(shapeNodes({ ...PEOPLE, key: ['nope'] }, batch), 'SHAPE_ENTRY_INVALID');
      await expectError(shapeNodes(PEOPLE, { kind: 'nodes' } as unknown as RowBatch), 'SHAPE_ROWS_INVALID');
      const setting = await expectError(shapeNodes(PEOPLE, batch, { onInvalid: 'skip' as 'fail' }), 'SHAPE_SETTING_INVALID');
      assert.match(setting.message, /onInvalid must be "reject" or "fail", got "skip"/);
    });

    it('rejects (the default) each row a value of which its rule cannot hold, or whose key is NULL, and keeps the others', async () => {
      const entry: NodeEntry = {
        ...PEOPLE,
        computed: [{ name: 'bornYear', expression: 'last_name', as: 'integer' }],
      };
      const nodes = await shapeNodes(
        entry,
        rows(columns, [
          ['1', 'Ada', '1815', '1815-12-10', null],
          ['2', 'Bad', '1900', 'not a date', null],
          [null, 'NoKey', '1901', null, null],
          ['3', 'Text', 'Lovelace', null, null],
          ['4', 'Bob', '1950', null, null],
        ]),
      );
      assert.deepEqual(
        nodes.rows.map((r) => String(r[0])),
        ['1', '4'],
        'the rows that can be held are shaped, in order',
      );
      assert.deepEqual(nodes.rejects, [
        { entry: 'public.people', key: '["2"]', column: 'born', value: 'not a date', reason: 'malformed date text' },
        {
          entry: 'public.people',
          key: '[null]',
          column: 'person_id',
          reason: 'key property "personId" (column "person_id") is NULL; every node needs its whole key',
        },
        { entry: 'public.people', key: '["3"]', column: 'computed bornYear', value: 'Lovelace', reason: nodes.rejects?.[2]?.reason },
      ]);
      assert.match(nodes.rejects?.[2]?.reason ?? '', /integer/, 'the reason says what the rule could not hold');
      const clean = await shapeNodes(entry, rows(columns, [['5', 'Ann', '1999', null, null]]));
      assert.equal(clean.rejects, undefined, 'no rejects field when nothing was rejected');
      assert.equal(clean.rows.length, 1);
    });

    it('never rejects what is wrong with the plan or the batch: those fail whatever onInvalid says', async () => {
      const entry: NodeEntry = {
        id: 'docs',
        label: 'Doc',
        key: ['id'],
        warnings: [],
        properties: [
          { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
          { column: 'd', name: 'd', pgType: 'jsonb', as: 'flatten' },
          { column: 'x', name: 'd_x', pgType: 'int4', as: 'integer' },
        ],
      };
      await expectError(shapeNodes(entry, rows(['id', 'd', 'x'], [['1', '{"x": 1}', '2']])), 'SHAPE_FLATTEN_COLLISION');
      await expectError(shapeNodes(PEOPLE, rows(['person_id'], [['1']])), 'SHAPE_COLUMN_MISSING');
    });

    it('builds an entry from node settings when there is no plan: named rules, other columns as strings', async () => {
      const entry = nodeEntryFromSettings({ label: 'City', key: ['id'], rules: { id: 'integer', founded: 'date' } }, ['id', 'name', 'founded']);
      const nodes = await shapeNodes(entry, rows(['id', 'name', 'founded'], [['7', 'Rome', '0753-04-21 BC']]));
      assert.ok(neo4j.isInt(nodes.rows[0][0]));
      assert.equal(nodes.rows[0][1], 'Rome');
      assert.equal(Number((nodes.rows[0][2] as GraphDate).year), -752);
      await expectError(() => nodeEntryFromSettings({ label: 'City', key: ['nope'] }, ['id']), 'SHAPE_COLUMN_MISSING');
      await expectError(() => nodeEntryFromSettings({ label: '', key: ['id'] }, ['id']), 'SHAPE_MAPPING_MISSING');
      await expectError(() => nodeEntryFromSettings({ label: 'City', key: ['id'], rules: { id: 'int' as never } }, ['id']), 'VALUE_RULE_UNKNOWN');
    });
  });

  describe('relationship records, written to Neo4j', () => {
    let db: ScratchDatabase;
    let driver: Driver;
    let connection: PostgresConnection;

    const customers: NodeEntry = {
      id: 'public.customers',
      table: { schema: 'public', name: 'customers' },
      label: 'Customer',
      key: ['customerId'],
      keySource: 'primaryKey',
      properties: [
        { column: 'id', name: 'customerId', pgType: 'int8', as: 'integer' },
        { column: 'name', name: 'name', pgType: 'text', as: 'string' },
      ],
      warnings: [],
    };
    const products: NodeEntry = {
      id: 'public.products',
      table: { schema: 'public', name: 'products' },
      label: 'Product',
      key: ['sku'],
      keySource: 'primaryKey',
      properties: [{ column: 'sku', name: 'sku', pgType: 'bpchar(4)', as: 'string', trim: true }],
      warnings: [],
    };
    const orders: NodeEntry = {
      id: 'public.orders',
      table: { schema: 'public', name: 'orders' },
      label: 'Order',
      key: ['orderId'],
      keySource: 'primaryKey',
      properties: [{ column: 'order_id', name: 'orderId', pgType: 'int4', as: 'integer' }],
      warnings: [],
    };
    const placedBy: RelationshipEntry = {
      id: 'public.orders.orders_customer_id_fkey',
      type: 'PLACED_BY',
      source: { kind: 'foreignKey', table: { schema: 'public', name: 'orders' }, constraint: 'orders_customer_id_fkey' },
      from: { node: 'public.orders', match: { orderId: 'order_id' } },
      to: { node: 'public.customers', match: { customerId: 'customer_id' } },
      properties: [],
    };
    const lines: RelationshipEntry = {
      id: 'public.order_lines',
      type: 'CONTAINS',
      source: { kind: 'joinTable', table: { schema: 'public', name: 'order_lines' } },
      from: { node: 'public.orders', match: { orderId: 'order_id' } },
      to: { node: 'public.products', match: { sku: 'sku' } },
      properties: [
        { column: 'qty', name: 'quantity', pgType: 'int2', as: 'integer' },
        { column: 'price', name: 'price', pgType: 'numeric(8,2)', as: 'string' },
      ],
    };
    const PLAN: GraphPlan = {
      version: 1,
      source: { schemas: ['public'] },
      options: { batchSize: 3, writeMode: 'merge' },
      nodes: [customers, products, orders],
      relationships: [placedBy, lines],
    };

    before(async () => {
      db = await createScratchDatabase('shape');
      // customers are keyed by int8, orders reference them with an int4 column; products by char(4) referenced by char(6)
      await db.query(`
        CREATE TABLE customers (id int8 PRIMARY KEY, name text);
        INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 5) g;
        CREATE TABLE products (sku char(4) PRIMARY KEY);
        INSERT INTO products VALUES ('ab'), ('cd');
        CREATE TABLE orders (order_id int4 PRIMARY KEY, customer_id int4);
        INSERT INTO orders SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE g % 5 + 1 END FROM generate_series(1, 10) g;
        CREATE TABLE order_lines (order_id int4, sku char(6), qty int2, price numeric(8,2), PRIMARY KEY (order_id, sku));
        INSERT INTO order_lines VALUES (1, 'ab', 2, 9.99), (1, 'cd', 1, 0.10), (2, 'ab', 5, 100.00);
      `);
      driver = testDriver();
      await clearGraph(driver);
      connection = new PostgresConnection({ connectionString: db.url });
    });
    after(async () => {
      await connection.close();
      await driver.close();
      await db.drop();
    });

    async function writeNodes(batch: NodeBatch): Promise<void> {
      const sets = batch.columns
        .slice(1)
        .map((c, i) => `, n.${tick(c)} = r[${i + 1}]`)
        .join('');
      await driver.executeQuery(`UNWIND $rows AS r MERGE (n:${batch.labels.map(tick).join(':')} {${tick(batch.key[0])}: r[0]}) SET n.seen = true${sets}`, {
        rows: batch.rows,
      });
    }
    async function writeRelationships(batch: RelationshipBatch): Promise<void> {
      const from = batch.from.match.map((m, i) => `${tick(m)}: r[${i}]`).join(', ');
      const offset = batch.from.match.length;
      const to = batch.to.match.map((m, i) => `${tick(m)}: r[${offset + i}]`).join(', ');
      const props = batch.columns
        .slice(offset + batch.to.match.length)
        .map((c, i) => `, rel.${tick(c)} = r[${offset + batch.to.match.length + i}]`)
        .join('');
      await driver.executeQuery(
        `UNWIND $rows AS r MATCH (a:${batch.from.labels.map(tick).join(':')} {${from}}) MATCH (b:${batch.to.labels.map(tick).join(':')} {${to}}) ` +
          `MERGE (a)-[rel:${tick(batch.type)}]->(b) SET rel.seen = true${props}`,
        { rows: batch.rows },
      );
    }

    it('matches ends with the end key rule: int4 FK -> int8 key, char(6) -> trimmed char(4); NULL FKs are counted, not matched', async () => {
      const run = new PlanRun(connection, { plan: PLAN, maxUnacknowledged: 2 });
      let work = Promise.resolve();
      const shaped: RelationshipBatch[] = [];
      const result = await run.start((batch: RunBatch) => {
        work = work.then(async () => {
          let skippedNullMatch = 0;
          if (batch.phase === 'nodes') await writeNodes(await shapeNodes(batch.entry as NodeEntry, batch.rows));
          else {
            const records = shapeRelationships(batch.entry as RelationshipEntry, batch.ends!, batch.rows);
            shaped.push(records);
            skippedNullMatch = records.skippedNullMatch;
            await writeRelationships(records);
          }
          // as graph write does: the shaper's count of rows with a NULL match column rides on the acknowledgement
          run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true, skippedNullMatch });
        });
      });
      const skipped = shaped.filter((b) => b.type === 'PLACED_BY').reduce((n, b) => n + b.skippedNullMatch, 0);
      assert.equal(skipped, 2, 'orders 4 and 8 have no customer');
      assert.equal(result.entries['public.orders.orders_customer_id_fkey'].skippedNullMatch, 2, "the run adds up the shaper's counts");
      const placed = shaped.find((b) => b.type === 'PLACED_BY') as RelationshipBatch;
      assert.deepEqual(placed.from, { labels: ['Order'], match: ['orderId'] });
      assert.deepEqual(placed.to, { labels: ['Customer'], match: ['customerId'] });
      assert.deepEqual(placed.columns, ['orderId', 'customerId']);

      const expected = await db.query('SELECT order_id::text, customer_id::text FROM orders WHERE customer_id IS NOT NULL ORDER BY orders.order_id');
      const graph = await driver.executeQuery('MATCH (o:Order)-[:PLACED_BY]->(c:Customer) RETURN o.orderId AS o, c.customerId AS c ORDER BY o');
      assert.deepEqual(
        graph.records.map((r) => [String(r.get('o')), String(r.get('c'))]),
        expected.rows.map((r) => [r.order_id, r.customer_id]),
      );

      const contains = await driver.executeQuery(
        'MATCH (o:Order)-[r:CONTAINS]->(p:Product) RETURN o.orderId AS o, p.sku AS sku, r.quantity AS q, r.price AS price ORDER BY o, sku',
      );
      const lineRows = await db.query(
        'SELECT order_id::text, rtrim(sku) AS sku, qty::text, price::text FROM order_lines ORDER BY order_lines.order_id, order_lines.sku',
      );
      assert.deepEqual(
        contains.records.map((r) => [String(r.get('o')), r.get('sku'), String(r.get('q')), r.get('price')]),
        lineRows.rows.map((r) => [r.order_id, r.sku, r.qty, r.price]),
      );
      assert.ok(neo4j.isInt(contains.records[0].get('q')), 'int2 properties are Integers');
    });

    it('rejects a relationship row whose match or property value its rule cannot hold, keyed by both ends', async () => {
      const ends = relationshipEnds(PLAN, lines);
      const shaped = shapeRelationships(
        lines,
        ends,
        rows(
          ['order_id', 'sku', 'qty', 'price'],
          [
            ['1', 'ab', '2', '9.99'],
            ['2', 'ab', '99999999999999999999', '1.00'],
            ['9999999999999999999999', 'cd', '1', '1.00'],
            ['3', 'cd', null, null],
          ],
        ),
      );
      assert.deepEqual(
        shaped.rows.map((r) => r.map((v) => (v === null ? null : String(v)))),
        [
          ['1', 'ab', '2', '9.99'],
          ['3', 'cd', null, null],
        ],
      );
      assert.deepEqual(
        shaped.rejects?.map((r) => [r.key, r.column, r.value]),
        [
          ['{"from":["2"],"to":["ab"]}', 'qty', '99999999999999999999'],
          ['{"from":["9999999999999999999999"],"to":["cd"]}', 'order_id', '9999999999999999999999'],
        ],
      );
      assert.equal(shaped.skippedNullMatch, 0, 'a rejected row is no NULL match');
      const failing = await expectError(
        () => shapeRelationships(lines, ends, rows(['order_id', 'sku', 'qty', 'price'], [['2', 'ab', '1e99', '1']]), { onInvalid: 'fail' }),
        'VALUE_INVALID',
      );
      assert.match(failing.message, /column "qty"/);
    });

    it('bad input: ends without the end key mapping, a missing match column', async () => {
      const batch = rows(['order_id', 'customer_id'], [['1', '2']]);
      const ends = relationshipEnds(PLAN, placedBy);
      await expectError(() => shapeRelationships(placedBy, { from: ends.from, to: { labels: ['Customer'] } }, batch), 'SHAPE_ENDS_MISSING');
      await expectError(() => shapeRelationships(placedBy, { from: { labels: [] }, to: ends.to }, batch), 'SHAPE_ENDS_MISSING');
      await expectError(() => shapeRelationships(placedBy, ends, rows(['order_id'], [['1']])), 'SHAPE_COLUMN_MISSING');
      await expectError(() => relationshipEnds({ ...PLAN, nodes: [] }, placedBy), 'READ_PLAN_INVALID');
    });
  });
});
