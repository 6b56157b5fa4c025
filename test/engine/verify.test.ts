/**
 * Verification against the real Postgres and Neo4j: the sample database migrated by the engine verifies clean,
 * and every planted fault fails the report, naming the entry, the check and the key or property at fault.
 */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { verify } from '../../dist/engine/verify/verify';
import { formatReport, type CheckResult, type EntryReport, type VerificationReport } from '../../dist/engine/verify/report';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { createScratchDatabase, neo4jSettings } from '../support/databases';
import { cypher, cypherCount, migratedSample, sqlCount, type MigratedSample } from './verify-sample';

function entryOf(report: VerificationReport, id: string): EntryReport {
  const entry = report.entries.find((e) => e.entry === id);
  assert.ok(entry, `the report has entry ${id}`);
  return entry;
}

function checkOf(report: VerificationReport, id: string, check: string): CheckResult {
  const result = entryOf(report, id).checks.find((c) => c.check === check);
  assert.ok(result, `entry ${id} has a ${check} check`);
  return result;
}

/** "entry/check" of every failing check. */
function failing(report: VerificationReport): string[] {
  return report.entries.flatMap((e) => e.checks.filter((c) => !c.ok).map((c) => `${e.entry}/${c.check}`)).sort();
}

const ORDERS = 'bookshop.orders';
const ORDER_CUSTOMER = 'bookshop.orders.orders_customer_id_fkey';

