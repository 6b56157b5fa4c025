/**
 * `pg2graph migrate` with values no rule of the plan can hold: the rows are rejected (not written, listed in
 * --rejects FILE, counted), the rest of the run finishes, and the exit code says rows were left out;
 * `--on-invalid fail` keeps the old stop. Real PostgreSQL and Neo4j. The runs skip the preflight (--no-preflight),
 * which would refuse this plan before writing anything (test/cli/unrepresentable.test.ts): here the rows reach shaping.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { graphCounts } from '../support/graph-counts';
import { pg2graph } from '../support/cli';

interface PlanProperty {
  column: string;
  as?: string;
  nullElements?: string;
}

describe('pg2graph migrate: rows whose values their rules cannot hold', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let planFile: string;

  before(async () => {
    db = await createScratchDatabase('clirejects');
    await db.query(`
      CREATE TABLE items (id int4 PRIMARY KEY, tags text[], amount numeric);
      INSERT INTO items SELECT g, ARRAY['a', 'b'], g FROM generate_series(1, 20) g;
      UPDATE items SET tags = '{x,NULL}' WHERE id = 4;
      UPDATE items SET amount = 2.5 WHERE id = 9;
      CREATE TABLE notes (id int4 PRIMARY KEY, item int4 REFERENCES items, body text);
      INSERT INTO notes SELECT g, g, 'note ' || g FROM generate_series(1, 20) g;
    `);
    driver = testDriver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-rejects-'));
    const neo = neo4jSettings();
    env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
    const made = await pg2graph(['plan'], env);
    assert.equal(made.code, 0, made.stderr);
    // the strict policies a user may choose: NULL elements are an error, amounts must be whole numbers
    const plan = JSON.parse(made.stdout);
    const items = plan.nodes.find((n: { id: string }) => n.id === 'public.items');
    const tags = items.properties.find((p: PlanProperty) => p.column === 'tags');
    tags.as = 'list<string>';
    tags.nullElements = 'error';
    items.properties.find((p: PlanProperty) => p.column === 'amount').as = 'integer';
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(plan, null, 2));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await driver?.close();
  });
  beforeEach(() => clearGraph(driver));

  it('rejects them: the run finishes, they are listed in --rejects FILE and counted, and it exits 3', async () => {
    const file = path.join(dir, 'rejects.jsonl');
    const run = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '5', '--rejects', file, '--json', '--no-preflight'], env);
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`2 rows rejected \\(values their rules cannot hold\\), not written: listed in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.read.stopped, false);
    assert.equal(summary.read.rejected, 2);
    assert.equal(summary.read.entries['public.items'].rejected, 2);
    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map(({ entry, key, column, value }) => ({ entry, key, column, value })),
      [
        { entry: 'public.items', key: '["4"]', column: 'tags', value: '{x,NULL}' },
        { entry: 'public.items', key: '["9"]', column: 'amount', value: '2.5' },
      ],
    );
    assert.ok(
      lines.every((l) => l.run === summary.run && typeof l.reason === 'string' && l.reason.length > 0),
      'each line names its run and the reason',
    );
    const counts = await graphCounts(driver);
    assert.equal(counts.nodes.Item, 18, 'every other item arrived');
    assert.equal(counts.nodes.Note, 20);
    assert.equal(summary.written.missingEnds, 2, 'the notes of the rejected items find no end: counted as missing ends');

    // the file is appended to: a second run adds its own lines, under its own run id
    const again = await pg2graph(['migrate', '--plan', planFile, '--rejects', file, '--no-preflight'], env);
    assert.equal(again.code, 3, again.stderr);
    const all = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(all.length, 4);
    assert.notEqual(JSON.parse(all[3]).run, summary.run);
  });

  it('without --rejects the first ones are shown on stderr', async () => {
    const run = await pg2graph(['migrate', '--plan', planFile, '--no-preflight'], env);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /rejected: entry "public\.items", row \["4"\], column "tags": array with NULL elements/);
    assert.match(run.stderr, /rejected: entry "public\.items", row \["9"\], column "amount": numeric with a fraction/);
    assert.match(run.stderr, /2 rows rejected .*2 shown above; --rejects FILE keeps them all/);
    assert.match(run.stdout, /node public\.items: 20 rows, 1 batches, 2 rejected/);
  });

  it('--on-invalid fail stops at the first one, as before, naming entry, column and row', async () => {
    const run = await pg2graph(['migrate', '--plan', planFile, '--on-invalid', 'fail', '--no-preflight'], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /VALUE_INVALID: entry "public\.items", column "(tags|amount)", row \["(4|9)"\]/);
  });

  it('bad input: an --on-invalid that is neither, a --rejects file that cannot be written (nothing is migrated)', async () => {
    const bad = await pg2graph(['migrate', '--plan', planFile, '--on-invalid', 'skip'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /CLI_FLAG_INVALID: --on-invalid must be reject or fail, got "skip"/);
    const unwritable = path.join(dir, 'no-such-dir', 'rejects.jsonl');
    const file = await pg2graph(['migrate', '--plan', planFile, '--rejects', unwritable], env);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /CLI_FLAG_INVALID: --rejects .*rejects\.jsonl: the file cannot be written/);
    const empty = await pg2graph(['migrate', '--plan', planFile, '--rejects='], env);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /CLI_FLAG_INVALID: --rejects needs a file name/);
    assert.deepEqual((await graphCounts(driver)).nodes, {}, 'nothing was written');
  });
});
