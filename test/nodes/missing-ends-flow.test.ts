/**
 * Relationship rows without an end node in the migration flow of example 1 (a foreign key added NOT VALID over
 * orphan rows): the run completes, but its completion message carries msg.missingEnds with the count per entry, pg
 * read's status turns yellow and says it, and graph write's status shows the missing ends. Real PostgreSQL and Neo4j.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, withNodeRedServer } from '../support/node-red';
import { migrationCredentials, migrationFlow, migrationModules, runMigrationFlow } from '../support/migration-flow';
import { clearGraph, createScratchDatabase, testDriver, type ScratchDatabase } from '../support/databases';
import { introspectUrl } from '../engine/schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';

interface Status {
  fill?: string;
  text?: string;
}

/** Every status the node showed (the test helper's spy on status is shared by all nodes: keep this one's calls). */
function statuses(id: string): Status[] {
  const node = helper.getNode(id) as unknown as { status: { getCalls(): Array<{ thisValue: unknown; args: [Status] }> } };
  return node.status
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args[0]);
}

async function eventually<T>(read: () => T, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('migration flow: relationship rows without an end node', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let plan: GraphPlan;

  before(async () => {
    db = await createScratchDatabase('missingflow');
    await db.query(`
      CREATE TABLE items (id int4 PRIMARY KEY, name text);
      INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 7) g;
      CREATE TABLE notes (id int4 PRIMARY KEY, item int4, body text);
      INSERT INTO notes SELECT g, g, 'note ' || g FROM generate_series(1, 10) g;
      ALTER TABLE notes ADD CONSTRAINT notes_item_fkey FOREIGN KEY (item) REFERENCES items NOT VALID;
    `);
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

    const read = statuses('reader').at(-1);
    assert.deepEqual([read?.fill, read?.text], ['yellow', 'pg2graph-read.status.doneMissingEnds']);
    const write = await eventually(
      () => statuses('writer').at(-1),
      (status) => status?.text === 'pg2graph-write.status.totalsMissingEnds',
    );
    assert.deepEqual([write?.fill, write?.text], ['yellow', 'pg2graph-write.status.totalsMissingEnds']);
  });

  it('without missing ends the completion has no msg.missingEnds and the statuses stay green', async () => {
    await db.query('DELETE FROM notes WHERE id > 7');
    try {
      await clearGraph(driver);
      await helper.load(migrationModules, migrationFlow(db, { batchSize: '4' }), migrationCredentials(db));
      const completion = await runMigrationFlow({ plan });
      assert.equal(completion.payload.missingEnds, 0);
      assert.equal(completion.missingEnds, undefined);
      const read = statuses('reader').at(-1);
      assert.deepEqual([read?.fill, read?.text], ['green', 'pg2graph-read.status.done']);
      const write = await eventually(
        () => statuses('writer').at(-1),
        (status) => status?.text === 'pg2graph-write.status.totals',
      );
      assert.deepEqual([write?.fill, write?.text], ['green', 'pg2graph-write.status.totals']);
    } finally {
      // the orphans back for the other tests, under the same unchecked constraint
      await db.query(`
        ALTER TABLE notes DROP CONSTRAINT notes_item_fkey;
        INSERT INTO notes SELECT g, g, 'note ' || g FROM generate_series(8, 10) g;
        ALTER TABLE notes ADD CONSTRAINT notes_item_fkey FOREIGN KEY (item) REFERENCES items NOT VALID;
      `);
    }
  });
});
