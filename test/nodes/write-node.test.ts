/** pg2graph-write in a Node-RED flow (4.1 and 5.0) against the real Neo4j. */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, nodeModule, statusesOf, withNodeRedServer } from '../support/node-red';
import { eventually, neo4jSettings, testDriver } from '../support/databases';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { planFingerprint } from '../../dist/engine/plan';
import { count, emptyGraph, int, nodeBatch, nodeBatches, relationshipBatch, type NodeSpec, type RelationshipSpec } from '../engine/write-batches';

const neo4jNode = nodeModule('pg2graph-neo4j');
const writeNode = nodeModule('pg2graph-write');

const customers: NodeSpec = { entry: 'public.customers', labels: ['Customer'], key: ['customerId'], columns: ['customerId', 'name'] };
const orders: NodeSpec = { entry: 'public.orders', labels: ['Order'], key: ['orderId'], columns: ['orderId', 'total'] };
const placedBy: RelationshipSpec = {
  entry: 'public.orders.orders_customer_id_fkey',
  type: 'CUSTOMER',
  from: { labels: ['Order'], match: ['orderId'] },
  to: { labels: ['Customer'], match: ['customerId'] },
  columns: ['orderId', 'customerId'],
};
const plan: GraphPlan = {
  version: 1,
  source: { schemas: ['public'] },
  options: { batchSize: 10, writeMode: 'merge' },
  nodes: [
    {
      id: 'public.customers',
      table: { schema: 'public', name: 'customers' },
      label: 'Customer',
      key: ['customerId'],
      warnings: [],
      properties: [
        { column: 'customer_id', name: 'customerId', pgType: 'int4', as: 'integer' },
        { column: 'name', name: 'name', pgType: 'text', as: 'string' },
      ],
    },
    {
      id: 'public.orders',
      table: { schema: 'public', name: 'orders' },
      label: 'Order',
      key: ['orderId'],
      warnings: [],
      properties: [
        { column: 'order_id', name: 'orderId', pgType: 'int4', as: 'integer' },
        { column: 'total', name: 'total', pgType: 'numeric(10,2)', as: 'string' },
      ],
    },
  ],
  relationships: [
    {
      id: placedBy.entry,
      type: 'CUSTOMER',
      source: { kind: 'foreignKey', table: { schema: 'public', name: 'orders' }, constraint: 'orders_customer_id_fkey' },
      from: { node: 'public.orders', match: { orderId: 'order_id' } },
      to: { node: 'public.customers', match: { customerId: 'customer_id' } },
      properties: [],
    },
  ],
};

const customerRows = (n: number) => Array.from({ length: n }, (_, i) => [int(i + 1), `Customer ${i + 1}`]);
const orderRows = (n: number) => Array.from({ length: n }, (_, i) => [int(100 + i), `${i}.50`]);

interface Caught {
  error: { message: string; code?: string };
}
type Ack = { run: string; seq: number; entry: string; ok: boolean; stats?: Record<string, number>; error?: { code: string; message: string } };

function flow(writer: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'write' },
    { id: 'cfg', type: 'pg2graph-neo4j', name: 'graph', uri: neo4jSettings().uri, database: '', dialect: 'neo4j', tls: 'uri' },
    { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'cfg', mode: 'merge', concurrency: 4, maxRetries: 5, wires: [['acks'], ['totals']], ...writer },
    { id: 'acks', type: 'helper', z: 'tab' },
    { id: 'totals', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

const credentials = () => ({ cfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string } });

/** Everything that leaves the flow's helper nodes, from now on. */
function collect() {
  const seen = {
    acks: [] as Array<{ ack?: Ack; missingEnds?: { count: number }; topic?: string }>,
    totals: [] as Array<{ payload: Record<string, unknown> }>,
    caught: [] as Caught[],
  };
  helper.getNode('acks').on('input', (msg) => {
    seen.acks.push(msg);
  });
  helper.getNode('totals').on('input', (msg) => {
    seen.totals.push(msg);
  });
  helper.getNode('caught').on('input', (msg) => {
    seen.caught.push(msg);
  });
  return seen;
}

