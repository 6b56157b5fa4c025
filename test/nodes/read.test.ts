/** pg read in Node-RED against the real Postgres: phases, backpressure, a million rows, stop/resume, failures. */
import assert from 'assert/strict';
import pg from 'pg';
import v8 from 'v8';
import vm from 'vm';
import { helper, withNodeRedServer } from '../support/node-red';
import { createScratchDatabase, eventually, type ScratchDatabase } from '../support/databases';
import { coreJoinModule, credentials, postgresConfig, postgresNode, readFlow, readNode, Recorder, statusTexts, type Msg } from './read-flow';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../../dist/engine/plan/types';
import { withCatalog } from '../support/catalog';

const APP = `pg2graph-read-node-${process.pid}`;

v8.setFlagsFromString('--expose_gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const customers: NodeEntry = {
  id: 'public.customers',
  table: { schema: 'public', name: 'customers' },
  label: 'Customer',
  key: ['id'],
  keySource: 'primaryKey',
  properties: [
    { column: 'id', name: 'id', pgType: 'int8', as: 'integer' },
    { column: 'name', name: 'name', pgType: 'text', as: 'string' },
  ],
  warnings: [],
};
const orders: NodeEntry = {
  id: 'public.orders',
  table: { schema: 'public', name: 'orders' },
  label: 'Order',
  key: ['id'],
  keySource: 'primaryKey',
  properties: [{ column: 'id', name: 'id', pgType: 'int4', as: 'integer' }],
  warnings: [],
};
const placedBy: RelationshipEntry = {
  id: 'public.orders.orders_customer_id_fkey',
  type: 'PLACED_BY',
  source: { kind: 'foreignKey', table: { schema: 'public', name: 'orders' }, constraint: 'orders_customer_id_fkey' },
  from: { node: 'public.orders', match: { id: 'id' } },
  to: { node: 'public.customers', match: { id: 'customer_id' } },
  properties: [],
};
const PLAN: GraphPlan = {
  version: 1,
  source: { schemas: ['public'] },
  options: { batchSize: 7, writeMode: 'merge' },
  nodes: [customers, orders],
  relationships: [placedBy],
};

async function states(db: ScratchDatabase): Promise<string[]> {
  const result = await db.query<{ state: string }>("SELECT coalesce(state, '') AS state FROM pg_stat_activity WHERE application_name = $1", [APP]);
  return result.rows.map((r) => r.state);
}

