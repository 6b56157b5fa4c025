/**
 * The id-based export formats that cannot be loaded here (Neptune openCypher and Gremlin CSV, ArangoDB JSON Lines):
 * their encoders on hand-made batches (every value rule, escaping, the composite-key ambiguity case, refusals by
 * name), and our validators: each rule they enforce fails on a hand-broken file, and hand-made exports pass.
 */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import neo4j from 'neo4j-driver';
import { assertValidPlan } from '../../dist/engine/plan';
import type { GraphPlan, NodeEntry, PropertyMapping } from '../../dist/engine/plan/types';
import type { ValidPlan } from '../../dist/engine/plan/valid';
import type { NodeBatch, RelationshipBatch } from '../../dist/engine/core/records';
import { encodedPart, type FileFormat } from '../../dist/engine/write/files/format';
import { neptuneNodeId } from '../../dist/engine/cypher';
import { NEPTUNE_OPENCYPHER_FORMAT } from '../../dist/engine/write/files/formats/neptune-opencypher';
import { NEPTUNE_GREMLIN_FORMAT } from '../../dist/engine/write/files/formats/neptune-gremlin';
import { ARANGODB_FORMAT } from '../../dist/engine/write/files/formats/arangodb';
import { documentKey, edgeKey, encodeKeyPart } from '../../dist/engine/write/files/formats/arangodb-keys';
import { arangoKeyError, assertNoErrors, typedValueError, unsafeIntegers, validateArangoExport, validateNeptuneExport } from '../support/export-validators';
import { temporaryDir, writeHandMadeExport } from '../support/export-fixture';

const { DateTime, Date: GraphDate, Duration, LocalDateTime, Point } = neo4j;
const big = neo4j.int('9007199254740993');

const prop = (column: string, name: string, pgType: string, as: PropertyMapping['as']): PropertyMapping => ({ column, name, pgType, as });

function itemPlan(change: (plan: GraphPlan) => void = () => undefined): ValidPlan {
  const plan: GraphPlan = {
    version: 1,
    source: { schemas: ['public'] },
    options: { batchSize: 100, writeMode: 'merge' },
    nodes: [
      {
        id: 'public.item',
        table: { schema: 'public', name: 'item' },
        label: 'Item',
        key: ['code', 'part'],
        warnings: [],
        properties: [
          prop('code', 'code', 'text', 'string'),
          prop('part', 'part', 'text', 'string'),
          prop('big', 'big', 'int8', 'integer'),
          prop('price', 'price', 'numeric', 'string'),
          prop('at', 'at', 'timestamptz', 'dateTime'),
          prop('at3', 'at3', 'timestamptz(3)', 'dateTime'),
          prop('day', 'day', 'date', 'date'),
          prop('local', 'local', 'timestamp', 'localDateTime'),
          prop('span', 'span', 'interval', 'duration'),
          prop('ratio', 'ratio', 'float8', 'float'),
          prop('flag', 'flag', 'bool', 'boolean'),
          prop('data', 'data', 'bytea', 'bytes'),
          prop('spot', 'spot', 'point', 'point'),
          prop('tags', 'tags', 'text[]', 'list<string>'),
          prop('nums', 'nums', 'int8[]', 'list<integer>'),
          prop('note', 'note', 'text', 'string'),
        ],
      },
      {
        id: 'public.owner',
        table: { schema: 'public', name: 'owner' },
        label: 'Owner',
        key: ['ownerId'],
        warnings: [],
        properties: [prop('owner_id', 'ownerId', 'int4', 'integer')],
      },
    ],
    relationships: [
      {
        id: 'public.item.owner_fk',
        type: 'OWNED_BY',
        source: { kind: 'foreignKey', table: { schema: 'public', name: 'item' }, constraint: 'owner_fk' },
        // match listed in another order than the key: ids must still follow the key's order
        from: { node: 'public.item', match: { part: 'part', code: 'code' } },
        to: { node: 'public.owner', match: { ownerId: 'owner_id' } },
        properties: [prop('since', 'since', 'date', 'date'), prop('weight', 'weight', 'float8', 'float')],
      },
    ],
  };
  change(plan);
  return assertValidPlan(plan);
}

