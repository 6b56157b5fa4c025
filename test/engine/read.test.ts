/** The reader against the real Postgres: keyset and cursor reads, resume, snapshot, cancellation, failures. */
import assert from 'assert/strict';
import pg from 'pg';
import { createScratchDatabase, eventually, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { PlanRun, type RunBatch, type RunResult, type PlanRunOptions } from '../../dist/engine/read/plan-run';
import type { RunControl } from '../../dist/engine/core';
import { ReadSnapshot } from '../../dist/engine/read/snapshot';
import { singleEntryPlan, parseTableName } from '../../dist/engine/read/single-entry';
import { ROW_HASH_ALIAS } from '../../dist/engine/plan/entry-columns';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../../dist/engine/plan/types';
import { shapeRelationships } from '../../dist/engine/shape';

const APP = `pg2graph-read-test-${process.pid}`;

function nodeEntry(
  id: string,
  table: { schema: string; name: string } | undefined,
  key: string[],
  columns: Array<[string, string, string?]>,
  extra: Partial<NodeEntry> = {},
): NodeEntry {
  return {
    id,
    table,
    // one label per entry: two entries with one label and key would merge their nodes (the plan refuses that)
    label: `T_${id.split('.').pop()}`,
    key,
    keySource: 'primaryKey',
    warnings: [],
    properties: columns.map(([column, pgType, as]) => ({
      column,
      name: column,
      pgType,
      as: (as ?? (pgType.startsWith('int') ? 'integer' : 'string')) as NodeEntry['properties'][number]['as'],
    })),
    ...extra,
  };
}

function plan(nodes: NodeEntry[], relationships: RelationshipEntry[] = [], batchSize = 10): GraphPlan {
  return { version: 1, source: { schemas: ['public'] }, options: { batchSize, writeMode: 'merge' }, nodes, relationships };
}

/** Runs to the end; acknowledges every batch at once unless `ack` says otherwise (false: never). */
async function drain(
  connection: PostgresConnection,
  options: PlanRunOptions,
  hooks: { ack?: boolean; onBatch?: (b: RunBatch, run: PlanRun) => void | Promise<void> } = {},
) {
  const run = new PlanRun(connection, options);
  const batches: RunBatch[] = [];
  const result = await run.start((batch) => {
    batches.push(batch);
    Promise.resolve(hooks.onBatch?.(batch, run)).then(() => {
      if (hooks.ack !== false) setImmediate(() => run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true }));
    });
  });
  return { run, result, batches, rows: batches.flatMap((b) => b.rows.rows) };
}

