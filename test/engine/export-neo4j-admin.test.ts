/**
 * The neo4j-admin export proven by loading: the sample database and a table of hard values (with composite text
 * keys that would collide if glued) exported by exportPlan(), imported by the real `neo4j-admin database import
 * full` into a fresh home, Neo4j started on that home, constraints.cypher run, and then the engine's verify
 * passes and the graph equals, node for node and property for property, the one the online writer makes of
 * the same plan. Values the format cannot hold are refused by name before the set is complete.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { type ExportResult } from '../../dist/engine/migrate/export';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { graphSnapshot } from './write-batches';
import { exportTo, onlineSnapshot, planOf, verifyClean } from '../support/export-proof';
import { pg2graph } from '../support/cli';
import { importAndStart, runNeo4jImport } from '../support/neo4j-admin-load';
import { trapsDatabase } from '../support/value-traps';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createWorkload } = require('../../scripts/bench/workloads') as { createWorkload(name: string, url: string): Promise<unknown> };

/** Every kind of value the format holds, at its edges; composite text keys that a glued ID would confuse. */
const HARD_SQL = `
CREATE TABLE hard (
  id int8 PRIMARY KEY, i2 int2, i4 int4, num numeric, f4 float4, f8 float8, b bool, t text, ch char(6),
  d date, ts timestamp, tstz timestamptz, tm time, ttz timetz, iv interval, u uuid, j jsonb, by bytea, pt point,
  ai int8[], at text[], ad date[], af float8[], ab bool[]
);
INSERT INTO hard VALUES
 (9223372036854775807, 32767, 2147483647, '123456789012345678901234567890.5', '3.4028235e+38', 'NaN', true,
  E'quote \\' and "double", back\\\\slash, comma, new\\nline, cr\\r, tab\\t, emoji \\U0001F680', 'ab',
  '0044-03-15 BC', '2024-02-29 23:59:59.999999', '2024-06-01 12:00:00.123456+05:30', '23:59:59.999999', '23:59:59.999999+14',
  '1 year 2 months 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1, "a": [1, 2.50]}', '\\x00ff7f80', '(1.5,-2.25)',
  '{1,9223372036854775807,-9223372036854775808}', '{"with \\"quote\\"","back\\\\slash","","NULL","a,b;c"," padded "}',
  '{2020-01-01,"0001-01-01 BC"}', '{1.5,NaN,-Infinity,-0,1e-300}', '{t,f}'),
 (-9223372036854775808, -32768, -2147483648, '-0.0001', '-Infinity', 'Infinity', false, '', '  x',
  '5874897-12-31', '294276-12-31 23:59:59.999999', '0001-01-01 00:00:00+00 BC', '00:00:00', '00:00:00-03:30',
  '-1 year -2 months +3 days -04:05:06.000001', '00000000-0000-0000-0000-000000000000', '[]', '\\x0a', '(-1e-07,1e+300)',
  '{-1}', '{"",""}', '{5874897-12-31}', '{}', '{f}'),
 (3, 0, 0, 'NaN', '-0', '-0', true, ' ', 'abcdef', '2000-02-29', '2000-01-01 00:00:00', '2000-01-01 00:00:00+14', '12:00:00.5',
  '12:00:00+05:45', '0', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'null', '\\x7f', '(0,0)', '{0}', '{x}', '{2000-01-01}', '{0.1}', '{t}'),
 (0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE pair (a text, b text, note text, PRIMARY KEY (a, b));
INSERT INTO pair VALUES ('a', 'a11', 'first'), ('aa', '11', 'second'), ('x"y', 'z,w', E'multi\\nline'), ('', ' ', 'empty and a space');
CREATE TABLE word (w text PRIMARY KEY, n int);
INSERT INTO word VALUES ('', 1), (' ', 2), ('"quoted"', 3), ('semi;colon', 4);
CREATE TABLE pair_link (
  id int PRIMARY KEY, a text, b text, hard_id int8 REFERENCES hard, w text REFERENCES word,
  FOREIGN KEY (a, b) REFERENCES pair
);
INSERT INTO pair_link VALUES (1, 'a', 'a11', 9223372036854775807, ''), (2, 'aa', '11', 0, ' '), (3, '', ' ', NULL, '"quoted"'), (4, NULL, NULL, -9223372036854775808, NULL);
CREATE TABLE nothing (id int PRIMARY KEY);
CREATE TABLE lists (id int PRIMARY KEY, tags text[]);
INSERT INTO lists VALUES (1, '{a}'), (2, '{""}');
`;

