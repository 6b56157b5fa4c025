/**
 * `pg2graph migrate` when relationship rows find no end node (a foreign key added NOT VALID over orphan rows):
 * the run is a failed migration unless the user accepted that: exit 4 with a line on stderr giving the count and
 * examples; --allow-missing-ends exits 0, still saying it. Real PostgreSQL and Neo4j.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { graphCounts } from '../support/graph-counts';
import { pg2graph } from '../support/cli';
import { ORPHANS_BACK, ORPHAN_NOTES, WITHOUT_ORPHANS } from '../support/orphan-rows';

describe('pg2graph migrate: relationship rows without an end node', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let planFile: string;

  before(async () => {
    db = await createScratchDatabase('climissing');
    await db.query(ORPHAN_NOTES);
    driver = testDriver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-missing-'));
    const neo = neo4jSettings();
    env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
    const made = await pg2graph(['plan'], env);
    assert.equal(made.code, 0, made.stderr);
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, made.stdout);
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await driver?.close();
  });
  beforeEach(() => clearGraph(driver));

  it('exits 4 and says on stderr how many rows and which, with examples', async () => {
    const run = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '4', '--json'], env);
    assert.equal(run.code, 4, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.read.missingEnds, 3);
    const [entry] = Object.keys(summary.missingEnds);
    assert.match(entry, /^public\.notes\./);
    assert.equal(summary.missingEnds[entry].count, 3);
    assert.deepEqual(
      summary.missingEnds[entry].examples.map((e: { to: string[]; missing: string }) => [e.to, e.missing]),
      [
        [['8'], 'to'],
        [['9'], 'to'],
        [['10'], 'to'],
      ],
    );
    assert.match(run.stderr, /error: missing ends: 3 relationship rows found no start or end node, .*exit 4; --allow-missing-ends accepts them/);
    assert.match(run.stderr, new RegExp(`  ${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 3, e\\.g\\. from \\["8"\\] to \\["8"\\] \\(no end node\\)`));
    const counts = await graphCounts(driver);
    assert.equal(counts.nodes.Note, 10, 'every note is a node');
    assert.equal(Object.values(counts.relationships)[0], 7, 'the notes whose item exists are linked');
  });

  it('--allow-missing-ends accepts them: exit 0, and stderr still says so', async () => {
    const run = await pg2graph(['migrate', '--plan', planFile, '--allow-missing-ends'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: missing ends: 3 relationship rows found no start or end node, .*\(accepted: --allow-missing-ends\)/);
    assert.match(run.stdout, /missing ends 3;/);
  });

  it('a run without missing ends says nothing about them and exits 0', async () => {
    await db.query(WITHOUT_ORPHANS);
    try {
      const run = await pg2graph(['migrate', '--plan', planFile], env);
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /missing ends/);
    } finally {
      await db.query(ORPHANS_BACK);
    }
  });
});
