/**
 * `pg2graph translate --suite` as a child process on the membership fixture, planned and migrated by the CLI
 * into the real Neo4j: a suite with equal, refused and empty-by-design queries exits 0 with its report and totals
 * (and as JSON), a difference planted in the graph exits 1 naming it, a malformed suite file exits 2 naming the
 * entry and the field; --indexes and --explain on one query ask the graph.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { pg2graph } from '../support/cli';
import { clearGraph, testDriver } from '../support/databases';
import { createFixtureDatabase, type FixtureDatabase } from '../support/suite-fixtures';

const SUITE = [
  { name: 'members by surname', sql: "SELECT memid, firstname FROM cd.members WHERE surname = 'Moreau' ORDER BY memid" },
  { name: 'a window', sql: 'SELECT row_number() OVER (ORDER BY memid) AS n FROM cd.members' },
  { sql: 'SELECT facid, count(*) AS n FROM cd.bookings WHERE memid = $1 GROUP BY facid', params: [0] },
  { name: 'nobody', sql: 'SELECT memid FROM cd.members WHERE memid < 0', expectEmpty: true },
];

describe('pg2graph translate --suite (command line)', function () {
  this.timeout(240_000);
  let db: FixtureDatabase;
  let driver: Driver;
  let dir: string;
  let planFile: string;
  let env: NodeJS.ProcessEnv;
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  before(async () => {
    db = await createFixtureDatabase('membership');
    driver = testDriver();
    await clearGraph(driver);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-suite-'));
    env = { DATABASE_URL: db.url, GREMLIN_URL: '' };
    const plan = await pg2graph(['plan', '--schema', 'cd'], env);
    assert.equal(plan.code, 0, plan.stderr);
    planFile = write('plan.json', plan.stdout);
    const migrated = await pg2graph(['migrate', '--plan', planFile], env, 120_000);
    assert.equal(migrated.code, 0, migrated.stderr);
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await clearGraph(driver).catch(() => undefined);
    await driver?.close();
  });

  it('reports each query and the totals; refusals are fine (exit 0), also as JSON', async () => {
    const file = write('suite.json', SUITE);
    const run = await pg2graph(['translate', '--plan', planFile, '--suite', file, '--check'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^#0 members by surname: equal \(\d+ rows on both sides\)$/);
    assert.match(lines[1], /^#1 a window: refused: the window function row_number \(Cannot translate the window function row_number at character 8\)$/);
    assert.match(lines[2], /^#2: equal \(9 rows on both sides\)$/);
    assert.equal(lines[3], '#3 nobody: equal (0 rows on both sides)');
    assert.match(
      run.stdout,
      /totals: 4 queries: 3 translated \(3 equal, 0 different, 0 not checked\), 1 refused, 0 bad input; parity 75\.0%, refused 25\.0%, wrong 0\.0%/,
    );
    assert.match(run.stdout, /refused constructs: the window function row_number \(1\)/);

    const json = await pg2graph(['translate', '--plan', planFile, '--suite', file, '--check', '--json', '--indexes'], env);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as {
      results: Array<{ status: string; construct?: string; sourceRows?: number; createIndexes?: string[] }>;
      totals: { queries: number; equal: number; refused: number; different: number; shares: { parity: number; refused: number; wrong: number } };
    };
    assert.deepEqual(
      report.results.map((r) => r.status),
      ['equal', 'refused', 'equal', 'equal'],
    );
    assert.equal(report.results[1].construct, 'the window function row_number');
    assert.deepEqual(report.totals.shares, { parity: 0.75, refused: 0.25, wrong: 0 });
    assert.deepEqual(report.results[0].createIndexes, ['CREATE INDEX IF NOT EXISTS FOR (n:`Member`) ON (n.`surname`)']);
    assert.deepEqual(report.results[3].createIndexes, [], 'memid is the key: its constraint covers it');
  });

  it('a difference planted in the graph exits 1, naming the query and the row', async () => {
    const session = driver.session();
    try {
      await session.run("MATCH (m:Member {memid: 2}) SET m.firstname = 'Someone'");
      const run = await pg2graph(['translate', '--plan', planFile, '--suite', write('suite.json', SUITE), '--check'], env);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /#0 members by surname: DIFFERENT \(Postgres \d+ rows, graph \d+\)\n {4}row 1 column firstname: source "Cleo", graph "Someone"/);
      assert.match(run.stdout, /wrong 25\.0%/);
    } finally {
      await session.run("MATCH (m:Member {memid: 2}) SET m.firstname = 'Cleo'");
      await session.close();
    }
  });

  it('a malformed or unreadable suite file, or a query that is bad input, exits 2 naming what is at fault', async () => {
    const cases: Array<{ content?: unknown; file?: string; mentions: RegExp }> = [
      { content: [SUITE[0], { name: 'broken', sql: 'SELECT 1', params: { a: 1 } }], mentions: /entry 1 \("broken"\): field "params" must be an array/ },
      { content: [SUITE[0], { name: 'no sql' }], mentions: /entry 1 \("no sql"\): field "sql" must be a non-empty string/ },
      { content: '[{"sql": ', mentions: /is not JSON/ },
      { file: path.join(os.tmpdir(), 'pg2graph-no-such-suite.json'), mentions: /Cannot read the query suite .*pg2graph-no-such-suite\.json/ },
    ];
    for (const bad of cases) {
      const file = bad.file ?? write('bad.json', bad.content);
      const run = await pg2graph(['translate', '--plan', planFile, '--suite', file], env);
      assert.equal(run.code, 2, `${file}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /TRANSLATE_INPUT_INVALID: /);
      assert.match(run.stderr, bad.mentions);
      assert.equal(run.stdout, '');
    }
    const unmapped = await pg2graph(
      ['translate', '--plan', planFile, '--suite', write('unmapped.json', [{ name: 'nowhere', sql: 'SELECT x FROM cd.nowhere' }])],
      env,
    );
    assert.equal(unmapped.code, 2, unmapped.stdout + unmapped.stderr);
    assert.match(unmapped.stdout, /#0 nowhere: bad input: TRANSLATE_INPUT_INVALID: .*cd\.nowhere/);
    const both = await pg2graph(['translate', '--plan', planFile, '--suite', write('suite.json', SUITE), '--sql', 'SELECT 1'], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /CLI_FLAG_INVALID: --sql does not go with --suite/);
  });

  it('--indexes prints CREATE INDEX for the filtered properties without one, --explain the graph plan', async () => {
    const sql = "SELECT memid FROM cd.members WHERE surname = 'Moreau' AND memid > 3 ORDER BY zipcode";
    const run = await pg2graph(['translate', '--plan', planFile, '--sql', sql, '--indexes', '--explain'], env);
    assert.equal(run.code, 0, run.stderr);
    const [cypher, advice] = run.stdout.split('\n\n');
    assert.match(cypher, /^MATCH \(members:`Member`\)/);
    assert.equal(
      advice.trim(),
      ['CREATE INDEX IF NOT EXISTS FOR (n:`Member`) ON (n.`surname`);', 'CREATE INDEX IF NOT EXISTS FOR (n:`Member`) ON (n.`zipcode`);'].join('\n'),
    );
    assert.match(run.stderr, /indexes: 2 filtered properties have no index/);
    assert.match(run.stderr, /^explain: ProduceResults/m);
    const json = await pg2graph(['translate', '--plan', planFile, '--sql', sql, '--indexes', '--explain', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const answer = JSON.parse(json.stdout) as { missingIndexes: unknown; createIndexes: string[]; explain: Array<{ operator: string; depth: number }> };
    assert.deepEqual(answer.missingIndexes, [
      { label: 'Member', property: 'surname' },
      { label: 'Member', property: 'zipcode' },
    ]);
    assert.equal(answer.createIndexes.length, 2);
    assert.equal(answer.explain[0].operator, 'ProduceResults');
    assert.ok(answer.explain.every((op) => Number.isInteger(op.depth)));
  });
});
