/**
 * The whole migration as a Node-RED flow (4.1 and 5.0): pg read -> row → node / fk → edge -> graph write, the
 * acknowledgements wired back into pg read, on the sample database. It builds exactly the graph that
 * `migrate` (the command line's engine) builds, a re-run changes nothing, and a run stopped by a redeploy
 * mid-way is finished by the next run from the writer's checkpoints.
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, nodeModule, nextMessage, withNodeRedServer } from '../support/node-red';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { duplicateRelationships, graphCounts } from '../support/graph-counts';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { graphSnapshot } from '../engine/write-batches';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate } from '../../dist/engine/migrate/migrate';

const modules = ['pg2graph-postgres', 'pg2graph-neo4j', 'pg2graph-read', 'pg2graph-to-node', 'pg2graph-to-edge', 'pg2graph-write'].map(nodeModule);

interface Completion {
  topic: string;
  payload: { stopped: boolean; rows: number; entries: Record<string, { rows: number }> };
}

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

  function flow(batchSize = '') {
    const neo = neo4jSettings();
    return [
      { id: 'tab', type: 'tab', label: 'migration' },
      {
        id: 'pgcfg',
        type: 'pg2graph-postgres',
        name: 'source',
        host: db.settings.host,
        port: db.settings.port,
        database: db.name,
        sslMode: 'disable',
        poolSize: '4',
        applicationName: 'pg2graph-flow',
      },
      { id: 'neocfg', type: 'pg2graph-neo4j', name: 'graph', uri: neo.uri, database: '', dialect: 'neo4j', tls: 'uri' },
      {
        id: 'reader',
        type: 'pg2graph-read',
        z: 'tab',
        postgres: 'pgcfg',
        neo4j: 'neocfg',
        batchSize,
        maxUnacknowledged: '4',
        wires: [['tonode'], ['toedge'], ['done']],
      },
      { id: 'tonode', type: 'pg2graph-to-node', z: 'tab', wires: [['writer']] },
      { id: 'toedge', type: 'pg2graph-to-edge', z: 'tab', wires: [['writer']] },
      { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'neocfg', mode: 'merge', concurrency: 4, maxRetries: 5, wires: [['reader'], ['totals']] },
      { id: 'done', type: 'helper', z: 'tab' },
      { id: 'totals', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab' },
    ];
  }
  const credentials = () => ({
    pgcfg: { user: db.settings.user as string, password: db.settings.password as string },
    neocfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string },
  });

  /** Sends the plan into pg read and waits for its completion message (or the first caught error). */
  async function runFlow(): Promise<Completion> {
    const result = Promise.race([
      nextMessage<Completion>(helper.getNode('done'), 120_000),
      nextMessage<{ error: { message: string } }>(helper.getNode('caught'), 120_000).then((m) => {
        throw new Error(`caught: ${m.error.message}`);
      }),
    ]);
    helper.getNode('reader').receive({ plan: db.plan });
    return result;
  }

  it('migrates the sample database into exactly the graph the command line builds', async () => {
    await clearGraph(driver);
    await helper.load(modules, flow(), credentials());
    const completion = await runFlow();
    assert.equal(completion.topic, 'complete');
    assert.equal(completion.payload.stopped, false);
    assert.deepEqual(await graphCounts(driver), expected);
    assert.deepEqual(await graphSnapshot(driver), engineGraph);
  });

  it('a second run of the flow changes nothing', async () => {
    await helper.load(modules, flow(), credentials());
    await runFlow();
    const before = await graphSnapshot(driver);
    await runFlow();
    assert.deepEqual(await graphSnapshot(driver), before);
    assert.deepEqual(before, engineGraph);
  });

  it('a run cut off by a redeploy is finished by the next run from the checkpoints, with the exact graph', async () => {
    await clearGraph(driver);
    await helper.load(modules, flow('100'), credentials());
    helper.getNode('reader').receive({ plan: db.plan });
    // redeploy once some batches are in the graph, long before the end
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const result = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) RETURN coalesce(sum(c.batches), 0) AS n');
      if (Number(result.records[0].get('n')) >= 6) break;
    }
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    const partial = await graphCounts(driver);
    assert.notDeepEqual(partial, expected, 'the run was cut off before the end');

    await helper.setFlows(flow('100'), 'full', credentials());
    const completion = await runFlow();
    assert.equal(completion.payload.stopped, false);
    assert.ok(completion.payload.rows < allRows, `the second run read only what was left (${completion.payload.rows} of ${allRows} rows)`);
    assert.deepEqual(await graphCounts(driver), expected);
    assert.equal(await duplicateRelationships(driver), 0);
    assert.deepEqual(await graphSnapshot(driver), engineGraph);
  });
});
