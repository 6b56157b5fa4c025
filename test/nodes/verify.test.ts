/**
 * graph verify in Node-RED (4.1 and 5.0): behind the whole everyday flow (pg read -> row → node / fk → edge ->
 * graph write, acknowledged), a failing report after a planted fault, and broken input reaching a Catch node.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, nodeModule, nextMessage, withNodeRedServer } from '../support/node-red';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { CheckResult, EntryReport, VerificationReport } from '../../dist/engine/verify/report';
import { postgresConfig, postgresNode, readNode, toEdgeNode, toNodeNode } from './read-flow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadSample } = require('../../scripts/lib/sample-db') as { loadSample(url: string): Promise<void> };

const neo4jNode = nodeModule('pg2graph-neo4j');
const writeNode = nodeModule('pg2graph-write');
const verifyNode = nodeModule('pg2graph-verify');
const NODES = [postgresNode, neo4jNode, readNode, toNodeNode, toEdgeNode, writeNode, verifyNode];

interface Out {
  topic?: string;
  payload: VerificationReport;
  summary: string;
  plan?: GraphPlan;
  error?: { code?: string; message: string };
}

function flow(db: ScratchDatabase, verifier: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'verify' },
    postgresConfig(db, 'pg2graph-verify-test'),
    { id: 'graphcfg', type: 'pg2graph-neo4j', name: 'graph', uri: neo4jSettings().uri, database: '', dialect: 'neo4j', tls: 'uri' },
    {
      id: 'reader',
      type: 'pg2graph-read',
      z: 'tab',
      postgres: 'pgcfg',
      batchSize: '300',
      maxUnacknowledged: '4',
      wires: [['shaper'], ['linker'], ['verifier']],
    },
    { id: 'shaper', type: 'pg2graph-to-node', z: 'tab', wires: [['writer']] },
    { id: 'linker', type: 'pg2graph-to-edge', z: 'tab', wires: [['writer']] },
    { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'graphcfg', mode: 'merge', concurrency: 4, maxRetries: 5, wires: [['reader'], []] },
    { id: 'verifier', type: 'pg2graph-verify', z: 'tab', postgres: 'pgcfg', neo4j: 'graphcfg', sample: '', ...verifier, wires: [['report']] },
    { id: 'report', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

function credentials(db: ScratchDatabase) {
  return {
    pgcfg: { user: db.settings.user as string, password: db.settings.password as string },
    graphcfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string },
  };
}

function propertiesCheck(entry: EntryReport): CheckResult {
  const check = entry.checks.find((c) => c.check === 'properties');
  assert.ok(check, `entry ${entry.entry} has a properties check`);
  return check;
}

type Spied = { getCalls(): Array<{ thisValue: { id: string }; args: unknown[] }> };

/** Arguments of every call of a spied node method made by this node. */
function callsOf(id: string, method: 'status' | 'log'): unknown[] {
  const spy = (helper.getNode(id) as unknown as Record<string, Spied>)[method];
  return spy
    .getCalls()
    .filter((call) => call.thisValue?.id === id)
    .map((call) => call.args[0]);
}

