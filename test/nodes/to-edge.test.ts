/** fk → edge in Node-RED: behind pg read's relationship output, with msg.plan instead of msg.ends, and bad input. */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { helper, nextMessage, withNodeRedServer } from '../support/node-red';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { credentials, postgresConfig, postgresNode, readNode, statusTexts, toEdgeNode, type Msg } from './read-flow';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { RelationshipBatch, RowBatch } from '../../dist/engine/core/records';

const PLAN: GraphPlan = {
  version: 1,
  source: { schemas: ['public'] },
  options: { batchSize: 3, writeMode: 'merge' },
  nodes: [
    {
      id: 'public.teams',
      table: { schema: 'public', name: 'teams' },
      label: 'Team',
      key: ['teamId'],
      properties: [{ column: 'id', name: 'teamId', pgType: 'int8', as: 'integer' }],
      warnings: [],
    },
    {
      id: 'public.players',
      table: { schema: 'public', name: 'players' },
      label: 'Player',
      labels: ['Person'],
      key: ['playerId'],
      properties: [{ column: 'id', name: 'playerId', pgType: 'int4', as: 'integer' }],
      warnings: [],
    },
  ],
  relationships: [
    {
      id: 'public.players.players_team_id_fkey',
      type: 'PLAYS_FOR',
      source: { kind: 'foreignKey', table: { schema: 'public', name: 'players' }, constraint: 'players_team_id_fkey' },
      from: { node: 'public.players', match: { playerId: 'id' } },
      to: { node: 'public.teams', match: { teamId: 'team_id' } },
      properties: [{ column: 'since', name: 'since', pgType: 'date', as: 'date' }],
    },
  ],
};

function rowBatch(columns: string[], rows: Array<Array<string | null>>): RowBatch {
  return { kind: 'rows', columns, rows, batch: { run: 'manual', seq: 1, phase: 'relationships', entry: 'manual', index: 0, rows: rows.length, last: true } };
}

