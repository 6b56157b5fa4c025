/** The graph writer against the real Neo4j: constraints, MERGE and CREATE, relationships, concurrency, retries, bad input. */
import assert from 'assert/strict';
import neo4j, { type Driver } from 'neo4j-driver';
import { Neo4jConnection } from '../../dist/engine';
import { Neo4jTarget, type Neo4jTargetOptions } from '../../dist/engine/write';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { neo4jSettings, testDriver } from '../support/databases';
import {
  barrier,
  count,
  emptyGraph,
  graphSnapshot,
  int,
  nodeBatch,
  nodeBatches,
  relationshipBatch,
  relationshipBatches,
  type NodeSpec,
  type RelationshipSpec,
  withPlan,
} from './write-batches';

const customers: NodeSpec = { entry: 'public.customers', labels: ['Customer'], key: ['customerId'], columns: ['customerId', 'name', 'email', 'since', 'tags'] };
const products: NodeSpec = { entry: 'public.products', labels: ['Product'], key: ['productId'], columns: ['productId', 'name', 'price'] };
const orders: NodeSpec = { entry: 'public.orders', labels: ['Order', 'Sales'], key: ['orderId'], columns: ['orderId', 'placed', 'note'] };
const orderLines: NodeSpec = { entry: 'public.order_lines', labels: ['OrderLine'], key: ['orderId', 'lineNo'], columns: ['orderId', 'lineNo', 'qty'] };
const employees: NodeSpec = { entry: 'public.employees', labels: ['Employee'], key: ['employeeId'], columns: ['employeeId', 'name'] };

const placedBy: RelationshipSpec = {
  entry: 'public.orders.orders_customer_id_fkey',
  type: 'CUSTOMER',
  from: { labels: ['Order', 'Sales'], match: ['orderId'] },
  to: { labels: ['Customer'], match: ['customerId'] },
  columns: ['orderId', 'customerId'],
};
const orderDetail: RelationshipSpec = {
  entry: 'public.order_details',
  type: 'ORDER_DETAIL',
  from: { labels: ['Order', 'Sales'], match: ['orderId'] },
  to: { labels: ['Product'], match: ['productId'] },
  columns: ['orderId', 'productId', 'quantity', 'unitPrice'],
};
const lineOf: RelationshipSpec = {
  entry: 'public.order_lines.order_lines_order_id_fkey',
  type: 'LINE_OF',
  from: { labels: ['OrderLine'], match: ['orderId', 'lineNo'] },
  to: { labels: ['Order', 'Sales'], match: ['orderId'] },
  columns: ['orderId', 'lineNo', 'orderId'],
};
const manager: RelationshipSpec = {
  entry: 'public.employees.employees_manager_id_fkey',
  type: 'MANAGER',
  from: { labels: ['Employee'], match: ['employeeId'] },
  to: { labels: ['Employee'], match: ['employeeId'] },
  columns: ['employeeId', 'employeeId'],
};
const contactByEmail: RelationshipSpec = {
  entry: 'public.orders.orders_contact_email_fkey',
  type: 'CONTACT',
  from: { labels: ['Order', 'Sales'], match: ['orderId'] },
  to: { labels: ['Customer'], match: ['email'] },
  columns: ['orderId', 'email'],
};

const customerRows = (n: number, nameOf = (i: number) => `Customer ${i}`) =>
  Array.from({ length: n }, (_, i) => [
    int(i + 1),
    nameOf(i + 1),
    `c${i + 1}@example.com`,
    new neo4j.types.Date(2020, 1 + (i % 12), 1 + (i % 28)),
    i % 3 === 0 ? [] : [`t${i}`, 'x'],
  ]);
const productRows = (n: number) => Array.from({ length: n }, (_, i) => [int(100 + i), `Product ${i}`, `${i}.99`]);
const orderRows = (n: number) =>
  Array.from({ length: n }, (_, i) => [
    int(1000 + i),
    new neo4j.types.LocalDateTime(2024, 5, 1 + (i % 28), 12, 30, 15, 123456000),
    i % 4 === 0 ? null : `note ${i}`,
  ]);

const property = (column: string, name: string, pgType = 'int4') =>
  ({ column, name, pgType, as: pgType === 'text' ? 'string' : 'integer' }) as GraphPlan['nodes'][number]['properties'][number];