describe('pg2graph-verify node', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let plan: GraphPlan;

  before(async function () {
    this.timeout(300_000);
    db = await createScratchDatabase('verifynode');
    await loadSample(db.url);
    const connection = new PostgresConnection(db.settings);
    try {
      plan = generatePlan(await introspectDatabase(connection, { schemas: ['bookshop'] }), {
        include: ['bookshop.warehouse', 'bookshop.book', 'bookshop.stock'],
      });
    } finally {
      await connection.close();
    }
    assert.deepEqual([plan.nodes.map((n) => n.id), plan.relationships.map((r) => r.id)], [['bookshop.book', 'bookshop.warehouse'], ['bookshop.stock']]);
    driver = testDriver();
    await clearGraph(driver);
  });
  after(async () => {
    if (driver) await clearGraph(driver);
    await driver?.close();
    await db?.drop();
  });
  withNodeRedServer();

  it('verifies the graph the flow wrote when pg read completes: report, summary, green status, a log line', async () => {
    await helper.load(NODES, flow(db), credentials(db));
    const out = nextMessage<Out>(helper.getNode('report'), 60_000);
    helper.getNode('reader').receive({ plan });
    const msg = await out;
    assert.equal(msg.topic, 'complete', 'the completion message of pg read, passed on');
    assert.equal(msg.payload.ok, true, msg.summary);
    assert.equal(msg.payload.failed, 0);
    assert.deepEqual(
      msg.payload.entries.map((e) => [e.entry, e.sourceRows, e.targetCount]),
      [
        ['bookshop.book', 400, 400],
        ['bookshop.warehouse', 6, 6],
        ['bookshop.stock', 1600, 1600],
      ],
    );
    assert.match(msg.summary, /^verification PASSED: 3 entries, properties compared on all rows, /);
    assert.deepEqual(msg.plan, plan);
    const statuses = callsOf('verifier', 'status') as Array<{ fill?: string; text?: string }>;
    assert.deepEqual(statuses[statuses.length - 1], { fill: 'green', shape: 'dot', text: 'pg2graph-verify.status.passed' });
    assert.deepEqual(callsOf('verifier', 'log'), ['pg2graph-verify.log.passed']);
  });

  it('sends a failing report (not an error) after a planted fault: red status with the count, aggregates from msg.aggregates', async () => {
    await driver.executeQuery('MATCH (w:Warehouse {region: "EU", siteNo: 2}) SET w.name = "Elsewhere"');
    // 400 books, sample 50: every 8th in key order is compared, the 8th among them
    const isbn = (await db.query<{ isbn: string }>('SELECT isbn FROM bookshop.book ORDER BY isbn OFFSET 7 LIMIT 1')).rows[0].isbn;
    const price = (await db.query<{ price: string }>('SELECT price::text FROM bookshop.book WHERE isbn = $1', [isbn])).rows[0].price;
    await driver.executeQuery('MATCH (b:Book {isbn: $isbn}) SET b.price = toFloat(b.price)', { isbn });
    try {
      await helper.load(NODES, flow(db, { sample: '50' }), credentials(db));
      const caught: unknown[] = [];
      helper.getNode('caught').on('input', (m) => caught.push(m));
      const out = nextMessage<Out>(helper.getNode('report'), 60_000);
      helper.getNode('verifier').receive({
        plan,
        aggregates: [
          { entry: 'bookshop.stock', column: 'quantity', function: 'sum' },
          { entry: 'bookshop.book', column: 'price', function: 'sum' },
        ],
      });
      const msg = await out;
      const report = msg.payload;
      assert.equal(report.ok, false);
      assert.equal(report.sample, 50);
      const failing = report.entries.flatMap((e) => e.checks.filter((c) => !c.ok).map((c) => `${e.entry}/${c.check}`));
      assert.deepEqual(failing, ['bookshop.book/properties', 'bookshop.warehouse/properties']);
      assert.deepEqual(propertiesCheck(report.entries[1]).examples, [
        { key: { region: 'EU', siteNo: 2 }, property: 'name', expected: 'String "Leipzig"', found: 'String "Elsewhere"' },
      ]);
      assert.equal(propertiesCheck(report.entries[0]).expected, 50, 'book properties compared on the sample');
      assert.deepEqual(propertiesCheck(report.entries[0]).examples, [
        { key: { isbn }, property: 'price', expected: `String "${price}"`, found: `Float ${Number(price)}` },
      ]);
      assert.deepEqual(
        report.aggregates.map((a) => [a.spec.entry, a.ok]),
        [
          ['bookshop.stock', true],
          ['bookshop.book', false],
        ],
      );
      assert.equal(report.failed, 3);
      assert.match(msg.summary, /^verification FAILED \(3 failing checks\)/);
      const statuses = callsOf('verifier', 'status') as Array<{ fill?: string; text?: string }>;
      assert.deepEqual(statuses[statuses.length - 1], { fill: 'red', shape: 'dot', text: 'pg2graph-verify.status.failed' });
      assert.deepEqual(callsOf('verifier', 'log'), ['pg2graph-verify.log.failed']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(caught, [], 'a failing check is not an error');
    } finally {
      await driver.executeQuery('MATCH (w:Warehouse {region: "EU", siteNo: 2}) SET w.name = "Leipzig"');
      await driver.executeQuery('MATCH (b:Book {isbn: $isbn}) SET b.price = $price', { isbn, price });
    }
  });

  it('routes a verification that cannot run to a Catch node with its code and a red ring', async () => {
    await helper.load(NODES, flow(db), credentials(db));
    const failures = async (message: Record<string, unknown>) => {
      const caught = nextMessage<Out>(helper.getNode('caught'), 30_000);
      helper.getNode('verifier').receive(message);
      return (await caught).error;
    };
    assert.equal((await failures({ payload: 'no plan' }))?.code, 'VERIFY_PLAN_MISSING');
    const gone = JSON.parse(JSON.stringify(plan)) as GraphPlan;
    (gone.nodes[1].table as { name: string }).name = 'warehouse_gone';
    const missing = await failures({ plan: gone });
    assert.equal(missing?.code, 'READ_TABLE_NOT_FOUND');
    assert.match(String(missing?.message), /entry "bookshop\.warehouse" \(table bookshop\.warehouse_gone\): the table does not exist/);
    const aggregate = await failures({ plan, aggregates: [{ entry: 'bookshop.book', column: 'title', function: 'sum' }] });
    assert.equal(aggregate?.code, 'VERIFY_AGGREGATE_INVALID');
    assert.match(String(aggregate?.message), /aggregates\[0\]: sum\(title\) needs an integer property or an exact decimal/);
    const statuses = callsOf('verifier', 'status') as Array<{ fill?: string; text?: string }>;
    assert.deepEqual(statuses[statuses.length - 1], { fill: 'red', shape: 'ring', text: 'pg2graph-verify.status.error' });
  });

  it('refuses a bad sample setting and a missing connection', async () => {
    await helper.load(NODES, flow(db, { sample: 'many' }), credentials(db));
    const caught = nextMessage<Out>(helper.getNode('caught'), 30_000);
    helper.getNode('verifier').receive({ plan });
    assert.equal((await caught).error?.code, 'VERIFY_OPTION_INVALID');
    await helper.unload();
    await helper.load(NODES, flow(db, { neo4j: '' }), credentials(db));
    const unconfigured = nextMessage<Out>(helper.getNode('caught'), 30_000);
    helper.getNode('verifier').receive({ plan });
    const error = (await unconfigured).error;
    assert.equal(error?.code, 'CONFIG_MISSING');
    assert.match(String(error?.message), /pg2graph-verify\.errors\.noNeo4j$/);
  });
});