describe('pg2graph-to-edge node', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;

  before(async () => {
    db = await createScratchDatabase('toedge');
    await db.query(`CREATE TABLE teams (id int8 PRIMARY KEY); INSERT INTO teams VALUES (1), (2);
      CREATE TABLE players (id int4 PRIMARY KEY, team_id int4 REFERENCES teams, since date);
      INSERT INTO players VALUES (1, 1, '2020-01-01'), (2, NULL, NULL), (3, 2, '1999-12-31'), (4, 2, NULL), (5, NULL, '2001-01-01')`);
  });
  after(async () => {
    await db.drop();
  });
  withNodeRedServer();

  const load = (edger: Record<string, unknown> = {}) =>
    helper.load(
      [postgresNode, readNode, toEdgeNode],
      [
        postgresConfig(db, 'pg2graph-to-edge-test'),
        { id: 'tab', type: 'tab', label: 'to-edge' },
        { id: 'reader', type: 'pg2graph-read', z: 'tab', postgres: 'pgcfg', batchSize: '', maxUnacknowledged: '4', wires: [['nodes'], ['edger'], ['done']] },
        { id: 'nodes', type: 'helper', z: 'tab' },
        { id: 'edger', type: 'pg2graph-to-edge', z: 'tab', ...edger, wires: [['shaped'], ['rejected']] },
        { id: 'shaped', type: 'helper', z: 'tab' },
        { id: 'rejected', type: 'helper', z: 'tab' },
        { id: 'done', type: 'helper', z: 'tab' },
        { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper', z: 'tab' },
      ],
      credentials(db),
    );

  it('pg read output 2 -> fk -> edge: relationship records with the end key rules, NULL foreign keys counted', async () => {
    await load();
    // acknowledged as a writer would: every batch and control message, relationship batches with the shaper's count
    const ack = (msg: Msg) => {
      const of = msg.control ?? msg.payload.batch;
      const skippedNullMatch = msg.payload?.kind === 'relationships' ? msg.payload.skippedNullMatch : undefined;
      helper.getNode('reader').receive({ ack: { run: of.run, seq: of.seq, ok: true, ...(skippedNullMatch ? { skippedNullMatch } : {}) } });
    };
    helper.getNode('nodes').on('input', (msg: Msg) => setImmediate(() => ack(msg)));
    const shaped: Msg[] = [];
    helper.getNode('shaped').on('input', (msg: Msg) => {
      if (!msg.control) shaped.push(msg);
      setImmediate(() => ack(msg));
    });
    const completion = nextMessage<Msg>(helper.getNode('done'), 20_000);
    helper.getNode('reader').receive({ plan: PLAN });
    const complete = await completion;
    const batches = shaped.map((m) => m.payload as RelationshipBatch);
    assert.deepEqual(
      batches.map((b) => b.skippedNullMatch),
      [1, 1],
    );
    assert.equal(
      complete.payload.entries['public.players.players_team_id_fkey'].skippedNullMatch,
      2,
      "the completion adds up the shaper's counts from the acknowledgements",
    );
    const first = batches[0];
    assert.equal(first.kind, 'relationships');
    assert.equal(first.type, 'PLAYS_FOR');
    assert.deepEqual(first.from, { labels: ['Player', 'Person'], match: ['playerId'] });
    assert.deepEqual(first.to, { labels: ['Team'], match: ['teamId'] });
    assert.deepEqual(first.columns, ['playerId', 'teamId', 'since']);
    assert.deepEqual(
      first.rows.map((r) => [String(r[0]), String(r[1])]),
      [
        ['1', '1'],
        ['3', '2'],
      ],
    );
    assert.ok(neo4j.isInt(first.rows[0][1]) && neo4j.isDate(first.rows[0][2] as object));
    assert.equal(shaped[0].entry.id, 'public.players.players_team_id_fkey', 'msg.entry is kept');
    assert.ok(shaped[0].ends, 'msg.ends is kept');
    assert.equal(statusTexts('edger').pop(), 'pg2graph-to-edge.status.shaped');
  });

  it('derives the ends from msg.plan when msg.ends is absent', async () => {
    await load();
    const out = nextMessage<Msg>(helper.getNode('shaped'));
    helper.getNode('edger').receive({ payload: rowBatch(['id', 'team_id', 'since'], [['7', '2', null]]), entry: PLAN.relationships[0], plan: PLAN });
    const batch = (await out).payload as RelationshipBatch;
    assert.deepEqual(
      batch.rows.map((r) => r.map((v) => (v === null ? null : String(v)))),
      [['7', '2', null]],
    );
  });

  // since = 'infinity' under infinity "error": a value the rule cannot hold
  const strict = {
    ...PLAN.relationships[0],
    properties: [{ column: 'since', name: 'since', pgType: 'date', as: 'date' as const, infinity: 'error' as const }],
  };
  const mixed = () =>
    rowBatch(
      ['id', 'team_id', 'since'],
      [
        ['1', '1', 'infinity'],
        ['3', '2', '1999-12-31'],
      ],
    );

  it('a row whose value its rule cannot hold goes to output 2 as msg.rejects, keyed by both ends (the default)', async () => {
    await load();
    const shaped = nextMessage<Msg>(helper.getNode('shaped'));
    const rejected = nextMessage<Msg>(helper.getNode('rejected'));
    helper.getNode('edger').receive({ payload: mixed(), entry: strict, plan: PLAN });
    const [records, rejects] = await Promise.all([shaped, rejected]);
    assert.deepEqual(
      (records.payload as RelationshipBatch).rows.map((r) => String(r[0])),
      ['3'],
    );
    assert.deepEqual(rejects.rejects, [
      { entry: strict.id, key: '{"from":["1"],"to":["1"]}', column: 'since', value: 'infinity', reason: 'infinite date (infinity policy is "error")' },
    ]);
  });

  const bad: Array<{ title: string; settings?: Record<string, unknown>; msg: Record<string, unknown>; code: string; mentions: RegExp }> = [
    {
      title: 'a value its rule cannot hold, with Invalid values: fail',
      settings: { onInvalid: 'fail' },
      msg: { payload: mixed(), entry: strict, plan: PLAN },
      code: 'VALUE_INVALID',
      mentions: /column "since", row \{"from":\["1"\],"to":\["1"\]\}: infinite date/,
    },
    {
      title: 'an onInvalid setting that is neither reject nor fail',
      settings: { onInvalid: 'drop' },
      msg: { payload: mixed(), entry: strict, plan: PLAN },
      code: 'SHAPE_SETTING_INVALID',
      mentions: /onInvalid must be "reject" or "fail", got "drop"/,
    },
    {
      title: 'no relationship entry',
      msg: { payload: rowBatch(['id'], [['1']]), entry: PLAN.nodes[0] },
      code: 'SHAPE_ENTRY_INVALID',
      mentions: /noRelationshipEntry/,
    },
    {
      title: 'neither msg.ends nor msg.plan',
      msg: { payload: rowBatch(['id', 'team_id', 'since'], [['1', '1', null]]), entry: PLAN.relationships[0] },
      code: 'SHAPE_ENDS_MISSING',
      mentions: /"from" end/,
    },
    {
      title: 'a row batch without the match column',
      msg: { payload: rowBatch(['id'], [['1']]), entry: PLAN.relationships[0], plan: PLAN },
      code: 'SHAPE_COLUMN_MISSING',
      mentions: /"team_id"/,
    },
  ];
  for (const c of bad) {
    it(`bad input to a Catch node: ${c.title}`, async () => {
      await load(c.settings);
      const caught = nextMessage<Msg>(helper.getNode('caught'));
      helper.getNode('edger').receive(c.msg);
      const msg = await caught;
      assert.equal(msg.error?.code, c.code, msg.error?.message);
      assert.match(msg.error?.message ?? '', c.mentions);
    });
  }
});
