/**
 * The load-csv export proven by loading it through the real LOAD CSV: a Neo4j of the test's own whose import
 * directory is the tests' export root (and which refuses a file outside it), every statement of load.cypher run
 * in an auto-commit transaction, then verify passes and the graph equals, property for property, the one the
 * online writer makes of the same plan: the sample database (through `pg2graph export` and `pg2graph verify`),
 * a table of hard values, the value-traps database planned by `pg2graph plan`, and hand-made batches of every
 * kind at its edges. A second run of load.cypher changes nothing. Rules and values the format cannot hold are
 * refused by name.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { type ExportResult } from '../../dist/engine/migrate/export';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import type { GraphPlan, NodeEntry } from '../../dist/engine/plan/types';
import { clearGraph, createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { trapsDatabase } from '../support/value-traps';
import { graphSnapshot } from './write-batches';
import { exportTo, onlineSnapshot, planOf, verifyClean } from '../support/export-proof';
import { pg2graph } from '../support/cli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNeo4j } = require('../../scripts/lib/neo4j-server') as {
  startNeo4j(options: { auth: boolean; importDir: string; log?: (line: string) => void }): Promise<{ uri: string; home: string; stop(): Promise<void> }>;
};

/** Every kind of value at its edges (bytea left to "string": Cypher cannot make a byte array), composite text keys, backslashes. */
const HARD_SQL = `
CREATE TABLE hard (
  id int8 PRIMARY KEY, i2 int2, num numeric, f4 float4, f8 float8, b bool, t text, ch char(6),
  d date, ts timestamp, tstz timestamptz, tm time, ttz timetz, iv interval, j jsonb, by bytea, pt point,
  ai int8[], at text[], ad date[], af float8[], ab bool[], ats timestamptz[], aiv interval[], ap point[]
);
INSERT INTO hard VALUES
 (9223372036854775807, 32767, '123456789012345678901234567890.5', '3.4028235e+38', 'NaN', true,
  E'quote \\' and "double", back\\\\slash\\\\, \\\\"x, comma, new\\nline, cr\\r, tab\\t, emoji \\U0001F680, pipe | semi ;', 'ab',
  '0044-03-15 BC', '2024-02-29 23:59:59.999999', '2024-06-01 12:00:00.123456+05:30', '23:59:59.999999', '23:59:59.999999+14',
  '1 year 2 months 3 days 04:05:06.789', '{"b": 1, "a": [1, 2.50]}', '\\x00ff7f80', '(1.5,-2.25)',
  '{1,9223372036854775807,-9223372036854775808}', '{"with \\"quote\\"","back\\\\slash","","NULL","a,b;c|d"," padded ","[bracket"}',
  '{2020-01-01,"0001-01-01 BC"}', '{1.5,NaN,-Infinity,-0,1e-300}', '{t,f}', '{"2020-01-01 00:00:00.000001+00"}', '{"-1 day -00:00:00.000001"}', '{"(1,2)","(-0.5,1e+300)"}'),
 (-9223372036854775808, -32768, '-0.0001', '-Infinity', 'Infinity', false, '', '  x',
  '5874897-12-31', '294276-12-31 23:59:59.999999', '0001-01-01 00:00:00+00 BC', '00:00:00', '00:00:00-03:30',
  '-1 year -2 months +3 days -04:05:06.000001', '[]', '\\x0a', '(-1e-07,1e+300)',
  '{}', '{""}', '{5874897-12-31}', '{}', '{f}', '{}', '{}', '{}'),
 (3, 0, 'NaN', '-0', '-0', true, E'ends in a backslash \\\\', 'abcdef', 'infinity', '-infinity', 'infinity', '12:00:00.5',
  '12:00:00+05:45', '0', 'null', '\\x7f', '(0,0)', '{0}', '{"",""}', '{2000-01-01}', '{0.1}', '{t}', NULL, NULL, NULL),
 (0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE pair (a text, b text, note text, PRIMARY KEY (a, b));
INSERT INTO pair VALUES ('a', 'a11', 'first'), ('aa', '11', 'second'), ('x"y', 'z,w', E'multi\\nline'), ('', ' ', 'empty and a space'), (E'back\\\\', E'\\\\"', 'backslashes');
CREATE TABLE word (w text PRIMARY KEY, n int);
INSERT INTO word VALUES ('', 1), (' ', 2), ('"quoted"', 3), ('semi;colon', 4);
CREATE TABLE pair_link (
  id int PRIMARY KEY, a text, b text, hard_id int8 REFERENCES hard, w text REFERENCES word,
  FOREIGN KEY (a, b) REFERENCES pair
);
INSERT INTO pair_link VALUES (1, 'a', 'a11', 9223372036854775807, ''), (2, 'aa', '11', 0, ' '), (3, '', ' ', NULL, '"quoted"'), (4, NULL, NULL, -9223372036854775808, NULL), (5, E'back\\\\', E'\\\\"', 3, 'semi;colon');
CREATE TABLE nothing (id int PRIMARY KEY);
`;