async function expectError(promise: Promise<unknown>, code: string): Promise<Pg2GraphError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Pg2GraphError, `expected a Pg2GraphError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

async function backendStates(db: ScratchDatabase, app: string): Promise<string[]> {
  const result = await db.query<{ state: string }>(
    "SELECT coalesce(state, '') AS state FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
    [app],
  );
  return result.rows.map((r) => r.state);
}

describe('reader', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let connection: PostgresConnection;

  before(async () => {
    db = await createScratchDatabase('read');
    await db.query(`
      CREATE TABLE numbers (id int8 PRIMARY KEY, v text);
      INSERT INTO numbers SELECT g, 'v' || g FROM generate_series(1, 25) g;
      CREATE TABLE empty (id int4 PRIMARY KEY);
      CREATE TABLE pairs (a int4, b text, n int4, PRIMARY KEY (a, b));
      INSERT INTO pairs VALUES (2, 'a', 1), (1, 'b', 2), (1, 'a', 3), (2, 'c', 4), (1, 'c', 5), (3, 'a', 6), (2, 'b', 7);
      CREATE VIEW even_numbers AS SELECT id, v FROM numbers WHERE id % 2 = 0;
      CREATE TABLE nokey (a int4, b text);
      INSERT INTO nokey VALUES (1, 'x'), (1, 'x'), (2, NULL), (NULL, NULL), (1, 'x'), (NULL, NULL);
      CREATE TABLE measurements (id int4, region text, v int4, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
      CREATE TABLE measurements_eu PARTITION OF measurements FOR VALUES IN ('eu');
      CREATE TABLE measurements_us PARTITION OF measurements FOR VALUES IN ('us');
      INSERT INTO measurements SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g * 10 FROM generate_series(1, 20) g;
      CREATE SCHEMA "Sales ""Dept""";
      CREATE TABLE "Sales ""Dept"""."Order Items" ("Order Id" text PRIMARY KEY, "select" int4, "Weird ""Name""" text);
      INSERT INTO "Sales ""Dept"""."Order Items" VALUES ('a''b"c', 1, 'x'), ('plain', 2, 'y'), ('zzz', 3, NULL);
      CREATE TABLE big (id int4 PRIMARY KEY);
      INSERT INTO big SELECT generate_series(1, 20000);
      CREATE TABLE ranges (id int4 PRIMARY KEY, r int4range, ok text);
    `);
    connection = new PostgresConnection({ connectionString: db.url, applicationName: APP, poolSize: 4 });
  });
  after(async () => {
    await connection.close();
    await db.drop();
  });

  const numbers = nodeEntry(
    'public.numbers',
    { schema: 'public', name: 'numbers' },
    ['id'],
    [
      ['id', 'int8'],
      ['v', 'text'],
    ],
  );

  describe('keyset reads', () => {
    it('streams batches of batchSize rows in key order with first/last keys, seq and the last flag', async () => {
      const { batches, result } = await drain(connection, { plan: plan([numbers]) });
      assert.deepEqual(
        batches.map((b) => b.rows.rows.length),
        [10, 10, 5],
      );
      assert.deepEqual(
        batches.map((b) => b.rows.batch.firstKey),
        [['1'], ['11'], ['21']],
      );
      assert.deepEqual(
        batches.map((b) => b.rows.batch.lastKey),
        [['10'], ['20'], ['25']],
      );
      assert.deepEqual(
        batches.map((b) => b.rows.batch.last),
        [false, false, true],
      );
      assert.deepEqual(
        batches.map((b) => [b.rows.batch.seq, b.rows.batch.index, b.rows.batch.phase]),
        [
          [1, 0, 'nodes'],
          [2, 1, 'nodes'],
          [3, 2, 'nodes'],
        ],
      );
      assert.deepEqual(batches[0].rows.columns, ['id', 'v']);
      assert.deepEqual(batches[0].rows.rows[0], ['1', 'v1']);
      assert.equal(result.entries['public.numbers'].rows, 25);
      assert.equal(result.stopped, false);
    });

    it('an entry whose row count is a multiple of the batch size ends with last on its final full batch', async () => {
      const { batches } = await drain(connection, { plan: plan([numbers]), batchSize: 5 });
      assert.equal(batches.length, 5);
      assert.deepEqual(
        batches.map((b) => b.rows.batch.last),
        [false, false, false, false, true],
      );
    });

    it('an empty table yields one empty last batch', async () => {
      const { batches } = await drain(connection, { plan: plan([nodeEntry('public.empty', { schema: 'public', name: 'empty' }, ['id'], [['id', 'int4']])]) });
      assert.equal(batches.length, 1);
      assert.equal(batches[0].rows.rows.length, 0);
      assert.equal(batches[0].rows.batch.last, true);
    });

    it('orders and resumes on a composite key (a, b)', async () => {
      const pairs = nodeEntry(
        'public.pairs',
        { schema: 'public', name: 'pairs' },
        ['a', 'b'],
        [
          ['a', 'int4'],
          ['b', 'text'],
          ['n', 'int4'],
        ],
      );
      const all = await drain(connection, { plan: plan([pairs]), batchSize: 3 });
      const expected = (await db.query('SELECT a::text, b FROM pairs ORDER BY a, b')).rows.map((r) => [r.a, r.b]);
      assert.deepEqual(
        all.rows.map((r) => [r[0], r[1]]),
        expected,
      );
      const resumed = await drain(connection, { plan: plan([pairs]), batchSize: 3, resume: { 'public.pairs': ['1', 'c'] } });
      assert.deepEqual(
        resumed.rows.map((r) => [r[0], r[1]]),
        expected.slice(3),
      );
    });

    it('a stopped read resumes after its last acknowledged key and never reads earlier rows again', async () => {
      await db.query("CREATE TABLE resumable (id int4 PRIMARY KEY, v text); INSERT INTO resumable SELECT g * 10, 'x' FROM generate_series(1, 10) g");
      const entry = nodeEntry(
        'public.resumable',
        { schema: 'public', name: 'resumable' },
        ['id'],
        [
          ['id', 'int4'],
          ['v', 'text'],
        ],
      );
      const first = await drain(
        connection,
        // the batch still out is never answered: the stopped run waits for it only briefly
        { plan: plan([entry]), batchSize: 3, maxUnacknowledged: 1, settleTimeoutMs: 200 },
        {
          ack: false,
          onBatch: (batch, run) => {
            // the writer confirms the first batch; the second is still being written when the run is stopped
            if (batch.rows.batch.index === 0) setImmediate(() => run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true }));
            else run.stop();
          },
        },
      );
      assert.equal(first.result.stopped, true);
      assert.deepEqual(first.result.resume, { 'public.resumable': ['30'] }, 'only the first batch was acknowledged when it stopped');
      // rows before the resume key that appear later must not be read: they are behind the key
      await db.query("INSERT INTO resumable VALUES (5, 'early'), (25, 'early'), (95, 'late')");
      const second = await drain(connection, { plan: plan([entry]), batchSize: 3, resume: first.result.resume });
      const ids = second.rows.map((r) => Number(r[0]));
      assert.deepEqual(ids, [40, 50, 60, 70, 80, 90, 95, 100]);
      assert.ok(ids.every((id) => id > 30));
      assert.deepEqual(second.result.entries['public.resumable'].resumedAfter, ['30']);
    });

    it('a resume key of the wrong width is an error naming the key columns', async () => {
      await expectError(drain(connection, { plan: plan([numbers]), resume: { 'public.numbers': ['1', '2'] } }), 'READ_RESUME_INVALID');
    });
  });

  describe('one snapshot per run', () => {
    it('entries read later in the run see the database as it was when the run started', async () => {
      await db.query(
        'CREATE TABLE snap_a (id int4 PRIMARY KEY); CREATE TABLE snap_b (id int4 PRIMARY KEY); INSERT INTO snap_a SELECT generate_series(1, 5); INSERT INTO snap_b SELECT generate_series(1, 5)',
      );
      const a = nodeEntry('public.snap_a', { schema: 'public', name: 'snap_a' }, ['id'], [['id', 'int4']]);
      const b = nodeEntry('public.snap_b', { schema: 'public', name: 'snap_b' }, ['id'], [['id', 'int4']]);
      const { rows, result } = await drain(
        connection,
        { plan: plan([a, b]), maxUnacknowledged: 1 },
        {
          onBatch: async (batch) => {
            if (batch.entry.id === 'public.snap_a') await db.query('INSERT INTO snap_b SELECT generate_series(6, 10); DELETE FROM snap_b WHERE id = 1');
          },
        },
      );
      assert.equal(result.entries['public.snap_b'].rows, 5);
      assert.deepEqual(
        rows.slice(5).map((r) => r[0]),
        ['1', '2', '3', '4', '5'],
      );
      assert.equal(Number((await db.query('SELECT count(*) AS n FROM snap_b')).rows[0].n), 9, 'the changes did happen');
    });

    it('a second connection joins the same snapshot (SET TRANSACTION SNAPSHOT)', async () => {
      await db.query('CREATE TABLE snap_join (id int4)');
      const snapshot = await ReadSnapshot.open(connection);
      const joined = await snapshot.join();
      try {
        await db.query('INSERT INTO snap_join VALUES (1), (2)');
        const count = async (s: ReadSnapshot) => (await s.queryText('SELECT count(*) FROM snap_join')).rows[0][0];
        assert.equal(await count(snapshot), '0');
        assert.equal(await count(joined), '0');
        assert.equal((await joined.queryText('SHOW TimeZone')).rows[0][0], 'UTC', 'the joined connection has the pinned settings');
      } finally {
        await joined.close();
        await snapshot.close();
      }
    });

    it('a column cannot be dropped from a table while its entry is being read (the read holds it)', async () => {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        let attempt: unknown;
        await drain(
          connection,
          { plan: plan([numbers]), maxUnacknowledged: 1 },
          {
            onBatch: async (batch) => {
              if (batch.rows.batch.index !== 0) return;
              attempt = await admin.query("SET lock_timeout = '300ms'; ALTER TABLE numbers DROP COLUMN v").then(
                () => 'dropped',
                (e: Error) => e.message,
              );
            },
          },
        );
        assert.match(String(attempt), /lock timeout/);
      } finally {
        await admin.end();
      }
    });
  });

  describe('cursor reads', () => {
    it('reads a view through a cursor (no key range on its batches)', async () => {
      const view = nodeEntry(
        'public.even_numbers',
        { schema: 'public', name: 'even_numbers' },
        ['id'],
        [
          ['id', 'int8'],
          ['v', 'text'],
        ],
        { keySource: 'declared' },
      );
      const { batches, rows } = await drain(connection, { plan: plan([view]), batchSize: 5 });
      assert.equal(rows.length, 12);
      assert.deepEqual(
        batches.map((b) => b.rows.rows.length),
        [5, 5, 2],
      );
      assert.ok(batches.every((b) => b.rows.batch.firstKey === undefined));
      assert.equal(batches[2].rows.batch.last, true);
    });

    it('reads a SQL entry through a cursor', async () => {
      const sql = nodeEntry(
        'odd',
        undefined,
        ['id'],
        [
          ['id', 'int8'],
          ['v', 'text'],
        ],
        { sql: 'SELECT id, v FROM numbers WHERE id % 2 = 1;', keySource: 'declared' },
      );
      const { rows } = await drain(connection, { plan: plan([sql]) });
      assert.deepEqual(
        rows.map((r) => r[0]),
        (await db.query('SELECT id::text FROM numbers WHERE id % 2 = 1')).rows.map((r) => r.id),
      );
    });

    /** Each row's content key as Postgres' own md5 gives it, numbered by hand: "<md5>" for the first of identical rows, "<md5>:<n>" after. */
    async function contentKeys(where = 'true'): Promise<string[]> {
      const hashes = (await db.query<{ h: string }>(`SELECT md5(t::text) AS h FROM nokey t WHERE ${where}`)).rows.map((r) => r.h);
      const seen = new Map<string, number>();
      return hashes
        .map((h) => {
          const n = (seen.get(h) ?? 0) + 1;
          seen.set(h, n);
          return n === 1 ? h : `${h}:${n}`;
        })
        .sort();
    }

    it('keys every row of a table without a key by the md5 of its text and its number among identical rows, computed in SQL', async () => {
      const nokey = nodeEntry(
        'public.nokey',
        { schema: 'public', name: 'nokey' },
        ['rowHash'],
        [
          ['a', 'int4'],
          ['b', 'text'],
        ],
        { keySource: 'rowContent' },
      );
      const keysOf = (batches: RunBatch[]) =>
        batches
          .flatMap((b) => b.rows.rows.map((r) => [r[0], r[1], r[b.rows.columns.indexOf(ROW_HASH_ALIAS)]]))
          .sort((x, y) => String(x[2]).localeCompare(String(y[2])));
      const { batches } = await drain(connection, { plan: plan([nokey]) });
      assert.ok(batches[0].rows.columns.includes(ROW_HASH_ALIAS));
      const read = keysOf(batches);
      const expected = await contentKeys();
      // six rows, six keys: three (1, 'x') and two all-NULL rows each get their own
      assert.deepEqual(read.map((r) => r[2]).sort(), expected);
      assert.equal(new Set(expected).size, 6);
      const twins = read.filter((r) => r[0] === '1');
      assert.deepEqual(
        twins.map((r) => r[2]),
        [0, 1, 2].map((n) => (n ? `${twins[0][2]}:${n + 1}` : twins[0][2])),
      );
      const allNull = (await db.query<{ h: string }>("SELECT md5('(,)') AS h")).rows[0].h;
      assert.deepEqual(
        read.filter((r) => r[0] === null).map((r) => r[2]),
        [allNull, `${allNull}:2`],
      );
      // a reading that starts again (a cursor read cannot resume) numbers the rows the same, whatever its batch size
      const stopped = await drain(connection, { plan: plan([nokey]), batchSize: 1 }, { onBatch: (_, run) => run.stop() });
      assert.equal(stopped.result.stopped, true);
      assert.ok(stopped.rows.length < 6, 'the first reading stopped before the end');
      assert.deepEqual(keysOf((await drain(connection, { plan: plan([nokey]), batchSize: 1 })).batches), read);
      // numbered after the entry's filter
      const filtered = await drain(connection, { plan: plan([{ ...nokey, where: 'a = 1' }]) });
      assert.deepEqual(
        keysOf(filtered.batches).map((r) => r[2]),
        await contentKeys('a = 1'),
      );
      await expectError(drain(connection, { plan: plan([nokey]), resume: { 'public.nokey': ['x'] } }), 'READ_RESUME_INVALID');
    });
  });

  describe('sources', () => {
    it('reads a partitioned table through its parent (every partition, once) and applies the entry filter', async () => {
      const entry = nodeEntry(
        'public.measurements',
        { schema: 'public', name: 'measurements' },
        ['id', 'region'],
        [
          ['id', 'int4'],
          ['region', 'text'],
          ['v', 'int4'],
        ],
      );
      const { rows } = await drain(connection, { plan: plan([entry]), batchSize: 7 });
      assert.equal(rows.length, 20);
      assert.equal(new Set(rows.map((r) => r[0])).size, 20);
      const filtered = await drain(connection, { plan: plan([{ ...entry, where: "region = 'eu' AND v > 100" }]), batchSize: 3 });
      assert.deepEqual(
        filtered.rows.map((r) => Number(r[0])).sort((x, y) => x - y),
        [12, 14, 16, 18, 20],
      );
    });

    it('quotes every identifier: schema, table and columns with spaces, quotes and reserved words', async () => {
      const ref = parseTableName('"Sales ""Dept"""."Order Items"');
      assert.deepEqual(ref, { schema: 'Sales "Dept"', name: 'Order Items' });
      const entry = nodeEntry(
        'odd.names',
        ref,
        ['Order Id'],
        [
          ['Order Id', 'text'],
          ['select', 'int4'],
          ['Weird "Name"', 'text'],
        ],
      );
      const { rows } = await drain(connection, { plan: plan([entry]), batchSize: 1 });
      assert.deepEqual(rows, [
        ['a\'b"c', '1', 'x'],
        ['plain', '2', 'y'],
        ['zzz', '3', null],
      ]);
      const resumed = await drain(connection, { plan: plan([entry]), batchSize: 1, resume: { 'odd.names': ['a\'b"c'] } });
      assert.deepEqual(
        resumed.rows.map((r) => r[0]),
        ['plain', 'zzz'],
      );
    });

    it('builds a one-entry plan for a table, and names table, column and type of a column without a rule', async () => {
      const error = await expectError(singleEntryPlan(connection, { table: 'public.ranges' }), 'VALUE_NO_RULE');
      assert.match(error.message, /public\.ranges/);
      assert.match(error.message, /"r"/);
      assert.match(error.message, /int4range/);
      const ok = await singleEntryPlan(connection, { table: 'ranges', columns: ['ok'] });
      assert.deepEqual(ok.nodes[0].key, ['id']);
      assert.deepEqual(
        ok.nodes[0].properties.map((p) => [p.column, p.as]),
        [
          ['id', 'integer'],
          ['ok', 'string'],
        ],
      );
      const nokey = await singleEntryPlan(connection, { table: 'public.nokey' });
      assert.equal(nokey.nodes[0].keySource, 'rowContent');
      assert.deepEqual(nokey.nodes[0].key, ['rowHash']);
      assert.equal(nokey.nodes[0].warnings.length, 1);
      assert.match(nokey.nodes[0].warnings[0], /md5 of its content \("rowHash"\), with ":2", ":3", \.\.\. for further identical rows/);
      const sql = await singleEntryPlan(connection, { sql: 'SELECT id, v, id * 2 AS twice FROM numbers', key: ['id'] });
      assert.deepEqual(
        sql.nodes[0].properties.map((p) => [p.column, p.pgType, p.as]),
        [
          ['id', 'int8', 'integer'],
          ['v', 'text', 'string'],
          ['twice', 'int8', 'integer'],
        ],
      );
      await expectError(singleEntryPlan(connection, { table: 'public.no_such_table' }), 'READ_TABLE_NOT_FOUND');
    });
  });

  describe('backpressure and phases', () => {
    it('never has more than maxUnacknowledged batches out; relationships start after every node batch was acknowledged; the run ends after the last ack', async () => {
      await db.query(`CREATE TABLE customers (id int8 PRIMARY KEY); INSERT INTO customers SELECT generate_series(1, 30);
        CREATE TABLE orders (id int4 PRIMARY KEY, customer_id int4 REFERENCES customers); INSERT INTO orders SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 30 + 1 END FROM generate_series(1, 40) g;`);
      const customers = nodeEntry('public.customers', { schema: 'public', name: 'customers' }, ['id'], [['id', 'int8']]);
      const orders = nodeEntry('public.orders', { schema: 'public', name: 'orders' }, ['id'], [['id', 'int4']]);
      const rel: RelationshipEntry = {
        id: 'public.orders.orders_customer_id_fkey',
        type: 'CUSTOMER',
        source: { kind: 'foreignKey', table: { schema: 'public', name: 'orders' }, constraint: 'orders_customer_id_fkey' },
        from: { node: 'public.orders', match: { id: 'id' } },
        to: { node: 'public.customers', match: { id: 'customer_id' } },
        properties: [],
      };
      const run = new PlanRun(connection, { plan: plan([customers, orders], [rel], 4), maxUnacknowledged: 3 });
      const events: string[] = [];
      let outstanding = 0;
      let most = 0;
      let ended = false;
      const result: Promise<RunResult> = run
        .start((batch) => {
          outstanding++;
          most = Math.max(most, outstanding);
          events.push(`send ${batch.phase}`);
          if (batch.phase === 'relationships') {
            assert.deepEqual(batch.ends?.from.labels, ['T_orders']);
            assert.equal(batch.ends?.to.properties?.[0].pgType, 'int8', 'ends carry the end key mapping');
          }
          // acknowledge out of order and late, as a concurrent writer would
          setTimeout(
            () => {
              assert.equal(ended, false, 'the run does not end before every batch is acknowledged');
              outstanding--;
              events.push(`ack ${batch.phase}`);
              // a writer passes on the shaper's count of rows with a NULL match column
              const skippedNullMatch =
                batch.phase === 'relationships' ? shapeRelationships(batch.entry as RelationshipEntry, batch.ends!, batch.rows).skippedNullMatch : 0;
              run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true, stats: { nodesCreated: batch.rows.rows.length }, skippedNullMatch });
            },
            5 + Math.random() * 20,
          );
        })
        .then((r) => {
          ended = true;
          return r;
        });
      const totals = await result;
      assert.ok(most <= 3, `at most 3 unacknowledged, saw ${most}`);
      assert.equal(most, 3, 'the window is used');
      const firstRelationship = events.indexOf('send relationships');
      const lastNodeAck = events.lastIndexOf('ack nodes');
      assert.ok(firstRelationship > lastNodeAck, 'relationship batches only after every node batch was acknowledged');
      assert.equal(totals.entries['public.orders.orders_customer_id_fkey'].skippedNullMatch, 8, "the acknowledgements' counts add up");
      assert.equal(totals.entries['public.customers'].written?.nodesCreated, 30);
      assert.equal(totals.rows, 30 + 40 + 40);
    });

    it('a negative acknowledgement stops the run with the entry and the key range of the batch', async () => {
      const error = await expectError(
        drain(
          connection,
          { plan: plan([numbers]), maxUnacknowledged: 2 },
          {
            ack: false,
            onBatch: (batch, run) => {
              const ok = batch.rows.batch.index !== 1;
              setImmediate(() =>
                run.acknowledge({
                  run: run.id,
                  seq: batch.rows.batch.seq,
                  ok,
                  error: ok ? undefined : { code: 'NEO4J_REFUSED', message: 'constraint violated' },
                }),
              );
            },
          },
        ),
        'READ_BATCH_FAILED',
      );
      assert.match(error.message, /batch 1 of entry "public\.numbers"/);
      assert.match(error.message, /\["11"\] to \["20"\]/);
      assert.match(error.message, /constraint violated/);
      assert.deepEqual(error.details.resume, { 'public.numbers': ['10'] });
      const states = await eventually(
        () => backendStates(db, APP),
        (s) => !s.includes('idle in transaction'),
      );
      assert.ok(!states.includes('idle in transaction'));
    });

    it('a batch nobody acknowledges (lost on the way) stops the run after the acknowledgement timeout, naming it', async () => {
      const warnings: string[] = [];
      const started = Date.now();
      const error = await expectError(
        drain(
          connection,
          { plan: plan([numbers]), maxUnacknowledged: 2, ackTimeoutMs: 300, settleTimeoutMs: 100, onWarning: (w) => warnings.push(w) },
          {
            ack: false,
            onBatch: (batch, run) => {
              // batch 1 is lost; the others are answered
              if (batch.rows.batch.index !== 1) setImmediate(() => run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true }));
            },
          },
        ),
        'READ_ACK_TIMEOUT',
      );
      assert.match(error.message, /none was acknowledged within 300 ms, the oldest batch 1 of entry "public\.numbers" \(keys \["11"\] to \["20"\]\)/);
      assert.deepEqual(error.details.resume, { 'public.numbers': ['10'] });
      assert.ok(Date.now() - started < 10_000, 'the run ended by itself soon after the timeout');
    });

    it('a slow writer that keeps acknowledging is never cut off by the acknowledgement timeout', async () => {
      const { result } = await drain(
        connection,
        { plan: plan([numbers]), maxUnacknowledged: 1, ackTimeoutMs: 200 },
        {
          ack: false,
          onBatch: (batch, run) => {
            setTimeout(() => run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true }), 120);
          },
        },
      );
      assert.equal(result.stopped, false);
    });

    it('acknowledgements of another run or an unknown batch are not taken', async () => {
      const run = new PlanRun(connection, { plan: plan([numbers]) });
      assert.equal(run.acknowledge({ run: 'other', seq: 1, ok: true }), 'otherRun');
      assert.equal(run.acknowledge({ run: run.id, seq: 99, ok: true }), 'unknown');
    });

    it('control messages: runEnd waits for a writer that knows them; an output that never answered runStart only warns, after the timeout', async () => {
      const controls: RunControl[] = [];
      const warnings: string[] = [];
      // a consumer that acknowledges batches and ignores control messages (the old protocol)
      const oblivious = new PlanRun(connection, { plan: plan([numbers]), controlTimeoutMs: 300, onWarning: (w) => warnings.push(w) });
      const started = Date.now();
      const result = await oblivious.start({
        batch: (b) => setImmediate(() => oblivious.acknowledge({ run: oblivious.id, seq: b.rows.batch.seq, ok: true })),
        control: (c) => {
          controls.push(c);
        },
      });
      assert.equal(result.stopped, false);
      assert.deepEqual(
        controls.map((c) => c.kind),
        ['runStart', 'runEnd'],
      );
      assert.ok(Date.now() - started >= 300, 'it waited for the runEnd acknowledgement first');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /nothing acknowledged the end of run .* on the nodes output within 300 ms .* checkpoints of its entries may stay behind/);

      // a writer that knows them: the completion comes only after runEnd was answered, however late
      let answeredAt = 0;
      const aware = new PlanRun(connection, { plan: plan([numbers]), controlTimeoutMs: 50 });
      const done = await aware.start({
        batch: (b) => setImmediate(() => aware.acknowledge({ run: aware.id, seq: b.rows.batch.seq, ok: true })),
        control: (c) =>
          setTimeout(
            () => {
              answeredAt = Date.now();
              aware.acknowledge({ run: c.run, seq: c.seq, ok: true });
            },
            c.kind === 'runEnd' ? 200 : 0,
          ),
      });
      assert.equal(done.stopped, false);
      assert.ok(answeredAt > 0 && Date.now() >= answeredAt, 'the run ended after runEnd was acknowledged, not at the 50 ms timeout');
    });

    it('a refused runStart fails the run naming the phase; a refused runEnd says the data is written and names the entries', async () => {
      const refuseStart = new PlanRun(connection, { plan: plan([numbers]) });
      await assert.rejects(
        refuseStart.start({
          batch: (b) => setImmediate(() => refuseStart.acknowledge({ run: refuseStart.id, seq: b.rows.batch.seq, ok: true })),
          control: (c) =>
            setImmediate(() =>
              refuseStart.acknowledge({
                run: c.run,
                seq: c.seq,
                ok: c.kind !== 'runStart',
                error: { code: 'WRITE_SCHEMA_CONFLICT', message: 'a constraint is in the way' },
              }),
            ),
        }),
        (e: Pg2GraphError) => e.code === 'READ_BATCH_FAILED' && /could not prepare for the nodes phase .*: a constraint is in the way/.test(e.message),
      );
      const refuseEnd = new PlanRun(connection, { plan: plan([numbers]) });
      await assert.rejects(
        refuseEnd.start({
          batch: (b) => setImmediate(() => refuseEnd.acknowledge({ run: refuseEnd.id, seq: b.rows.batch.seq, ok: true })),
          control: (c) =>
            setImmediate(() =>
              refuseEnd.acknowledge({ run: c.run, seq: c.seq, ok: c.kind !== 'runEnd', error: { code: 'NEO4J_UNREACHABLE', message: 'no answer' } }),
            ),
        }),
        (e: Pg2GraphError) =>
          e.code === 'READ_RUN_END_FAILED' &&
          /every batch of the nodes phase was written .* checkpoints of 1 entries may stay behind .*: no answer/.test(e.message) &&
          (e.details.entries as string[])[0] === 'public.numbers',
      );
    });

    it('a stopped run waits for the batches still out, so its resume point includes them', async () => {
      const run = new PlanRun(connection, { plan: plan([numbers]), maxUnacknowledged: 2 });
      const held: RunBatch[] = [];
      const result = await run.start((b) => {
        held.push(b);
        if (held.length === 2) {
          run.stop();
          // the two batches out (of three) are acknowledged only after the stop, in reverse order
          setTimeout(
            () =>
              held
                .slice()
                .reverse()
                .forEach((h) => run.acknowledge({ run: run.id, seq: h.rows.batch.seq, ok: true })),
            100,
          );
        }
      });
      assert.equal(result.stopped, true);
      assert.equal(run.outstanding, 0, 'nothing is left unacknowledged');
      assert.deepEqual(result.resume['public.numbers'], held[1].rows.batch.lastKey, 'the resume point is after the last batch out, not before the first');
      assert.deepEqual(result.resumeFrom, { 'public.numbers': run.id }, 'vouched for by this run');
    });
  });

  describe('cancellation and failures', () => {
    const big = nodeEntry('public.big', { schema: 'public', name: 'big' }, ['id'], [['id', 'int4']]);

    it('an abort stops a waiting run at once and leaves no connection idle in transaction', async () => {
      const controller = new AbortController();
      const started = Date.now();
      let abortedAt = 0;
      const error = await expectError(
        drain(
          connection,
          { plan: plan([big]), batchSize: 100, maxUnacknowledged: 1, signal: controller.signal },
          {
            ack: false,
            onBatch: () => {
              abortedAt = Date.now();
              setTimeout(() => controller.abort(), 50);
            },
          },
        ),
        'READ_CANCELLED',
      );
      assert.ok(Date.now() - abortedAt < 1000, `stopped ${Date.now() - abortedAt} ms after the abort`);
      assert.ok(Date.now() - started < 5000);
      assert.ok(error);
      const states = await eventually(
        () => backendStates(db, APP),
        (s) => !s.includes('idle in transaction') && !s.includes('active'),
      );
      assert.deepEqual(
        states.filter((s) => s !== 'idle'),
        [],
      );
    });

    it('an abort during a long query cancels it on the server too', async () => {
      const controller = new AbortController();
      const slow = { ...big, where: '(SELECT count(*) FROM pg_sleep(20)) = 1' };
      setTimeout(() => controller.abort(), 500);
      const started = Date.now();
      await expectError(drain(connection, { plan: plan([slow]), signal: controller.signal }), 'READ_CANCELLED');
      assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
      const states = await eventually(
        () => backendStates(db, APP),
        (s) => !s.includes('active') && !s.includes('idle in transaction'),
        5000,
      );
      assert.deepEqual(
        states.filter((s) => s !== 'idle'),
        [],
        'no backend still sleeping or in a transaction',
      );
    });

    it('a backend terminated mid-stream is a READ_FAILED naming the entry and the last key reached', async () => {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      let lastSent: unknown;
      try {
        const error = await expectError(
          drain(
            connection,
            { plan: plan([big]), batchSize: 1000, maxUnacknowledged: 1 },
            {
              onBatch: async (batch) => {
                lastSent = batch.rows.batch.lastKey;
                if (batch.rows.batch.index === 2) {
                  // the reader fetches the next batch before it waits for this acknowledgement: terminate it once it waits
                  const terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'";
                  await eventually(
                    async () => (await admin.query(terminate, [APP])).rowCount ?? 0,
                    (terminated) => terminated > 0,
                  );
                }
              },
            },
          ),
          'READ_FAILED',
        );
        assert.match(error.message, /entry "public\.big"/);
        assert.deepEqual(error.details.lastKey, lastSent);
        assert.match(error.message, new RegExp(`after key ${JSON.stringify(JSON.stringify(lastSent)).slice(1, -1).replace(/[[\]]/g, '\\$&')}`));
        assert.match(error.message, /terminat/i);
      } finally {
        await admin.end();
      }
    });

    it('a column dropped before its entry is read is an error naming entry and column', async () => {
      await db.query(
        'CREATE TABLE drop_a (id int4 PRIMARY KEY); INSERT INTO drop_a SELECT generate_series(1, 3); CREATE TABLE drop_b (id int4 PRIMARY KEY, gone text)',
      );
      const a = nodeEntry('public.drop_a', { schema: 'public', name: 'drop_a' }, ['id'], [['id', 'int4']]);
      const b = nodeEntry(
        'public.drop_b',
        { schema: 'public', name: 'drop_b' },
        ['id'],
        [
          ['id', 'int4'],
          ['gone', 'text'],
        ],
      );
      const error = await expectError(
        drain(
          connection,
          // batches of one row, one out at a time: the column goes while the reader waits for batch 0's
          // acknowledgement, before it touches drop_b (were drop_b prepared first, the ALTER would wait for the run)
          { plan: plan([a, b], [], 1), maxUnacknowledged: 1 },
          {
            onBatch: async (batch) => {
              if (batch.entry.id === 'public.drop_a' && batch.rows.batch.index === 0) await db.query('ALTER TABLE drop_b DROP COLUMN gone');
            },
          },
        ),
        'READ_COLUMN_NOT_FOUND',
      );
      assert.match(error.message, /entry "public\.drop_b"/);
      assert.match(error.message, /column t\.gone does not exist/);
    });

    for (const bad of [0, -1, 1.5, 'abc', 2_000_000]) {
      it(`batch size ${JSON.stringify(bad)} is a READ_BATCH_SIZE_INVALID naming the setting and value`, () => {
        assert.throws(
          () => new PlanRun(connection, { plan: plan([numbers]), batchSize: bad as number }),
          (e: unknown) =>
            e instanceof Pg2GraphError && e.code === 'READ_BATCH_SIZE_INVALID' && /batchSize/.test(e.message) && e.message.includes(JSON.stringify(bad)),
        );
      });
    }

    it('rejects an unknown entry id, a bad window and a plan that is not a plan', () => {
      assert.throws(() => new PlanRun(connection, { plan: plan([numbers]), entries: ['nope'] }), /entry "nope"/);
      assert.throws(
        () => new PlanRun(connection, { plan: plan([numbers]), maxUnacknowledged: 0 }),
        (e: unknown) => (e as Pg2GraphError).code === 'READ_WINDOW_INVALID',
      );
      assert.throws(
        () => new PlanRun(connection, { plan: {} as GraphPlan }),
        (e: unknown) => (e as Pg2GraphError).code === 'PLAN_INVALID',
      );
    });

    it('an unknown table or column in the plan is an error naming it', async () => {
      await expectError(
        drain(connection, { plan: plan([nodeEntry('x', { schema: 'public', name: 'missing' }, ['id'], [['id', 'int4']])]) }),
        'READ_TABLE_NOT_FOUND',
      );
      const error = await expectError(
        drain(connection, {
          plan: plan([
            nodeEntry(
              'public.numbers',
              { schema: 'public', name: 'numbers' },
              ['id'],
              [
                ['id', 'int8'],
                ['nope', 'text'],
              ],
            ),
          ]),
        }),
        'READ_COLUMN_NOT_FOUND',
      );
      assert.match(error.message, /"nope"/);
      const where = await expectError(drain(connection, { plan: plan([{ ...numbers, where: 'id >>> 3' }]) }), 'READ_SQL_INVALID');
      assert.match(where.message, /entry "public\.numbers"/);
    });
  });
});