describe('pg2graph-read node', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;

  before(async () => {
    db = await createScratchDatabase('readnode');
    await db.query(`
      CREATE TABLE customers (id int8 PRIMARY KEY, name text);
      INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 30) g;
      CREATE TABLE orders (id int4 PRIMARY KEY, customer_id int4 REFERENCES customers);
      INSERT INTO orders SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE g % 30 + 1 END FROM generate_series(1, 50) g;
      CREATE TABLE ranges (id int4 PRIMARY KEY, r int4range);
    `);
  });
  after(async () => {
    await db.drop();
  });

  withNodeRedServer();

  async function load(read: Record<string, unknown> = {}, extra: object[] = []) {
    await helper.load([postgresNode, readNode, coreJoinModule()], [postgresConfig(db, APP), ...readFlow(read, extra)], credentials(db));
  }

  it('runs a plan phase by phase: node batches, then relationship batches once every node batch is acknowledged, then the completion', async () => {
    await load({ maxUnacknowledged: '3' });
    const recorder = new Recorder({ delayMs: 5 });
    helper.getNode('reader').receive({ plan: PLAN });
    const { complete, error } = await recorder.outcome();
    assert.equal(error, undefined, error?.error?.message);
    assert.ok(complete);
    assert.ok(recorder.mostOutstanding <= 3, `at most 3 out at once, saw ${recorder.mostOutstanding}`);
    assert.ok(recorder.events.indexOf('send relationships') > recorder.events.lastIndexOf('ack nodes'), 'relationships after every node ack');
    assert.equal(recorder.events[recorder.events.length - 1], 'complete', 'the completion after every ack');
    // control messages: runStart before each phase's first batch, runEnd on both outputs after every ack, then the completion
    assert.deepEqual(
      recorder.controls.map((c) => `${c.kind} ${c.phase}`),
      ['runStart nodes', 'runStart relationships', 'runEnd nodes', 'runEnd relationships'],
    );
    assert.equal(recorder.events.indexOf('runStart nodes'), 0);
    assert.ok(recorder.events.indexOf('runStart relationships') > recorder.events.lastIndexOf('ack nodes'));
    assert.ok(recorder.events.indexOf('runEnd nodes') > recorder.events.lastIndexOf('ack relationships'), 'runEnd only once every batch was acknowledged');
    assert.deepEqual(recorder.controls[2].entries, ['public.customers', 'public.orders']);
    assert.deepEqual(recorder.controls[3].entries, [placedBy.id]);
    assert.ok(
      recorder.controls.every((c) => c.plan === recorder.nodeBatches[0].payload.batch.plan && /^[0-9a-f]{16}$/.test(c.plan)),
      'the plan fingerprint, as on every batch',
    );
    assert.equal(recorder.nodeBatches[0].plan, undefined, 'a batch never carries the plan');

    assert.deepEqual(
      recorder.nodeBatches.map((m) => m.topic),
      [...Array(5).fill('public.customers'), ...Array(8).fill('public.orders')],
    );
    const lastCustomers = recorder.nodeBatches[4];
    assert.deepEqual(lastCustomers.parts, { id: `${lastCustomers.payload.batch.run}/public.customers`, index: 4, type: 'array', count: 5 });
    assert.equal(recorder.nodeBatches[0].parts?.count, undefined, 'count only on the last batch');
    assert.equal(recorder.nodeBatches[0].entry.id, 'public.customers');
    assert.equal(recorder.nodeBatches[0].payload.kind, 'rows');
    const rel = recorder.relationshipBatches[0];
    assert.equal(rel.entry.id, placedBy.id);
    assert.deepEqual(rel.ends.from.labels, ['Order']);
    assert.deepEqual(
      rel.ends.to.properties.map((p: { pgType: string }) => p.pgType),
      ['int8'],
    );

    const totals = complete.payload;
    assert.equal(complete.topic, 'complete');
    assert.equal(totals.stopped, false);
    assert.equal(totals.rows, 30 + 50 + 50);
    assert.equal(totals.entries['public.customers'].batches, 5);
    assert.equal(
      totals.entries[placedBy.id].skippedNullMatch,
      undefined,
      "rows with a NULL match column are the shaper's to count (fk → edge), not the reader's",
    );
    assert.ok(totals.entries['public.orders'].rowsPerSecond > 0);
    assert.deepEqual(complete.plan, PLAN);
    assert.equal(statusTexts('reader').pop(), 'pg2graph-read.status.done');
  });

  it('status: rows read and acknowledged, of the entry and of the run, move while an entry is read', async () => {
    await db.query('ANALYZE customers');
    // the real catalog, so the status is the text a user sees
    await helper.load(
      [postgresNode, withCatalog('pg2graph-read', readNode)],
      [postgresConfig(db, APP), ...readFlow({ maxUnacknowledged: '2' })],
      credentials(db),
    );
    let holding = true;
    const held: Msg[] = [];
    const recorder = new Recorder({
      decide: (msg) => {
        if (!holding) return 'ack';
        held.push(msg);
        return 'hold';
      },
    });
    helper.getNode('reader').receive({ plan: { ...PLAN, nodes: [customers], relationships: [] } });
    const progress = (rows: number, percent: number, acknowledged: number) =>
      new RegExp(
        `^public\\.customers: ${rows} of ~30 rows read \\(${percent}%\\), ${acknowledged} acknowledged; run: ${rows} read, ${acknowledged} acknowledged, \\d+ rows/s$`,
      );
    const shown = (pattern: RegExp) =>
      eventually(
        async () => statusTexts('reader'),
        (texts) => texts.some((t) => pattern.test(t)),
      );
    // two batches of 7 out, the third read and waiting for a slot: 21 rows read, none acknowledged
    const first = progress(21, 70, 0);
    assert.ok(
      (await shown(first)).some((t) => first.test(t)),
      `status shows ${first}: ${statusTexts('reader').join(' | ')}`,
    );
    recorder.acknowledge(held.shift() as Msg);
    // one acknowledged: the third batch goes out, the fourth is read and waits
    const second = progress(28, 93, 7);
    assert.ok(
      (await shown(second)).some((t) => second.test(t)),
      `status shows ${second}: ${statusTexts('reader').join(' | ')}`,
    );
    holding = false;
    for (const msg of held.splice(0)) recorder.acknowledge(msg);
    const { complete, error } = await recorder.outcome();
    assert.equal(error, undefined, error?.error?.message);
    assert.equal(complete?.payload.rows, 30);
    assert.match(statusTexts('reader').pop() ?? '', /^done: 30 rows in \d+\.\d s$/);
  });

  it('streams a 1,000,000-row table with at most N batches unacknowledged, in bounded memory, status at most once a second', async function () {
    await db.query(
      'CREATE TABLE million (id int4 PRIMARY KEY, label text); INSERT INTO million SELECT g, md5(g::text) FROM generate_series(1, 1000000) g; ANALYZE million',
    );
    await load({ batchSize: '10000', maxUnacknowledged: '4' });
    const recorder = new Recorder({ keep: false });
    let rows = 0;
    let lastId = 0;
    let ordered = true;
    const heap: number[] = [];
    // the test helper records every call of every node (sinon spies): forget them so only the reader's memory counts
    const sandbox = (helper as unknown as { _sandbox: { resetHistory(): void } })._sandbox;
    helper.getNode('out1').on('input', (msg: Msg) => {
      if (msg.control) return;
      rows += msg.payload.rows.length;
      if (Number(msg.payload.rows[0]?.[0]) !== lastId + 1) ordered = false;
      lastId = Number(msg.payload.rows[msg.payload.rows.length - 1]?.[0] ?? lastId);
      sandbox.resetHistory();
      if (msg.payload.batch.index === 10 || msg.payload.batch.index === 90) {
        collectGarbage();
        heap.push(process.memoryUsage().heapUsed);
      }
    });
    const started = Date.now();
    helper.getNode('reader').receive({ table: 'public.million' });
    const { complete, error } = await recorder.outcome(90_000);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(error, undefined, error?.error?.message);
    assert.equal(rows, 1_000_000);
    assert.ok(ordered, 'batches follow each other in key order, no row twice, none missing');
    assert.equal(recorder.batchCount, 100);
    assert.ok(recorder.mostOutstanding <= 4, `at most 4 unacknowledged, saw ${recorder.mostOutstanding}`);
    assert.equal(complete?.payload.rows, 1_000_000);
    const growth = (heap[1] - heap[0]) / 1048576;
    assert.ok(growth < 32, `heap grew ${growth.toFixed(1)} MB between batch 10 and batch 90`);
    const progress = statusTexts('reader').filter((t) => t.startsWith('pg2graph-read.status.progress'));
    assert.ok(progress.length <= Math.ceil(seconds) + 1, `${progress.length} progress statuses in ${seconds.toFixed(1)} s`);
    console.log(
      `      1,000,000 rows in ${seconds.toFixed(1)} s (${Math.round(1_000_000 / seconds)} rows/s), live heap batch 10 -> 90: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`,
    );
    await db.query('DROP TABLE million');
  });

  it('msg.stop ends a run with msg.resume; a run started with it reads on after the key and never the rows before', async () => {
    await db.query('CREATE TABLE stoppable (id int4 PRIMARY KEY); INSERT INTO stoppable SELECT g * 10 FROM generate_series(1, 20) g');
    await load({ batchSize: '4', maxUnacknowledged: '1' });
    const first = new Recorder({
      decide: (msg, recorder) => {
        if (msg.payload.batch.index < 2) return 'ack';
        // stop while batch 2 is out: the run waits for it before it reports where to resume
        setImmediate(() => helper.getNode('reader').receive({ stop: true }));
        setTimeout(() => recorder.acknowledge(msg), 200);
        return 'hold';
      },
    });
    helper.getNode('reader').receive({ table: 'public.stoppable' });
    const stopped = await first.outcome();
    assert.ok(stopped.complete, stopped.error?.error?.message);
    assert.equal(stopped.complete.topic, 'stopped');
    assert.equal(stopped.complete.payload.stopped, true);
    assert.deepEqual(stopped.complete.resume, { 'public.stoppable': ['120'] }, 'after batch 2, acknowledged after the stop');
    assert.equal(statusTexts('reader').pop(), 'pg2graph-read.status.stopped');

    await db.query('INSERT INTO stoppable VALUES (5), (75), (205)');
    await helper.unload();
    await load({ batchSize: '4', maxUnacknowledged: '1' });
    const second = new Recorder();
    helper.getNode('reader').receive({ table: 'public.stoppable', resume: stopped.complete.resume });
    const resumed = await second.outcome();
    assert.ok(resumed.complete, resumed.error?.error?.message);
    const ids = second.nodeBatches.flatMap((m) => m.payload.rows.map((r: string[]) => Number(r[0])));
    assert.deepEqual(ids, [130, 140, 150, 160, 170, 180, 190, 200, 205]);
    assert.ok(second.nodeBatches[0].payload.batch.firstKey[0] === '130');
  });

  it('a negative acknowledgement fails the run to a Catch node with the entry and the key range', async () => {
    await load({ maxUnacknowledged: '2' });
    const recorder = new Recorder({ decide: (msg) => (msg.topic === 'public.orders' && msg.payload.batch.index === 1 ? 'fail' : 'ack') });
    helper.getNode('reader').receive({ plan: PLAN });
    const { error } = await recorder.outcome();
    assert.ok(error, 'the run failed');
    assert.equal(error.error?.code, 'READ_BATCH_FAILED');
    assert.match(error.error?.message ?? '', /batch 1 of entry "public\.orders" \(keys \["8"\] to \["14"\]\)/);
    assert.match(error.error?.message ?? '', /refused by the test/);
    assert.equal(recorder.relationshipBatches.length, 0, 'no relationship phase after a failed node batch');
    assert.deepEqual(error.resume, { 'public.customers': 'done', 'public.orders': ['7'] }, 'the caught message can start the run again');
    await eventually(
      () => states(db),
      (s) => !s.includes('idle in transaction'),
    );
    assert.ok(!(await states(db)).includes('idle in transaction'));
    assert.equal(statusTexts('reader').pop(), 'pg2graph-read.status.failed');
  });

  it('closing the flow mid-run cancels the read and gives the connection back', async () => {
    await load({ batchSize: '5', maxUnacknowledged: '1' });
    const recorder = new Recorder({ decide: () => 'hold' });
    helper.getNode('reader').receive({ plan: PLAN });
    await eventually(
      async () => recorder.nodeBatches.length,
      (n) => n === 1,
    );
    assert.ok((await states(db)).includes('idle in transaction'), 'the run holds its snapshot while it waits');
    const closing = Date.now();
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    assert.ok(Date.now() - closing < 3000, 'the redeploy is not held up');
    const left = await eventually(
      () => states(db),
      (s) => s.length === 0,
    );
    assert.deepEqual(left, [], 'no connection left, none idle in transaction');
  });

  it('core join reassembles an entry from msg.parts', async () => {
    await load({ batchSize: '7', maxUnacknowledged: '10', wires: [['out1', 'joiner'], ['out2'], ['out3']] }, [
      { id: 'joiner', type: 'join', z: 'tab', mode: 'auto', wires: [['joined']] },
      { id: 'joined', type: 'helper', z: 'tab' },
    ]);
    const recorder = new Recorder();
    const joined = new Promise<Msg>((resolve) => helper.getNode('joined').once('input', resolve));
    helper.getNode('reader').receive({ table: 'public.customers' });
    const whole = await joined;
    assert.ok(Array.isArray(whole.payload));
    assert.deepEqual(
      whole.payload.map((b: { batch: { index: number } }) => b.batch.index),
      [0, 1, 2, 3, 4],
    );
    assert.equal(whole.payload.flatMap((b: { rows: unknown[] }) => b.rows).length, 30);
    await recorder.outcome();
  });

  describe('bad input reaches a Catch node', () => {
    const cases: Array<{ title: string; read?: Record<string, unknown>; msg: Record<string, unknown>; code: string; mentions: RegExp[] }> = [
      { title: 'an invalid batch size', read: { batchSize: '0' }, msg: { plan: PLAN }, code: 'READ_BATCH_SIZE_INVALID', mentions: [/batch size/, /"0"/] },
      { title: 'an invalid window', read: { maxUnacknowledged: 'many' }, msg: { plan: PLAN }, code: 'READ_WINDOW_INVALID', mentions: [/max unacknowledged/] },
      { title: 'a message without plan, table or sql', msg: { payload: 'go' }, code: 'READ_INPUT_INVALID', mentions: [/pg2graph-read\.errors\.inputInvalid/] },
      {
        title: 'a table with a column type that has no rule',
        msg: { table: 'public.ranges' },
        code: 'VALUE_NO_RULE',
        mentions: [/public\.ranges/, /"r"/, /int4range/],
      },
      { title: 'a table that does not exist', msg: { table: 'public.nope' }, code: 'READ_TABLE_NOT_FOUND', mentions: [/public\.nope/] },
      { title: 'no Postgres connection', read: { postgres: '' }, msg: { plan: PLAN }, code: 'CONFIG_MISSING', mentions: [/noPostgres/] },
    ];
    for (const bad of cases) {
      it(bad.title, async () => {
        await load(bad.read ?? {});
        const recorder = new Recorder();
        helper.getNode('reader').receive(bad.msg);
        const { error } = await recorder.outcome();
        assert.ok(error, 'an error reached the Catch node');
        assert.equal(error.error?.code, bad.code, error.error?.message);
        for (const pattern of bad.mentions) assert.match(error.error?.message ?? '', pattern);
      });
    }

    it('a backend terminated mid-stream: READ_FAILED with the last key reached', async () => {
      await load({ batchSize: '5', maxUnacknowledged: '1' });
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      let lastKey: unknown;
      try {
        const recorder = new Recorder({
          decide: (msg, rec) => {
            lastKey = msg.payload.batch.lastKey;
            if (msg.payload.batch.index === 1) {
              admin
                .query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'", [APP])
                .then(() => rec.acknowledge(msg));
              return 'hold';
            }
            return 'ack';
          },
        });
        helper.getNode('reader').receive({ plan: PLAN });
        const { error } = await recorder.outcome();
        assert.ok(error);
        assert.equal(error.error?.code, 'READ_FAILED');
        assert.match(error.error?.message ?? '', /entry "public\.customers"/);
        assert.ok((error.error?.message ?? '').includes(`after key ${JSON.stringify(lastKey)}`), `${error.error?.message} names ${JSON.stringify(lastKey)}`);
      } finally {
        await admin.end();
      }
    });

    it('a second plan while a run is going is READ_BUSY; the first run goes on', async () => {
      await load({ batchSize: '10', maxUnacknowledged: '1' });
      let held: Msg | undefined;
      const recorder = new Recorder({
        decide: (msg) => {
          if (!held) {
            held = msg;
            return 'hold';
          }
          return 'ack';
        },
      });
      helper.getNode('reader').receive({ plan: PLAN });
      await eventually(
        async () => held,
        (h) => h !== undefined,
      );
      helper.getNode('reader').receive({ plan: PLAN });
      const { error } = await recorder.outcome();
      assert.equal(error?.error?.code, 'READ_BUSY');
      recorder.acknowledge(held as Msg);
      const done = await recorder.completion;
      assert.equal(done.payload.rows, 130);
    });
  });
});