const log = (line: string) => process.stderr.write(`      ${line}\n`);

/** load.cypher's statements, URLs prefixed with the set's directory under the import root (as IMPORT.md says). */
export function loadStatementsOf(dir: string, sub: string): string[] {
  const script = fs.readFileSync(path.join(dir, 'load.cypher'), 'utf8');
  return script
    .split(/;\n(?:\n|$)/)
    .filter((s) => s.trim())
    .map((s) => s.replace(/FROM 'file:\/\/\//g, `FROM 'file:///${sub}/`));
}

/** Every statement in its own auto-commit transaction (CALL IN TRANSACTIONS needs one); returns the time taken. */
async function runStatements(driver: Driver, statements: string[]): Promise<number> {
  const started = Date.now();
  const session = driver.session();
  try {
    for (const statement of statements) {
      const result = await session.run(statement);
      const deprecations = result.summary.notifications.filter((n) => /deprecat/i.test(`${n.title} ${n.description}`));
      assert.deepEqual(deprecations, [], statement);
    }
  } finally {
    await session.close();
  }
  return Date.now() - started;
}

describe('load-csv export, loaded by the real LOAD CSV', function () {
  this.timeout(900_000);
  let root: string;
  let outside: string;
  let server: Awaited<ReturnType<typeof startNeo4j>>;
  let driver: Driver;
  let target: Neo4jConnection;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-loadcsv-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-loadcsv-outside-'));
    server = await startNeo4j({ auth: false, importDir: root, log: () => undefined });
    driver = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', ''));
    target = new Neo4jConnection({ uri: server.uri, user: 'neo4j', password: '' });
  });
  after(async () => {
    await Promise.allSettled([driver?.close(), target?.close()]);
    await server?.stop();
    for (const dir of [root, outside]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (driver) await clearGraph(driver);
  });

  it('the test server reads LOAD CSV files under its import directory only', async () => {
    fs.writeFileSync(path.join(root, 'inside.csv'), 'a\n1\n');
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'a\nsecret\n');
    const inside = await driver.executeQuery("LOAD CSV WITH HEADERS FROM 'file:///inside.csv' AS row RETURN row.a AS a");
    assert.deepEqual(
      inside.records.map((r) => r.get('a')),
      ['1'],
    );
    for (const url of [`file://${outside}/secret.csv`, `file:///../${path.basename(outside)}/secret.csv`]) {
      await assert.rejects(driver.executeQuery(`LOAD CSV FROM '${url}' AS row RETURN row`), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'Neo.ClientError.Statement.ExternalResourceFailed', `${url}: ${error.message}`);
        return true;
      });
    }
  });

  describe('the sample database', () => {
    let db: SampleDatabase;
    before(async () => {
      db = await createSampleDatabase('loadcsv-sample');
    });
    after(async () => {
      await db?.drop();
    });

    it('pg2graph export --format load-csv --gzip, load.cypher: pg2graph verify passes, the graph equals the online one, a second run changes nothing', async () => {
      const dir = path.join(root, 'sample');
      const planFile = path.join(outside, 'sample-plan.json');
      fs.writeFileSync(planFile, JSON.stringify(db.plan));
      const started = Date.now();
      const run = await pg2graph(['export', '--pg', db.url, '--plan', planFile, '--format', 'load-csv', '--out', dir, '--gzip', '--json'], {}, 300_000);
      assert.equal(run.code, 0, run.stderr);
      log(`pg2graph export: ${Date.now() - started} ms`);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ExportResult['manifest'];
      assert.equal(manifest.complete, true);
      assert.equal(manifest.format, 'load-csv');
      assert.ok(manifest.files.every((f) => f.path.endsWith('.csv.gz')));
      assert.match(fs.readFileSync(path.join(dir, 'IMPORT.md'), 'utf8'), /cypher-shell .* -f load\.cypher/);
      const statements = loadStatementsOf(dir, 'sample');
      const loads = statements.filter((s) => s.startsWith('LOAD CSV'));
      assert.equal(loads.length, manifest.files.length, 'one LOAD CSV per part');
      const ms = await runStatements(driver, statements);
      const rows = manifest.files.reduce((sum, f) => sum + f.rows, 0);
      log(`load.cypher: ${statements.length} statements, ${rows} rows in ${ms} ms`);
      for (const statement of loads.filter((s) => s.includes('MATCH (a'))) {
        // the ends are found through the key constraints (an index seek), never by scanning a label
        const explained = await driver.executeQuery(`EXPLAIN ${statement.replace(/\} IN TRANSACTIONS OF \d+ ROWS$/, '}')}`);
        const operators = (JSON.stringify(explained.summary.plan).match(/"operatorType":"[^"]+"/g) ?? []).join(' ');
        assert.doesNotMatch(operators, /LabelScan|AllNodesScan/, statement);
        assert.match(operators, /IndexSeek/, statement);
      }
      const expected = await expectedCounts(db, db.plan);
      for (const [label, count] of Object.entries(expected.nodes)) {
        const found = await driver.executeQuery(`MATCH (n:\`${label}\`) RETURN count(n) AS n`);
        assert.equal(found.records[0].get('n').toNumber(), count, `nodes labelled ${label}`);
      }
      const verified = await pg2graph(
        ['verify', '--pg', db.url, '--plan', planFile, '--json'],
        { NEO4J_URI: server.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '' },
        300_000,
      );
      assert.equal(verified.code, 0, `${verified.stdout}\n${verified.stderr}`);
      assert.equal(JSON.parse(verified.stdout).ok, true);
      const offline = await graphSnapshot(driver);
      const again = await runStatements(driver, statements);
      log(`load.cypher again: ${again} ms`);
      assert.deepEqual(await graphSnapshot(driver), offline, 'a second run leaves the same graph');
      // the first load ran on a cold server: the same load into an empty graph again, for a fair figure
      await clearGraph(driver);
      const warm = await runStatements(driver, statements);
      log(`load.cypher into an empty graph on the warmed server: ${warm} ms`);
      assert.deepEqual(await graphSnapshot(driver), offline);
      const online = await onlineSnapshot(db, db.plan, log);
      assert.equal(offline.nodes.length, online.nodes.length);
      assert.deepEqual(offline.nodes, online.nodes);
      assert.deepEqual(offline.relationships, online.relationships);
    });
  });

  describe('hard values and composite keys', () => {
    let db: ScratchDatabase;
    let plan: GraphPlan;
    before(async () => {
      db = await createScratchDatabase('loadcsv-hard');
      await db.query(HARD_SQL);
      plan = await planOf(db, 'public');
    });
    after(async () => {
      await db?.drop();
    });

    it('refuses a bytes rule by name before anything is written', async () => {
      const dir = path.join(root, 'bytes');
      await assert.rejects(exportTo(db, plan, dir, 'load-csv', false), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'EXPORT_PLAN_UNSUPPORTED', error.message);
        assert.match(error.message, /entry "public\.hard", property "by": rule "bytes"/);
        return true;
      });
      assert.equal(fs.existsSync(path.join(dir, 'manifest.json')), false);
    });

    it('loads every value exactly (verify passes, the graph equals the online one)', async () => {
      const stringBytes = structuredClone(plan);
      const hard = stringBytes.nodes.find((n) => n.id === 'public.hard') as NodeEntry;
      Object.assign(
        hard.properties.find((p) => p.column === 'by')!,
        { as: 'string' },
      );
      // columns whose kind varies by row: a flatten's members, computed properties without "as" (tagged)
      Object.assign(
        hard.properties.find((p) => p.column === 'j')!,
        { as: 'flatten' },
      );
      hard.computed = [
        { name: 'textAgain', expression: 't' },
        { name: 'flagAgain', expression: 'b' },
      ];
      const dir = path.join(root, 'hard');
      await exportTo(db, stringBytes, dir, 'load-csv', false);
      await runStatements(driver, loadStatementsOf(dir, 'hard'));
      await verifyClean(db, target, stringBytes);
      const props = (await driver.executeQuery('MATCH (h:Hard {id: $id}) RETURN h', { id: neo4j.int(3) })).records[0].get('h').properties;
      assert.ok(Object.is(props.f8, -0) && Object.is(props.f4, -0), 'floats keep -0');
      assert.equal(props.t, 'ends in a backslash \\');
      assert.equal(props.d, 'infinity');
      const flattened = (await driver.executeQuery('MATCH (h:Hard {id: $id}) RETURN h', { id: neo4j.int('9223372036854775807') })).records[0].get(
        'h',
      ).properties;
      assert.equal(flattened.j_b.toString(), '1');
      assert.equal(flattened.j_a, '[1, 2.50]');
      assert.equal(flattened.flagAgain, true);
      const empty = await driver.executeQuery('MATCH (h:Hard) WHERE h.ai = [] RETURN h.id AS id');
      assert.deepEqual(
        empty.records.map((r) => r.get('id').toString()),
        ['-9223372036854775808'],
      );
      const links = await driver.executeQuery('MATCH (p:Pair)<-[]-(l:PairLink) RETURN l.id AS id, p.a AS a, p.b AS b ORDER BY id');
      assert.deepEqual(
        links.records.map((r) => [r.get('id').toNumber(), r.get('a'), r.get('b')]),
        [
          [1, 'a', 'a11'],
          [2, 'aa', '11'],
          [3, '', ' '],
          [5, 'back\\', '\\"'],
        ],
      );
      const offline = await graphSnapshot(driver);
      const online = await onlineSnapshot(db, stringBytes, log);
      assert.deepEqual(offline.nodes, online.nodes);
      assert.deepEqual(offline.relationships, online.relationships);
    });
  });

  describe('the value-traps database planned by pg2graph plan', () => {
    let db: ScratchDatabase;
    before(async () => {
      db = await trapsDatabase('loadcsv-traps');
    });
    after(async () => {
      await db?.drop();
    });

    it('exports, loads and verifies (policies that turn values into JSON or infinity text included)', async () => {
      const planned = await pg2graph(['plan'], { DATABASE_URL: db.url }, 120_000);
      assert.equal(planned.code, 0, planned.stderr);
      const plan = JSON.parse(planned.stdout) as GraphPlan;
      const dir = path.join(root, 'traps');
      await exportTo(db, plan, dir, 'load-csv', true);
      await runStatements(driver, loadStatementsOf(dir, 'traps'));
      await verifyClean(db, target, plan);
      const offline = await graphSnapshot(driver);
      const online = await onlineSnapshot(db, plan, log);
      assert.deepEqual(offline.nodes, online.nodes);
      assert.deepEqual(offline.relationships, online.relationships);
    });
  });
});
