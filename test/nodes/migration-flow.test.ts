/**
 * The whole migration as a Node-RED flow (4.1 and 5.0): pg read -> row → node / fk → edge -> graph write, the
 * acknowledgements wired back into pg read, on the sample database. It builds exactly the graph that
 * `migrate` (the command line's engine) builds, a re-run changes nothing, and a run stopped by a redeploy
 * mid-way is finished by the next run from the writer's checkpoints.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, withNodeRedServer } from '../support/node-red';
import { migrationCredentials, migrationFlow, migrationModules, runMigrationFlow, waitForCheckpoints } from '../support/migration-flow';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { duplicateRelationships, graphCounts } from '../support/graph-counts';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { graphSnapshot } from '../engine/write-batches';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate } from '../../dist/engine/migrate/migrate';

describe('migration flow: read -> to-node / to-edge -> write -> (ack) -> read', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let driver: Driver;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;
  let engineGraph: Awaited<ReturnType<typeof graphSnapshot>>;
  let allRows: number;

  before(async () => {
    db = await createSampleDatabase('flow');
    driver = testDriver();
    expected = await expectedCounts(db, db.plan);
    // the reference: the same plan migrated by the engine that `pg2graph migrate` runs
    await clearGraph(driver);
    const source = db.connection();
    const target = new Neo4jConnection(neo4jSettings());
    allRows = (await migrate(source, target, { plan: db.plan })).read.rows;
    await Promise.all([source.close(), target.close()]);
    engineGraph = await graphSnapshot(driver);
  });
  after(async () => {
    await db?.drop();
    await driver?.close();
  });
  withNodeRedServer();

  const flow = (batchSize = '') => migrationFlow(db, { batchSize });
  const load = (batchSize = '') => helper.load(migrationModules, flow(batchSize), migrationCredentials(db));
  const runFlow = () => runMigrationFlow({ plan: db.plan });

  it('migrates the sample database into exactly the graph the command line builds', async () => {
    await clearGraph(driver);
    await load();
    const completion = await runFlow();
    assert.equal(completion.topic, 'complete');
    assert.equal(completion.payload.stopped, false);
    assert.deepEqual(await graphCounts(driver), expected);
    assert.deepEqual(await graphSnapshot(driver), engineGraph);
  });

  it('a second run of the flow changes nothing', async () => {
    await load();
    await runFlow();
    const before = await graphSnapshot(driver);
    await runFlow();
    assert.deepEqual(await graphSnapshot(driver), before);
    assert.deepEqual(before, engineGraph);
  });

  it('a run cut off by a redeploy is finished by the next run from the checkpoints, with the exact graph', async () => {
    await clearGraph(driver);
    await load('100');
    helper.getNode('reader').receive({ plan: db.plan });
    // redeploy once some batches are in the graph, long before the end
    await waitForCheckpoints(driver, (c) => c.batches >= 6);
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    const partial = await graphCounts(driver);
    assert.notDeepEqual(partial, expected, 'the run was cut off before the end');

    await helper.setFlows(flow('100'), 'full', migrationCredentials(db));
    const completion = await runFlow();
    assert.equal(completion.payload.stopped, false);
    assert.ok(completion.payload.rows < allRows, `the second run read only what was left (${completion.payload.rows} of ${allRows} rows)`);
    assert.deepEqual(await graphCounts(driver), expected);
    assert.equal(await duplicateRelationships(driver), 0);
    assert.deepEqual(await graphSnapshot(driver), engineGraph);
  });
});
