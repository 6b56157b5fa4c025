/**
 * Relationship rows without an end node in the migration flow of example 1 (a foreign key added NOT VALID over
 * orphan rows): the run completes, but its completion message carries msg.missingEnds with the count per entry, pg
 * read's status turns yellow and says it, and graph write's status shows the missing ends. Real PostgreSQL and Neo4j.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, statusesOf, withNodeRedServer } from '../support/node-red';
import { migrationCredentials, migrationFlow, migrationModules, runMigrationFlow } from '../support/migration-flow';
import { clearGraph, createScratchDatabase, eventually, testDriver, type ScratchDatabase } from '../support/databases';
import { introspectUrl } from '../engine/schema-fixture';
import { ORPHANS_BACK, ORPHAN_NOTES, WITHOUT_ORPHANS } from '../support/orphan-rows';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';

describe('migration flow: relationship rows without an end node', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let plan: GraphPlan;

  before(async () => {
    db = await createScratchDatabase('missingflow');
    await db.query(ORPHAN_NOTES);
    plan = generatePlan(await introspectUrl(db.url, ['public']));
    driver = testDriver();
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });
  withNodeRedServer();

  it('the completion, pg read and graph write say how many rows made no relationship', async () => {
    await clearGraph(driver);
    await helper.load(migrationModules, migrationFlow(db, { batchSize: '4' }), migrationCredentials(db));
    const completion = await runMigrationFlow({ plan });
    assert.equal(completion.payload.stopped, false);
    assert.equal(completion.payload.missingEnds, 3);
    const entry = Object.keys(completion.payload.entries).find((id) => id.startsWith('public.notes.'));
    assert.ok(entry, 'the relationship entry of notes.item');
    assert.deepEqual(completion.missingEnds, { count: 3, entries: { [entry]: 3 } });

    const read = statusesOf('reader').at(-1);
    assert.deepEqual([read?.fill, read?.text], ['yellow', 'pg2graph-read.status.doneMissingEnds']);
    const write = await eventually(
      async () => statusesOf('writer').at(-1),
      (status) => status?.text === 'pg2graph-write.status.totalsMissingEnds',
    );
    assert.deepEqual([write?.fill, write?.text], ['yellow', 'pg2graph-write.status.totalsMissingEnds']);
  });

  it('without missing ends the completion has no msg.missingEnds and the statuses stay green', async () => {
    await db.query(WITHOUT_ORPHANS);
    try {
      await clearGraph(driver);
      await helper.load(migrationModules, migrationFlow(db, { batchSize: '4' }), migrationCredentials(db));
      const completion = await runMigrationFlow({ plan });
      assert.equal(completion.payload.missingEnds, 0);
      assert.equal(completion.missingEnds, undefined);
      const read = statusesOf('reader').at(-1);
      assert.deepEqual([read?.fill, read?.text], ['green', 'pg2graph-read.status.done']);
      const write = await eventually(
        async () => statusesOf('writer').at(-1),
        (status) => status?.text === 'pg2graph-write.status.totals',
      );
      assert.deepEqual([write?.fill, write?.text], ['green', 'pg2graph-write.status.totals']);
    } finally {
      await db.query(ORPHANS_BACK);
    }
  });
});