const plan: GraphPlan = {
  version: 1,
  source: { schemas: ['public'] },
  options: { batchSize: 100, writeMode: 'merge' },
  nodes: [
    {
      id: 'public.customers',
      table: { schema: 'public', name: 'customers' },
      label: 'Customer',
      key: ['customerId'],
      properties: [property('customer_id', 'customerId'), property('email', 'email', 'text')],
      warnings: [],
    },
    {
      id: 'public.orders',
      table: { schema: 'public', name: 'orders' },
      label: 'Order',
      labels: ['Sales'],
      key: ['orderId'],
      properties: [property('order_id', 'orderId'), property('contact_email', 'contactEmail', 'text')],
      warnings: [],
    },
    {
      id: 'public.order_lines',
      table: { schema: 'public', name: 'order_lines' },
      label: 'OrderLine',
      key: ['orderId', 'lineNo'],
      properties: [property('order_id', 'orderId'), property('line_no', 'lineNo')],
      warnings: [],
    },
  ],
  relationships: [
    {
      id: 'public.orders.orders_contact_email_fkey',
      type: 'CONTACT',
      source: { kind: 'foreignKey', table: { schema: 'public', name: 'orders' }, constraint: 'orders_contact_email_fkey' },
      from: { node: 'public.orders', match: { orderId: 'order_id' } },
      to: { node: 'public.customers', match: { email: 'contact_email' } },
      properties: [],
    },
  ],
};

interface SchemaRow {
  name: string;
  labelsOrTypes: string[];
  properties: string[];
  type: string;
}