const info = (entry: string, phase: 'nodes' | 'relationships' = 'nodes') => ({ run: 'r', seq: 1, phase, entry, index: 0, rows: 1, last: true });
const ITEM_COLUMNS = ['code', 'part', 'big', 'price', 'at', 'at3', 'day', 'local', 'span', 'ratio', 'flag', 'data', 'spot', 'tags', 'nums', 'note'];

function itemRow(code: string, part: string, overrides: Record<string, unknown> = {}): unknown[] {
  const values: Record<string, unknown> = {
    code,
    part,
    big,
    price: '12345678901234567890.123456789',
    at: new DateTime(2024, 2, 29, 23, 59, 59, 123456000, 0),
    at3: new DateTime(2024, 2, 29, 23, 59, 59, 123000000, 0),
    day: new GraphDate(-43, 3, 15),
    local: new LocalDateTime(2024, 1, 2, 3, 4, 5, 6000),
    span: new Duration(1, 2, 3, 4000),
    ratio: -0,
    flag: true,
    data: new Int8Array([1, 2, -1]),
    spot: new Point(7203, 1.5, -2),
    tags: ['a', 'b;c', 'a'],
    nums: [big, neo4j.int(1)],
    note: '',
    ...overrides,
  };
  return ITEM_COLUMNS.map((c) => values[c]);
}

function itemBatch(rows: unknown[][]): NodeBatch {
  return { kind: 'nodes', labels: ['Item'], key: ['code', 'part'], columns: ITEM_COLUMNS, rows, batch: info('public.item') };
}

function ownerBatch(ids: number[]): NodeBatch {
  return { kind: 'nodes', labels: ['Owner'], key: ['ownerId'], columns: ['ownerId'], rows: ids.map((id) => [neo4j.int(id)]), batch: info('public.owner') };
}

function ownedBatch(rows: unknown[][]): RelationshipBatch {
  return {
    kind: 'relationships',
    type: 'OWNED_BY',
    from: { labels: ['Item'], match: ['part', 'code'] },
    to: { labels: ['Owner'], match: ['ownerId'] },
    columns: ['part', 'code', 'ownerId', 'since', 'weight'],
    rows,
    skippedNullMatch: 0,
    batch: info('public.item.owner_fk', 'relationships'),
  };
}

function encodeItems(format: FileFormat, rows: unknown[][], plan = itemPlan()): string {
  const layout = format.layout(plan, { gzip: false }).find((l) => l.entry === 'public.item')!;
  return encodedPart(format.encodeNodes(itemBatch(rows), plan.nodes[0], layout, { gzip: false })).text;
}

function encodeOwned(format: FileFormat, rows: unknown[][], plan = itemPlan()): string {
  const layout = format.layout(plan, { gzip: false }).find((l) => l.entry === 'public.item.owner_fk')!;
  return encodedPart(format.encodeRelationships(ownedBatch(rows), plan.relationships[0], layout, { gzip: false })).text;
}

const refusedPlan = (format: FileFormat, change: (plan: GraphPlan) => void, pattern: RegExp) =>
  assert.throws(
    () => format.layout(itemPlan(change), { gzip: false }),
    (e: Error & { code?: string }) => e.code === 'EXPORT_PLAN_UNSUPPORTED' && pattern.test(e.message),
  );

const items = (plan: GraphPlan) => plan.nodes[0] as NodeEntry;

