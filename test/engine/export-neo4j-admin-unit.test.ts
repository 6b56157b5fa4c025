/**
 * The neo4j-admin format's encoding on hand-made batches (no database): the header type of every value rule, the
 * text of every value, ID columns of composite keys, CSV quoting, NULL against "", the values it refuses by name,
 * and what finish() says (import arguments, constraints.cypher). The real tool reads these files in
 * export-neo4j-admin.test.ts.
 */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { NEO4J_ADMIN_FORMAT, nodeIdText } from '../../dist/engine/write/files/formats/neo4j-admin';
import { shellQuote } from '../../dist/engine/write/files/formats/neo4j-admin-finish';
import { formatNamed } from '../../dist/engine/write/files/formats';
import type { EncodedPart, EntryLayout, FormatOptions, ManifestFile } from '../../dist/engine/write/files/format';
import { NEO4J_DIALECT } from '../../dist/engine/cypher/dialects';
import { assertValidPlan } from '../../dist/engine/plan/validate';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../../dist/engine/plan/types';
import type { NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';
import type { ValueRule } from '../../dist/engine/values/rule-types';

const { int } = neo4j;
const { Date: GDate, LocalDateTime, DateTime, LocalTime, Time, Duration, Point } = neo4j.types;

const RULES: Array<[string, ValueRule, string]> = [
  ['i', 'integer', 'long'],
  ['f', 'float', 'double'],
  ['s', 'string', 'string'],
  ['b', 'boolean', 'boolean'],
  ['d', 'date', 'date'],
  ['ldt', 'localDateTime', 'localdatetime'],
  ['dt', 'dateTime', 'datetime'],
  ['lt', 'localTime', 'localtime'],
  ['t', 'time', 'time'],
  ['du', 'duration', 'duration'],
  ['p', 'point', 'point'],
  ['by', 'bytes', 'byte[]'],
  ['li', 'list<integer>', 'long[]'],
  ['ls', 'list<string>', 'string[]'],
  ['lf', 'list<float>', 'double[]'],
  ['ld', 'list<date>', 'date[]'],
];

function planOf(extra: Partial<GraphPlan> = {}, node: Partial<NodeEntry> = {}, relationship: Partial<RelationshipEntry> = {}) {
  const plan: GraphPlan = {
    version: 1,
    source: { schemas: ['public'] },
    options: { batchSize: 10, writeMode: 'merge' },
    nodes: [
      {
        id: 'public.v',
        table: { schema: 'public', name: 'v' },
        label: 'Value',
        key: ['id'],
        properties: [{ column: 'id', name: 'id', pgType: 'int4', as: 'integer' }, ...RULES.map(([name, as]) => ({ column: name, name, pgType: 'x', as }))],
        warnings: [],
        ...node,
      },
      {
        id: 'public.pair',
        table: { schema: 'public', name: 'pair' },
        label: 'Pair',
        labels: ['Both'],
        key: ['a', 'b'],
        properties: [
          { column: 'a', name: 'a', pgType: 'text', as: 'string' },
          { column: 'b', name: 'b', pgType: 'text', as: 'string' },
        ],
        warnings: [],
      },
    ],
    relationships: [
      {
        id: 'public.link',
        type: 'LINK',
        source: { kind: 'joinTable', table: { schema: 'public', name: 'link' } },
        from: { node: 'public.pair', match: { b: 'fb', a: 'fa' } },
        to: { node: 'public.v', match: { id: 'vid' } },
        properties: [{ column: 'w', name: 'weight', pgType: 'int8', as: 'integer' }],
        ...relationship,
      },
    ],
    ...extra,
  };
  return assertValidPlan(plan);
}

const OPTIONS: FormatOptions = { gzip: true };
const info = (entry: string) => ({ run: 'r', seq: 1, phase: 'nodes' as const, entry, index: 0, rows: 1, last: true });

function layoutOf(plan: ReturnType<typeof planOf>, entry: string, options = OPTIONS): EntryLayout {
  return NEO4J_ADMIN_FORMAT.layout(plan, options).find((l) => l.entry === entry)!;
}

function valueBatch(rows: unknown[][]): NodeBatch {
  return { kind: 'nodes', labels: ['Value'], key: ['id'], columns: ['id', ...RULES.map(([name]) => name)], rows, batch: info('public.v') };
}

function encodeValues(rows: unknown[][], options = OPTIONS): EncodedPart {
  const plan = planOf();
  const part = NEO4J_ADMIN_FORMAT.encodeNodes(valueBatch(rows), plan.nodes[0], layoutOf(plan, 'public.v', options), options);
  return typeof part === 'string' ? { text: part } : part;
}

/** A row of the value entry with one property set (the others absent). */
function rowWith(name: string, value: unknown, id = 1): unknown[] {
  return [int(id), ...RULES.map(([n]) => (n === name ? value : null))];
}

const US = '\u001f';

function fieldsOf(line: string): string {
  return line.replace(/\n$/, '');
}

describe('neo4j-admin format: encoding', () => {
  it('is registered under its name', () => {
    assert.equal(formatNamed('neo4j-admin'), NEO4J_ADMIN_FORMAT);
  });

  it('writes a typed header for every value rule, an unnamed ID column per entry and the labels in a :LABEL column', () => {
    const plan = planOf();
    const layouts = NEO4J_ADMIN_FORMAT.layout(plan, OPTIONS);
    const value = layouts.find((l) => l.entry === 'public.v')!;
    assert.deepEqual(value.headers, [
      {
        path: 'nodes/public.v.header.csv',
        text: `:ID(public.v),:LABEL,id:long,${RULES.map(([name, , type]) => `${name}:${type}`).join(',')},__pg2graphEmptyLists:string[]\n`,
      },
    ]);
    assert.equal(layouts.find((l) => l.entry === 'public.pair')!.headers[0].text, ':ID(public.pair),:LABEL,a:string,b:string\n');
    const link = layouts.find((l) => l.entry === 'public.link')!;
    assert.deepEqual(link.headers, [{ path: 'relationships/public.link.header.csv', text: ':START_ID(public.pair),:END_ID(public.v),:TYPE,weight:long\n' }]);
    assert.equal(link.kind, 'relationships');
  });

  it('encodes every kind of value as the tool reads it back exactly', () => {
    const cases: Array<[string, unknown, string]> = [
      ['i', int('9223372036854775807'), '9223372036854775807'],
      ['i', int('-9223372036854775808'), '-9223372036854775808'],
      ['f', NaN, 'NaN'],
      ['f', Infinity, 'Infinity'],
      ['f', -Infinity, '-Infinity'],
      ['f', -0, '-0.0'],
      ['f', 0.1, '0.1'],
      ['f', 5e-324, '5e-324'],
      ['f', 1.7976931348623157e308, '1.7976931348623157e+308'],
      ['b', true, 'true'],
      ['b', false, 'false'],
      ['d', new GDate(-43, 3, 15), '-000043-03-15'],
      ['d', new GDate(5874897, 12, 31), '+5874897-12-31'],
      ['ldt', new LocalDateTime(2024, 2, 29, 23, 59, 59, 999999000), '2024-02-29T23:59:59.999999000'],
      ['dt', new DateTime(2024, 6, 1, 6, 30, 0, 123456000, 0), '2024-06-01T06:30:00.123456000Z'],
      ['dt', new DateTime(2000, 1, 1, 0, 0, 0, 0, 50400), '2000-01-01T00:00:00+14:00'],
      ['lt', new LocalTime(0, 0, 0, 0), '00:00:00'],
      ['t', new Time(23, 59, 59, 999999000, -12600), '23:59:59.999999000-03:30'],
      ['du', new Duration(14, 3, 14706, 789000000), 'P14M3DT14706.789S'],
      ['du', new Duration<number>(-14, 3, int(-14707) as unknown as number, 999999000), 'P-14M3DT-14706.000001S'],
      ['du', new Duration(0, 0, 0, 0), 'P0M0DT0S'],
      ['p', new Point(7203, 1.5, -2.25), '"{crs:cartesian,x:1.5,y:-2.25}"'],
      ['p', new Point(7203, -0, 1e300), '"{crs:cartesian,x:-0.0,y:1e+300}"'],
      ['by', new Int8Array([0, -1, 127, -128]), `0${US}-1${US}127${US}-128`],
      ['li', [int(1), int('-9223372036854775808')], `1${US}-9223372036854775808`],
      ['ls', ['a;b', 'c,d', '', ' x '], `"a;b${US}c,d${US}${US} x "`],
      ['ls', ['x'], 'x'],
      ['lf', [1.5, NaN, -0], `1.5${US}NaN${US}-0.0`],
      ['ld', [new GDate(2020, 1, 1), new GDate(-43, 3, 15)], `2020-01-01${US}-000043-03-15`],
    ];
    for (const [name, value, text] of cases) {
      const index = RULES.findIndex(([n]) => n === name);
      const fields = fieldsOf(encodeValues([rowWith(name, value)]).text);
      const expected = ['1', 'Value', '1', ...RULES.map((_, i) => (i === index ? text : '')), ''].join(',');
      assert.equal(fields, expected, `${name} ${String(value)}`);
    }
  });

  it('writes NULL as an empty unquoted field and the empty string as "", quoting what CSV needs', () => {
    const cases: Array<[unknown, string]> = [
      [null, ''],
      ['', '""'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      [' padded ', '" padded "'],
      ['back\\slash', 'back\\slash'],
      ['emoji 🚀', 'emoji 🚀'],
    ];
    for (const [value, text] of cases) {
      const part = encodeValues([rowWith('s', value)]);
      const s = RULES.findIndex(([n]) => n === 's');
      const expected = ['1', 'Value', '1', ...RULES.map((_, i) => (i === s ? text : '')), ''].join(',');
      assert.equal(fieldsOf(part.text), expected, JSON.stringify(value));
      assert.equal(part.notes, undefined);
    }
  });

  it('says so when a value holds a line break (the import then needs --multiline-fields=true)', () => {
    assert.deepEqual(encodeValues([rowWith('s', 'one\ntwo')]).notes, ['multiline']);
    assert.deepEqual(encodeValues([rowWith('ls', ['a', 'b\r'])]).notes, ['multiline']);
    assert.equal(encodeValues([rowWith('s', 'one line')]).notes, undefined);
  });

  it('marks an empty list in the row (the tool reads an empty field as no property) and says so', () => {
    const li = RULES.findIndex(([n]) => n === 'li');
    const row = rowWith('ls', []);
    row[1 + li] = [];
    const part = encodeValues([row, rowWith('ls', ['x'], 2)]);
    assert.deepEqual(part.notes, ['after-import']);
    const [first, second] = part.text.split('\n');
    assert.equal(first, ['1', 'Value', '1', ...RULES.map(() => ''), `li${US}ls`].join(','));
    assert.ok(second.endsWith(',x,,,'), second);
  });

  it('writes the text a policy gives instead of a typed value (infinity "string", nullElements "json") beside it, for after-import.cypher to move', () => {
    const plan = planOf(
      {},
      {
        properties: [
          { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
          { column: 'd', name: 'd', pgType: 'date', as: 'date', infinity: 'string' },
          { column: 'l', name: 'l', pgType: 'int4[]', as: 'list<integer>', nullElements: 'json', multiDimensional: 'error' },
        ],
      },
    );
    const layout = layoutOf(plan, 'public.v');
    assert.equal(
      layout.headers[0].text,
      ':ID(public.v),:LABEL,id:long,d:date,l:long[],__pg2graphEmptyLists:string[],__pg2graphText.d:string,__pg2graphText.l:string\n',
    );
    const batch: NodeBatch = {
      kind: 'nodes',
      labels: ['Value'],
      key: ['id'],
      columns: ['id', 'd', 'l'],
      rows: [
        [int(1), 'infinity', '[1,null]'],
        [int(2), new GDate(2020, 1, 1), [int(1)]],
      ],
      batch: info('public.v'),
    };
    const part = NEO4J_ADMIN_FORMAT.encodeNodes(batch, plan.nodes[0], layout, OPTIONS) as EncodedPart;
    assert.equal(part.text, '1,Value,1,,,,infinity,"[1,null]"\n2,Value,2,2020-01-01,1,,,\n');
    assert.deepEqual(part.notes, ['after-import']);
    const files: ManifestFile[] = [{ path: 'x', entry: 'public.v', kind: 'nodes', rows: 2, notes: part.notes }];
    const after = NEO4J_ADMIN_FORMAT.finish(plan, NEO4J_ADMIN_FORMAT.layout(plan, OPTIONS), files, OPTIONS).files.find(
      (f) => f.path === 'after-import.cypher',
    )!;
    assert.ok(
      after.text.includes('MATCH (n:`Value`) WHERE n.`__pg2graphText.d` IS NOT NULL SET n.`d` = n.`__pg2graphText.d` REMOVE n.`__pg2graphText.d`;\n'),
      after.text,
    );
    assert.ok(after.text.includes('SET n.`l` = n.`__pg2graphText.l` REMOVE n.`__pg2graphText.l`;\n'), after.text);
  });

  it('gives composite keys unambiguous IDs: ("a","a11") and ("aa","11") differ, and relationships find them in key order', () => {
    assert.notEqual(nodeIdText(['a', 'a11']), nodeIdText(['aa', '11']));
    assert.equal(nodeIdText(['a', 'a11']), '["a","a11"]');
    assert.equal(nodeIdText([int(7)]), '7');
    assert.equal(nodeIdText(['x"y']), 'x"y');
    const plan = planOf();
    const pairs: NodeBatch = {
      kind: 'nodes',
      labels: ['Pair', 'Both'],
      key: ['a', 'b'],
      columns: ['a', 'b'],
      rows: [
        ['a', 'a11'],
        ['aa', '11'],
      ],
      batch: info('public.pair'),
    };
    const part = NEO4J_ADMIN_FORMAT.encodeNodes(pairs, plan.nodes[1], layoutOf(plan, 'public.pair'), OPTIONS) as EncodedPart;
    assert.equal(part.text, `"[""a"",""a11""]",Pair${US}Both,a,a11\n"[""aa"",""11""]",Pair${US}Both,aa,11\n`);
    // the plan's match lists b before a: the start ID is still made in key order (a, b)
    const links: RelationshipBatch = {
      kind: 'relationships',
      type: 'LINK',
      from: { labels: ['Pair'], match: ['b', 'a'] },
      to: { labels: ['Value'], match: ['id'] },
      columns: ['b', 'a', 'id', 'weight'],
      rows: [
        ['a11', 'a', int(1), int(5)],
        ['11', 'aa', int(2), null],
      ],
      skippedNullMatch: 0,
      batch: { ...info('public.link'), phase: 'relationships' },
    };
    const rel = NEO4J_ADMIN_FORMAT.encodeRelationships(links, plan.relationships[0], layoutOf(plan, 'public.link'), OPTIONS) as EncodedPart;
    assert.equal(rel.text, `"[""a"",""a11""]",1,LINK,5\n"[""aa"",""11""]",2,LINK,\n`);
  });

  it('refuses by name a value the typed column cannot hold exactly', () => {
    const refused: Array<[string, unknown, RegExp]> = [
      ['i', 9223372036854775808n, /beyond the 64-bit range/],
      ['i', -9223372036854775809n, /beyond the 64-bit range/],
      ['d', 'infinity', /string value in a date column/],
      ['li', '[1,null]', /string value in a list column|string value in a long\[\] column/],
      ['ls', [''], /only an empty string/],
      ['by', new Int8Array([]), /empty byte array/],
      ['ls', ['a', `b${US}c`], /list element 1 holds the array delimiter .*U\+001F/],
      ['p', new Point(7203, NaN, 1), /NaN or infinite coordinate/],
      ['p', new Point(1234, 1, 1), /SRID 1234/],
    ];
    for (const [name, value, reason] of refused) {
      assert.throws(
        () => encodeValues([rowWith('s', 'ok', 1), rowWith(name, value, 2)]),
        (error: Error & { code?: string; details?: Record<string, unknown> }) => {
          assert.equal(error.code, 'EXPORT_VALUE_REFUSED', error.message);
          assert.match(error.message, /entry "public\.v" batch 0: row 1 \(key \[2\]\)/);
          assert.match(error.message, new RegExp(`property "${name}"`));
          assert.match(error.message, reason);
          assert.deepEqual(error.details, { entry: 'public.v', batch: 0, row: 1, property: name });
          return true;
        },
        `${name} ${String(value)}`,
      );
    }
  });

  it('takes another array delimiter, and refuses one CSV needs', () => {
    const part = encodeValues([rowWith('ls', ['a', 'b|c'])], { gzip: false, arrayDelimiter: ';' });
    assert.match(part.text, /,a;b\|c,/);
    assert.throws(() => encodeValues([rowWith('ls', ['a;b'])], { gzip: false, arrayDelimiter: ';' }), /holds the array delimiter ";" \(U\+003B\)/);
    for (const bad of [',', '"', '\n', 'ab', '']) {
      assert.throws(() => NEO4J_ADMIN_FORMAT.layout(planOf(), { gzip: false, arrayDelimiter: bad }), { code: 'EXPORT_SETTING_INVALID' });
    }
  });

  it('refuses in layout() what a typed header cannot name: flatten, computed properties without a rule, names with ":" and FK-to-unique ends', () => {
    const flatten = planOf(
      {},
      {
        properties: [
          { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
          { column: 'j', name: 'j', pgType: 'jsonb', as: 'flatten' },
        ],
      },
    );
    assert.throws(() => NEO4J_ADMIN_FORMAT.layout(flatten, OPTIONS), {
      code: 'EXPORT_PLAN_UNSUPPORTED',
      message: /entry "public\.v": property "j": rule "flatten"/,
    });
    const computed = planOf({}, { computed: [{ name: 'c', expression: 'id * 2' }] });
    assert.throws(() => NEO4J_ADMIN_FORMAT.layout(computed, OPTIONS), { code: 'EXPORT_PLAN_UNSUPPORTED', message: /computed property "c" has no rule/ });
    const typedComputed = planOf({}, { computed: [{ name: 'c', expression: 'id * 2', as: 'integer' }] });
    assert.match(NEO4J_ADMIN_FORMAT.layout(typedComputed, OPTIONS)[0].headers[0].text, /,c:long,__pg2graphEmptyLists:string\[\]\n$/);
    const colon = planOf(
      {},
      {
        properties: [
          { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
          { column: 'x', name: 'a:b', pgType: 'text', as: 'string' },
        ],
      },
    );
    assert.throws(() => NEO4J_ADMIN_FORMAT.layout(colon, OPTIONS), { code: 'EXPORT_PLAN_UNSUPPORTED', message: /property "a:b" holds ':'/ });
    const listOfBytes = planOf(
      {},
      {
        properties: [
          { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
          { column: 'x', name: 'x', pgType: 'bytea[]', as: 'list<bytes>' },
        ],
      },
    );
    assert.throws(() => NEO4J_ADMIN_FORMAT.layout(listOfBytes, OPTIONS), { code: 'EXPORT_PLAN_UNSUPPORTED', message: /"x": a list of bytes/ });
    const unique = planOf({}, {}, { to: { node: 'public.v', match: { s: 'vs' } } });
    assert.throws(
      () => NEO4J_ADMIN_FORMAT.layout(unique, OPTIONS),
      (error: Error & { code?: string; details?: Record<string, unknown> }) => {
        assert.equal(error.code, 'EXPORT_PLAN_UNSUPPORTED');
        assert.match(error.message, /entry "public\.link": its "to" end matches node entry "public\.v" on s, not on its key \(id\)/);
        assert.equal(error.details?.entry, 'public.link');
        return true;
      },
    );
  });

  it('finish() gives the import arguments, constraints.cypher as the online writer prepares, and IMPORT.md with the command', () => {
    const plan = planOf();
    const layouts = NEO4J_ADMIN_FORMAT.layout(plan, OPTIONS);
    const files: ManifestFile[] = [
      ...layouts.map((l) => ({ path: l.headers[0].path, entry: l.entry, kind: l.kind, rows: 0, header: true })),
      { path: 'nodes/public.v.part-000001.csv.gz', entry: 'public.v', kind: 'nodes', rows: 3 },
      { path: 'nodes/public.pair.part-000002.csv.gz', entry: 'public.pair', kind: 'nodes', rows: 2, notes: ['multiline'] },
      { path: 'nodes/public.v.part-000003.csv.gz', entry: 'public.v', kind: 'nodes', rows: 1 },
    ];
    const set = NEO4J_ADMIN_FORMAT.finish(plan, layouts, files, OPTIONS);
    assert.deepEqual(set.importArgs, [
      '--nodes=nodes/public.v.header.csv,nodes/public.v.part-000001.csv.gz,nodes/public.v.part-000003.csv.gz',
      '--nodes=nodes/public.pair.header.csv,nodes/public.pair.part-000002.csv.gz',
      '--relationships=relationships/public.link.header.csv',
      '--array-delimiter=U+001F',
      '--id-type=string',
      '--multiline-fields=true',
    ]);
    const constraints = set.files.find((f) => f.path === 'constraints.cypher')!.text;
    const expected = [...NEO4J_DIALECT.keySchema({ label: 'Value', key: ['id'] }), ...NEO4J_DIALECT.keySchema({ label: 'Pair', key: ['a', 'b'] })];
    assert.equal(constraints, expected.map((s) => `${s};\n`).join(''));
    const markdown = set.files.find((f) => f.path === 'IMPORT.md')!.text;
    assert.ok(markdown.includes(`NEO4J_HOME=/path/to/neo4j neo4j-admin database import full neo4j ${set.importArgs!.join(' ')}`), markdown);
    assert.match(markdown, /constraints\.cypher/);
    assert.equal(
      set.files.find((f) => f.path === 'after-import.cypher'),
      undefined,
      'no empty list, no after-import.cypher',
    );
    const oneLine = NEO4J_ADMIN_FORMAT.finish(
      plan,
      layouts,
      files.map((f) => ({ ...f, notes: undefined })),
      OPTIONS,
    );
    assert.ok(!oneLine.importArgs!.includes('--multiline-fields=true'));
    const empties = NEO4J_ADMIN_FORMAT.finish(
      plan,
      layouts,
      [...files, { path: 'x', entry: 'public.v', kind: 'nodes', rows: 1, notes: ['after-import'] }],
      OPTIONS,
    );
    const lists = ['li', 'ls', 'lf', 'ld'].map((n) => `n.\`${n}\` = CASE WHEN '${n}' IN n.\`__pg2graphEmptyLists\` THEN [] ELSE n.\`${n}\` END`);
    assert.equal(
      empties.files.find((f) => f.path === 'after-import.cypher')?.text,
      `MATCH (n:\`Value\`) WHERE n.\`__pg2graphEmptyLists\` IS NOT NULL SET ${lists.join(', ')} REMOVE n.\`__pg2graphEmptyLists\`;\n`,
    );
    assert.match(empties.files.find((f) => f.path === 'IMPORT.md')!.text, /after-import\.cypher/);
  });

  it('quotes shell arguments only where needed', () => {
    assert.equal(shellQuote('--nodes=nodes/a.header.csv,nodes/a.part-000001.csv.gz'), '--nodes=nodes/a.header.csv,nodes/a.part-000001.csv.gz');
    assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
  });
});
