/**
 * The edge-value table: every type of the value rules (README, Value rules) with its edge values is read by the engine,
 * shaped, written to the real Neo4j with a plain UNWIND in this test, read back and compared value by value
 * with what Postgres itself prints for the same cells (or computes, where a policy transforms the value).
 */
import assert from 'assert/strict';
import pg from 'pg';
import neo4j, { type Driver, type Point } from 'neo4j-driver';
import { createScratchDatabase, testDriver, clearGraph, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { PlanRun } from '../../dist/engine/read/plan-run';
import { shapeNodes } from '../../dist/engine/shape/nodes';
import type { GraphPlan, NodeEntry } from '../../dist/engine/plan/types';
import type { NodeBatch } from '../../dist/engine/core/records';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import { pgText, sameFloat } from './values-pg-text';

const DDL = `
CREATE EXTENSION hstore;
CREATE EXTENSION citext;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
CREATE DOMAIN email AS text;
CREATE TABLE edge (
  id int4 PRIMARY KEY, i2 int2, i4 int4, i8 int8, num numeric, num38 numeric(38,0), numf numeric(12,4), numi numeric(12,2),
  f4 float4, f8 float8, b bool, t text, vc varchar(20), ch char(6), cht char(6), nm name, ci citext,
  d date, dn date, ts timestamp, tstz timestamptz, tm time, ttz timetz, iv interval,
  u uuid, mon money, ip inet, cidr_ cidr, mac macaddr, x xml, tsv tsvector, e mood, dom posint, domt email,
  j json, jb jsonb, jf jsonb, by bytea, pt point, h hstore,
  ai int8[], at text[], an int4[], aj int4[], a2 int4[], ad date[], ats timestamptz[], af float8[], ab bool[]
);
INSERT INTO edge VALUES
 (1, 32767, 2147483647, 9223372036854775807, '12345678901234567890123456789012345678', '99999999999999999999999999999999999999',
  '12345678.1234', '1234.00', '3.4028235e+38', 'NaN', true,
  E'quote \\' and "double", back\\\\slash, new\\nline, tab\\t, emoji \\U0001F680\\U0001F44D\\U0001F3FD', 'varchar', 'ab', 'ab', 'name', 'MiXeD',
  '0044-03-15 BC', 'infinity', '2024-02-29 23:59:59.999999', '2024-06-01 12:00:00.123456+05:30', '23:59:59.999999', '23:59:59.999999+14',
  '1 year 2 months 3 days 04:05:06.789',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1234567.89', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '<a b="1">x &amp; y</a>',
  'a fat cat', 'happy', 42, 'a@b.c',
  '{"b": 1,  "a": [1, 2.50]}', '{"b": 1, "a": {"c": [1, 2.5]}, "big": 12345678901234567890}',
  '{"name": "x", "n": 9223372036854775807, "f": 1.5, "ok": true, "nested": {"a": [1]}, "none": null}',
  '\\x00ff7f80', '(1.5,-2.25)', '"a"=>"1", "b"=>NULL, "q\\"k"=>"v\\\\w"',
  '{1,9223372036854775807,-9223372036854775808}', '{"with \\"quote\\"","back\\\\slash","","NULL","a,b","{braces}"}',
  '{1,NULL,3}', '{1,NULL,3}', '{{1,2},{3,4}}', '{2020-01-01,"0001-01-01 BC"}', '{"2024-01-01 00:00:00+05:30"}',
  '{1.5,NaN,-Infinity,-0}', '{t,f}'),
 (2, -32768, -2147483648, -9223372036854775808, 'NaN', '-99999999999999999999999999999999999999',
  '-0.0001', '-5', '-Infinity', 'Infinity', false, '', '', '', '  x', '', '',
  'infinity', '-infinity', '-infinity', '2000-01-01 00:00:00+14', '00:00:00', '00:00:00-03:30',
  '-1 year -2 months +3 days -04:05:06.000001',
  '00000000-0000-0000-0000-000000000000', '-0.01', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '', '', 'sad', 1, '',
  '[]', 'null', '[1, 2]', '\\x', '(0,0)', '',
  '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
 (3, 0, 0, 9007199254740993, 'Infinity', '0', '0', '0', '-0', '-0', true, '日本語 テキスト', 'x', 'abcdef', 'abcdef', 'n', 'x',
  '5874897-12-31', '2000-02-29', '294276-12-31 23:59:59.999999', '0001-01-01 00:00:00+00 BC', '12:00:00.5', '12:00:00+05:45', '0',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', '0', '0.0.0.0/0', '0.0.0.0/0', '00:00:00:00:00:00', '<x/>', '''quoted'' lexeme', 'ok', 2147483647, 'x',
  '"a string"', '{}', '{}', '\\x0a', '(-1e-07,1e+300)', '"k"=>""',
  '{-1}', '{"multi\\nline"}', '{NULL}', '{NULL}', '{{{1}}}', '{5874897-12-31}', '{"0001-01-01 00:00:00+00 BC"}', '{1e-07}', '{f}'),
 (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`;

/** The plan, written out as a user or `pg2graph plan` would: a contract test of the GraphPlan format. */
const PLAN: GraphPlan = {
  version: 1,
  source: { schemas: ['public'] },
  options: { batchSize: 2, writeMode: 'merge' },
  nodes: [
    {
      id: 'public.edge',
      table: { schema: 'public', name: 'edge' },
      label: 'EdgeValue',
      key: ['id'],
      keySource: 'primaryKey',
      properties: [
        { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
        { column: 'i2', name: 'i2', pgType: 'int2', as: 'integer' },
        { column: 'i4', name: 'i4', pgType: 'int4', as: 'integer' },
        { column: 'i8', name: 'i8', pgType: 'int8', as: 'integer' },
        { column: 'num', name: 'num', pgType: 'numeric', as: 'string' },
        { column: 'num38', name: 'num38', pgType: 'numeric(38,0)', as: 'string' },
        { column: 'numf', name: 'numFloat', pgType: 'numeric(12,4)', as: 'float' },
        { column: 'numi', name: 'numInteger', pgType: 'numeric(12,2)', as: 'integer' },
        { column: 'f4', name: 'f4', pgType: 'float4', as: 'float' },
        { column: 'f8', name: 'f8', pgType: 'float8', as: 'float' },
        { column: 'b', name: 'b', pgType: 'bool', as: 'boolean' },
        { column: 't', name: 'text', pgType: 'text', as: 'string' },
        { column: 'vc', name: 'vc', pgType: 'varchar(20)', as: 'string' },
        { column: 'ch', name: 'ch', pgType: 'bpchar(6)', as: 'string', trim: false },
        { column: 'cht', name: 'chTrimmed', pgType: 'bpchar(6)', as: 'string', trim: true },
        { column: 'nm', name: 'nm', pgType: 'name', as: 'string' },
        { column: 'ci', name: 'ci', pgType: 'citext', as: 'string' },
        { column: 'd', name: 'd', pgType: 'date', as: 'date', infinity: 'string' },
        { column: 'dn', name: 'dNull', pgType: 'date', as: 'date', infinity: 'null' },
        { column: 'ts', name: 'ts', pgType: 'timestamp', as: 'localDateTime', infinity: 'string' },
        { column: 'tstz', name: 'tstz', pgType: 'timestamptz', as: 'dateTime', infinity: 'string' },
        { column: 'tm', name: 'tm', pgType: 'time', as: 'localTime' },
        { column: 'ttz', name: 'ttz', pgType: 'timetz', as: 'time' },
        { column: 'iv', name: 'iv', pgType: 'interval', as: 'duration' },
        { column: 'u', name: 'u', pgType: 'uuid', as: 'string' },
        { column: 'mon', name: 'mon', pgType: 'money', as: 'string' },
        { column: 'ip', name: 'ip', pgType: 'inet', as: 'string' },
        { column: 'cidr_', name: 'cidr', pgType: 'cidr', as: 'string' },
        { column: 'mac', name: 'mac', pgType: 'macaddr', as: 'string' },
        { column: 'x', name: 'x', pgType: 'xml', as: 'string' },
        { column: 'tsv', name: 'tsv', pgType: 'tsvector', as: 'string' },
        { column: 'e', name: 'e', pgType: 'mood', as: 'string' },
        { column: 'dom', name: 'dom', pgType: 'posint', as: 'integer' },
        { column: 'domt', name: 'domt', pgType: 'email', as: 'string' },
        { column: 'j', name: 'j', pgType: 'json', as: 'string' },
        { column: 'jb', name: 'jb', pgType: 'jsonb', as: 'string' },
        { column: 'jf', name: 'jf', pgType: 'jsonb', as: 'flatten' },
        { column: 'by', name: 'bytes', pgType: 'bytea', as: 'bytes' },
        { column: 'pt', name: 'pt', pgType: 'point', as: 'point' },
        { column: 'h', name: 'h', pgType: 'hstore', as: 'string' },
        { column: 'ai', name: 'ai', pgType: 'int8[]', as: 'list<integer>', nullElements: 'error', multiDimensional: 'error' },
        { column: 'at', name: 'at', pgType: 'text[]', as: 'list<string>', nullElements: 'error', multiDimensional: 'error' },
        { column: 'an', name: 'an', pgType: 'int4[]', as: 'list<integer>', nullElements: 'drop', multiDimensional: 'error' },
        { column: 'aj', name: 'aj', pgType: 'int4[]', as: 'list<integer>', nullElements: 'json', multiDimensional: 'error' },
        { column: 'a2', name: 'a2', pgType: 'int4[]', as: 'list<integer>', nullElements: 'error', multiDimensional: 'json' },
        { column: 'ad', name: 'ad', pgType: 'date[]', as: 'list<date>', nullElements: 'error', multiDimensional: 'error', infinity: 'string' },
        { column: 'ats', name: 'ats', pgType: 'timestamptz[]', as: 'list<dateTime>', nullElements: 'error', multiDimensional: 'error', infinity: 'string' },
        { column: 'af', name: 'af', pgType: 'float8[]', as: 'list<float>', nullElements: 'error', multiDimensional: 'error' },
        { column: 'ab', name: 'ab', pgType: 'bool[]', as: 'list<boolean>', nullElements: 'error', multiDimensional: 'error' },
      ],
      warnings: [],
    },
  ],
  relationships: [],
};

/**
 * How each property is compared. The expected text is what Postgres prints for the cell, or for an
 * expression over it where the plan's policy transforms the value (computed by Postgres, not by the test).
 */
type Check = 'text' | 'float' | 'point' | 'list' | 'listFloat' | 'json' | 'jsonOrList' | 'flatten';
const CHECKS: Record<string, { check: Check; expected?: string }> = {
  numf: { check: 'float', expected: 'numf::float8::text' },
  numi: { check: 'text', expected: 'numi::int8::text' },
  f4: { check: 'float' },
  f8: { check: 'float' },
  cht: { check: 'text', expected: 'rtrim(cht::text)' },
  dn: { check: 'text', expected: 'CASE WHEN isfinite(dn) THEN dn::text END' },
  jf: { check: 'flatten' },
  pt: { check: 'point', expected: `pt[0]::text || ' ' || pt[1]::text` },
  h: { check: 'json', expected: 'hstore_to_json(h)::text' },
  ai: { check: 'list' },
  at: { check: 'list' },
  ad: { check: 'list' },
  ats: { check: 'list' },
  ab: { check: 'list' },
  an: { check: 'list', expected: 'array_remove(an, NULL)' },
  af: { check: 'listFloat' },
  // the "json" policies turn only the arrays they are about (with NULLs / with 2+ dimensions) into JSON text
  aj: { check: 'jsonOrList', expected: 'array_to_json(aj)::text' },
  a2: { check: 'jsonOrList', expected: 'array_to_json(a2)::text' },
};

const PINNED = `SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET bytea_output = 'hex'`;
const TEXT = { getTypeParser: () => (v: string) => v };

async function expectedCells(db: ScratchDatabase): Promise<Map<number, Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(PINNED);
    const entry = PLAN.nodes[0];
    const select = entry.properties.map((p) => {
      const spec = CHECKS[p.column];
      const expression = spec?.expected ?? pg.escapeIdentifier(p.column);
      if (spec?.check === 'list' || spec?.check === 'listFloat') {
        // every element as Postgres prints it (format %s uses the type's output function), in order
        return `CASE WHEN ${pg.escapeIdentifier(p.column)} IS NULL THEN NULL ELSE coalesce((SELECT json_agg(CASE WHEN e IS NOT NULL THEN format('%s', e) END ORDER BY o) FROM unnest(${expression}) WITH ORDINALITY u(e, o)), '[]') END AS ${pg.escapeIdentifier(p.column)}`;
      }
      // plain columns come back as Postgres prints them (its output function; a ::text cast could differ, e.g. bool)
      return `${spec?.expected ? `(${expression})::text` : expression} AS ${pg.escapeIdentifier(p.column)}`;
    });
    select.push(
      `CASE WHEN jsonb_typeof(jf) = 'object' THEN coalesce((SELECT json_agg(json_build_array(key, value::text, jsonb_typeof(value))) FROM jsonb_each(jf)), '[]') END::text AS jf_members`,
    );
    const result = await client.query({ text: `SELECT ${select.join(', ')} FROM edge ORDER BY id`, types: TEXT });
    return new Map(result.rows.map((row) => [Number(row.id), row]));
  } finally {
    await client.end();
  }
}

