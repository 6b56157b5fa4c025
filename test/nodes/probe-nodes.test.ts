/**
 * The nodes' side of values no rule can hold, in Node-RED against the real Postgres: pg schema probes the data
 * (setting "probe", default on) and gives those columns lossless policies with warnings; pg read's preflight
 * (setting "preflight", default on) refuses such a run before sending any message, listing every problem.
 */
import assert from 'assert/strict';
import { helper, nextMessage, nodeModule, withNodeRedServer } from '../support/node-red';
import type { ScratchDatabase } from '../support/databases';
import { trapsDatabase } from '../support/value-traps';
import { credentials, postgresConfig, postgresNode, readFlow, readNode, Recorder, warningTexts } from './read-flow';
import type { GraphPlan, NodeEntry } from '../../dist/engine/plan/types';

const schemaNode = nodeModule('pg2graph-schema');
const APP = `pg2graph-probe-nodes-${process.pid}`;

function property(plan: GraphPlan, id: string, column: string) {
  return (plan.nodes.find((n) => n.id === id) as NodeEntry).properties.find((p) => p.column === column)!;
}

describe('values no rule can hold (nodes)', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;

  before(async () => {
    db = await trapsDatabase('probenodes');
  });
  after(async () => {
    await db?.drop();
  });

  withNodeRedServer();

  describe('pg schema', () => {
    async function plan(settings: Record<string, unknown>): Promise<GraphPlan> {
      const flow = [
        postgresConfig(db, APP),
        { id: 'tab', type: 'tab', label: 'schema' },
        { id: 'schema', type: 'pg2graph-schema', z: 'tab', postgres: 'pgcfg', schemas: 'public', wires: [['out']], ...settings },
        { id: 'out', type: 'helper', z: 'tab' },
      ];
      await helper.load([postgresNode, schemaNode], flow, credentials(db));
      const out = nextMessage<{ plan: GraphPlan }>(helper.getNode('out'), 20_000);
      helper.getNode('schema').receive({ payload: 'go' });
      return (await out).plan;
    }

    it('probes the data by default: lossless policies, a warning on each entry and from the node', async () => {
      const probed = await plan({});
      assert.equal(property(probed, 'public.traps', 'tags').nullElements, 'json');
      assert.equal(property(probed, 'public.traps', 'opens').as, 'string');
      assert.equal(property(probed, 'public.loose', 'tags').nullElements, 'json');
      const traps = probed.nodes.find((n) => n.id === 'public.traps')!;
      assert.ok(
        traps.warnings.some((w) =>
          w.startsWith('column "grid" (int4[]): probing the data found values rule "list<integer>" cannot hold (1 row of table public.traps'),
        ),
      );
      // one node warning per changed column (the test runtime shows message keys, not texts)
      assert.deepEqual(warningTexts('schema'), Array(7).fill('pg2graph-schema.warnings.probed'));
    });

    it('with "probe the data" off keeps the default policies', async () => {
      const defaults = await plan({ probe: false });
      assert.equal(property(defaults, 'public.traps', 'tags').nullElements, 'error');
      assert.equal(property(defaults, 'public.traps', 'opens').as, 'localTime');
      assert.deepEqual(warningTexts('schema'), []);
    });
  });

  describe('pg read', () => {
    async function defaults(): Promise<GraphPlan> {
      const { PostgresConnection } = await import('../../dist/engine/connect/postgres-connection');
      const { introspectDatabase } = await import('../../dist/engine/schema');
      const { generatePlan } = await import('../../dist/engine/plan/generate');
      const connection = new PostgresConnection(db.settings);
      try {
        return generatePlan(await introspectDatabase(connection, { schemas: ['public'] }));
      } finally {
        await connection.close();
      }
    }

    it('refuses a run whose data its plan cannot hold before sending anything, naming every problem', async () => {
      await helper.load([postgresNode, readNode], [postgresConfig(db, APP), ...readFlow({})], credentials(db));
      const recorder = new Recorder();
      helper.getNode('reader').receive({ plan: await defaults() });
      const { complete, error } = await recorder.outcome();
      assert.equal(complete, undefined);
      assert.equal(error?.error?.code, 'PLAN_VALUES_UNREPRESENTABLE');
      assert.match(error!.error!.message, /\(7 problems in 7 columns\); nothing was read or written/);
      for (const column of ['tags', 'grid', 'opens', 'opens_tz', 'slots', 'stamps'])
        assert.ok(error!.error!.message.includes(`entry "public.traps"`) && error!.error!.message.includes(`column "${column}"`));
      assert.deepEqual(recorder.events, [], 'no runStart, no batch');
    });

    it('with "preflight" off sends every row as before', async () => {
      await helper.load([postgresNode, readNode], [postgresConfig(db, APP), ...readFlow({ preflight: false })], credentials(db));
      const recorder = new Recorder();
      helper.getNode('reader').receive({ plan: await defaults(), entries: ['public.traps'] });
      const { complete, error } = await recorder.outcome();
      assert.equal(error, undefined, error?.error?.message);
      assert.equal(complete?.payload.rows, 5);
      assert.equal(complete?.payload.preflight, undefined);
    });
  });
});