describe('id-based export formats', () => {
  describe('neptune openCypher', () => {
    it('writes a typed header and every value rule within Neptune types', () => {
      const text = encodeItems(NEPTUNE_OPENCYPHER_FORMAT, [itemRow('a', 'a11'), itemRow('aa', '11', { ratio: NaN, flag: false, note: null })]);
      const [header, first, second] = text.split('\n');
      assert.equal(
        header,
        ':ID,:LABEL,code:String,part:String,big:Long,price:String,at:String,at3:DateTime,day:String,local:String,span:String,ratio:Double,flag:Bool,data:String,spot:String,tags:String,nums:String,note:String',
      );
      assert.equal(
        first,
        'Item:a:a11,Item,a,a11,9007199254740993,12345678901234567890.123456789,2024-02-29T23:59:59.123456Z,2024-02-29T23:59:59.123Z,-000043-03-15,' +
          '2024-01-02T03:04:05.000006,P1M2DT3.000004S,-0.0,true,AQL/,SRID=7203;POINT(1.5 -2),"[""a"",""b;c"",""a""]","[9007199254740993,1]",""',
      );
      // composite keys stay apart ("a","a11") vs ("aa","11"); NaN as Java reads it; null is the empty unquoted field
      assert.match(second, /^Item:aa:11,Item,aa,11,.*,NaN,false,.*,$/);
    });

    it('escapes ":" and "\\" in ids so composite keys never collide', () => {
      const text = encodeItems(NEPTUNE_OPENCYPHER_FORMAT, [itemRow('a:b', 'c'), itemRow('a', 'b:c'), itemRow('a\\', 'x')]);
      const ids = text
        .split('\n')
        .slice(1, 4)
        .map((line) => line.split(',')[0]);
      assert.deepEqual(ids, ['Item:a\\:b:c', 'Item:a:b\\:c', 'Item:a\\\\:x']);
      assert.equal(ids[0], neptuneNodeId('Item', ['a:b', 'c']), 'the same ids as the online Neptune dialect');
    });

    it('gives relationships an id from type and both end ids, in key order', () => {
      const text = encodeOwned(NEPTUNE_OPENCYPHER_FORMAT, [['a11', 'a', neo4j.int(7), new GraphDate(2020, 1, 2), 0.5]]);
      const from = neptuneNodeId('Item', ['a', 'a11']);
      const to = neptuneNodeId('Owner', [neo4j.int(7)]);
      assert.equal(
        text,
        `:ID,:START_ID,:END_ID,:TYPE,since:String,weight:Double\n${neptuneNodeId('OWNED_BY', [from, to])},${from},${to},OWNED_BY,2020-01-02,0.5\n`,
      );
      assert.equal(neptuneNodeId('OWNED_BY', [from, to]), 'OWNED_BY:Item\\:a\\:a11:Owner\\:7');
    });

    it('refuses a value its column cannot hold exactly, naming entry, key and property', () => {
      const refuses = (overrides: Record<string, unknown>, pattern: RegExp) =>
        assert.throws(
          () => encodeItems(NEPTUNE_OPENCYPHER_FORMAT, [itemRow('k', '1', overrides)]),
          (e: Error & { code?: string }) =>
            e.code === 'EXPORT_VALUE_REFUSED' && /entry public\.item, key \["k", "1"\]/.test(e.message) && pattern.test(e.message),
        );
      refuses({ at3: new DateTime(2024, 1, 1, 0, 0, 0, 123456000, 0) }, /"at3" \(DateTime.*this column holds milliseconds/);
      refuses({ at3: new DateTime(10000, 1, 1, 0, 0, 0, 0, 0) }, /"at3".*years 0001 to 9999/);
      refuses({ at3: 'infinity' }, /"at3".*infinity policy/);
      refuses({ big: 'x' }, /"big" \(Long, rule integer\): a String value in a Long column/);
      refuses({ big: 2n ** 63n }, /"big".*beyond a 64-bit Long/);
    });

    it('refuses by name in layout what its headers cannot hold', () => {
      for (const name of ['a:b', 'a,b', 'a"b', "a'b", 'a b', 'a\nb', 'a\\b']) {
        refusedPlan(
          NEPTUNE_OPENCYPHER_FORMAT,
          (plan) => (items(plan).properties[15].name = name),
          /entry public\.item, property "[\s\S]*": property names in the loader's CSV header/,
        );
      }
      refusedPlan(NEPTUNE_GREMLIN_FORMAT, (plan) => (items(plan).label = 'It;em'), /label "It;em": ";" separates labels/);
      refusedPlan(NEPTUNE_OPENCYPHER_FORMAT, (plan) => (plan.relationships[0].type = 'A;B'), /label "A;B"/);
      refusedPlan(NEPTUNE_OPENCYPHER_FORMAT, (plan) => (items(plan).properties[15].as = 'flatten'), /property "note": rule "flatten" makes columns per batch/);
      refusedPlan(
        NEPTUNE_GREMLIN_FORMAT,
        (plan) => (items(plan).computed = [{ name: 'c', expression: 'code' }]),
        /property "c": a computed property without "as"/,
      );
      refusedPlan(
        NEPTUNE_OPENCYPHER_FORMAT,
        (plan) => (plan.relationships[0].from.match = { note: 'note' }),
        /entry public\.item\.owner_fk, from end: it matches Item on note, not on its key \(code, part\)/,
      );
    });
  });

  describe('neptune Gremlin', () => {
    it('writes exactly three fraction digits in a DateTime column', () => {
      const text = encodeItems(NEPTUNE_OPENCYPHER_FORMAT, [itemRow('a', '1', { at3: new DateTime(987, 6, 5, 4, 3, 2, 120000000, 0) })]);
      assert.match(text.split('\n')[1], /,0987-06-05T04:03:02\.120Z,/);
    });

    it('writes ~ system columns, single cardinality on vertices and none on edges, Date for instants in whole seconds', () => {
      const nodes = encodeItems(NEPTUNE_GREMLIN_FORMAT, [itemRow('a', 'a11')]).split('\n')[0];
      assert.equal(
        nodes,
        '~id,~label,code:String(single),part:String(single),big:Long(single),price:String(single),at:String(single),at3:String(single),day:String(single),' +
          'local:String(single),span:String(single),ratio:Double(single),flag:Bool(single),data:String(single),spot:String(single),tags:String(single),nums:String(single),note:String(single)',
      );
      // the Gremlin loader's Date forms stop at seconds: timestamptz(3) is exact text there, timestamptz(0) a Date
      const seconds = itemPlan((plan) => (items(plan).properties[5].pgType = 'timestamptz(0)'));
      const whole = encodeItems(NEPTUNE_GREMLIN_FORMAT, [itemRow('a', '1', { at3: new DateTime(2024, 2, 29, 23, 59, 59, 0, 0) })], seconds).split('\n');
      assert.match(whole[0], /,at3:Date\(single\),/);
      assert.match(whole[1], /,2024-02-29T23:59:59Z,/);
      assert.throws(
        () => encodeItems(NEPTUNE_GREMLIN_FORMAT, [itemRow('a', '1', { at3: new DateTime(2024, 2, 29, 23, 59, 59, 1000000, 0) })], seconds),
        /this column holds whole seconds/,
      );
      const edges = encodeOwned(NEPTUNE_GREMLIN_FORMAT, [['a11', 'a', neo4j.int(7), null, 0.5]]);
      assert.equal(edges.split('\n')[0], '~id,~from,~to,~label,since:String,weight:Double');
    });

    it('writes IMPORT.md with two loader calls in its own format, nodes first', () => {
      const dir = temporaryDir('gremlin-import');
      try {
        writeHandMadeExport(dir, NEPTUNE_GREMLIN_FORMAT, itemPlan(), [
          itemBatch([itemRow('a', 'a11')]),
          ownerBatch([7]),
          ownedBatch([['a11', 'a', neo4j.int(7), null, 1]]),
        ]);
        const text = fs.readFileSync(path.join(dir, 'IMPORT.md'), 'utf8');
        assert.match(text, /"format": "csv"/);
        assert.doesNotMatch(text, /userProvidedEdgeIds/);
        assert.ok(text.indexOf('/nodes/') < text.indexOf('/relationships/'), 'nodes are loaded first');
        assert.match(text, /curl -X POST -H 'Content-Type: application\/json' https:\/\/<endpoint>:8182\/loader/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('arangodb', () => {
    it('percent-encodes keys outside the key alphabet, and %, : and @, decodably', () => {
      assert.equal(encodeKeyPart('a/b c%ü'), 'a%2Fb%20c%25%C3%BC');
      assert.equal(encodeKeyPart("A-z_0.9(+),=;$!*'"), "A-z_0.9(+),=;$!*'");
      assert.equal(decodeURIComponent(encodeKeyPart('x:y@z%/ü')), 'x:y@z%/ü');
      // composite keys joined by ":", which a part never holds unencoded
      assert.notEqual(documentKey(['a', 'a11']), documentKey(['aa', '11']));
      assert.equal(documentKey(['a:b', 'c']), 'a%3Ab:c');
      assert.equal(documentKey(['a', 'b:c']), 'a:b%3Ac');
      assert.equal(documentKey([neo4j.int(7), new GraphDate(2020, 1, 2)]), '7:2020-01-02');
      assert.equal(edgeKey('Item', 'a:b', 'Owner', '7'), 'Item@a:b@Owner@7');
    });

    it('replaces a key over 254 bytes by a stable hash that no encoded key can equal, keeping the key properties', () => {
      const long = 'x'.repeat(300);
      const key = documentKey([long]);
      assert.match(key, /^%H[0-9a-f]{64}$/);
      assert.equal(documentKey([long]), key, 'stable');
      assert.equal(arangoKeyError(key), undefined);
      assert.equal(documentKey(['y'.repeat(254)]), 'y'.repeat(254), '254 bytes stay');
      assert.match(documentKey(['ü'.repeat(128)]), /^%H/, '128 two-byte characters are 768 bytes encoded');
      const plan = itemPlan();
      const layout = ARANGODB_FORMAT.layout(plan, { gzip: false })[0];
      const line = JSON.parse(encodedPart(ARANGODB_FORMAT.encodeNodes(itemBatch([itemRow(long, '1')]), plan.nodes[0], layout, { gzip: false })).text);
      assert.equal(line._key, documentKey([long, '1']));
      assert.equal(line.code, long);
    });

    it('writes JSON with exact values: big integers and NaN as strings, ISO temporals, base64 bytes, arrays', () => {
      const plan = itemPlan();
      const layout = ARANGODB_FORMAT.layout(plan, { gzip: false })[0];
      assert.equal(layout.collection, 'Item');
      const text = ARANGODB_FORMAT.encodeNodes(itemBatch([itemRow('a b', '1', { ratio: NaN, note: null, nums: [big, neo4j.int(2)] })]), plan.nodes[0], layout, {
        gzip: false,
      });
      assert.equal(
        text,
        '{"_key":"a%20b:1","code":"a b","part":"1","big":"9007199254740993","price":"12345678901234567890.123456789","at":"2024-02-29T23:59:59.123456Z",' +
          '"at3":"2024-02-29T23:59:59.123Z","day":"-000043-03-15","local":"2024-01-02T03:04:05.000006","span":"P1M2DT3.000004S","ratio":"NaN","flag":true,' +
          '"data":"AQL/","spot":"SRID=7203;POINT(1.5 -2)","tags":["a","b;c","a"],"nums":["9007199254740993",2]}\n',
      );
      const safe = ARANGODB_FORMAT.encodeNodes(ownerBatch([9007199254740991]), plan.nodes[1], ARANGODB_FORMAT.layout(plan, { gzip: false })[1], {
        gzip: false,
      });
      assert.equal(safe, '{"_key":"9007199254740991","ownerId":9007199254740991}\n', 'up to 2^53 - 1 a number');
      const edge = JSON.parse(encodeOwned(ARANGODB_FORMAT, [['a11', 'a', neo4j.int(7), null, -0]]));
      assert.deepEqual(edge, { _key: 'Item@a:a11@Owner@7', _from: 'Item/a:a11', _to: 'Owner/7', weight: -0 });
      assert.ok(Object.is(edge.weight, -0), '-0 keeps its sign');
    });

    it('refuses names ArangoDB cannot use, by name', () => {
      for (const label of ['Bücher', '1Item', 'Item.x', 'I'.repeat(65), '_Item']) {
        refusedPlan(ARANGODB_FORMAT, (plan) => (items(plan).label = label), /entry public\.item, label ".*": an ArangoDB collection name is 1 to 64/);
      }
      refusedPlan(ARANGODB_FORMAT, (plan) => (plan.relationships[0].type = 'Owner'), /collection "Owner" would hold edges and documents/);
      refusedPlan(ARANGODB_FORMAT, (plan) => (items(plan).labels = ['Extra']), /labels Extra: a document belongs to one collection/);
      refusedPlan(ARANGODB_FORMAT, (plan) => (items(plan).properties[15].name = '_note'), /property "_note": ArangoDB keeps attribute names starting with "_"/);
      refusedPlan(
        ARANGODB_FORMAT,
        (plan) => {
          plan.nodes[1].properties.push(prop('email', 'email', 'text', 'string'));
          plan.relationships[0].to.match = { email: 'owner_email' };
        },
        /to end: it matches Owner on email, not on its key \(ownerId\)/,
      );
    });

    it('writes IMPORT.md with arangoimport per part, documents first, edges as edge collections', () => {
      const dir = temporaryDir('arango-import');
      try {
        writeHandMadeExport(
          dir,
          ARANGODB_FORMAT,
          itemPlan(),
          [ownedBatch([['a11', 'a', neo4j.int(7), null, 1]]), itemBatch([itemRow('a', 'a11')]), ownerBatch([7])],
          { gzip: true },
        );
        const text = fs.readFileSync(path.join(dir, 'IMPORT.md'), 'utf8');
        const commands = text.split('\n').filter((l) => l.startsWith('arangoimport'));
        assert.equal(commands.length, 3);
        assert.match(commands[0], /--type jsonl --collection Item --create-collection true --file nodes\/public\.item\.part-000002\.jsonl\.gz$/);
        assert.match(commands[2], /--collection OWNED_BY --create-collection true --create-collection-type edge --on-duplicate replace --file relationships\//);
        assert.match(text, /arangoimport 3\.5 and later reads a `\.gz` file/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('validators', () => {
    let dir: string;
    beforeEach(() => (dir = temporaryDir('validate')));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const handMade = (format: FileFormat, gzip = false) =>
      writeHandMadeExport(
        dir,
        format,
        itemPlan(),
        [
          itemBatch([itemRow('a', 'a11'), itemRow('aa', '11'), itemRow('a:b', 'c\n"d"')]),
          ownerBatch([7, 8]),
          ownedBatch([
            ['a11', 'a', neo4j.int(7), null, 1],
            ['c\n"d"', 'a:b', neo4j.int(8), new GraphDate(2020, 1, 2), null],
          ]),
        ],
        { gzip },
      );

    /** Replaces a part's text and expects the validator to name the broken rule. */
    function breaks(validate: () => { errors: string[] }, file: string, edit: (text: string) => string, pattern: RegExp): void {
      const full = path.join(dir, file);
      const before = fs.readFileSync(full, 'utf8');
      fs.writeFileSync(full, edit(before));
      try {
        const { errors } = validate();
        assert.ok(
          errors.some((e) => pattern.test(e)),
          `expected an error matching ${pattern}, got:\n${errors.join('\n')}`,
        );
      } finally {
        fs.writeFileSync(full, before);
      }
    }

    for (const format of [NEPTUNE_OPENCYPHER_FORMAT, NEPTUNE_GREMLIN_FORMAT]) {
      const dialect = format.name as 'neptune-opencypher' | 'neptune-gremlin';
      it(`${dialect}: a hand-made export passes, values read back exactly`, () => {
        handMade(format, true);
        const set = validateNeptuneExport(dir, dialect);
        assertNoErrors(set, dialect);
        assert.deepEqual(set.nodeCounts, { Item: 3, Owner: 2 });
        assert.deepEqual(set.relationshipCounts, { OWNED_BY: 2 });
        const node = set.nodes.get(neptuneNodeId('Item', ['a:b', 'c\n"d"']))!;
        assert.deepEqual(node.properties.get('part'), { type: 'String', text: 'c\n"d"' });
        assert.deepEqual(node.properties.get('big'), { type: 'Long', text: '9007199254740993' });
        assert.deepEqual(node.properties.get('note'), { type: 'String', text: '' }, 'the empty string stays a value');
      });

      it(`${dialect}: each rule fails on a hand-broken file`, () => {
        const files = handMade(format);
        const validate = () => validateNeptuneExport(dir, dialect);
        assertNoErrors(validate(), dialect);
        const [items, owners, owned] = files.map((f) => f.path);
        const id = dialect === 'neptune-gremlin' ? '~id' : ':ID';
        const long = dialect === 'neptune-gremlin' ? 'big:Long(single)' : 'big:Long';
        breaks(validate, items, (t) => t.replace(long, dialect === 'neptune-gremlin' ? 'big:Decimal(single)' : 'big:Decimal'), /unknown type "Decimal"/);
        breaks(validate, items, (t) => t.replace(`${id},`, 'x,'), /missing system column/);
        breaks(validate, items, (t) => t.replace('code:String', 'co de:String'), /property name "co de"/);
        breaks(validate, items, (t) => t.replace('9007199254740993', '9223372036854775808'), /property "big" \(Long\): 9223372036854775808 is outside Long/);
        breaks(validate, items, (t) => t.replace('9007199254740993', '12.5'), /"12\.5" is no integer/);
        breaks(validate, items, (t) => t.replace(',true,', ',True,'), /"True" is not exactly true or false/);
        if (dialect === 'neptune-opencypher') {
          breaks(validate, items, (t) => t.replace('2024-02-29T23:59:59.123Z', '2023-02-29T23:59:59.123Z'), /is not a calendar date/);
          breaks(validate, items, (t) => t.replace('2024-02-29T23:59:59.123Z', '2024-02-29 23:59'), /not an ISO 8601 date-time/);
          breaks(validate, items, (t) => t.replace('2024-02-29T23:59:59.123Z', '2024-02-29T23:59:59.12Z'), /not an ISO 8601 date-time/);
        } else {
          breaks(
            validate,
            items,
            (t) => t.replace('at3:String(single)', 'at3:Date(single)'),
            /"at3" \(Date\): "2024-02-29T23:59:59\.123Z" is not an ISO 8601 date-time/,
          );
        }
        breaks(validate, items, (t) => t.replace(',-0.0,', ',"",'), /an empty string in a Double column/);
        breaks(validate, items, (t) => t.replace(',-0.0,', ',zero,'), /"zero" is no floating-point number/);
        breaks(validate, items, (t) => t.replace(',-0.0,', ',-0.0,extra,'), /fields, the header has/);
        breaks(validate, items, (t) => t.replace('"[9007199254740993,1]"', '"[9007199254740993,1]'), /quote/);
        breaks(validate, owners, (t) => t.replace('Owner:8', 'Owner:7'), /node id "Owner:7" is defined twice/);
        breaks(validate, owners, (t) => `${t}Owner:9\n`, /2 rows, the manifest says|3 rows, the manifest says 2/);
        breaks(validate, owned, (t) => t.replace(/,Owner:8,/, ',Owner:99,'), /"Owner:99" is no node of the set/);
        const labelColumn = dialect === 'neptune-gremlin' ? '~label' : ':LABEL';
        const code = dialect === 'neptune-gremlin' ? 'code:String(single)' : 'code:String';
        breaks(validate, items, (t) => t.replace(`${id},`, `${id},${id},`), /system column "(:ID|~id)" appears twice/);
        breaks(validate, items, (t) => t.replace(`${labelColumn},`, `${labelColumn}s,`), /"(:LABEL|~label)s" is no node system column/);
        breaks(validate, items, (t) => t.replace(code, `"${code}"`), /header "code:String.*" is quoted/);
        breaks(validate, items, (t) => t.replace('part:String', 'code:String'), /property "code" appears twice/);
        breaks(validate, items, (t) => t.slice(0, -1), /the last record has no line feed/);
        breaks(
          validate,
          items,
          (t) => t.replace(code, dialect === 'neptune-gremlin' ? 'code:String(set)' : 'code:String(single)'),
          /a set or array column|openCypher headers take no cardinality/,
        );
        breaks(validate, owners, (t) => t.replace(',Owner,', ',,'), /empty (:LABEL|~label)/);
        breaks(validate, owners, (t) => t.replace('\nOwner:7,', '\n,'), /empty (:ID|~id)/);
        breaks(validate, owned, (t) => t.replace(',OWNED_BY,', ',OWNED;BY,'), /relationship type "OWNED;BY" holds ";"/);
        const first = neptuneNodeId('OWNED_BY', ['Item:a:a11', 'Owner:7']);
        breaks(
          validate,
          owned,
          (t) => `${t}${first},Item:aa:11,Owner:7,OWNED_BY,,\n`,
          /relationship id "OWNED_BY:Item\\:a\\:a11:Owner\\:7" names two different relationships/,
        );
        breaks(validate, owned, (t) => t.replace('weight:Double', 'weight:Double[]'), /edge properties are single-valued|header "weight:Double\[\]"/);
      });
    }

    it('arangodb: a hand-made export passes, values read back exactly', () => {
      handMade(ARANGODB_FORMAT, true);
      const set = validateArangoExport(dir);
      assertNoErrors(set, 'arangodb');
      assert.deepEqual(set.counts, { Item: 3, Owner: 2, OWNED_BY: 2 });
      const item = set.collections.get('Item')!.documents.get('a%3Ab:c%0A%22d%22')!;
      assert.equal(item.big, '9007199254740993');
      assert.equal(item.part, 'c\n"d"');
      assert.equal(set.collections.get('OWNED_BY')!.documents.get('Item@a%3Ab:c%0A%22d%22@Owner@8')!._to, 'Owner/8');
    });

    it('arangodb: each rule fails on a hand-broken file', () => {
      const files = handMade(ARANGODB_FORMAT);
      const validate = () => validateArangoExport(dir);
      assertNoErrors(validate(), 'arangodb');
      const [items, owners, owned] = files.map((f) => f.path);
      breaks(validate, items, (t) => t.replace('"_key":"a:a11"', '"_key":"a/a11"'), /holds a character outside ArangoDB's key alphabet/);
      breaks(validate, items, (t) => t.replace('"_key":"a:a11"', `"_key":"${'k'.repeat(255)}"`), /is 255 bytes \(1 to 254\)/);
      breaks(validate, items, (t) => t.replace('"_key":"a:a11"', '"_key":"a%zz"'), /"%" not followed by two upper-case hex digits/);
      breaks(validate, items, (t) => t.replace('"_key":"a:a11"', '"_key":"aa:11"'), /_key "aa:11" is defined twice in collection "Item"/);
      breaks(
        validate,
        items,
        (t) => t.replace('"big":"9007199254740993"', '"big":9007199254740993'),
        /integers beyond 2\^53 as JSON numbers \(9007199254740993\)/,
      );
      breaks(validate, items, (t) => t.replace('{"_key":"a:a11"', '{"_key":"a:a11","_rev":"1"'), /attribute "_rev" is ArangoDB's own/);
      breaks(validate, items, (t) => t.replace('{"_key":"a:a11"', '{"_key":"a:a11" x'), /not JSON/);
      breaks(validate, owners, (t) => `${t}\n`, /2 lines|3 lines, the manifest says 2/);
      breaks(validate, owned, (t) => t.replace('"_to":"Owner/8"', '"_to":"Owner/99"'), /_to "Owner\/99": no such document/);
      breaks(validate, owned, (t) => t.replace('"_to":"Owner/8"', '"_to":"Nowhere/8"'), /no document collection "Nowhere"/);
      breaks(validate, owned, (t) => t.replace('"_to":"Owner/8"', '"_to":"Owner:8"'), /is not collection\/key/);
      breaks(
        validate,
        owned,
        (t) => `${t}{"_key":"Item@a:a11@Owner@7","_from":"Item/aa:11","_to":"Owner/7"}\n`,
        /edge _key "Item@a:a11@Owner@7" names two different edges/,
      );
      breaks(validate, items, (t) => `[1]\n${t.slice(t.indexOf('\n') + 1)}`, /line 1: not a JSON object/);
      breaks(validate, items, (t) => t.replace('"_key":"a:a11"', '"_key":7'), /_key 7 is no string/);
      breaks(validate, items, (t) => t.slice(0, -1), /the last line has no line feed/);
      breaks(validate, 'manifest.json', () => 'x', /manifest\.json: unreadable/);
      breaks(validate, 'manifest.json', (t) => t.replace('"collection": "Owner"', '"collection": "1Owner"'), /is no ArangoDB collection name/);
      breaks(validate, 'manifest.json', (t) => t.replace('"collection": "OWNED_BY"', '"collection": "Owner"'), /collection "Owner" holds documents and edges/);
    });

    it('typed values: the type rules on their own', () => {
      assert.equal(typedValueError('Long', '-9223372036854775808'), undefined);
      assert.match(typedValueError('Int', '2147483648')!, /outside Int/);
      assert.match(typedValueError('Short', '32768')!, /outside Short/);
      assert.match(typedValueError('Byte', '-129')!, /outside Byte/);
      assert.equal(typedValueError('Double', '-Infinity'), undefined);
      assert.equal(typedValueError('Date', '2024-02-29'), undefined);
      assert.equal(typedValueError('Date', '2024-02-29T10:11:12+01:00'), undefined);
      assert.equal(typedValueError('DateTime', '2024-02-29T10:11:12.345Z'), undefined);
      assert.match(typedValueError('DateTime', '2024-01-01T24:00:00Z')!, /not a time of day/);
      assert.match(typedValueError('Bool', 'TRUE')!, /not exactly/);
      assert.deepEqual(unsafeIntegers('{"a":"9007199254740993","b":9007199254740993,"c":1.5e300,"d":-9007199254740992}'), [
        '9007199254740993',
        '-9007199254740992',
      ]);
    });
  });
});
