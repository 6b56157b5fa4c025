/**
 * Rows no rule can hold in the migration flow of example 1: a rule set in row → node (after pg read checked the
 * plan) cannot hold some values; those rows leave on row → node's second output, the acknowledgements carry
 * their count to pg read's completion, and every other row is in Neo4j. Real PostgreSQL and Neo4j.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, withNodeRedServer } from '../support/node-red';
import { migrationCredentials, migrationFlow, migrationModules, runMigrationFlow } from '../support/migration-flow';
import { clearGraph, createScratchDatabase, testDriver, type ScratchDatabase } from '../support/databases';
import { graphCounts } from '../support/graph-counts';
import { introspectUrl } from '../engine/schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { Msg } from './read-flow';

describe('migration flow: rejected rows', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let plan: GraphPlan;

  before(async () => {
    db = await createScratchDatabase('rejectsflow');
    await db.query(`
      CREATE TABLE items (id int4 PRIMARY KEY, amount numeric);
      INSERT INTO items SELECT g, g FROM generate_series(1, 30) g;
      UPDATE items SET amount = 7.25 WHERE id IN (5, 17);
      -- row → node's rules apply to every node entry: notes have whole amounts only
      CREATE TABLE notes (id int4 PRIMARY KEY, item int4 REFERENCES items, amount numeric);
      INSERT INTO notes SELECT g, g, 1 FROM generate_series(1, 30) g;
    `);
    plan = generatePlan(await introspectUrl(db.url, ['public']));
    driver = testDriver();
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });
  withNodeRedServer();

  it('row → node rejects the rows its rules cannot hold on output 2; the run completes and counts them', async () => {
    await clearGraph(driver);
    // the plan keeps numerics as exact text; this flow asks row → node for whole numbers
    const flow = migrationFlow(db, { batchSize: '10', toNode: { rules: '{"amount": "integer"}' } });
    await helper.load(migrationModules, flow, migrationCredentials(db));
    const rejected: Msg[] = [];
    helper.getNode('rejected').on('input', (msg: Msg) => rejected.push(msg));
    const completion = await runMigrationFlow({ plan });
    assert.equal(completion.payload.stopped, false);
    assert.equal(completion.payload.entries['public.items'].rows, 30);
    assert.equal(completion.payload.entries['public.items'].rejected, 2, "the acknowledgements carry the shaper's count");
    assert.deepEqual(
      rejected.flatMap((m) => m.rejects ?? []).map((r) => [r.entry, r.key, r.column, r.value]),
      [
        ['public.items', '["5"]', 'amount', '7.25'],
        ['public.items', '["17"]', 'amount', '7.25'],
      ],
    );
    const counts = await graphCounts(driver);
    assert.equal(counts.nodes.Item, 28, 'every other row arrived');
    assert.equal(counts.nodes.Note, 30);
    const notesEntry = Object.keys(completion.payload.entries).find((id) => id.startsWith('public.notes.'));
    assert.ok(notesEntry);
    assert.equal(completion.payload.entries[notesEntry].written?.missingEnds, 2, 'the notes of the rejected items find no end');
  });
});