async function writeWithUnwind(driver: Driver, batch: NodeBatch): Promise<void> {
  const tick = (name: string) => `\`${name.replace(/`/g, '``')}\``;
  const label = batch.labels.map(tick).join(':');
  const sets = batch.columns
    .slice(1)
    .map((name, i) => `n.${tick(name)} = r[${i + 1}]`)
    .join(', ');
  await driver.executeQuery(`UNWIND $rows AS r MERGE (n:${label} {${tick(batch.columns[0])}: r[0]}) SET ${sets}`, { rows: batch.rows });
}

describe('edge values: Postgres -> read -> shape -> Neo4j -> back', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let connection: PostgresConnection;

  before(async () => {
    db = await createScratchDatabase('edge');
    await db.query(DDL);
    driver = testDriver();
    await clearGraph(driver);
    connection = new PostgresConnection({ connectionString: db.url });
  });
  after(async () => {
    await connection.close();
    await driver.close();
    await db.drop();
  });

  it('every value of every type survives the round trip exactly', async () => {
    const run = new PlanRun(connection, { plan: PLAN, maxUnacknowledged: 2 });
    let work = Promise.resolve();
    const result = await run.start((batch) => {
      work = work.then(async () => {
        try {
          const nodes = await shapeNodes(batch.entry as NodeEntry, batch.rows, { onInvalid: 'fail' });
          assert.deepEqual(nodes.columns.slice(0, 1), ['id'], 'the key property comes first');
          await writeWithUnwind(driver, nodes);
          run.acknowledge({ run: run.id, seq: nodes.batch.seq, entry: nodes.batch.entry, ok: true });
        } catch (error) {
          run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: false, error: { code: 'TEST', message: String((error as Error).stack) } });
        }
      });
    });
    assert.equal(result.rows, 4);
    assert.equal(result.entries['public.edge'].batches, 2);

    const expected = await expectedCells(db);
    const back = await driver.executeQuery('MATCH (n:EdgeValue) RETURN n.id AS id, properties(n) AS p ORDER BY n.id');
    assert.equal(back.records.length, 4);
    let compared = 0;
    for (const record of back.records) {
      const id = Number(record.get('id'));
      const props = record.get('p') as Record<string, unknown>;
      const pgRow = expected.get(id) as Record<string, string | null>;
      const seen = new Set<string>();
      for (const p of PLAN.nodes[0].properties) {
        const where = `row ${id}, column ${p.column} (${p.pgType} as ${p.as})`;
        const cell = pgRow[p.column];
        const check = CHECKS[p.column]?.check ?? 'text';
        const value = props[p.name];
        seen.add(p.name);
        compared++;
        if (check === 'flatten') {
          const members = pgRow.jf_members === null ? [] : (JSON.parse(pgRow.jf_members as string) as Array<[string, string, string]>);
          if (cell === null) assert.equal(value, undefined, where);
          else if (pgRow.jf_members === null) assert.equal(value, cell, `${where}: a non-object stays JSON text`);
          else assert.equal(value, undefined, `${where}: an object has no property of its own`);
          for (const [key, text, type] of members) {
            const member = props[`${p.name}_${key}`];
            seen.add(`${p.name}_${key}`);
            const at = `${where}, member ${key}`;
            if (type === 'null') assert.equal(member, undefined, at);
            else if (type === 'string') assert.equal(member, JSON.parse(text), at);
            else if (type === 'number' && /^-?\d+$/.test(text)) assert.equal(pgText(member), text, at);
            else if (type === 'number') assert.ok(sameFloat(text, member), at);
            else if (type === 'boolean') assert.equal(String(member), text, at);
            else assert.equal(member, text, `${at}: nested JSON keeps its text`);
          }
          continue;
        }
        if (cell === null) {
          assert.equal(value, undefined, `${where}: NULL means the property is absent`);
          continue;
        }
        assert.notEqual(value, undefined, `${where}: property missing`);
        switch (check) {
          case 'float':
            assert.ok(sameFloat(cell, value), `${where}: ${cell} vs ${String(value)}`);
            break;
          case 'point': {
            const [x, y] = cell.split(' ');
            const point = value as Point;
            assert.ok(neo4j.isPoint(point), where);
            assert.equal(Number(point.srid), 7203, where);
            assert.ok(sameFloat(x, point.x) && sameFloat(y, point.y), `${where}: ${cell} vs ${point.x},${point.y}`);
            break;
          }
          case 'list':
          case 'listFloat': {
            const elements = JSON.parse(cell) as string[];
            assert.ok(Array.isArray(value), `${where}: a list`);
            const list = value as unknown[];
            assert.equal(list.length, elements.length, `${where}: length`);
            elements.forEach((e, i) => {
              if (check === 'listFloat') assert.ok(sameFloat(e, list[i]), `${where}[${i}]: ${e} vs ${String(list[i])}`);
              else assert.equal(pgText(list[i]), e, `${where}[${i}]`);
            });
            break;
          }
          case 'json':
            assert.deepEqual(JSON.parse(value as string), JSON.parse(cell), where);
            break;
          case 'jsonOrList': {
            const json = JSON.parse(cell) as unknown[];
            const special = json.some((e) => e === null || Array.isArray(e));
            if (special) assert.deepEqual(JSON.parse(value as string), json, `${where}: JSON text`);
            else assert.deepEqual((value as unknown[]).map(pgText), json.map(String), `${where}: a list`);
            break;
          }
          default:
            assert.equal(pgText(value), cell, where);
        }
      }
      for (const name of Object.keys(props)) assert.ok(seen.has(name), `row ${id}: unexpected property ${name}`);
    }
    assert.ok(compared >= 4 * 49, `compared ${compared} cells`);
  });

  describe('values a rule cannot hold: clear errors naming entry, column, row key and value', () => {
    const cases: Array<{ title: string; type: string; value: string; property: Partial<NodeEntry['properties'][number]>; message: RegExp }> = [
      {
        title: 'a numeric with a fraction under the integer policy',
        type: 'numeric(8,2)',
        value: '12.50',
        property: { pgType: 'numeric(8,2)', as: 'integer' },
        message: /fraction.*"12\.50"/,
      },
      { title: 'time 24:00:00 as LocalTime', type: 'time', value: '24:00:00', property: { pgType: 'time', as: 'localTime' }, message: /24:00:00/ },
      {
        title: 'an array with NULL elements (default policy)',
        type: 'int4[]',
        value: '{1,NULL}',
        property: { pgType: 'int4[]', as: 'list<integer>' },
        message: /NULL elements/,
      },
      {
        title: 'a 2-D array (default policy)',
        type: 'int4[]',
        value: '{{1},{2}}',
        property: { pgType: 'int4[]', as: 'list<integer>' },
        message: /multi-dimensional/,
      },
      {
        title: 'an infinite date under infinity "error"',
        type: 'date',
        value: 'infinity',
        property: { pgType: 'date', as: 'date', infinity: 'error' },
        message: /infinite date/,
      },
    ];
    for (const bad of cases) {
      it(bad.title, async () => {
        await db
          .query(`DROP TABLE IF EXISTS bad; CREATE TABLE bad (id int8 PRIMARY KEY, v ${bad.type}); INSERT INTO bad VALUES (7, $1)`, [bad.value])
          .catch(async () => {
            await db.query(`DROP TABLE IF EXISTS bad; CREATE TABLE bad (id int8 PRIMARY KEY, v ${bad.type})`);
            await db.query('INSERT INTO bad VALUES (7, $1)', [bad.value]);
          });
        const entry: NodeEntry = {
          id: 'public.bad',
          table: { schema: 'public', name: 'bad' },
          label: 'Bad',
          key: ['id'],
          properties: [
            { column: 'id', name: 'id', pgType: 'int8', as: 'integer' },
            { column: 'v', name: 'v', ...bad.property } as NodeEntry['properties'][number],
          ],
          warnings: [],
        };
        const plan: GraphPlan = { ...PLAN, nodes: [entry] };
        // the shaper's own refusal (onInvalid "fail"), behind the preflight that would refuse this plan first
        const run = new PlanRun(connection, { plan, preflight: false });
        let failure: unknown;
        await run
          .start((batch) => {
            shapeNodes(entry, batch.rows, { onInvalid: 'fail' }).then(
              () => run.acknowledge({ run: run.id, seq: batch.rows.batch.seq, ok: true }),
              (error) => {
                failure = error;
                run.acknowledge({
                  run: run.id,
                  seq: batch.rows.batch.seq,
                  ok: false,
                  error: { code: (error as Pg2GraphError).code, message: (error as Error).message },
                });
              },
            );
          })
          .catch(() => undefined);
        assert.ok(failure instanceof Pg2GraphError, 'shaping failed with a typed error');
        assert.equal(failure.code, 'VALUE_INVALID');
        assert.match(failure.message, /entry "public\.bad"/);
        assert.match(failure.message, /column "v"/);
        assert.match(failure.message, /\["7"\]/, 'names the row key');
        assert.match(failure.message, bad.message);
      });
    }
  });
});