describe('verify (engine) on the migrated sample database', function () {
  this.timeout(180_000);
  let sample: MigratedSample;

  before(async function () {
    this.timeout(300_000);
    sample = await migratedSample('verify');
  });
  after(async () => {
    await sample?.close();
  });

  const run = (options: Partial<Parameters<typeof verify>[2]> = {}) => verify(sample.source, sample.target, { plan: sample.plan, ...options });

  /** What each entry must hold, by independent SQL: rows per node entry, rows with non-NULL match columns per relationship entry. */
  async function expectedCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const node of sample.plan.nodes) {
      const table = `"${node.table?.schema}"."${node.table?.name}"`;
      counts.set(node.id, await sqlCount(sample.db, `SELECT count(*) AS n FROM ${table}`));
    }
    for (const rel of sample.plan.relationships) {
      const columns = [...Object.values(rel.from.match), ...Object.values(rel.to.match)].filter((c) => c !== '$rowHash');
      counts.set(
        rel.id,
        await sqlCount(
          sample.db,
          `SELECT count(*) AS n FROM "${rel.source.table.schema}"."${rel.source.table.name}" WHERE ${columns.map((c) => `"${c}" IS NOT NULL`).join(' AND ')}`,
        ),
      );
    }
    return counts;
  }

  it('passes on a faithful migration, with exact counts for every entry', async () => {
    // a checkpoint node of an unfinished run is the writer's, never an unexpected node
    await cypher(sample.driver, 'CREATE (:Pg2GraphCheckpoint {plan: "stale", entry: $entry, batches: 1})', { entry: ORDERS });
    try {
      const report = await run({ aggregates: [{ entry: ORDERS, column: 'total', function: 'sum' }] });
      assert.equal(report.ok, true, formatReport(report));
      assert.equal(report.failed, 0);
      assert.equal(report.sample, 'all');
      assert.equal(report.entries.length, sample.plan.nodes.length + sample.plan.relationships.length);
      const expected = await expectedCounts();
      for (const entry of report.entries) {
        const rows = expected.get(entry.entry);
        assert.ok(rows && rows > 0, `${entry.entry} has rows`);
        assert.equal(entry.sourceRows, rows, `${entry.entry}: source records`);
        assert.equal(entry.targetCount, rows, `${entry.entry}: graph records`);
        assert.deepEqual(
          entry.checks.map((c) => c.check),
          entry.kind === 'node'
            ? ['count', 'missing', 'unexpected', 'duplicates', 'sourceDuplicates', 'properties', 'unrepresentable']
            : ['count', 'missing', 'unexpected', 'duplicates', 'properties', 'unrepresentable'],
        );
        const properties = checkOf(report, entry.entry, 'properties');
        assert.equal(properties.expected, rows, `${entry.entry}: every record compared`);
        assert.equal(properties.found, rows, `${entry.entry}: every record equal`);
        assert.ok(entry.durationMs >= 0 && entry.rowsPerSecond > 0);
      }
      const graph = await cypherCount(sample.driver, 'MATCH (o:Order) RETURN count(o)');
      assert.equal(entryOf(report, ORDERS).targetCount, graph);
      assert.deepEqual(checkOf(report, 'bookshop.review', 'count'), {
        check: 'count',
        ok: true,
        expected: expected.get('bookshop.review'),
        found: expected.get('bookshop.review'),
        examples: [],
      });
      const nullShipping = await sqlCount(sample.db, 'SELECT count(*) AS n FROM bookshop.orders WHERE shipping_address_id IS NULL');
      assert.match(
        String(checkOf(report, 'bookshop.orders.orders_shipping_address_id_fkey', 'count').note),
        new RegExp(`^${nullShipping} of 1500 rows have a NULL match column`),
      );
      const total = (await sample.db.query<{ s: string }>('SELECT sum(total)::text AS s FROM bookshop.orders')).rows[0].s;
      assert.deepEqual(
        report.aggregates.map((a) => [a.ok, a.expected, a.found]),
        [[true, total, total]],
      );
      assert.match(formatReport(report), /^verification PASSED: 19 entries, properties compared on all rows, /);
    } finally {
      await cypher(sample.driver, 'MATCH (c:Pg2GraphCheckpoint {plan: "stale"}) DELETE c');
    }
  });

  it('names a deleted node, and the relationships that went with it', async () => {
    const lines = await sqlCount(sample.db, 'SELECT count(*) AS n FROM bookshop.order_line WHERE order_id = 9000000001');
    const customer = await sqlCount(sample.db, 'SELECT customer_id AS n FROM bookshop.orders WHERE order_id = 9000000001');
    await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000001}) DETACH DELETE o');
    try {
      const report = await run();
      assert.equal(report.ok, false);
      const rels = [
        ORDER_CUSTOMER,
        'bookshop.orders.orders_billing_address_id_fkey',
        'bookshop.orders.orders_shipping_address_id_fkey',
        'bookshop.order_line.order_line_order_id_fkey',
      ];
      assert.deepEqual(failing(report), [ORDERS, ...rels].flatMap((id) => [`${id}/count`, `${id}/missing`]).sort());
      assert.deepEqual(checkOf(report, ORDERS, 'count'), { check: 'count', ok: false, expected: 1500, found: 1499, examples: [] });
      assert.deepEqual(checkOf(report, ORDERS, 'missing'), {
        check: 'missing',
        ok: false,
        expected: 0,
        found: 1,
        examples: [{ key: { orderId: 9000000001 } }],
      });
      assert.deepEqual(checkOf(report, ORDER_CUSTOMER, 'missing').examples, [
        { from: { orderId: 9000000001 }, to: { customerId: customer }, note: 'the start node does not exist' },
      ]);
      const orderLines = checkOf(report, 'bookshop.order_line.order_line_order_id_fkey', 'missing');
      assert.equal(orderLines.found, lines);
      assert.deepEqual(orderLines.examples[0], { from: { orderId: 9000000001, lineNo: 1 }, to: { orderId: 9000000001 }, note: 'the end node does not exist' });
      assert.equal(report.failed, failing(report).length);
      const summary = formatReport(report);
      assert.match(summary, /^verification FAILED \(10 failing checks\)/);
      assert.ok(
        summary.includes(
          '  FAIL (:Order) bookshop.orders: source 1500, graph 1499\n         count: expected 1500, found 1499\n         missing: expected 0, found 1\n           - {orderId: 9000000001}\n',
        ),
        summary,
      );
    } finally {
      await sample.remigrate();
    }
  });

  it('names a changed property value with expected and found', async () => {
    const name = (await sample.db.query<{ full_name: string }>('SELECT full_name FROM bookshop.customer WHERE customer_id = 7')).rows[0].full_name;
    await cypher(sample.driver, 'MATCH (c:Customer {customerId: 7}) SET c.fullName = "Somebody Else"');
    try {
      const report = await run();
      assert.deepEqual(failing(report), ['bookshop.customer/properties']);
      const check = checkOf(report, 'bookshop.customer', 'properties');
      assert.equal(check.expected, 600);
      assert.equal(check.found, 599);
      assert.deepEqual(check.examples, [
        { key: { customerId: 7 }, property: 'fullName', expected: `String ${JSON.stringify(name)}`, found: 'String "Somebody Else"' },
      ]);
      assert.ok(formatReport(report).includes(`- {customerId: 7} fullName: expected String ${JSON.stringify(name)}, found String "Somebody Else"`));
    } finally {
      await cypher(sample.driver, 'MATCH (c:Customer {customerId: 7}) SET c.fullName = $name', { name });
    }
  });

  it('names a missing relationship whose two ends exist', async () => {
    const customer = await sqlCount(sample.db, 'SELECT customer_id AS n FROM bookshop.orders WHERE order_id = 9000000005');
    await cypher(sample.driver, 'MATCH (:Order {orderId: 9000000005})-[r:CUSTOMER]->() DELETE r');
    try {
      const report = await run();
      assert.deepEqual(failing(report), [`${ORDER_CUSTOMER}/count`, `${ORDER_CUSTOMER}/missing`]);
      assert.deepEqual(checkOf(report, ORDER_CUSTOMER, 'missing'), {
        check: 'missing',
        ok: false,
        expected: 0,
        found: 1,
        examples: [{ from: { orderId: 9000000005 }, to: { customerId: customer }, note: 'both end nodes exist' }],
      });
    } finally {
      await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000005}), (c:Customer {customerId: $customer}) CREATE (o)-[:CUSTOMER]->(c)', {
        customer: neo4j.int(customer),
      });
    }
  });

  it('names an extra relationship the source does not have', async () => {
    const real = await sqlCount(sample.db, 'SELECT customer_id AS n FROM bookshop.orders WHERE order_id = 9000000002');
    const other = real === 1 ? 2 : 1;
    await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000002}), (c:Customer {customerId: $other}) CREATE (o)-[:CUSTOMER]->(c)', {
      other: neo4j.int(other),
    });
    try {
      const report = await run();
      assert.deepEqual(failing(report), [`${ORDER_CUSTOMER}/count`, `${ORDER_CUSTOMER}/unexpected`]);
      assert.deepEqual(checkOf(report, ORDER_CUSTOMER, 'count'), { check: 'count', ok: false, expected: 1500, found: 1501, examples: [] });
      assert.deepEqual(checkOf(report, ORDER_CUSTOMER, 'unexpected'), {
        check: 'unexpected',
        ok: false,
        expected: 0,
        found: 1,
        examples: [{ from: { orderId: 9000000002 }, to: { customerId: other } }],
      });
    } finally {
      await cypher(sample.driver, 'MATCH (:Order {orderId: 9000000002})-[r:CUSTOMER]->(:Customer {customerId: $other}) DELETE r', { other: neo4j.int(other) });
    }
  });

  it('names a float where an exact decimal string was expected, in properties and in the sum', async () => {
    const total = (await sample.db.query<{ total: string }>('SELECT total::text FROM bookshop.orders WHERE order_id = 9000000003')).rows[0].total;
    await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000003}) SET o.total = toFloat(o.total)');
    try {
      const report = await run({ aggregates: [{ entry: ORDERS, column: 'total', function: 'sum' }] });
      assert.deepEqual(failing(report), [`${ORDERS}/properties`]);
      assert.deepEqual(checkOf(report, ORDERS, 'properties').examples, [
        { key: { orderId: 9000000003 }, property: 'total', expected: `String "${total}"`, found: `Float ${Number(total)}` },
      ]);
      const [sum] = report.aggregates;
      assert.equal(sum.ok, false);
      assert.equal(report.failed, 2);
      assert.match(String(sum.note), /^1 graph value is not exact decimal text \(at most 2 decimals\) and left out$/);
      assert.deepEqual(sum.examples, [
        { key: { orderId: 9000000003 }, property: 'total', expected: 'exact decimal text (at most 2 decimals)', found: `Float ${Number(total)}` },
      ]);
    } finally {
      await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000003}) SET o.total = $total', { total });
    }
  });

  it('names a property the plan does not have', async () => {
    await cypher(sample.driver, 'MATCH (c:Customer {customerId: 8}) SET c.`injected prop` = "x"');
    try {
      const report = await run();
      assert.deepEqual(failing(report), ['bookshop.customer/properties']);
      assert.deepEqual(checkOf(report, 'bookshop.customer', 'properties').examples, [
        { key: { customerId: 8 }, property: 'injected prop', expected: 'absent (not in the plan)', found: 'String "x"' },
      ]);
    } finally {
      await cypher(sample.driver, 'MATCH (c:Customer {customerId: 8}) REMOVE c.`injected prop`');
    }
  });

  it('names a duplicated relationship', async () => {
    const entry = 'bookshop.order_line.order_line_order_id_fkey';
    await cypher(sample.driver, 'MATCH (l:OrderLine {orderId: 9000000004, lineNo: 1})-[:ORDER]->(o:Order) CREATE (l)-[:ORDER]->(o)');
    try {
      const report = await run();
      assert.deepEqual(failing(report), [`${entry}/count`, `${entry}/duplicates`]);
      assert.equal(checkOf(report, entry, 'count').found, Number(checkOf(report, entry, 'count').expected) + 1);
      assert.deepEqual(checkOf(report, entry, 'duplicates').examples, [{ from: { orderId: 9000000004, lineNo: 1 }, to: { orderId: 9000000004 }, count: 2 }]);
      assert.equal(checkOf(report, entry, 'unexpected').ok, true, 'a duplicate is not an unexpected pair');
    } finally {
      await cypher(sample.driver, 'MATCH (:OrderLine {orderId: 9000000004, lineNo: 1})-[r:ORDER]->() WITH collect(r) AS rs FOREACH (r IN tail(rs) | DELETE r)');
    }
  });

  it('names extra nodes of a label: a text key, a composite key and a content key', async () => {
    await cypher(
      sample.driver,
      'CREATE (:Book {isbn: "999-not-in-source", title: "Ghost"}), (:OrderLine {orderId: 9000000001, lineNo: 99}), (:Review {rowHash: "0123456789abcdef0123456789abcdef"})',
    );
    try {
      const report = await run();
      assert.deepEqual(failing(report), [
        'bookshop.book/count',
        'bookshop.book/unexpected',
        'bookshop.order_line/count',
        'bookshop.order_line/unexpected',
        'bookshop.review/count',
        'bookshop.review/unexpected',
      ]);
      assert.deepEqual(checkOf(report, 'bookshop.book', 'unexpected'), {
        check: 'unexpected',
        ok: false,
        expected: 0,
        found: 1,
        examples: [{ key: { isbn: '999-not-in-source' } }],
      });
      assert.deepEqual(checkOf(report, 'bookshop.order_line', 'unexpected').examples, [{ key: { orderId: 9000000001, lineNo: 99 } }]);
      assert.deepEqual(checkOf(report, 'bookshop.review', 'unexpected').examples, [{ key: { rowHash: '0123456789abcdef0123456789abcdef' } }]);
    } finally {
      await cypher(sample.driver, 'MATCH (n) WHERE n.isbn = "999-not-in-source" OR n.lineNo = 99 OR n.rowHash = "0123456789abcdef0123456789abcdef" DELETE n');
    }
  });

  it('compares aggregates exactly: a sum passes, and fails after a change of one cent', async () => {
    const aggregates = [
      { entry: ORDERS, column: 'total', function: 'sum' as const },
      { entry: 'bookshop.order_line', column: 'quantity', function: 'sum' as const },
      { entry: 'bookshop.book', column: 'price', function: 'max' as const },
      { entry: 'bookshop.customer', column: 'signed_up_at', function: 'min' as const },
      { entry: 'bookshop.stock', column: 'quantity', function: 'count' as const },
    ];
    const sums = (
      await sample.db.query<Record<string, string>>(
        `SELECT (SELECT sum(total)::text FROM bookshop.orders) AS total, (SELECT sum(quantity)::text FROM bookshop.order_line) AS quantity,
              (SELECT max(price)::text FROM bookshop.book) AS price, (SELECT count(*)::text FROM bookshop.stock) AS stock,
              (SELECT total::text FROM bookshop.orders WHERE order_id = 9000000006) AS one`,
      )
    ).rows[0];
    const passing = await run({ entries: [ORDERS, 'bookshop.order_line', 'bookshop.book', 'bookshop.customer', 'bookshop.stock'], aggregates });
    assert.equal(passing.ok, true, formatReport(passing));
    assert.deepEqual(
      passing.aggregates.map((a) => [a.spec.function, a.ok, a.expected, a.found]),
      [
        ['sum', true, sums.total, sums.total],
        ['sum', true, sums.quantity, sums.quantity],
        ['max', true, sums.price, sums.price],
        ['min', true, 'DateTime 2023-01-01T21:17:03.141593000Z', 'DateTime 2023-01-01T21:17:03.141593000Z'],
        ['count', true, sums.stock, sums.stock],
      ],
    );

    const cents = (text: string) => BigInt(text.replace('.', ''));
    const decimal = (value: bigint) => `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
    await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000006}) SET o.total = $changed', { changed: decimal(cents(sums.one) + 1n) });
    try {
      const report = await run({ entries: [ORDERS], aggregates: aggregates.slice(0, 1) });
      assert.deepEqual(failing(report), [`${ORDERS}/properties`]);
      assert.deepEqual(
        report.aggregates.map((a) => [a.ok, a.expected, a.found]),
        [[false, sums.total, decimal(cents(sums.total) + 1n)]],
      );
      assert.ok(formatReport(report).includes(`  FAIL sum(total) of bookshop.orders: source ${sums.total}, graph ${decimal(cents(sums.total) + 1n)}`));
    } finally {
      await cypher(sample.driver, 'MATCH (o:Order {orderId: 9000000006}) SET o.total = $total', { total: sums.one });
    }
  });

  it('compares properties on an even, repeatable sample of N records per entry, and still every key', async () => {
    const notes = (
      await sample.db.query<{ order_id: string; note: string | null }>(
        'SELECT order_id::text, note FROM bookshop.orders WHERE order_id IN (9000000001, 9000000150) ORDER BY order_id',
      )
    ).rows;
    // 1500 orders, sample 10: every 150th in key order, so 9000000150 is compared and 9000000001 is not
    await cypher(sample.driver, 'MATCH (o:Order) WHERE o.orderId IN [9000000001, 9000000150] SET o.note = "planted"');
    await cypher(sample.driver, 'MATCH (c:Customer {customerId: 3}) DETACH DELETE c');
    try {
      const report = await run({ sample: 10 });
      assert.equal(report.sample, 10);
      for (const entry of report.entries) {
        const properties = entry.checks.find((c) => c.check === 'properties') as CheckResult;
        const missing = entry.checks.find((c) => c.check === 'missing') as CheckResult;
        const chosen = Math.min(10, entry.sourceRows);
        // records chosen for the sample but missing from the graph cannot be compared
        assert.ok(
          Number(properties.expected) <= chosen && Number(properties.expected) >= chosen - Number(missing.found),
          `${entry.entry}: ${properties.expected} compared`,
        );
        assert.match(
          String(properties.note),
          entry.sourceRows > 10 ? new RegExp(`^compared on a sample of 10 of ${entry.sourceRows} records`) : /^compared on all \d+ records/,
        );
      }
      const orders = checkOf(report, ORDERS, 'properties');
      assert.equal(orders.expected, 10);
      assert.equal(orders.found, 9);
      assert.deepEqual(orders.examples, [
        { key: { orderId: 9000000150 }, property: 'note', expected: `String ${JSON.stringify(notes[1].note)}`, found: 'String "planted"' },
      ]);
      assert.deepEqual(checkOf(report, 'bookshop.customer', 'missing').examples, [{ key: { customerId: 3 } }], 'keys are checked on every record');
      const again = await run({ sample: 10, entries: [ORDERS] });
      assert.deepEqual(checkOf(again, ORDERS, 'properties'), orders, 'the same sample every time');
    } finally {
      await sample.remigrate();
    }
  });

  describe('a verification that cannot run is an error naming what is wrong', () => {
    const rejects = (promise: Promise<unknown>, code: string, message: RegExp) =>
      assert.rejects(promise, (error: { code?: string; message: string }) => {
        assert.equal(error.code, code, error.message);
        assert.match(error.message, message);
        return true;
      });

    it('an entry whose table is gone', async () => {
      const plan = JSON.parse(JSON.stringify(sample.plan)) as GraphPlan;
      const book = plan.nodes.find((n) => n.id === 'bookshop.book');
      if (book?.table) book.table.name = 'book_gone';
      await rejects(
        verify(sample.source, sample.target, { plan }),
        'READ_TABLE_NOT_FOUND',
        /^entry "bookshop\.book" \(table bookshop\.book_gone\): the table does not exist/,
      );
    });

    it('no connection to Neo4j or Postgres', async () => {
      const nowhere = new Neo4jConnection({ ...neo4jSettings(), uri: 'bolt://127.0.0.1:1' });
      // a wrong password is refused only by a server that checks passwords (a trust-auth server accepts any)
      const checked = await createScratchDatabase('vauth', { login: 'checked-password' });
      const refused = new PostgresConnection({ ...checked.settings, password: 'wrong password' });
      try {
        await rejects(verify(sample.source, nowhere, { plan: sample.plan }), 'NEO4J_UNREACHABLE', /cannot be reached/);
        await rejects(verify(refused, sample.target, { plan: sample.plan }), 'PG_AUTH_FAILED', /./);
      } finally {
        await Promise.allSettled([nowhere.close(), refused.close()]);
        await checked.drop();
      }
    });

    it('bad options and aggregates, by their path', async () => {
      await rejects(run({ sample: 0 }), 'VERIFY_OPTION_INVALID', /^"sample" must be an integer from 1 to /);
      await rejects(run({ entries: ['bookshop.nowhere'] }), 'VERIFY_OPTION_INVALID', /^"entries": "bookshop\.nowhere" is not in the plan$/);
      await rejects(
        run({ aggregates: [{ entry: 'bookshop.order_line', column: 'discount', function: 'sum' }] }),
        'VERIFY_AGGREGATE_INVALID',
        /^aggregates\[0\]: sum\(discount\) needs an integer property or an exact decimal .*a sum of floats depends on the order of addition/,
      );
      await rejects(
        run({ aggregates: [{ entry: ORDERS, column: 'nope', function: 'max' }] }),
        'VERIFY_AGGREGATE_INVALID',
        /^aggregates\[0\]\.column: entry "bookshop\.orders" maps no property from column "nope"/,
      );
      const plan = { ...sample.plan, verify: { aggregates: [{ entry: ORDERS, column: 'total', function: 'avg' }] } } as unknown as GraphPlan;
      await rejects(
        verify(sample.source, sample.target, { plan }),
        'VERIFY_AGGREGATE_INVALID',
        /^verify\.aggregates\[0\]\.function: must be one of sum, min, max, count, got "avg"$/,
      );
      await rejects(verify(sample.source, sample.target, { plan: { nodes: 'x' } as unknown as GraphPlan }), 'PLAN_INVALID', /./);
    });

    it('cancellation', async () => {
      const controller = new AbortController();
      const promise = run({
        signal: controller.signal,
        onProgress: (p) => {
          if (p.rows > 0) controller.abort();
        },
      });
      await rejects(promise, 'VERIFY_CANCELLED', /cancelled/);
    });
  });
});