async function schemaRows(driver: Driver, what: 'CONSTRAINTS' | 'INDEXES'): Promise<SchemaRow[]> {
  const result = await driver.executeQuery(`SHOW ${what} YIELD name, labelsOrTypes, properties, type`);
  return result.records
    .map((r) => r.toObject() as SchemaRow)
    .filter((row) => row.type !== 'LOOKUP')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

describe('graph writer on the real Neo4j', function () {
  this.timeout(60_000);
  let driver: Driver;
  const opened: Neo4jConnection[] = [];

  function target(options: Neo4jTargetOptions = {}): Neo4jTarget {
    const connection = new Neo4jConnection(neo4jSettings());
    opened.push(connection);
    return new Neo4jTarget(connection, { retryBaseDelayMs: 20, ...options });
  }

  before(() => {
    driver = testDriver();
  });
  after(async () => {
    await driver.close();
  });
  beforeEach(async () => {
    await emptyGraph(driver);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  async function writeAll(writer: Neo4jTarget, mode: 'merge' | 'create', run: string) {
    const results = [];
    for (const spec of [customers, products, orders]) {
      const rows = spec === customers ? customerRows(30) : spec === products ? productRows(10) : orderRows(40);
      results.push(...(await Promise.all(nodeBatches(spec, rows, 7, { run }).map((b) => writer.writeNodes(b, mode)))));
    }
    const placed = orderRows(40).map((row, i) => [row[0], int((i % 30) + 1)]);
    const details = orderRows(40).flatMap((row, i) => [
      [row[0], int(100 + (i % 10)), int(i + 1), `${i}.50`],
      [row[0], int(100 + ((i + 3) % 10)), int(2), '1.00'],
    ]);
    for (const [spec, rows] of [
      [placedBy, placed],
      [orderDetail, details],
    ] as const) {
      results.push(...(await Promise.all(relationshipBatches(spec, rows as unknown[][], 11, { run }).map((b) => writer.writeRelationships(b, mode)))));
    }
    return results;
  }

  it('prepares key constraints (composite too), lookup indexes and the checkpoint key, idempotently', async () => {
    const writer = target();
    const first = await writer.prepare(plan);
    assert.ok(
      first.statements.includes('CREATE CONSTRAINT `pg2graph_OrderLine_key` IF NOT EXISTS FOR (n:`OrderLine`) REQUIRE (n.`orderId`, n.`lineNo`) IS UNIQUE'),
    );
    const constraints = await schemaRows(driver, 'CONSTRAINTS');
    assert.deepEqual(
      constraints.map((c) => [c.name, c.labelsOrTypes, c.properties, c.type]),
      [
        ['pg2graph_Customer_key', ['Customer'], ['customerId'], 'UNIQUENESS'],
        ['pg2graph_OrderLine_key', ['OrderLine'], ['orderId', 'lineNo'], 'UNIQUENESS'],
        ['pg2graph_Order_key', ['Order'], ['orderId'], 'UNIQUENESS'],
        ['pg2graph_Pg2GraphCheckpoint_key', ['Pg2GraphCheckpoint'], ['plan', 'entry'], 'UNIQUENESS'],
      ],
    );
    const indexes = await schemaRows(driver, 'INDEXES');
    assert.ok(
      indexes.some((i) => i.name === 'pg2graph_Customer_email_match' && i.properties.join() === 'email'),
      'the email lookup is indexed',
    );
    const again = await target().prepare(plan);
    assert.deepEqual(again.statements, first.statements);
    assert.deepEqual(await schemaRows(driver, 'CONSTRAINTS'), constraints, 'a second prepare changes nothing');
    assert.deepEqual(await schemaRows(driver, 'INDEXES'), indexes);
  });

  it('reports a constraint whose name is taken by another key instead of writing without one', async () => {
    await driver.executeQuery('CREATE CONSTRAINT `pg2graph_Customer_key` FOR (n:`Customer`) REQUIRE n.`legacyId` IS UNIQUE');
    await assert.rejects(
      target().prepare(plan),
      (error: Error & { code?: string }) =>
        error.code === 'WRITE_SCHEMA_CONFLICT' &&
        /Customer \{customerId\}/.test(error.message) &&
        /"pg2graph_Customer_key" on \(:Customer \{legacyId\}\)/.test(error.message),
    );
  });

  it('gives way with its own lookup index when a later plan makes those properties the key', async () => {
    await target().writeRelationships(relationshipBatch(contactByEmail, []), 'merge');
    assert.ok((await schemaRows(driver, 'INDEXES')).some((i) => i.name === 'pg2graph_Customer_email_match'));
    const keyedByEmail = { ...plan, nodes: [{ ...plan.nodes[0], key: ['email'] }], relationships: [] };
    await target().prepare(keyedByEmail);
    const constraint = (await schemaRows(driver, 'CONSTRAINTS')).find((c) => c.name === 'pg2graph_Customer_key');
    assert.deepEqual(constraint?.properties, ['email']);
  });

  it('MERGE run twice leaves identical counts and full property maps', async () => {
    const writer = target();
    const firstRun = await writeAll(writer, 'merge', 'run-a');
    const first = await graphSnapshot(driver);
    assert.equal(first.nodes.length, 30 + 10 + 40);
    assert.equal(first.relationships.length, 40 + 80);
    assert.equal(
      firstRun.reduce((n, r) => n + r.nodesCreated, 0),
      80,
    );
    assert.equal(
      firstRun.reduce((n, r) => n + r.relationshipsCreated, 0),
      120,
    );
    const secondRun = await writeAll(target(), 'merge', 'run-b');
    assert.deepEqual(await graphSnapshot(driver), first, 'nothing changed');
    assert.equal(
      secondRun.reduce((n, r) => n + r.nodesCreated, 0),
      0,
    );
    assert.equal(
      secondRun.reduce((n, r) => n + r.nodesMatched, 0),
      80,
    );
    assert.equal(
      secondRun.reduce((n, r) => n + r.relationshipsCreated, 0),
      0,
    );
    assert.ok(secondRun.every((r) => r.mode === 'merge' && r.retries === 0 && r.missingEnds === 0));
    const order = (await driver.executeQuery('MATCH (o:Order:Sales {orderId: 1000}) RETURN o.placed AS placed, o.note AS note')).records[0];
    assert.equal(String(order.get('placed')), '2024-05-01T12:30:15.123456000');
    assert.equal(order.get('note'), null, 'a null value leaves the property absent');
  });

  it('MERGE mirrors the row: a null removes a property an earlier run set, new values replace old ones', async () => {
    const writer = target();
    await writer.writeNodes(nodeBatch(customers, [[int(1), 'Ada', 'ada@example.com', null, ['a']]]), 'merge');
    const result = await writer.writeNodes(nodeBatch(customers, [[int(1), null, 'ada@new.example.com', null, null]], 0, { run: 'run-2' }), 'merge');
    assert.deepEqual([result.nodesCreated, result.nodesMatched], [0, 1]);
    const props = (await driver.executeQuery('MATCH (c:Customer {customerId: 1}) RETURN properties(c) AS p')).records[0].get('p');
    assert.deepEqual(Object.keys(props).sort(), ['customerId', 'email']);
    assert.equal(props.email, 'ada@new.example.com');
  });

  it('CREATE writes into an empty database, then refuses a non-empty one naming the labels', async () => {
    const results = await writeAll(target(), 'create', 'run-c');
    assert.ok(results.every((r) => r.mode === 'create'));
    assert.equal(
      results.reduce((n, r) => n + r.nodesCreated, 0),
      80,
    );
    assert.equal(
      results.reduce((n, r) => n + r.relationshipsCreated, 0),
      120,
    );
    assert.equal(await count(driver, 'MATCH (o:Order)-[r:ORDER_DETAIL]->(p:Product) RETURN count(r)'), 80);
    const before = await graphSnapshot(driver);
    const writer = target();
    await assert.rejects(
      writer.writeNodes(nodeBatch(orders, orderRows(2), 0, { run: 'run-d' }), 'create'),
      (error: Error & { code?: string }) =>
        error.code === 'WRITE_TARGET_NOT_EMPTY' && /entry "public\.orders"/.test(error.message) && /nodes labelled :Order:Sales/.test(error.message),
    );
    await assert.rejects(
      writer.writeRelationships(relationshipBatch(placedBy, [[int(1000), int(1)]], 0, { run: 'run-d' }), 'create'),
      /CREATE mode refuses entry "public\.orders\.orders_customer_id_fkey": the target already holds relationships :CUSTOMER from :Order:Sales to :Customer/,
    );
    assert.deepEqual(await graphSnapshot(driver), before, 'nothing was written');
  });

  it('with the plan prepared, CREATE asks about a whole phase at once: two entries of one type between the same labels both write', async () => {
    const billedTo: RelationshipSpec = { ...placedBy, entry: 'public.orders.orders_billed_to_fkey' };
    const twoOfOneType: GraphPlan = {
      ...plan,
      nodes: plan.nodes.slice(0, 2),
      relationships: [placedBy, billedTo].map((spec) => ({
        id: spec.entry,
        type: 'CUSTOMER',
        properties: [],
        source: { kind: 'foreignKey' as const, table: { schema: 'public', name: 'orders' }, constraint: spec.entry.split('.')[2] },
        from: { node: 'public.orders', match: { orderId: 'order_id' } },
        to: { node: 'public.customers', match: { customerId: 'customer_id' } },
      })),
    };
    const writer = target();
    await writer.prepare(twoOfOneType);
    await writer.writeNodes(nodeBatch(customers, customerRows(3), 0, { run: 'run-p' }), 'create');
    await writer.writeNodes(nodeBatch(orders, orderRows(4), 0, { run: 'run-p' }), 'create');
    const pairs = orderRows(4).map((row, i) => [row[0], int((i % 3) + 1)]);
    for (const spec of [placedBy, billedTo]) {
      const result = await writer.writeRelationships(relationshipBatch(spec, pairs, 0, { run: 'run-p' }), 'create');
      assert.deepEqual([result.mode, result.relationshipsCreated], ['create', 4], spec.entry);
    }
    assert.equal(await count(driver, 'MATCH (:Order)-[r:CUSTOMER]->(:Customer) RETURN count(r)'), 8);
    const before = await graphSnapshot(driver);
    const again = target();
    await again.prepare(twoOfOneType);
    await assert.rejects(
      again.writeRelationships(relationshipBatch(billedTo, pairs, 0, { run: 'run-q' }), 'create'),
      /CREATE mode refuses entry "public\.orders\.orders_billed_to_fkey": the target already holds relationships :CUSTOMER from :Order:Sales to :Customer/,
    );
    assert.deepEqual(await graphSnapshot(driver), before, 'nothing was written');
  });

  it('writes composite keys: MERGE on both properties, relationships matched on both', async () => {
    const writer = target();
    await writer.writeNodes(nodeBatch(orders, orderRows(3)), 'merge');
    const lines = [
      [int(1000), int(1), int(5)],
      [int(1000), int(2), int(6)],
      [int(1001), int(1), int(7)],
    ];
    const created = await writer.writeNodes(nodeBatch(orderLines, lines), 'merge');
    assert.equal(created.nodesCreated, 3, 'the same orderId with another lineNo is another node');
    const again = await writer.writeNodes(nodeBatch(orderLines, [[int(1000), int(2), int(60)]], 1), 'merge');
    assert.deepEqual([again.nodesCreated, again.nodesMatched], [0, 1]);
    const rels = await writer.writeRelationships(
      relationshipBatch(
        lineOf,
        lines.map(([o, l]) => [o, l, o]),
      ),
      'merge',
    );
    assert.equal(rels.relationshipsCreated, 3);
    assert.equal(await count(driver, 'MATCH (l:OrderLine {orderId: 1000, lineNo: 2})-[:LINE_OF]->(o:Order {orderId: 1000}) RETURN count(*)'), 1);
    assert.equal(await count(driver, 'MATCH (l:OrderLine {orderId: 1000, lineNo: 2}) RETURN l.qty'), 60);
    assert.equal(await count(driver, 'MATCH (l:OrderLine) RETURN count(l)'), 3);
  });

  it('writes join-table relationships with their properties and MERGE updates them in place', async () => {
    const writer = target();
    await writer.writeNodes(nodeBatch(orders, orderRows(2)), 'merge');
    await writer.writeNodes(nodeBatch(products, productRows(2)), 'merge');
    const first = await writer.writeRelationships(
      relationshipBatch(orderDetail, [
        [int(1000), int(100), int(3), '9.99'],
        [int(1000), int(101), int(1), '0.50'],
        [int(1001), int(100), int(2), null],
      ]),
      'merge',
    );
    assert.deepEqual([first.relationshipsCreated, first.missingEnds], [3, 0]);
    const second = await writer.writeRelationships(
      relationshipBatch(
        orderDetail,
        [
          [int(1000), int(100), int(4), '9.99'],
          [int(1001), int(100), int(2), '1.25'],
        ],
        0,
        { run: 'run-2' },
      ),
      'merge',
    );
    assert.equal(second.relationshipsCreated, 0);
    const rows = await driver.executeQuery(
      'MATCH (o:Order)-[r:ORDER_DETAIL]->(p:Product) RETURN o.orderId AS o, p.productId AS p, r.quantity AS q, r.unitPrice AS price ORDER BY o, p',
    );
    assert.deepEqual(
      rows.records.map((r) => [r.get('o').toNumber(), r.get('p').toNumber(), r.get('q').toNumber(), r.get('price')]),
      [
        [1000, 100, 4, '9.99'],
        [1000, 101, 1, '0.50'],
        [1001, 100, 2, '1.25'],
      ],
    );
    assert.ok(neo4j.isInt(rows.records[0].get('q')), 'integers arrive as Integer, not Float');
  });

  it('writes self-references, including a node that points at itself', async () => {
    const writer = target();
    await writer.writeNodes(
      nodeBatch(employees, [
        [int(1), 'Boss'],
        [int(2), 'Lead'],
        [int(3), 'Dev'],
      ]),
      'merge',
    );
    const result = await writer.writeRelationships(
      relationshipBatch(manager, [
        [int(2), int(1)],
        [int(3), int(2)],
        [int(1), int(1)],
      ]),
      'merge',
    );
    assert.equal(result.relationshipsCreated, 3);
    assert.equal(await count(driver, 'MATCH (e:Employee {employeeId: 1})-[:MANAGER]->(e) RETURN count(*)'), 1);
    assert.equal(await count(driver, 'MATCH (:Employee {employeeId: 3})-[:MANAGER*2]->(b:Employee) RETURN b.employeeId'), 1);
  });

  it('counts relationship rows with a missing end and reports a few with their keys', async () => {
    const writer = target();
    await writer.writeNodes(nodeBatch(orders, orderRows(2)), 'merge');
    await writer.writeNodes(nodeBatch(customers, customerRows(1)), 'merge');
    const rows = [
      [int(1000), int(1)],
      [int(1000), int(99)],
      [int(1999), int(1)],
      [int(1998), int(98)],
      [int(1001), int(1)],
    ];
    const result = await writer.writeRelationships(relationshipBatch(placedBy, rows), 'merge');
    assert.deepEqual([result.relationshipsCreated, result.missingEnds], [2, 3]);
    assert.deepEqual(result.missingEndExamples, [
      { row: 1, from: ['1000'], to: ['99'], missing: 'to' },
      { row: 2, from: ['1999'], to: ['1'], missing: 'from' },
      { row: 3, from: ['1998'], to: ['98'], missing: 'both' },
    ]);
  });

  it('matches relationship ends on a non-key property (an FK to a UNIQUE column) through an index', async () => {
    const writer = target();
    await writer.writeNodes(nodeBatch(customers, customerRows(3)), 'merge');
    await writer.writeNodes(nodeBatch(orders, orderRows(3)), 'merge');
    const result = await writer.writeRelationships(
      relationshipBatch(contactByEmail, [
        [int(1000), 'c2@example.com'],
        [int(1001), 'c3@example.com'],
        [int(1002), 'nobody@example.com'],
      ]),
      'merge',
    );
    assert.deepEqual([result.relationshipsCreated, result.missingEnds], [2, 1]);
    assert.equal(await count(driver, 'MATCH (:Order {orderId: 1000})-[:CONTACT]->(c:Customer) RETURN c.customerId'), 2);
    assert.ok((await schemaRows(driver, 'INDEXES')).some((i) => i.name === 'pg2graph_Customer_email_match'));
  });

  it('runs several node batches at once and checkpoints every one of them', async () => {
    const inCommit = barrier(4);
    const writer = target({ concurrency: 4, hooks: { afterWrite: (a) => (a.index < 4 ? inCommit.arrive() : undefined) } });
    const batches = nodeBatches(customers, customerRows(800), 100);
    const results = await Promise.all(batches.map((b) => writer.writeNodes(withPlan(b, 'plan-concurrent'), 'merge')));
    assert.equal(inCommit.arrived(), 4, 'four transactions were open at the same time');
    assert.equal(
      results.reduce((n, r) => n + r.nodesCreated, 0),
      800,
    );
    assert.equal(await count(driver, 'MATCH (c:Customer) RETURN count(DISTINCT c.customerId)'), 800);
    const checkpoint = (await writer.checkpoints.read('plan-concurrent')).get('public.customers');
    assert.deepEqual(checkpoint, { entry: 'public.customers', owner: 'run-1', batches: 8, lastKey: ['800'], complete: true });
  });

  it('retries a real deadlock and reports the retry', async () => {
    const writer = target();
    await writer.writeNodes(nodeBatch(customers, customerRows(2)), 'merge');
    const session = driver.session();
    const holder = session.beginTransaction();
    const seen: string[] = [];
    try {
      await holder.run('MATCH (c:Customer {customerId: 1}) SET c.name = $name', { name: 'held by the test' });
      const retrying = target({ hooks: { onRetry: (_attempt, error) => seen.push(String((error as { code?: string }).code)) } });
      const writing = retrying.writeNodes(nodeBatch(customers, [customerRows(2)[1], customerRows(1)[0]], 1, { run: 'run-deadlock' }), 'merge');
      // wait until the writer holds customer 2 and waits for customer 1, then ask for customer 2: a cycle
      const blocked = async () =>
        (
          await driver.executeQuery(
            "SHOW TRANSACTIONS YIELD currentQuery, status WHERE currentQuery STARTS WITH 'UNWIND $rows' AND status STARTS WITH 'Blocked' RETURN count(*) AS n",
          )
        ).records[0]
          .get('n')
          .toNumber();
      for (let i = 0; i < 100 && (await blocked()) === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      await holder.run('MATCH (c:Customer {customerId: 2}) SET c.name = $name', { name: 'held by the test' });
      await holder.commit();
      const result = await writing;
      assert.ok(result.retries >= 1, `retried ${result.retries} times`);
      assert.ok(seen.includes('Neo.TransientError.Transaction.DeadlockDetected'), `retried after ${seen.join(', ')}`);
    } finally {
      await session.close();
    }
    const names = await driver.executeQuery('MATCH (c:Customer) RETURN c.name AS name ORDER BY c.customerId');
    assert.deepEqual(
      names.records.map((r) => r.get('name')),
      ['Customer 1', 'Customer 2'],
      'the retried batch wrote after the other transaction',
    );
  });

  it('retries an injected transient error, counts it, and writes the batch once', async () => {
    let attempts = 0;
    const writer = target({
      hooks: {
        afterWrite: () => {
          attempts += 1;
          if (attempts === 1) throw Object.assign(new Error('simulated'), { code: 'Neo.TransientError.Transaction.LockClientStopped' });
        },
      },
    });
    const result = await writer.writeNodes(withPlan(nodeBatch(customers, customerRows(5)), 'plan-retry'), 'merge');
    assert.deepEqual([result.retries, result.nodesCreated, attempts], [1, 5, 2]);
    assert.equal(await count(driver, 'MATCH (c:Customer) RETURN count(c)'), 5);
    assert.equal((await writer.checkpoints.read('plan-retry')).get('public.customers')?.batches, 1);
  });

  it('gives up after the retry limit naming entry, batch and key range, with nothing written', async () => {
    const writer = target({
      maxRetries: 2,
      hooks: {
        afterWrite: () => {
          throw Object.assign(new Error('still busy'), { code: 'Neo.TransientError.General.DatabaseUnavailable' });
        },
      },
    });
    await assert.rejects(
      writer.writeNodes(withPlan(nodeBatch(customers, customerRows(5), 4), 'plan-fail'), 'merge'),
      (error: Error & { code?: string; details?: Record<string, unknown> }) =>
        error.code === 'WRITE_RETRIES_EXHAUSTED' &&
        error.message.startsWith('entry "public.customers" batch 4 (keys ["1"]..["5"]) failed after 2 retries') &&
        error.details?.retries === 2,
    );
    assert.equal(await count(driver, 'MATCH (c:Customer) RETURN count(c)'), 0);
    assert.equal((await writer.checkpoints.read('plan-fail')).size, 0, 'no checkpoint without the batch');
  });

  it('a batch not committed within the batch timeout fails with WRITE_TIMEOUT and never commits, checkpoint included', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writer = target({ batchTimeoutMs: 300, hooks: { afterWrite: () => held } });
    const started = Date.now();
    await assert.rejects(
      writer.writeNodes(withPlan(nodeBatch(customers, customerRows(5), 2), 'plan-timeout'), 'merge'),
      (error: Error & { code?: string; details?: Record<string, unknown> }) =>
        error.code === 'WRITE_TIMEOUT' &&
        error.message.startsWith('entry "public.customers" batch 2 (keys ["1"]..["5"]): the transaction did not commit within 300 ms') &&
        error.details?.entry === 'public.customers' &&
        error.details?.batch === 2 &&
        error.details?.timeoutMs === 300,
    );
    assert.ok(Date.now() - started < 10_000, 'the wait ended at the timeout, not when the transaction did');
    // the attempt was given up: let it go on, it rolls back instead of committing
    release();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await count(driver, 'MATCH (c:Customer) RETURN count(c)'), 0, 'the given-up batch did not commit');
    assert.equal((await writer.checkpoints.read('plan-timeout')).size, 0, 'nor did its checkpoint');
    const again = await writer.writeNodes(withPlan(nodeBatch(customers, customerRows(5), 0), 'plan-timeout'), 'merge');
    assert.equal(again.nodesCreated, 5, 'the writer goes on with the next batch');
  });

  describe('bad input', () => {
    it('refuses a record without its key, naming entry, batch and key, and writes nothing of the batch', async () => {
      await assert.rejects(
        target().writeNodes(
          nodeBatch(
            orderLines,
            [
              [int(1), int(1), int(1)],
              [int(2), null, int(1)],
            ],
            2,
          ),
          'merge',
        ),
        (error: Error & { code?: string }) =>
          error.code === 'WRITE_KEY_MISSING' &&
          /entry "public\.order_lines" batch 2: row 1 \(key \[2, null\]\): key property "lineNo" is null/.test(error.message),
      );
      assert.equal(await count(driver, 'MATCH (n:OrderLine) RETURN count(n)'), 0);
    });

    it('writes labels, types and property names with backticks and quotes in them', async () => {
      const label = 'We`ird\'"Label';
      const spec: NodeSpec = { entry: 'public."we`ird"', labels: [label, 'Extra`'], key: ['id`\'"'], columns: ['id`\'"', 'na`me\'"', 'plain'] };
      const writer = target();
      for (const mode of ['merge', 'merge'] as const)
        await writer.writeNodes(
          nodeBatch(spec, [
            [int(1), 'a`b', 'x'],
            [int(2), "it's", null],
          ]),
          mode,
        );
      const rel: RelationshipSpec = {
        entry: 'rel`',
        type: 'LINKS`TO\'"',
        from: { labels: [label], match: ['id`\'"'] },
        to: { labels: [label], match: ['id`\'"'] },
        columns: ['id`\'"', 'id`\'"', 'we`ight'],
      };
      const result = await writer.writeRelationships(relationshipBatch(rel, [[int(1), int(2), int(7)]]), 'merge');
      assert.equal(result.relationshipsCreated, 1);
      const read = await driver.executeQuery(
        'MATCH (a:`We``ird\'"Label`:`Extra```)-[r:`LINKS``TO\'"`]->(b) RETURN a.`na``me\'"` AS name, r.`we``ight` AS w, b.`id``\'"` AS b',
      );
      assert.deepEqual(
        read.records.map((r) => [r.get('name'), r.get('w').toNumber(), r.get('b').toNumber()]),
        [['a`b', 7, 2]],
      );
      assert.equal(await count(driver, 'MATCH (n:`We``ird\'"Label`) RETURN count(n)'), 2);
      const constraint = (await schemaRows(driver, 'CONSTRAINTS')).find((c) => c.labelsOrTypes[0] === label);
      assert.deepEqual(constraint?.properties, ['id`\'"'], 'the odd key got its uniqueness constraint');
    });

    it('names the row key and property of a map value before sending anything', async () => {
      await assert.rejects(
        target().writeNodes(
          nodeBatch(
            customers,
            [
              [int(1), 'ok', null, null, null],
              [int(2), { first: 'A' }, null, null, null],
            ],
            5,
          ),
          'merge',
        ),
        (error: Error & { code?: string }) =>
          error.code === 'WRITE_VALUE_REFUSED' && /entry "public\.customers" batch 5: row 1 \(key \[2\]\): property "name" holds a map/.test(error.message),
      );
      assert.equal(await count(driver, 'MATCH (n:Customer) RETURN count(n)'), 0);
    });

    it('finds the row of a value only the server refuses (points of two coordinate systems in one list)', async () => {
      const spec: NodeSpec = { entry: 'public.places', labels: ['Place'], key: ['placeId'], columns: ['placeId', 'shape'] };
      const cartesian = new neo4j.types.Point(7203, 1, 2);
      const wgs84 = new neo4j.types.Point(4326, 13.4, 52.5);
      const rows = Array.from({ length: 20 }, (_, i) => [int(i + 1), i === 13 ? [cartesian, wgs84] : [cartesian]]);
      await assert.rejects(
        target().writeNodes(nodeBatch(spec, rows, 1), 'merge'),
        (error: Error & { code?: string }) =>
          error.code === 'WRITE_VALUE_REFUSED' &&
          /entry "public\.places" batch 1 \(keys \["1"\]\.\.\["20"\]\): the target refused row 13 \(key \[14\]\)/.test(error.message) &&
          /different CRS/.test(error.message),
      );
      assert.equal(await count(driver, 'MATCH (n:Place) RETURN count(n)'), 0);
    });

    it('names the key that collides in CREATE mode', async () => {
      const writer = target();
      await writer.writeNodes(nodeBatch(customers, customerRows(5), 0), 'create');
      const clash = customerRows(8).slice(3);
      await assert.rejects(
        writer.writeNodes(nodeBatch(customers, clash, 1), 'create'),
        (error: Error & { code?: string }) => error.code === 'WRITE_KEY_CONFLICT' && /batch 1 .*row 0 \(key \[4\]\)/.test(error.message),
      );
    });

    it('refuses an unknown write mode and bad settings', async () => {
      await assert.rejects(target().writeNodes(nodeBatch(customers, customerRows(1)), 'upsert' as 'merge'), { code: 'WRITE_SETTING_INVALID' });
      assert.throws(() => target({ concurrency: 0 }), {
        code: 'WRITE_SETTING_INVALID',
        message: 'Writer setting "concurrency" must be an integer of at least 1, got 0',
      });
      assert.throws(() => target({ maxRetries: -1 }), /"maxRetries"/);
      for (const batchTimeoutMs of [0, -1, 1.5, 86_400_001]) {
        assert.throws(() => target({ batchTimeoutMs }), {
          code: 'WRITE_SETTING_INVALID',
          message: `Writer setting "batchTimeoutMs" must be an integer from 1 to 86,400,000, got ${batchTimeoutMs}`,
        });
      }
    });
  });
});
