/**
 * `pg2graph translate` as a child process on the sample database, migrated by `pg2graph migrate` into the real
 * Neo4j: the Cypher on stdout (or JSON), the SQL from text, a file or stdin, `$1` parameters, `--check` running
 * both sides and saying equal, a planted difference named with exit 1, a refusal with exit 3 naming the construct
 * and its position, and bad input with exit 2 naming the thing at fault.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import type { Driver } from 'neo4j-driver';
import { CLI, pg2graph, type CliRun } from '../support/cli';
import { clearGraph, testDriver } from '../support/databases';
import { createSampleDatabase, type SampleDatabase } from '../support/sample';

/** The command line with `input` on its standard input. */
function withInput(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const JOINED =
  'SELECT a.name, count(*) AS books FROM bookshop.author a JOIN bookshop.book_author ba ON ba.author_id = a.author_id ' +
  'JOIN bookshop.book b ON b.isbn = ba.isbn GROUP BY a.author_id, a.name ORDER BY books DESC, a.author_id LIMIT 10';

describe('pg2graph translate (command line)', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let driver: Driver;
  let dir: string;
  let planFile: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    db = await createSampleDatabase('clitranslate');
    driver = testDriver();
    await clearGraph(driver);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-translate-'));
    env = { DATABASE_URL: db.url, GREMLIN_URL: '' };
    const plan = await pg2graph(['plan', '--schema', 'bookshop'], env);
    assert.equal(plan.code, 0, plan.stderr);
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, plan.stdout);
    const migrated = await pg2graph(['migrate', '--plan', planFile], env, 120_000);
    assert.equal(migrated.code, 0, migrated.stderr);
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await clearGraph(driver).catch(() => undefined);
    await driver?.close();
  });

  it('prints the Cypher of a query, and with --json its parameters, columns and notes', async () => {
    const plain = await pg2graph(
      ['translate', '--plan', planFile, '--sql', 'SELECT full_name FROM bookshop.customer WHERE customer_id = $1', '--params', '[7]'],
      env,
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /MATCH \(customer:`Customer`\)/);
    assert.match(plain.stdout, /RETURN customer\.`fullName` AS `full_name`/);
    const json = await pg2graph(
      ['translate', '--plan', planFile, '--sql', 'SELECT city, count(*) FROM bookshop.address GROUP BY city ORDER BY city', '--json'],
      env,
    );
    assert.equal(json.code, 0, json.stderr);
    const answer = JSON.parse(json.stdout) as { cypher: string; parameters: object; columns: string[]; notes: Array<{ code: string }> };
    assert.deepEqual(Object.keys(answer).sort(), ['columns', 'cypher', 'notes', 'parameters']);
    assert.deepEqual(answer.columns, ['city', 'count']);
    assert.deepEqual(
      answer.notes.map((n) => n.code),
      ['TEXT_ORDER_COLLATION'],
    );
  });

  it('reads the SQL from a file and from standard input', async () => {
    const file = path.join(dir, 'query.sql');
    fs.writeFileSync(file, 'SELECT title FROM bookshop.book ORDER BY isbn LIMIT 3\n');
    const fromFile = await pg2graph(['translate', '--plan', planFile, '--sql', file], env);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.match(fromFile.stdout, /MATCH \(book:`Book`\)/);
    const fromStdin = await withInput(['translate', '--plan', planFile, '--sql', '-'], env, 'SELECT title FROM bookshop.book ORDER BY isbn LIMIT 3');
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, fromFile.stdout);
  });

  it('--check: the SQL on Postgres and the Cypher on the migrated graph give the same rows in the same order (exit 0)', async () => {
    const run = await pg2graph(['translate', '--plan', planFile, '--sql', JOINED, '--check'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /check: equal \(10 rows on both sides, in the same order\)/);
    const withParam = await pg2graph(
      ['translate', '--plan', planFile, '--sql', 'SELECT customer_id, full_name FROM bookshop.customer WHERE customer_id < $1', '--params', '[40]', '--check'],
      env,
    );
    assert.equal(withParam.code, 0, withParam.stdout + withParam.stderr);
    assert.match(withParam.stderr, /check: equal \(39 rows on both sides\)/);
  });

  it('--check names a difference planted in the graph, with exit 1', async () => {
    const session = driver.session();
    try {
      await session.run("MATCH (c:Customer {customerId: 5}) SET c.fullName = 'Someone Else'");
      const run = await pg2graph(
        [
          'translate',
          '--plan',
          planFile,
          '--sql',
          'SELECT customer_id, full_name FROM bookshop.customer WHERE customer_id <= 10 ORDER BY customer_id',
          '--check',
        ],
        env,
      );
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, /check: DIFFERENT \(Postgres 10 rows, graph 10\)/);
      assert.match(run.stderr, /row 5 column full_name: source "[^"]+", graph "Someone Else"/);
    } finally {
      const [original] = (await db.query('SELECT full_name FROM bookshop.customer WHERE customer_id = 5')).rows as Array<{ full_name: string }>;
      await session.run('MATCH (c:Customer {customerId: 5}) SET c.fullName = $name', { name: original.full_name });
      await session.close();
    }
  });

  it('refuses what it cannot translate faithfully with exit 3, naming the construct and its position', async () => {
    const run = await pg2graph(['translate', '--plan', planFile, '--sql', 'SELECT title FROM bookshop.book WHERE price > 10'], env);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /TRANSLATE_UNSUPPORTED: Cannot translate comparing book\.price \(numeric\(10,2\)\) at character 45/);
    const union = await pg2graph(['translate', '--plan', planFile, '--sql', 'SELECT isbn FROM bookshop.book UNION SELECT isbn FROM bookshop.book_author'], env);
    assert.equal(union.code, 3, union.stderr);
    assert.match(union.stderr, /TRANSLATE_UNSUPPORTED: .*UNION/);
  });

  it('bad input exits 2 naming the thing at fault', async () => {
    const cases: Array<{ args: string[]; mentions: RegExp }> = [
      { args: ['--sql', 'SELECT name FROM bookshop.nowhere'], mentions: /TRANSLATE_INPUT_INVALID: .*bookshop\.nowhere/ },
      { args: ['--sql', 'SELECT name FROM FROM bookshop.author'], mentions: /TRANSLATE_INPUT_INVALID: .*syntax error.*at character 18/ },
      { args: ['--sql', 'SELECT nickname FROM bookshop.author'], mentions: /TRANSLATE_INPUT_INVALID: .*nickname/ },
      { args: ['--sql', 'SELECT 1', '--params', '{"a":1}'], mentions: /CLI_FLAG_INVALID: --params must be a JSON array/ },
      { args: [], mentions: /CLI_FLAG_INVALID: --sql is required/ },
    ];
    for (const bad of cases) {
      const run = await pg2graph(['translate', '--plan', planFile, ...bad.args], env);
      assert.equal(run.code, 2, `${bad.args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, bad.mentions);
    }
    const noPlan = await pg2graph(['translate', '--sql', 'SELECT 1'], env);
    assert.equal(noPlan.code, 2);
    assert.match(noPlan.stderr, /--plan FILE is required/);
    const missingPlan = await pg2graph(['translate', '--plan', path.join(dir, 'none.json'), '--sql', 'SELECT 1'], env);
    assert.equal(missingPlan.code, 2);
    assert.match(missingPlan.stderr, /PLAN_NOT_FOUND: cannot read the plan file/);
  });
});