const log = (line: string) => process.stderr.write(`      ${line}\n`);

async function constraintNames(driver: Driver): Promise<string[]> {
  const result = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name');
  return result.records.map((r) => r.get('name') as string);
}

describe('neo4j-admin export, loaded by the real import tool', function () {
  this.timeout(900_000);
  const dirs: string[] = [];
  const homes: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of [...dirs, ...homes]) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the sample database', () => {
    let db: SampleDatabase;
    before(async () => {
      db = await createSampleDatabase('admin-sample');
    });
    after(async () => {
      await db?.drop();
    });

    it('pg2graph export, the import, the constraints: pg2graph verify passes and the graph equals the online one', async () => {
      const dir = tempDir('pg2graph-admin-sample-');
      const planFile = path.join(tempDir('pg2graph-admin-plan-'), 'plan.json');
      fs.writeFileSync(planFile, JSON.stringify(db.plan));
      const started = Date.now();
      const run = await pg2graph(['export', '--pg', db.url, '--plan', planFile, '--format', 'neo4j-admin', '--out', dir, '--gzip', '--json'], {}, 300_000);
      assert.equal(run.code, 0, run.stderr);
      log(`pg2graph export: ${Date.now() - started} ms`);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ExportResult['manifest'];
      assert.equal(manifest.complete, true);
      assert.equal(manifest.format, 'neo4j-admin');
      assert.ok(manifest.importArgs?.includes('--array-delimiter=U+001F'));
      for (const arg of manifest.importArgs!.filter((a) => /^--(nodes|relationships)=/.test(a))) {
        for (const file of arg.replace(/^--\w+=/, '').split(',')) assert.ok(fs.existsSync(path.join(dir, file)), `${file} exists`);
      }
      assert.ok(fs.readFileSync(path.join(dir, 'IMPORT.md'), 'utf8').includes(`neo4j-admin database import full neo4j ${manifest.importArgs![0]}`));
      const loaded = await importAndStart(dir, manifest.importArgs!, homes);
      try {
        const expected = await expectedCounts(db, db.plan);
        for (const [label, count] of Object.entries(expected.nodes)) {
          const found = await loaded.driver.executeQuery(`MATCH (n:\`${label}\`) RETURN count(n) AS n`);
          assert.equal(found.records[0].get('n').toNumber(), count, `nodes labelled ${label}`);
        }
        assert.equal((await constraintNames(loaded.driver)).length, db.plan.nodes.length);
        const verified = await pg2graph(
          ['verify', '--pg', db.url, '--plan', planFile, '--json'],
          { NEO4J_URI: loaded.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '' },
          300_000,
        );
        assert.equal(verified.code, 0, `${verified.stdout}\n${verified.stderr}`);
        assert.equal(JSON.parse(verified.stdout).ok, true);
        const offline = await graphSnapshot(loaded.driver);
        const online = await onlineSnapshot(db, db.plan, log);
        assert.equal(offline.nodes.length, online.nodes.length);
        assert.deepEqual(offline.nodes, online.nodes);
        assert.deepEqual(offline.relationships, online.relationships);
      } finally {
        await loaded.stop();
      }
    });
  });

  describe('hard values and composite keys', () => {
    let db: ScratchDatabase;
    let plan: GraphPlan;
    before(async () => {
      db = await createScratchDatabase('admin-hard');
      await db.query(HARD_SQL);
      const all = await planOf(db, 'public');
      plan = { ...all, nodes: all.nodes.filter((n) => n.id !== 'public.lists') };
    });
    after(async () => {
      await db?.drop();
    });

    it('imports every value exactly (verify passes, the graph equals the online one), with --multiline-fields for line breaks', async () => {
      const dir = tempDir('pg2graph-admin-hard-');
      const exported = await exportTo(db, plan, dir, 'neo4j-admin', true);
      const args = exported.manifest.importArgs!;
      assert.ok(args.includes('--multiline-fields=true'), args.join(' '));
      assert.ok(fs.existsSync(path.join(dir, 'after-import.cypher')), 'row 2 holds an empty list');
      assert.ok(
        args.some((a) => a.startsWith('--nodes=nodes/public.nothing.header.csv')),
        args.join(' '),
      );
      const loaded = await importAndStart(dir, args, homes);
      try {
        await verifyClean(db, loaded.target, plan);
        const pairs = await loaded.driver.executeQuery('MATCH (p:Pair) RETURN p.a AS a, p.b AS b, keys(p) AS keys ORDER BY a, b');
        assert.deepEqual(
          pairs.records.map((r) => [r.get('a'), r.get('b')]),
          [
            ['', ' '],
            ['a', 'a11'],
            ['aa', '11'],
            ['x"y', 'z,w'],
          ],
        );
        for (const record of pairs.records) assert.deepEqual([...record.get('keys')].sort(), ['a', 'b', 'note'], 'no property beyond the plan');
        const links = await loaded.driver.executeQuery('MATCH (p:Pair)<-[]-(l:PairLink) RETURN l.id AS id, p.a AS a, p.b AS b ORDER BY id');
        assert.deepEqual(
          links.records.map((r) => [r.get('id').toNumber(), r.get('a'), r.get('b')]),
          [
            [1, 'a', 'a11'],
            [2, 'aa', '11'],
            [3, '', ' '],
          ],
        );
        const hard = await loaded.driver.executeQuery('MATCH (h:Hard {id: $id}) RETURN h', { id: neo4j.int(3) });
        const props = hard.records[0].get('h').properties;
        assert.ok(Object.is(props.f8, -0) && Object.is(props.f4, -0), 'floats keep -0');
        const empty = await loaded.driver.executeQuery('MATCH (h:Hard) WHERE h.af = [] RETURN h.id AS id');
        assert.deepEqual(
          empty.records.map((r) => r.get('id').toString()),
          ['-9223372036854775808'],
        );
        const offline = await graphSnapshot(loaded.driver);
        const online = await onlineSnapshot(db, plan, log);
        assert.deepEqual(offline.nodes, online.nodes);
        assert.deepEqual(offline.relationships, online.relationships);
      } finally {
        await loaded.stop();
      }
    });

    it('a failed import says so: the runner hands back the non-zero exit code and the tool output', async () => {
      const dir = tempDir('pg2graph-admin-bad-');
      fs.mkdirSync(path.join(dir, 'nodes'));
      fs.writeFileSync(path.join(dir, 'nodes', 'x.header.csv'), ':ID(x),:LABEL,n:long\n');
      fs.writeFileSync(path.join(dir, 'nodes', 'x.part-000001.csv'), '1,X,1\n1,X,2\n');
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-admin-home-'));
      homes.push(home);
      const result = await runNeo4jImport({ home, dir, args: ['--nodes=nodes/x.header.csv,nodes/x.part-000001.csv'] });
      assert.notEqual(result.code, 0, result.output.slice(-2000));
      assert.equal(result.timedOut, false);
      assert.match(result.output, /IMPORT FAILED/, result.output.slice(-2000));
    });

    it('refuses a list holding only the empty string by name (the tool would read it as no property), leaving the set incomplete', async () => {
      const all = await planOf(db, 'public');
      const lists = { ...all, nodes: all.nodes.filter((n) => n.id === 'public.lists'), relationships: [] };
      const dir = tempDir('pg2graph-admin-lists-');
      await assert.rejects(exportTo(db, lists, dir, 'neo4j-admin', true), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'EXPORT_VALUE_REFUSED', error.message);
        assert.match(error.message, /entry "public\.lists".*key \[2\].*property "tags" holds a list holding only an empty string/);
        return true;
      });
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      assert.equal(manifest.complete, false);
      assert.equal(fs.existsSync(path.join(dir, 'IMPORT.md')), false);
    });
  });
  describe('pgbench scale 1', () => {
    let db: ScratchDatabase;
    before(async () => {
      db = await createScratchDatabase('admin-pgbench');
      await createWorkload('pgbench-1', db.url);
    });
    after(async () => {
      await db?.drop();
    });

    it('exports, imports and verifies (100,000 accounts with their branch relationships)', async () => {
      const plan = await planOf(db, 'public');
      const dir = tempDir('pg2graph-admin-pgbench-');
      const started = Date.now();
      const exported = await exportTo(db, plan, dir, 'neo4j-admin', true);
      const rows = exported.manifest.files.reduce((sum, f) => sum + f.rows, 0);
      log(`export: ${Date.now() - started} ms, ${rows} rows in ${exported.manifest.files.length} files`);
      const loaded = await importAndStart(dir, exported.manifest.importArgs!, homes);
      try {
        const accounts = await loaded.driver.executeQuery('MATCH (a:PgbenchAccount)-[]->(b:PgbenchBranch) RETURN count(a) AS n');
        assert.equal(accounts.records[0].get('n').toNumber(), 100_000);
        await verifyClean(db, loaded.target, plan);
      } finally {
        await loaded.stop();
      }
    });
  });
  describe('the value-traps database, planned by pg2graph plan (which probes for lossless policies)', () => {
    let db: ScratchDatabase;
    before(async () => {
      db = await trapsDatabase('admin-traps');
    });
    after(async () => {
      await db?.drop();
    });

    it('exports, imports and passes pg2graph verify', async () => {
      const planned = await pg2graph(['plan', '--pg', db.url], {}, 120_000);
      assert.equal(planned.code, 0, planned.stderr);
      const planFile = path.join(tempDir('pg2graph-admin-traps-plan-'), 'plan.json');
      fs.writeFileSync(planFile, planned.stdout);
      const dir = tempDir('pg2graph-admin-traps-');
      const run = await pg2graph(['export', '--pg', db.url, '--plan', planFile, '--format', 'neo4j-admin', '--out', dir, '--gzip'], {}, 120_000);
      assert.equal(run.code, 0, run.stderr);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ExportResult['manifest'];
      assert.ok(fs.existsSync(path.join(dir, 'after-import.cypher')), 'infinity dates and JSON lists wait for after-import.cypher');
      const loaded = await importAndStart(dir, manifest.importArgs!, homes);
      try {
        const texts = await loaded.driver.executeQuery('MATCH (t:Trap) RETURN t.id AS id, t.due AS due, t.tags AS tags ORDER BY id');
        // a Date where the row has one, the text the infinity and nullElements policies give where it has not
        assert.deepEqual(
          texts.records.map((r) => [String(r.get('id')), r.get('due') === null ? null : String(r.get('due')), typeof r.get('due'), r.get('tags')]),
          [
            ['1', '2020-01-01', 'object', ['a', 'b']],
            ['2', 'infinity', 'string', '["a",null]'],
            ['3', '-infinity', 'string', '[null]'],
            ['4', null, 'object', ['NULL']],
            ['5', null, 'object', null],
          ],
        );
        const verified = await pg2graph(
          ['verify', '--pg', db.url, '--plan', planFile, '--json'],
          { NEO4J_URI: loaded.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '' },
          120_000,
        );
        assert.equal(verified.code, 0, `${verified.stdout}\n${verified.stderr}`);
        assert.equal(JSON.parse(verified.stdout).ok, true);
      } finally {
        await loaded.stop();
      }
    });
  });
});
