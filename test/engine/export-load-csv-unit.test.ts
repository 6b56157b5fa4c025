/**
 * The load-csv format on hand-made batches: the CSV text of every value rule (NaN, -0, int8 edges, temporal
 * edges, durations with months/days/seconds apart, points, lists with their delimiter, backslashes written so
 * that no CSV reader sees an escape), tagged end columns, load.cypher's order and statements, and refusals by name.
 * Loading such text through the real LOAD CSV is test/engine/export-load-csv.test.ts.
 */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { assertValidPlan } from '../../dist/engine/plan';
import type { GraphPlan, NodeEntry, PropertyMapping, RelationshipEntry } from '../../dist/engine/plan/types';
import type { ValidPlan } from '../../dist/engine/plan/valid';
import type { NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';
import { NEO4J_DIALECT } from '../../dist/engine/cypher/dialects';
import { LOAD_CSV_FORMAT } from '../../dist/engine/write/files/formats/load-csv';
import { formatNamed } from '../../dist/engine/write/files/formats';
import { escapeText } from '../../dist/engine/write/files/formats/load-csv-values';
import { encodedPart } from '../../dist/engine/write/files/format';

const { Date: GraphDate, DateTime, Duration, LocalDateTime, LocalTime, Time, Point } = neo4j;
const prop = (column: string, name: string, pgType: string, as: PropertyMapping['as']): PropertyMapping => ({ column, name, pgType, as });
const options = { gzip: false };

function itemPlan(change: (plan: GraphPlan) => void = () => undefined): ValidPlan {
  const plan: GraphPlan = {
    version: 1,
    source: { schemas: ['public'] },
    options: { batchSize: 250, writeMode: 'merge' },
    nodes: [
      {
        id: 'public.item',
        table: { schema: 'public', name: 'item' },
        label: 'Item',
        labels: ['Thing'],
        key: ['id'],
        warnings: [],
        properties: [
          prop('id', 'id', 'int8', 'integer'),
          prop('f', 'f', 'float8', 'float'),
          prop('t', 't', 'text', 'string'),
          prop('b', 'b', 'bool', 'boolean'),
          prop('d', 'd', 'date', 'date'),
          prop('ts', 'ts', 'timestamp', 'localDateTime'),
          prop('tz', 'tz', 'timestamptz', 'dateTime'),
          prop('lt', 'lt', 'time', 'localTime'),
          prop('tt', 'tt', 'timetz', 'time'),
          prop('iv', 'iv', 'interval', 'duration'),
          prop('pt', 'pt', 'point', 'point'),
          prop('tags', 'tags', 'text[]', 'list<string>'),
          prop('nums', 'nums', 'int8[]', 'list<integer>'),
        ],
      },
      {
        id: 'public.shelf',
        table: { schema: 'public', name: 'shelf' },
        label: 'Shelf',
        key: ['code'],
        warnings: [],
        properties: [prop('code', 'code', 'text', 'string')],
      },
    ],
    relationships: [
      {
        id: 'public.item_shelf',
        type: 'ON',
        source: { kind: 'joinTable', table: { schema: 'public', name: 'item_shelf' } },
        from: { node: 'public.item', match: { id: 'item_id' } },
        to: { node: 'public.shelf', match: { code: 'shelf_code' } },
        properties: [prop('since', 'since', 'date', 'date')],
      },
    ],
  };
  change(plan);
  return assertValidPlan(plan);
}

const ITEM_COLUMNS = ['id', 'f', 't', 'b', 'd', 'ts', 'tz', 'lt', 'tt', 'iv', 'pt', 'tags', 'nums'];

function items(rows: unknown[][], columns = ITEM_COLUMNS): NodeBatch {
  return {
    kind: 'nodes',
    labels: ['Item', 'Thing'],
    key: ['id'],
    columns,
    rows,
    batch: { run: 'r', seq: 1, phase: 'nodes', entry: 'public.item', index: 0, rows: rows.length, last: true },
  } as NodeBatch;
}

function encodeItems(plan: ValidPlan, rows: unknown[][], columns?: string[]): string[] {
  const entry = plan.nodes[0] as NodeEntry;
  const [layout] = LOAD_CSV_FORMAT.layout(plan, options);
  return encodedPart(LOAD_CSV_FORMAT.encodeNodes(items(rows, columns), entry, layout, options)).text.split('\n');
}

describe('load-csv format (hand-made batches)', () => {
  it('is the format named load-csv, parts are .csv', () => {
    assert.equal(formatNamed('load-csv'), LOAD_CSV_FORMAT);
    const layouts = LOAD_CSV_FORMAT.layout(itemPlan(), options);
    assert.deepEqual(
      layouts.map((l) => [l.entry, l.kind, l.extension, l.headers.length]),
      [
        ['public.item', 'nodes', 'csv', 0],
        ['public.shelf', 'nodes', 'csv', 0],
        ['public.item_shelf', 'relationships', 'csv', 0],
      ],
    );
  });

  it('writes a header in every part and each rule as the text its conversion reads back exactly', () => {
    const lines = encodeItems(itemPlan(), [
      [
        neo4j.int('9223372036854775807'),
        -0,
        'a\\"b',
        true,
        new GraphDate(-44, 3, 15),
        new LocalDateTime(12345, 1, 1, 0, 0, 0, 1),
        new DateTime(2024, 6, 1, 12, 0, 0, 123456000, 19800),
        new LocalTime(23, 59, 59, 999999000),
        new Time(0, 0, 0, 0, -12600),
        new Duration(1, 2, -4, 999996000),
        new Point(7203, 1.5, -2.25),
        ['a|b', '', 'c'],
        [],
      ],
      [
        neo4j.int('-9223372036854775808'),
        NaN,
        '',
        false,
        'infinity',
        '-infinity',
        'infinity',
        null,
        null,
        new Duration(0, 0, 0, 0),
        null,
        [''],
        [neo4j.int(1)],
      ],
      [neo4j.int(0), Infinity, null, null, null, null, new DateTime(2024, 1, 1, 0, 0, 0, 0, 0), null, null, null, new Point(4979, 1, 2, 3), null, null],
    ]);
    assert.deepEqual(lines, [
      'id,f,t,b,d,ts,tz,lt,tt,iv,pt,tags,nums',
      '9223372036854775807,-0.0,"a\\/""b",true,-0044-03-15,+12345-01-01T00:00:00.000000001,2024-06-01T12:00:00.123456000+05:30,' +
        '23:59:59.999999000,00:00:00-03:30,P1M2DT-3.000004000S,7203 1.5 -2.25,;a|b;;c,""',
      '-9223372036854775808,NaN,"",false,infinity,-infinity,infinity,,,P0M0DT0.000000000S,,|,|1',
      '0,Infinity,,,,,2024-01-01T00:00:00Z,,,,4979 1 2 3,,',
      '',
    ]);
  });

  it('a backslash becomes \\/ (no CSV reader sees an escape, whatever its quote-escaping setting)', () => {
    assert.equal(escapeText('back\\'), 'back\\/');
    assert.equal(escapeText('\\/'), '\\//');
    assert.equal(escapeText('plain'), 'plain');
  });

  it('a relationship part names its ends from.<name> and to.<name>, tagged with their kind', () => {
    const plan = itemPlan();
    const layouts = LOAD_CSV_FORMAT.layout(plan, options);
    const batch = {
      kind: 'relationships',
      type: 'ON',
      from: { labels: ['Item', 'Thing'], match: ['id'] },
      to: { labels: ['Shelf'], match: ['code'] },
      columns: ['id', 'code', 'since'],
      rows: [
        [neo4j.int(7), 'A,1', new GraphDate(2020, 1, 2)],
        [neo4j.int(8), 'B', null],
      ],
      skippedNullMatch: 0,
      batch: { run: 'r', seq: 2, phase: 'relationships', entry: 'public.item_shelf', index: 0, rows: 2, last: true },
    } as RelationshipBatch;
    const text = LOAD_CSV_FORMAT.encodeRelationships(batch, plan.relationships[0] as RelationshipEntry, layouts[2], options);
    assert.equal(text, 'from.id,to.code,since\ninteger:7,"string:A,1",2020-01-02\ninteger:8,string:B,\n');
  });

  it("load.cypher: the online writer's schema first, then one LOAD CSV per part (nodes first) with CALL (row) { } IN TRANSACTIONS and MERGE", () => {
    const plan = itemPlan();
    const layouts = LOAD_CSV_FORMAT.layout(plan, { gzip: true });
    const files = [
      { path: 'relationships/public.item_shelf.part-000003.csv.gz', entry: 'public.item_shelf', kind: 'relationships' as const, rows: 2 },
      { path: 'nodes/public.item.part-000001.csv.gz', entry: 'public.item', kind: 'nodes' as const, rows: 3 },
      { path: 'nodes/public.shelf.part-000002.csv.gz', entry: 'public.shelf', kind: 'nodes' as const, rows: 1 },
    ];
    const finished = LOAD_CSV_FORMAT.finish(plan, layouts, files, { gzip: true });
    assert.deepEqual(
      finished.files.map((f) => f.path),
      ['load.cypher', 'IMPORT.md'],
    );
    const statements = finished.files[0].text.split(/;\n(?:\n|$)/).filter((s) => s.trim());
    assert.deepEqual(statements.slice(0, 3), [
      ...NEO4J_DIALECT.keySchema({ label: 'Item', key: ['id'] }),
      ...NEO4J_DIALECT.keySchema({ label: 'Shelf', key: ['code'] }),
      'CALL db.awaitIndexes(300)',
    ]);
    const loads = statements.slice(3);
    assert.deepEqual(
      loads.map((s) => /FROM '([^']+)'/.exec(s)![1]),
      [
        'file:///nodes/public.item.part-000001.csv.gz',
        'file:///nodes/public.shelf.part-000002.csv.gz',
        'file:///relationships/public.item_shelf.part-000003.csv.gz',
      ],
    );
    for (const statement of loads) {
      assert.match(statement, /^LOAD CSV WITH HEADERS FROM '[^']+' AS row\nCALL \(row\) \{\n/);
      assert.match(statement, /\n\} IN TRANSACTIONS OF 250 ROWS$/);
    }
    assert.match(loads[0], /WITH row, toInteger\(row\.`id`\) AS key0\n {2}MERGE \(n:`Item` \{`id`: key0\}\)\n {2}SET .*n\.`f` = CASE row\.`f` WHEN 'NaN'/);
    assert.match(loads[0], /, n:`Thing`\n/);
    assert.match(loads[0], /n\.`d` = CASE WHEN row\.`d` IN \['infinity', '-infinity'\] THEN row\.`d` ELSE date\(row\.`d`\) END/);
    assert.match(
      loads[2],
      /MATCH \(a:`Item`:`Thing` \{`id`: start0\}\)\n {2}MATCH \(b:`Shelf` \{`code`: end0\}\)\n {2}MERGE \(a\)-\[e:`ON`\]->\(b\)\n {2}SET e\.`since` = /,
    );
    assert.match(finished.files[1].text, /cypher-shell .* -f load\.cypher/);
    assert.match(finished.files[1].text, /\| public\.item \| nodes \| 1 \| 3 \|/);
  });

  it('refuses a bytes rule by name in layout (EXPORT_PLAN_UNSUPPORTED), and a relationship property named like an end column', () => {
    const bytes = itemPlan((plan) => plan.nodes[0].properties.push(prop('raw', 'raw', 'bytea', 'bytes')));
    assert.throws(
      () => LOAD_CSV_FORMAT.layout(bytes, options),
      (error: Error & { code?: string; details?: Record<string, unknown> }) => {
        assert.equal(error.code, 'EXPORT_PLAN_UNSUPPORTED');
        assert.match(error.message, /entry "public\.item", property "raw": rule "bytes"/);
        return true;
      },
    );
    const clash = itemPlan((plan) => plan.relationships[0].properties.push(prop('x', 'from.id', 'text', 'string')));
    assert.throws(() => LOAD_CSV_FORMAT.layout(clash, options), /entry "public\.item_shelf", property "from\.id"/);
  });

  it('refuses a value its column cannot hold, naming entry, row key and property (EXPORT_VALUE_REFUSED)', () => {
    const plan = itemPlan();
    const row = (index: number, value: unknown) => ITEM_COLUMNS.map((_, i) => (i === 0 ? neo4j.int(42) : i === index ? value : null));
    const cases: Array<[number, unknown, RegExp]> = [
      [1, 'text', /property "f": a String value in a column of rule "float"/],
      [4, 'tomorrow', /property "d": a String value in a column of rule "date"/],
      [6, new DateTime(2024, 1, 1, 0, 0, 0, 0, 19815), /property "tz": a time zone offset with seconds/],
      [11, ['a', neo4j.int(1)], /property "tags": a Integer value in a column of rule "string"/],
    ];
    for (const [index, value, message] of cases) {
      assert.throws(
        () => encodeItems(plan, [row(index, value)]),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'EXPORT_VALUE_REFUSED');
          assert.match(error.message, /^load-csv: entry "public\.item", row \["42"\], /);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  it('tags the columns of no fixed kind (computed without "as"), and refuses a list of mixed kinds', () => {
    const plan = itemPlan((p) => {
      p.nodes[0].computed = [{ name: 'any', expression: 't' }];
    });
    const columns = ['id', 'any'];
    const lines = encodeItems(
      plan,
      [
        [neo4j.int(1), 'x'],
        [neo4j.int(2), 1.5],
        [neo4j.int(3), [new GraphDate(2020, 1, 1)]],
        [neo4j.int(4), []],
      ],
      columns,
    );
    assert.deepEqual(lines, ['id,any', '1,string:x', '2,float:1.5', '3,list<date>:|2020-01-01', '4,list<string>:', '']);
    assert.throws(() => encodeItems(plan, [[neo4j.int(5), ['a', true]]], columns), /row \["5"\], property "any": a list of mixed kinds \(String, Boolean\)/);
  });
});
