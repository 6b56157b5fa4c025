/** Pure parts of verification: the sample, graph values as Postgres input, identities and the readable summary. */
import { CypherGraphSide } from '../../dist/engine/verify/cypher-side';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { Sampler } from '../../dist/engine/verify/sample';
import { postgresInputText } from '../../dist/engine/verify/pg-input';
import { identityText, keyValues } from '../../dist/engine/verify/keys';
import { propertyDifferences } from '../../dist/engine/verify/properties';
import { formatReport, type VerificationReport } from '../../dist/engine/verify/report';

describe('verification parts', () => {
  describe('Sampler', () => {
    const chosen = (total: number, size: number | undefined) => {
      const sampler = new Sampler(total, size);
      return Array.from({ length: total }, (_, p) => p).filter((p) => sampler.takes(p));
    };

    it('takes exactly n of N rows, spread evenly, the same every time', () => {
      assert.deepEqual(chosen(1500, 10), [149, 299, 449, 599, 749, 899, 1049, 1199, 1349, 1499]);
      assert.deepEqual(chosen(7, 3), [2, 4, 6]);
      for (const [total, size] of [
        [1, 1],
        [10, 3],
        [999, 998],
        [12345, 77],
      ]) {
        assert.equal(chosen(total, size).length, size, `${size} of ${total}`);
        assert.deepEqual(chosen(total, size), chosen(total, size));
      }
    });

    it('takes every row when the sample is as large as the entry, or absent', () => {
      assert.deepEqual(chosen(4, 10), [0, 1, 2, 3]);
      assert.deepEqual(chosen(4, undefined), [0, 1, 2, 3]);
      const sampler = new Sampler(3, 10);
      assert.equal(sampler.all, true);
      assert.equal(sampler.takes(5), false, 'nothing beyond the count');
    });
  });

  describe('graph values as Postgres input text', () => {
    it('writes each kind so Postgres reads the same value', () => {
      assert.equal(postgresInputText(neo4j.int('9223372036854775807')), '9223372036854775807');
      assert.equal(postgresInputText(-0), '-0');
      assert.equal(postgresInputText(NaN), 'NaN');
      assert.equal(postgresInputText(-Infinity), '-Infinity');
      assert.equal(postgresInputText(true), 'true');
      assert.equal(postgresInputText("it's"), "it's");
      assert.equal(postgresInputText(Int8Array.from([1, -1])), '\\x01ff');
      assert.equal(postgresInputText(new neo4j.types.Date(2024, 2, 29)), '2024-02-29');
      assert.equal(postgresInputText(new neo4j.types.Date(-43, 3, 15)), '0044-03-15 BC');
      assert.equal(postgresInputText(new neo4j.types.LocalDateTime(2024, 1, 31, 10, 0, 0, 1000)), '2024-01-31 10:00:00.000001000');
      assert.equal(postgresInputText(new neo4j.types.DateTime(2024, 1, 31, 10, 0, 0, 0, 0)), '2024-01-31 10:00:00.000000000+00:00:00');
      assert.equal(postgresInputText(new neo4j.types.Time(23, 59, 59, 0, -12600)), '23:59:59.000000000-03:30:00');
      assert.equal(postgresInputText(new neo4j.types.Duration(14, -3, -5, 500)), '14 months -3 days -4.999999500 seconds');
      assert.equal(postgresInputText(new neo4j.types.Point(7203, 1.5, -2)), '(1.5,-2)');
      assert.equal(postgresInputText(null), null);
      assert.equal(postgresInputText([1, 2]), undefined, 'no column holds a list as a key');
    });
  });

  describe('identities and differences', () => {
    it('tells kinds apart in identities and shows keys JSON-safe', () => {
      assert.notEqual(identityText([neo4j.int(5)]), identityText([5]));
      assert.equal(identityText([neo4j.int(5), 'a']), identityText([neo4j.int(5), 'a']));
      assert.deepEqual(keyValues(['a', 'b', 'c', 'd'], [neo4j.int(1), neo4j.int('9007199254740993'), 'x', new neo4j.types.Date(2024, 1, 2)]), {
        a: 1,
        b: '9007199254740993',
        c: 'x',
        d: 'Date 2024-01-02',
      });
    });

    it('reports changed, absent and extra properties', () => {
      const differences = propertyDifferences(
        new CypherGraphSide(new Neo4jConnection({ uri: 'bolt://127.0.0.1:1' })),
        'node',
        ['id', 'total', 'note', 'details'],
        [neo4j.int(1), '12.30', null, '{}'],
        { id: neo4j.int(1), total: 12.3, note: '', details_size: neo4j.int(3), extra: true },
        ['details'],
      );
      assert.deepEqual(differences, [
        { property: 'total', expected: 'String "12.30"', found: 'Float 12.3' },
        { property: 'note', expected: 'absent', found: 'String ""' },
        { property: 'details', expected: 'String "{}"', found: 'absent' },
        { property: 'details_size', expected: 'absent', found: 'Integer 3' },
        { property: 'extra', expected: 'absent (not in the plan)', found: 'Boolean true' },
      ]);
    });
  });

  it('formats a report: one line per entry, failing checks with their examples, aggregates', () => {
    const report: VerificationReport = {
      ok: false,
      plan: 'abc',
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1234,
      sample: 10,
      failed: 3,
      entries: [
        {
          entry: 'public.orders',
          kind: 'node',
          name: 'Order',
          sourceRows: 2,
          targetCount: 2,
          ok: false,
          durationMs: 5,
          rowsPerSecond: 400,
          checks: [
            { check: 'count', ok: true, expected: 2, found: 2, examples: [] },
            {
              check: 'properties',
              ok: false,
              expected: 2,
              found: 1,
              note: 'compared on all 2 records; 1 value differs',
              examples: [{ key: { orderId: 1 }, property: 'total', expected: 'String "1.50"', found: 'Float 1.5' }],
            },
          ],
        },
        {
          entry: 'public.orders.fk',
          kind: 'relationship',
          name: 'CUSTOMER',
          sourceRows: 2,
          targetCount: 1,
          ok: false,
          durationMs: 5,
          rowsPerSecond: 400,
          checks: [
            {
              check: 'missing',
              ok: false,
              expected: 0,
              found: 1,
              examples: [{ from: { orderId: 2 }, to: { customerId: 'c"1' }, note: 'both end nodes exist' }],
            },
          ],
        },
      ],
      aggregates: [
        {
          spec: { entry: 'public.orders', column: 'total', function: 'sum' },
          check: 'aggregate',
          ok: false,
          expected: '3.00',
          found: '1.50',
          examples: [],
          note: 'x',
        },
      ],
    };
    assert.equal(
      formatReport(report),
      [
        'verification FAILED (3 failing checks): 2 entries, properties compared on a sample of 10 rows per entry, 1.2 s',
        '  FAIL (:Order) public.orders: source 2, graph 2',
        '         properties: expected 2, found 1 (compared on all 2 records; 1 value differs)',
        '           - {orderId: 1} total: expected String "1.50", found Float 1.5',
        '  FAIL [:CUSTOMER] public.orders.fk: source 2, graph 1',
        '         missing: expected 0, found 1',
        '           - {orderId: 2} -> {customerId: "c\\"1"} (both end nodes exist)',
        '  FAIL sum(total) of public.orders: source 3.00, graph 1.50 (x)',
      ].join('\n'),
    );
  });
});