const wait = <T>(read: () => T, ok: (v: T) => boolean, timeoutMs = 15_000) => eventually(async () => read(), ok, timeoutMs);

describe('pg2graph-write node', function () {
  this.timeout(60_000);
  let driver: Driver;

  before(() => {
    driver = testDriver();
  });
  after(async () => {
    await driver.close();
  });
  beforeEach(() => emptyGraph(driver));
  withNodeRedServer();

  it('acknowledges every batch on output 1 and sends totals on output 2', async () => {
    await helper.load([neo4jNode, writeNode], flow(), credentials());
    const seen = collect();
    const writer = helper.getNode('writer');
    const batches = [...nodeBatches(customers, customerRows(25), 10), ...nodeBatches(orders, orderRows(12), 5)];
    for (const batch of batches) writer.receive({ payload: batch });
    await wait(
      () => seen.acks.length,
      (n) => n >= batches.length,
    );
    assert.deepEqual(
      seen.acks.map((m) => m.ack?.seq).sort((a, b) => Number(a) - Number(b)),
      batches.map((b) => b.batch.seq),
    );
    for (const message of seen.acks) {
      const batch = batches.find((b) => b.batch.seq === message.ack?.seq);
      assert.deepEqual(message.ack, {
        run: 'run-1',
        seq: batch?.batch.seq,
        entry: batch?.batch.entry,
        ok: true,
        stats: {
          nodesCreated: batch?.rows.length,
          nodesMatched: 0,
          relationshipsCreated: 0,
          propertiesWritten: 2 * (batch?.rows.length ?? 0),
          missingEnds: 0,
          retries: 0,
        },
      });
    }
    await wait(
      () => seen.totals.length,
      (n) => n >= 2,
    );
    assert.ok(
      seen.totals.every((m) => (m.payload as { run?: string }).run === 'run-1'),
      'one totals message after the last batch of each entry',
    );

    const rows = [
      [int(100), int(1)],
      [int(101), int(2)],
      [int(102), int(99)],
    ];
    writer.receive({ payload: relationshipBatch(placedBy, rows, 0, { last: true }) });
    await wait(
      () => seen.acks.length,
      (n) => n >= batches.length + 1,
    );
    const relAck = seen.acks[seen.acks.length - 1];
    assert.equal(relAck.ack?.stats?.relationshipsCreated, 2);
    assert.equal(relAck.ack?.stats?.missingEnds, 1);
    assert.equal(relAck.missingEnds?.count, 1, 'missing ends are reported on the acknowledgement message');

    writer.receive({ totals: true });
    await wait(
      () => seen.totals.length,
      (n) => n >= 4,
    );
    const totals = seen.totals[seen.totals.length - 1].payload as Record<string, unknown> & { entries: Record<string, { batches: number }> };
    assert.equal(totals.nodesCreated, 37);
    assert.equal(totals.relationshipsCreated, 2);
    assert.equal(totals.missingEnds, 1);
    assert.equal(totals.batches, batches.length + 1);
    assert.equal(totals.entries['public.customers'].batches, 3);
    assert.equal(await count(driver, 'MATCH (c:Customer) RETURN count(c)'), 25);
    assert.equal(await count(driver, 'MATCH (:Order)-[r:CUSTOMER]->(:Customer) RETURN count(r)'), 2);
    assert.equal(seen.caught.length, 0);
    const shown = await wait(
      () => statusesOf('writer').map((s) => s.text),
      (texts) => texts.includes('pg2graph-write.status.totals'),
    );
    assert.ok(shown.includes('pg2graph-write.status.totals'), 'the status shows the running totals (i18n key)');
  });

  it('prepares the plan on runStart, checkpoints the batches that name the plan, and clears them only on runEnd', async () => {
    await helper.load([neo4jNode, writeNode], flow(), credentials());
    const seen = collect();
    const writer = helper.getNode('writer');
    const planKey = planFingerprint(plan);
    const control = (kind: 'runStart' | 'runEnd', seq: number, extra: Record<string, unknown> = {}) => ({
      topic: kind,
      control: { kind, run: 'run-1', seq, plan: planKey, phase: 'nodes', ...extra },
      ...(kind === 'runStart' ? { plan } : {}),
    });
    writer.receive(control('runStart', 1));
    await wait(
      () => seen.acks.length,
      (n) => n >= 1,
    );
    assert.deepEqual(seen.acks[0].ack, { run: 'run-1', seq: 1, ok: true }, 'runStart is acknowledged once the plan is prepared');
    assert.equal(
      await count(driver, "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'pg2graph_' RETURN count(*)"),
      3,
      'Customer, Order and checkpoint keys',
    );
    const named = <T extends { batch: { plan?: string } }>(batch: T): T => ({ ...batch, batch: { ...batch.batch, plan: planKey } });
    for (const batch of nodeBatches(customers, customerRows(20), 10)) writer.receive({ payload: named(batch) });
    writer.receive({ payload: named(nodeBatch(orders, orderRows(3), 0, { last: true })) });
    writer.receive({ payload: named(relationshipBatch(placedBy, [[int(100), int(1)]], 0, { last: true })) });
    await wait(
      () => seen.acks.length,
      (n) => n >= 5,
    );
    assert.ok(seen.acks.every((m) => m.ack?.ok === true));
    const kept = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint {plan: $plan}) RETURN c.entry AS entry, c.complete AS complete ORDER BY entry', {
      plan: planKey,
    });
    assert.deepEqual(
      kept.records.map((r) => [r.get('entry'), r.get('complete')]),
      [
        ['public.customers', true],
        ['public.orders', true],
        [placedBy.entry, true],
      ],
      'every entry complete, and still the checkpoints stay: only the reader says the run is over',
    );

    writer.receive(control('runEnd', 9, { entries: ['public.customers', 'public.orders', placedBy.entry] }));
    await wait(
      () => seen.acks.length,
      (n) => n >= 6,
    );
    assert.deepEqual(seen.acks[5].ack, { run: 'run-1', seq: 9, ok: true });
    assert.equal(await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN count(c)'), 0, "runEnd removed the run's checkpoints before it was acknowledged");
    assert.equal(seen.caught.length, 0);
  });

  it("answers every control message, also a failing one: no plan, another plan than the run's, no connection, malformed", async () => {
    await helper.load([neo4jNode, writeNode], [...flow(), { id: 'orphan', type: 'pg2graph-write', z: 'tab', neo4j: '', wires: [['acks'], []] }], credentials());
    const seen = collect();
    const control = (seq: number, extra: Record<string, unknown> = {}) => ({
      kind: 'runStart',
      run: 'run-x',
      seq,
      plan: planFingerprint(plan),
      phase: 'nodes',
      ...extra,
    });
    helper.getNode('writer').receive({ control: control(1) });
    helper.getNode('writer').receive({ control: control(2, { plan: 'another-plan' }), plan });
    helper.getNode('orphan').receive({ control: control(3), plan });
    helper.getNode('writer').receive({ control: { run: 'run-x', seq: 4, kind: 'runStart' } });
    await wait(
      () => seen.acks.length,
      (n) => n >= 4,
    );
    const answers: Record<string, Ack | undefined> = Object.fromEntries(seen.acks.map((m) => [m.ack?.seq, m.ack]));
    assert.deepEqual(Object.keys(answers).sort(), ['1', '2', '3', '4'], 'every control message got its answer');
    assert.ok(Object.values(answers).every((a) => a?.ok === false));
    assert.equal(answers[1]?.error?.message, 'pg2graph-write.errors.runStartWithoutPlan');
    assert.equal(answers[2]?.error?.message, 'pg2graph-write.errors.planChanged');
    assert.equal(answers[3]?.error?.code, 'CONFIG_MISSING');
    assert.equal(answers[4]?.error?.message, 'pg2graph-write.errors.controlInvalid');
    await wait(
      () => seen.caught.length,
      (n) => n >= 4,
    );
    assert.equal(
      await count(driver, "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'pg2graph_' RETURN count(*)"),
      0,
      "nothing was prepared for a plan that is not the run's",
    );
  });

  it('sends a failed batch to a Catch node and a negative acknowledgement to output 1', async () => {
    await helper.load([neo4jNode, writeNode], flow(), credentials());
    const seen = collect();
    const writer = helper.getNode('writer');
    writer.receive({
      payload: nodeBatch(
        customers,
        [
          [int(1), 'a'],
          [null, 'b'],
        ],
        3,
      ),
    });
    await wait(
      () => seen.caught.length + seen.acks.length,
      (n) => n >= 2,
    );
    assert.equal(seen.caught[0].error.code, 'WRITE_KEY_MISSING');
    assert.match(seen.caught[0].error.message, /entry "public\.customers" batch 3: row 1 \(key \[null\]\)/);
    const ack = seen.acks[0].ack as Ack;
    assert.deepEqual([ack.ok, ack.entry, ack.error?.code], [false, 'public.customers', 'WRITE_KEY_MISSING']);
    assert.deepEqual(
      statusesOf('writer').find((s) => s.fill === 'red'),
      { fill: 'red', shape: 'ring', text: 'pg2graph-write.status.failed' },
    );
    assert.equal(await count(driver, 'MATCH (c:Customer) RETURN count(c)'), 0);
  });

  it('in CREATE mode refuses a graph that already holds the labels, to a Catch node', async () => {
    await helper.load([neo4jNode, writeNode], flow({ mode: 'create' }), credentials());
    const seen = collect();
    const writer = helper.getNode('writer');
    writer.receive({ payload: nodeBatch(customers, customerRows(3), 0, { run: 'first' }) });
    await wait(
      () => seen.acks.length,
      (n) => n >= 1,
    );
    assert.equal(seen.acks[0].ack?.ok, true);
    writer.receive({ payload: nodeBatch(customers, customerRows(3), 0, { run: 'second' }) });
    await wait(
      () => seen.caught.length,
      (n) => n >= 1,
    );
    assert.equal(seen.caught[0].error.code, 'WRITE_TARGET_NOT_EMPTY');
    assert.match(seen.caught[0].error.message, /nodes labelled :Customer/);
  });

  it('reports bad input and bad settings as typed errors', async () => {
    await helper.load(
      [neo4jNode, writeNode],
      [
        ...flow(),
        { id: 'orphan', type: 'pg2graph-write', z: 'tab', neo4j: '', wires: [[], []] },
        { id: 'strict', type: 'pg2graph-write', z: 'tab', neo4j: 'cfg', concurrency: 0, wires: [[], []] },
      ],
      credentials(),
    );
    const seen = collect();
    helper.getNode('writer').receive({ payload: [[1, 2]] });
    helper.getNode('orphan').receive({ payload: nodeBatch(customers, customerRows(1)) });
    helper.getNode('strict').receive({ payload: nodeBatch(customers, customerRows(1)) });
    helper.getNode('writer').receive({ plan: { nodes: 'none' } });
    helper.getNode('writer').receive({ control: { kind: 'runStart', run: 'r' } });
    await wait(
      () => seen.caught.length,
      (n) => n >= 5,
    );
    const codes = seen.caught.map((m) => m.error.code).sort();
    assert.deepEqual(codes, ['CONFIG_MISSING', 'PLAN_INVALID', 'WRITE_INPUT_INVALID', 'WRITE_INPUT_INVALID', 'WRITE_SETTING_INVALID']);
    assert.match(seen.caught.find((m) => m.error.code === 'PLAN_INVALID')?.error.message ?? '', /the plan is invalid .*\n.*nodes/s);
    assert.ok(
      seen.caught.some((m) => /(^|: )pg2graph-write\.errors\.controlInvalid$/.test(m.error.message)),
      'a malformed control message is named',
    );
    assert.match(seen.caught.find((m) => m.error.code === 'WRITE_SETTING_INVALID')?.error.message ?? '', /pg2graph-write\.errors\.settingInteger/);
    assert.ok(
      seen.caught.some((m) => /(^|: )pg2graph-write\.errors\.notABatch$/.test(m.error.message)),
      'a payload that is no batch is named',
    );
  });
});
