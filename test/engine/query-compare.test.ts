/**
 * Pure logic of graph queries: result sets of Postgres and the graph compared (exact under the value rules for
 * typed Postgres texts, loose for pg's default parsings), parameters to driver types, graph values to plain JS.
 */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { types as pgTypes } from 'pg';
import { compareResultSets, type ResultDifference } from '../../dist/engine/query/compare-results';
import { toDriverParams } from '../../dist/engine/query/params';
import { toJsNative } from '../../dist/engine/values/js-native';

/** What pg's default type parsers make of a Postgres text of a type (OIDs of pg_type). */
const parsed = (oid: number, text: string): unknown => pgTypes.getTypeParser(oid)(text);
const OID = {
  int8: 20,
  int4: 23,
  numeric: 1700,
  timestamptz: 1184,
  timestamp: 1114,
  date: 1082,
  interval: 1186,
  bytea: 17,
  jsonb: 3802,
  time: 1083,
  float8: 701,
};

function messages(differences: ResultDifference[]): string[] {
  return differences.map((d) => d.message);
}

describe('compareResultSets', () => {
  it('finds equal rows as multisets, in any order when the query does not order them', () => {
    const source = {
      columns: ['id', 'name'],
      rows: [
        [1, 'a'],
        [2, 'b'],
        [2, 'b'],
      ],
    };
    const graph = {
      columns: ['id', 'name'],
      rows: [
        { id: 2, name: 'b' },
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
    };
    assert.deepEqual(compareResultSets(source, graph, { ordered: false }), { equal: true, differences: [] });
  });

  it('names an order difference when the query orders its rows', () => {
    const source = { columns: ['id'], rows: [[1], [2], [3], [4], [5], [6]] };
    const graph = { columns: ['id'], rows: [[1], [2], [3], [4], [6], [5]] };
    const result = compareResultSets(source, graph, { ordered: true });
    assert.equal(result.equal, false);
    assert.deepEqual(
      result.differences.map((d) => [d.kind, d.sourceRow]),
      [['order', 5]],
    );
    assert.match(result.differences[0].message, /^order differs at row 5: source row 5 \(id 5\), graph row 5 \(id 6\)$/);
    assert.equal(compareResultSets(source, graph, { ordered: false }).equal, true);
  });

  it('counts duplicates: one row twice is not two different rows', () => {
    const result = compareResultSets({ columns: ['x'], rows: [['a'], ['a']] }, { columns: ['x'], rows: [['a'], ['b']] }, { ordered: false });
    assert.equal(result.equal, false);
    assert.deepEqual(messages(result.differences), ['row 2 column x: source "a", graph "b"']);
  });

  it('names the row and column of a differing value: numeric text is not a float', () => {
    const source = {
      columns: ['id', 'price'],
      rows: [
        ['1', '2.00'],
        ['2', '3.10'],
        ['3', '1.50'],
      ],
    };
    const graph = {
      columns: ['id', 'price'],
      rows: [
        { id: 1, price: '2.00' },
        { id: 2, price: '3.10' },
        { id: 3, price: 1.5 },
      ],
    };
    const result = compareResultSets(source, graph, { ordered: true });
    assert.equal(result.equal, false);
    assert.deepEqual(result.differences, [
      { kind: 'value', message: 'row 3 column price: source "1.50", graph 1.5', sourceRow: 3, graphRow: 3, column: 'price' },
    ]);
  });

  it('lists rows found on one side only, with examples, and the row counts', () => {
    const source = {
      columns: ['id', 'name'],
      rows: [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
      ],
    };
    const graph = {
      columns: ['id', 'name'],
      rows: [
        [1, 'a'],
        [2, 'b'],
      ],
    };
    const result = compareResultSets(source, graph, { ordered: false });
    assert.deepEqual(messages(result.differences), [
      'the source has 4 rows, the graph 2',
      '2 rows only in the source, e.g. row 3 (id 3, name "c"); row 4 (id 4, name "d")',
    ]);
    const extra = compareResultSets(graph, source, { ordered: false, maxExamples: 1 });
    assert.deepEqual(messages(extra.differences), ['the source has 2 rows, the graph 4', '2 rows only in the graph, e.g. row 3 (id 3, name "c")']);
  });

  it('bounds the rows it names one by one by maxExamples', () => {
    const source = { columns: ['k', 'v'], rows: [1, 2, 3, 4].map((k) => [k, 'x']) };
    const graph = { columns: ['k', 'v'], rows: [1, 2, 3, 4].map((k) => [k, 'y']) };
    const result = compareResultSets(source, graph, { ordered: false, maxExamples: 2 });
    assert.deepEqual(
      result.differences.map((d) => d.kind),
      ['value', 'value', 'more'],
    );
    assert.equal(result.differences[2].message, 'and 2 more rows with differing values');
  });

  it('names columns that differ, and compares the rows over the columns both have', () => {
    const result = compareResultSets({ columns: ['id', 'name'], rows: [[1, 'a']] }, { columns: ['id', 'title'], rows: [[1, 'a']] }, { ordered: false });
    assert.deepEqual(messages(result.differences), [
      'columns differ (only in the source: name; only in the graph: title): source [id, name], graph [id, title]',
    ]);
    const reordered = compareResultSets({ columns: ['a', 'b'], rows: [[1, 2]] }, { columns: ['b', 'a'], rows: [{ a: 1, b: 2 }] }, { ordered: false });
    assert.deepEqual(messages(reordered.differences), ['columns differ (the same names in another order): source [a, b], graph [b, a]']);
  });

  it("takes the graph's rows as runGraphQuery gives them or with the driver's own values", () => {
    const source = { columns: ['n', 'at'], types: ['int8', 'timestamptz'], rows: [['9007199254740993', '2024-01-02 03:04:05.5+00']] };
    const driverRow = { n: neo4j.int('9007199254740993'), at: new neo4j.types.DateTime(2024, 1, 2, 3, 4, 5, 500000000, 0) };
    assert.deepEqual(compareResultSets(source, { columns: ['n', 'at'], rows: [driverRow] }, { ordered: false }), { equal: true, differences: [] });
    const other = { n: neo4j.int('9007199254740992'), at: driverRow.at };
    assert.deepEqual(messages(compareResultSets(source, { columns: ['n', 'at'], rows: [other] }, { ordered: false }).differences), [
      'row 1 column n: source "9007199254740993", graph "9007199254740992"',
    ]);
  });

  it('treats NULL, null and a missing member alike; NaN equals NaN; -0 is not 0', () => {
    const source = {
      columns: ['a', 'f'],
      rows: [
        [null, NaN],
        [undefined, parsed(OID.float8, '-0')],
      ],
    };
    assert.equal(compareResultSets(source, { columns: ['a', 'f'], rows: [{ f: NaN }, { a: null, f: -0 }] }, { ordered: true }).equal, true);
    const zero = compareResultSets(source, { columns: ['a', 'f'], rows: [{ f: NaN }, { f: 0 }] }, { ordered: true });
    assert.deepEqual(messages(zero.differences), ['row 2 column f: source -0, graph 0']);
    const nullVsText = compareResultSets({ columns: ['a'], rows: [[null]] }, { columns: ['a'], rows: [['']] }, { ordered: false });
    assert.deepEqual(messages(nullVsText.differences), ['row 1 column a: source NULL, graph ""']);
  });

  describe("pg's default parsings against the graph's plain values (loose)", () => {
    it('int8 text equals the integer; beyond 2^53 both sides hold the exact digits', () => {
      const source = { columns: ['n', 'big', 'count'], rows: [[parsed(OID.int8, '42'), parsed(OID.int8, '9007199254740993'), parsed(OID.int8, '3')]] };
      assert.equal(typeof source.rows[0][0], 'string', 'pg returns int8 as text');
      const graph = { columns: ['n', 'big', 'count'], rows: [{ n: 42, big: '9007199254740993', count: 3 }] };
      assert.equal(compareResultSets(source, graph, { ordered: false }).equal, true);
      const off = compareResultSets(source, { columns: ['n', 'big', 'count'], rows: [{ n: 42, big: '9007199254740992', count: 3 }] }, { ordered: false });
      assert.deepEqual(messages(off.differences), ['row 1 column big: source "9007199254740993", graph "9007199254740992"']);
      const float = compareResultSets(source, { columns: ['n', 'big', 'count'], rows: [{ n: 42.5, big: '9007199254740993', count: 3 }] }, { ordered: false });
      assert.deepEqual(messages(float.differences), ['row 1 column n: source "42", graph 42.5']);
    });

    it('numeric text keeps its scale: "1.50" equals the graph\'s "1.50", not "1.5" or 1.5', () => {
      const source = { columns: ['p'], rows: [[parsed(OID.numeric, '1.50')]] };
      assert.equal(compareResultSets(source, { columns: ['p'], rows: [['1.50']] }, { ordered: false }).equal, true);
      assert.equal(compareResultSets(source, { columns: ['p'], rows: [['1.5']] }, { ordered: false }).equal, false);
      assert.equal(compareResultSets(source, { columns: ['p'], rows: [[1.5]] }, { ordered: false }).equal, false);
    });

    it("timestamptz, timestamp and date (JS Dates) against the graph's ISO texts, to the millisecond a Date holds", () => {
      const source = {
        columns: ['at', 'local', 'day'],
        rows: [[parsed(OID.timestamptz, '2024-02-29 23:59:59.123456+00'), parsed(OID.timestamp, '2024-02-29 23:59:59.5'), parsed(OID.date, '2024-02-29')]],
      };
      const graph = { columns: ['at', 'local', 'day'], rows: [['2024-02-29T23:59:59.123456000Z', '2024-02-29T23:59:59.500000000', '2024-02-29']] };
      assert.equal(compareResultSets(source, graph, { ordered: false }).equal, true);
      const offset = { columns: ['at', 'local', 'day'], rows: [['2024-03-01T01:59:59.123456000+02:00', '2024-02-29T23:59:59.500000000', '2024-02-29']] };
      assert.equal(compareResultSets(source, offset, { ordered: false }).equal, true, 'the same instant at another offset');
      const later = { columns: ['at', 'local', 'day'], rows: [['2024-02-29T23:59:59.124000000Z', '2024-02-29T23:59:59.500000000', '2024-03-01']] };
      assert.deepEqual(messages(compareResultSets(source, later, { ordered: false }).differences), [
        'row 1 column at: source 2024-02-29T23:59:59.123Z, graph "2024-02-29T23:59:59.124000000Z"',
        `row 1 column day: source ${(source.rows[0][2] as Date).toISOString()}, graph "2024-03-01"`,
      ]);
    });

    it('intervals by months, days and nanoseconds; times of day by their digits; bytea by its bytes; json by its members', () => {
      const source = {
        columns: ['d', 't', 'b', 'j'],
        rows: [
          [
            parsed(OID.interval, '1 year 2 mons 3 days 01:02:03.5'),
            parsed(OID.time, '12:34:56.5'),
            parsed(OID.bytea, '\\xdeadbeef'),
            parsed(OID.jsonb, '{"a": 1, "b": [true, null]}'),
          ],
        ],
      };
      const graph = { columns: ['d', 't', 'b', 'j'], rows: [['P1Y2M3DT1H2M3.500000000S', '12:34:56.500000000', 'deadbeef', '{"b":[true,null],"a":1}']] };
      assert.equal(compareResultSets(source, graph, { ordered: false }).equal, true);
      const other = { columns: ['d', 't', 'b', 'j'], rows: [['P14M3DT3723.5S', '12:34:56.500000001', 'deadbeee', { a: 1, b: [true] }]] };
      const differences = compareResultSets(source, other, { ordered: false }).differences;
      assert.deepEqual(
        differences.map((d) => d.column),
        ['t', 'b', 'j'],
        `14 months are 1 year 2 months; the rest differ: ${messages(differences).join(' | ')}`,
      );
    });
  });

  describe('Postgres texts with their types (exact, under the value rules)', () => {
    it('converts each text by its type and compares it exactly with the graph value', () => {
      const source = {
        columns: ['id', 'price', 'at', 'tags', 'label'],
        types: ['int8', 'numeric(12,2)', 'timestamptz', 'text[]', 'text'],
        rows: [['9007199254740993', '1.50', '2024-02-29 23:59:59.123456+00', '{a,"b c"}', '5']],
      };
      const graph = {
        columns: ['id', 'price', 'at', 'tags', 'label'],
        rows: [['9007199254740993', '1.50', '2024-02-29T23:59:59.123456000Z', ['a', 'b c'], '5']],
      };
      assert.equal(compareResultSets(source, graph, { ordered: false }).equal, true);
      const loose = {
        columns: ['id', 'price', 'at', 'tags', 'label'],
        rows: [['9007199254740993', '1.50', '2024-03-01T01:59:59.123456000+02:00', ['a', 'b c'], 5]],
      };
      assert.deepEqual(
        compareResultSets(source, loose, { ordered: false }).differences.map((d) => d.column),
        ['at', 'label'],
        'typed: another offset is another DateTime, and the text "5" is not the integer 5',
      );
    });

    it('keeps microseconds that a JS Date would lose', () => {
      const source = { columns: ['at'], types: ['timestamp'], rows: [['2024-01-02 03:04:05.123456']] };
      assert.equal(compareResultSets(source, { columns: ['at'], rows: [['2024-01-02T03:04:05.123456000']] }, { ordered: false }).equal, true);
      assert.deepEqual(messages(compareResultSets(source, { columns: ['at'], rows: [['2024-01-02T03:04:05.123457000']] }, { ordered: false }).differences), [
        'row 1 column at: source "2024-01-02 03:04:05.123456", graph "2024-01-02T03:04:05.123457000"',
      ]);
    });
  });
});

describe('graph query parameters', () => {
  it('turns JS values into driver types under one rule', () => {
    const at = new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 5));
    const params = toDriverParams({
      n: 42,
      f: 1.5,
      z: -0,
      huge: 2 ** 60,
      big: 9007199254740993n,
      s: 'x',
      b: true,
      none: null,
      gone: undefined,
      list: [1, 'a'],
      map: { k: [2] },
      at,
    });
    assert.ok(neo4j.isInt(params.n) && (params.n as { toString(): string }).toString() === '42');
    assert.equal(params.f, 1.5);
    assert.ok(Object.is(params.z, -0), '-0 stays a Float');
    assert.equal(params.huge, 2 ** 60, 'a whole number beyond 2^53 is a Float, never a clamped Integer');
    assert.equal(String(params.big), '9007199254740993');
    assert.deepEqual([params.s, params.b, params.none, params.gone], ['x', true, null, null]);
    assert.ok(neo4j.isInt((params.list as unknown[])[0]));
    assert.ok(neo4j.isInt((params.map as Record<string, unknown[]>).k[0]));
    assert.ok(neo4j.isDateTime(params.at as object));
    assert.equal(String(params.at), '2024-02-29T12:00:00.005000000Z');
  });

  it('refuses what has no Cypher value, naming the parameter', () => {
    const refused = (params: unknown, parameter: string) =>
      assert.throws(
        () => toDriverParams(params),
        (error: { code?: string; details?: { parameter?: string }; message: string }) =>
          error.code === 'QUERY_INPUT_INVALID' && error.details?.parameter === parameter && error.message.includes(`"${parameter}"`),
      );
    refused({ f: () => 1 }, 'f');
    refused({ deep: { list: [1, Symbol('s')] } }, 'deep.list[1]');
    refused({ m: new Map() }, 'm');
    refused({ b: Buffer.from('x') }, 'b');
    refused({ big: 2n ** 64n }, 'big');
    refused({ d: new Date(NaN) }, 'd');
    assert.throws(() => toDriverParams([1]), { code: 'QUERY_INPUT_INVALID' });
    assert.deepEqual(toDriverParams(undefined), {});
  });
});

describe('graph values as plain JavaScript', () => {
  it('keeps integers exact, temporals as ISO text, points as objects, maps and lists member by member', () => {
    assert.equal(toJsNative(neo4j.int('9007199254740991')), 9007199254740991);
    assert.equal(toJsNative(neo4j.int('9007199254740992')), '9007199254740992');
    assert.equal(toJsNative(neo4j.int('-9223372036854775808')), '-9223372036854775808');
    assert.equal(toJsNative(new neo4j.types.DateTime(2024, 1, 2, 3, 4, 5, 123456789, 3600)), '2024-01-02T03:04:05.123456789+01:00');
    assert.equal(toJsNative(new neo4j.types.Duration(14, 3, 3723, 500000000)), 'P1Y2M3DT1H2M3.500000000S');
    assert.deepEqual(toJsNative(new neo4j.types.Point(4979, 1, 2, 3)), { srid: 4979, x: 1, y: 2, z: 3 });
    assert.deepEqual(toJsNative({ a: [neo4j.int(1), null], b: { c: new neo4j.types.Date(2024, 1, 2) } }), { a: [1, null], b: { c: '2024-01-02' } });
    assert.equal(toJsNative(new Int8Array([-34, -83])), 'dead');
  });
});
