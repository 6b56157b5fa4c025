/**
 * The everyday migration flow (pg read -> row → node / fk → edge -> graph write, acknowledgements back into pg
 * read) with its graph connection on protocol "gremlin", against the real Gremlin Server the test hooks start,
 * on the sample database: it builds exactly the graph `migrate` builds over Gremlin, a re-run changes nothing,
 * a run cut off by a redeploy is finished by the next run from the Gremlin checkpoints, and graph verify passes
 * on it over the same connection and names a planted fault; the value-traps database (composite keys, odd names,
 * every hard value) goes through the flow to the graph the command line builds and verifies.
 */
import assert from 'assert/strict';
import { helper, nextMessage, nodeModule, withNodeRedServer } from '../support/node-red';
import { gremlinGraphConfig, migrationCredentials, migrationFlow, migrationModules, runMigrationFlow } from '../support/migration-flow';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { clearGremlin, gremlinCheckpointCount, gremlinCommittedBatches, gremlinCounts, gremlinSnapshot, testGremlinConnection } from '../support/gremlin';
import type { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import type { VerificationReport } from '../../dist/engine/verify/report';
import { migrate } from '../../dist/engine/migrate/migrate';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import { applyProbe } from '../../dist/engine/probe';
import { probeDatabase } from '../../dist/engine/read';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { trapsDatabase, TRAP_ROWS } from '../support/value-traps';
import type { ScratchDatabase } from '../support/databases';

const verifyNode = nodeModule('pg2graph-verify');

/** graph verify nodes for a migrationFlow: 'verifier' on the flow's connections, its report to 'report'. */
const verifierNodes = [
  { id: 'verifier', type: 'pg2graph-verify', z: 'tab', postgres: 'pgcfg', neo4j: 'neocfg', sample: '', x: 100, y: 400, wires: [['report']] },
  { id: 'report', type: 'helper', z: 'tab' },
];

/** Sends the plan into graph verify and waits for its report; a caught error rejects. */
function runVerify(plan: GraphPlan): Promise<VerificationReport> {
  const report = Promise.race([
    nextMessage<{ payload: VerificationReport }>(helper.getNode('report'), 60_000).then((m) => m.payload),
    nextMessage<{ error: { message: string } }>(helper.getNode('caught'), 60_000).then((m) => {
      throw new Error(`caught: ${m.error.message}`);
    }),
  ]);
  helper.getNode('verifier').receive({ plan });
  return report;
}

describe('migration flow into a Gremlin server (graph connection protocol "gremlin")', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let gremlin: GremlinConnection;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;
  let engineGraph: string[];
  let allRows: number;

  before(async () => {
    db = await createSampleDatabase('gremlinflow');
    gremlin = testGremlinConnection();
    expected = await expectedCounts(db, db.plan);
    // the reference: the same plan migrated over Gremlin by the engine that `pg2graph migrate --gremlin` runs
    await clearGremlin(gremlin);
    const source = db.connection();
    const target = testGremlinConnection();
    allRows = (await migrate(source, target, { plan: db.plan })).read.rows;
    await Promise.all([source.close(), target.close()]);
    engineGraph = await gremlinSnapshot(gremlin);
  });
  after(async () => {
    await db?.drop();
    await gremlin?.close();
  });
  withNodeRedServer();

  const flow = (batchSize = '') => [...migrationFlow(db, { batchSize, graph: gremlinGraphConfig() }), ...verifierNodes];
  const load = (batchSize = '') => helper.load([...migrationModules, verifyNode], flow(batchSize), migrationCredentials(db));
  const runFlow = () => runMigrationFlow({ plan: db.plan });

  it('migrates the sample database into exactly the graph the command line builds over Gremlin', async () => {
    await clearGremlin(gremlin);
    await load();
    const completion = await runFlow();
    assert.equal(completion.topic, 'complete');
    assert.equal(completion.payload.stopped, false);
    assert.equal(completion.payload.rows, allRows);
    assert.deepEqual(await gremlinCounts(gremlin), expected);
    assert.deepEqual(await gremlinSnapshot(gremlin), engineGraph);
    assert.equal(await gremlinCheckpointCount(gremlin), 0, 'a finished run leaves no checkpoint');
  });

  it('a second run of the flow changes nothing', async () => {
    await load();
    await runFlow();
    const before = await gremlinSnapshot(gremlin);
    await runFlow();
    assert.deepEqual(await gremlinSnapshot(gremlin), before);
    assert.deepEqual(before, engineGraph);
  });

  it('a run cut off by a redeploy is finished by the next run from the Gremlin checkpoints, with the exact graph', async () => {
    await clearGremlin(gremlin);
    await load('100');
    helper.getNode('reader').receive({ plan: db.plan });
    const deadline = Date.now() + 60_000;
    while ((await gremlinCommittedBatches(gremlin)) < 6) {
      assert.ok(Date.now() < deadline, 'six batches were checkpointed within a minute');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    assert.notDeepEqual(await gremlinCounts(gremlin), expected, 'the run was cut off before the end');
    assert.ok((await gremlinCheckpointCount(gremlin)) > 0, 'the cut-off run left its checkpoints');

    await helper.setFlows(flow('100'), 'full', migrationCredentials(db));
    const completion = await runFlow();
    assert.equal(completion.payload.stopped, false);
    assert.ok(completion.payload.rows < allRows, `the second run read only what was left (${completion.payload.rows} of ${allRows} rows)`);
    assert.deepEqual(await gremlinCounts(gremlin), expected);
    assert.deepEqual(await gremlinSnapshot(gremlin), engineGraph);
    assert.equal(await gremlinCheckpointCount(gremlin), 0);
  });

  it('graph verify passes over the Gremlin connection, and names the entry of a vertex planted away', async () => {
    await clearGremlin(gremlin);
    await load();
    await runFlow();
    const passed = await runVerify(db.plan);
    assert.equal(passed.ok, true, JSON.stringify(passed.entries.filter((e) => !e.ok)));
    assert.equal(passed.entries.length, db.plan.nodes.length + db.plan.relationships.length);

    const victim = db.plan.nodes[0];
    await gremlin.run(gremlin.g().V().hasLabel(victim.label).limit(1).drop(), 30_000, 'planting a missing vertex');
    const failed = await runVerify(db.plan);
    assert.equal(failed.ok, false);
    const entry = failed.entries.find((e) => e.entry === victim.id);
    assert.ok(entry && !entry.ok, `entry ${victim.id} fails: ${JSON.stringify(failed.entries.filter((e) => !e.ok).map((e) => e.entry))}`);
    const counts = entry.checks.find((c) => c.check === 'count');
    assert.ok(counts && !counts.ok, `the count check of ${victim.id} fails`);
  });

  it('a plan the Gremlin target cannot write (an entry with extra labels) stops the run at its start, naming the entry, with nothing written', async () => {
    await clearGremlin(gremlin);
    await load();
    const [first, ...rest] = db.plan.nodes;
    const plan = { ...db.plan, nodes: [{ ...first, labels: ['Extra'] }, ...rest] };
    await assert.rejects(runMigrationFlow({ plan }), (error: Error) => {
      assert.match(error.message, new RegExp(`Entry "${first.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" has the extra labels "Extra"`));
      return true;
    });
    assert.deepEqual(await gremlinCounts(gremlin), { nodes: {}, relationships: {} });
  });
});

describe('the value-traps database through the flow into a Gremlin server', function () {
  this.timeout(180_000);
  let traps: ScratchDatabase;
  let plan: GraphPlan;
  let gremlin: GremlinConnection;
  let engineGraph: string[];

  before(async () => {
    traps = await trapsDatabase('gremlinflowtraps');
    gremlin = testGremlinConnection();
    const source = new PostgresConnection({ ...traps.settings, applicationName: 'pg2graph-test-plan' });
    const target = testGremlinConnection();
    try {
      // the plan `pg2graph plan --schema public` makes, migrated by the command line's engine: the reference
      const generated = generatePlan(await introspectDatabase(source, { schemas: ['public'] }));
      plan = applyProbe(generated, await probeDatabase(source, generated)).plan;
      await clearGremlin(gremlin);
      await migrate(source, target, { plan });
      engineGraph = await gremlinSnapshot(gremlin);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });
  after(async () => {
    await traps?.drop();
    await clearGremlin(gremlin).catch(() => undefined);
    await gremlin?.close();
  });
  withNodeRedServer();

  it('writes the graph the command line writes, every trap row, and graph verify passes on it', async () => {
    await clearGremlin(gremlin);
    await helper.load(
      [...migrationModules, verifyNode],
      [...migrationFlow(traps, { graph: gremlinGraphConfig() }), ...verifierNodes],
      migrationCredentials(traps),
    );
    const completion = await runMigrationFlow({ plan });
    assert.equal(completion.payload.stopped, false);
    const counts = await gremlinCounts(gremlin);
    assert.equal(
      Object.values(counts.nodes).reduce((a, b) => a + b, 0),
      Object.values(TRAP_ROWS).reduce((a, b) => a + b, 0),
    );
    assert.deepEqual(await gremlinSnapshot(gremlin), engineGraph);
    const verified = await runVerify(plan);
    assert.equal(verified.ok, true, JSON.stringify(verified.entries.filter((e) => !e.ok)));
  });
});
