/** row → node in Node-RED: behind pg read (writing to the real Neo4j and acknowledging), alone, and bad input. */
import assert from 'assert/strict';
import neo4j, { type Driver } from 'neo4j-driver';
import { helper, nextMessage, withNodeRedServer } from '../support/node-red';
import { clearGraph, createScratchDatabase, testDriver, type ScratchDatabase } from '../support/databases';
import { credentials, postgresConfig, postgresNode, readNode, statusTexts, toNodeNode, type Msg } from './read-flow';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { NodeBatch, RowBatch } from '../../dist/engine/core/records';

const tick = (name: string) => `\`${name.replace(/`/g, '``')}\``;

const PLAN: GraphPlan = {
  version: 1,
  source: { schemas: ['public'] },
  options: { batchSize: 4, writeMode: 'merge' },
  nodes: [
    {
      id: 'public.people',
      table: { schema: 'public', name: 'people' },
      label: 'Person',
      key: ['personId'],
      keySource: 'primaryKey',
      properties: [
        { column: 'id', name: 'personId', pgType: 'int8', as: 'integer' },
        { column: 'name', name: 'name', pgType: 'text', as: 'string' },
        { column: 'born', name: 'born', pgType: 'timestamptz', as: 'dateTime', infinity: 'string' },
      ],
      computed: [{ name: 'initial', expression: '$substring(name, 0, 1)' }],
      warnings: [],
    },
  ],
  relationships: [],
};

function flow(toNode: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'to-node' },
    { id: 'reader', type: 'pg2graph-read', z: 'tab', postgres: 'pgcfg', batchSize: '', maxUnacknowledged: '2', wires: [['shaper'], [], ['done']] },
    { id: 'shaper', type: 'pg2graph-to-node', z: 'tab', label: '', key: '', rules: '', computed: '', ...toNode, wires: [['shaped'], ['rejected']] },
    { id: 'shaped', type: 'helper', z: 'tab' },
    { id: 'rejected', type: 'helper', z: 'tab' },
    { id: 'done', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

function rowBatch(columns: string[], rows: Array<Array<string | null>>): RowBatch {
  return { kind: 'rows', columns, rows, batch: { run: 'manual', seq: 1, phase: 'nodes', entry: 'manual', index: 0, rows: rows.length, last: true } };
}

describe('pg2graph-to-node node', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let driver: Driver;

  before(async () => {
    db = await createScratchDatabase('tonode');
    await db.query(`CREATE TABLE people (id int8 PRIMARY KEY, name text, born timestamptz);
      INSERT INTO people VALUES (9223372036854775807, 'Ada', '1815-12-10 08:00:00.123456+01'), (2, 'Grace', NULL), (3, NULL, 'infinity'),
        (4, 'Linus', '1969-12-28 00:00:00+02'), (5, 'Émilie', '1706-12-17 00:00:00+00')`);
    driver = testDriver();
    await clearGraph(driver);
  });
  after(async () => {
    await driver.close();
    await db.drop();
  });
  withNodeRedServer();

  const load = (toNode: Record<string, unknown> = {}) =>
    helper.load([postgresNode, readNode, toNodeNode], [postgresConfig(db, 'pg2graph-to-node-test'), ...flow(toNode)], credentials(db));

  it('pg read -> row -> node: node batches written with a plain UNWIND, acknowledged back, every row in Neo4j', async () => {
    await load();
    let work = Promise.resolve();
    const shapedBatches: NodeBatch[] = [];
    helper.getNode('shaped').on('input', (msg: Msg) => {
      if (msg.control) {
        // a hand-made writer acknowledges the run's control messages too
        const { run, seq } = msg.control;
        work = work.then(() => {
          helper.getNode('reader').receive({ ack: { run, seq, ok: true } });
        });
        return;
      }
      const batch = msg.payload as NodeBatch;
      shapedBatches.push(batch);
      assert.equal(msg.entry.id, 'public.people', 'msg.entry is kept');
      work = work.then(async () => {
        const sets = batch.columns
          .slice(1)
          .map((c, i) => `n.${tick(c)} = r[${i + 1}]`)
          .join(', ');
        await driver.executeQuery(`UNWIND $rows AS r MERGE (n:${batch.labels.map(tick).join(':')} {${tick(batch.key[0])}: r[0]}) SET ${sets}`, {
          rows: batch.rows,
        });
        helper.getNode('reader').receive({ ack: { run: batch.batch.run, seq: batch.batch.seq, entry: batch.batch.entry, ok: true } });
      });
    });
    const completion = nextMessage<Msg>(helper.getNode('done'), 20_000);
    helper.getNode('reader').receive({ plan: PLAN });
    const complete = await completion;
    assert.equal(complete.payload.rows, 5);
    assert.deepEqual(
      shapedBatches.map((b) => b.rows.length),
      [4, 1],
    );
    assert.deepEqual(shapedBatches[0].columns, ['personId', 'name', 'born', 'initial']);
    const back = await driver.executeQuery(
      'MATCH (p:Person) RETURN p.personId AS id, p.name AS name, p.born AS born, p.initial AS initial ORDER BY p.personId',
    );
    assert.equal(back.records.length, 5);
    const ada = back.records[back.records.length - 1];
    assert.equal(String(ada.get('id')), '9223372036854775807');
    assert.ok(neo4j.isDateTime(ada.get('born')));
    assert.equal(Number(ada.get('born').nanosecond), 123_456_000);
    assert.equal(Number(ada.get('born').hour), 7, '08:00+01 is 07:00 UTC');
    assert.equal(ada.get('initial'), 'A');
    const three = back.records.find((r) => String(r.get('id')) === '3');
    assert.equal(three?.get('name'), null, 'NULL: no property');
    assert.equal(three?.get('born'), 'infinity');
    assert.equal(statusTexts('shaper').pop(), 'pg2graph-to-node.status.shaped');
  });

  it('works alone with its own mapping (label, key columns, rules, computed) when msg.entry is absent', async () => {
    await load({ label: 'City', key: 'id', rules: '{"id": "integer", "founded": "date"}', computed: '[{"name": "upper", "expression": "$uppercase(name)"}]' });
    const out = nextMessage<Msg>(helper.getNode('shaped'));
    helper.getNode('shaper').receive({
      payload: rowBatch(
        ['id', 'name', 'founded'],
        [
          ['1', 'Rome', '0753-04-21 BC'],
          ['2', 'Oslo', null],
        ],
      ),
    });
    const msg = await out;
    const batch = msg.payload as NodeBatch;
    assert.equal(batch.kind, 'nodes');
    assert.deepEqual(batch.labels, ['City']);
    assert.deepEqual(batch.key, ['id']);
    assert.deepEqual(batch.columns, ['id', 'name', 'founded', 'upper']);
    assert.ok(neo4j.isInt(batch.rows[0][0]));
    assert.equal(Number((batch.rows[0][2] as { year: number }).year), -752);
    assert.equal(batch.rows[1][3], 'OSLO');
    assert.equal(batch.rows[1][2], null);
  });

  it('refines the entry that comes with the batch: label, key, rules and computed properties from its settings', async () => {
    await load({ label: 'Human', key: 'name', rules: '{"born": "string"}', computed: '[{"name": "shout", "expression": "$uppercase(name)"}]' });
    const out = nextMessage<Msg>(helper.getNode('shaped'));
    helper.getNode('shaper').receive({ payload: rowBatch(['id', 'name', 'born'], [['7', 'Ada', '1815-12-10 07:00:00.123456+00']]), entry: PLAN.nodes[0] });
    const batch = (await out).payload as NodeBatch;
    assert.deepEqual(batch.labels, ['Human']);
    assert.deepEqual(batch.key, ['name']);
    assert.deepEqual(batch.columns, ['name', 'personId', 'born', 'initial', 'shout']);
    assert.deepEqual(batch.rows[0].slice(2), ['1815-12-10 07:00:00.123456+00', 'A', 'ADA'], 'born kept as text by the rule; both computed properties');
    assert.ok(neo4j.isInt(batch.rows[0][1]));
  });

  it('a row whose value its rule cannot hold goes to output 2 as msg.rejects (the default); the rest of the batch goes on', async () => {
    await load();
    const shaped = nextMessage<Msg>(helper.getNode('shaped'));
    const rejected = nextMessage<Msg>(helper.getNode('rejected'));
    helper.getNode('shaper').receive({
      payload: rowBatch(
        ['id', 'name', 'born'],
        [
          ['1', 'Ada', null],
          ['12', 'x', 'yesterday'],
          [null, 'nobody', null],
        ],
      ),
      entry: PLAN.nodes[0],
    });
    const [records, rejects] = await Promise.all([shaped, rejected]);
    const batch = records.payload as NodeBatch;
    assert.deepEqual(
      batch.rows.map((r) => String(r[0])),
      ['1'],
    );
    assert.equal(batch.rejects?.length, 2, 'the batch carries its rejects, so the writer counts them in its acknowledgement');
    assert.deepEqual(rejects.rejects, [
      { entry: 'public.people', key: '["12"]', column: 'born', value: 'yesterday', reason: 'malformed timestamptz text' },
      { entry: 'public.people', key: '[null]', column: 'id', reason: 'key property "personId" (column "id") is NULL; every node needs its whole key' },
    ]);
    assert.deepEqual(rejects.payload, rejects.rejects);
    assert.equal(rejects.topic, 'manual', "the batch's entry");
    assert.equal(statusTexts('shaper').pop(), 'pg2graph-to-node.status.shaped');

    // a batch without rejects sends nothing on output 2
    let extra = 0;
    helper.getNode('rejected').on('input', () => extra++);
    const next = nextMessage<Msg>(helper.getNode('shaped'));
    helper.getNode('shaper').receive({ payload: rowBatch(['id', 'name', 'born'], [['2', 'Bo', null]]), entry: PLAN.nodes[0] });
    assert.equal(((await next).payload as NodeBatch).rows.length, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(extra, 0);
  });

  const bad: Array<{ title: string; settings?: Record<string, unknown>; msg: Record<string, unknown>; code: string; mentions: RegExp }> = [
    { title: 'no msg.entry and no mapping', msg: { payload: rowBatch(['id'], [['1']]) }, code: 'SHAPE_MAPPING_MISSING', mentions: /label/ },
    {
      title: 'rules that are not JSON',
      settings: { label: 'X', key: 'id', rules: '{id: integer}' },
      msg: { payload: rowBatch(['id'], [['1']]) },
      code: 'SHAPE_MAPPING_INVALID',
      mentions: /pg2graph-to-node\.errors\.settingNotJson/,
    },
    {
      title: 'a relationship entry',
      msg: {
        payload: rowBatch(['id'], [['1']]),
        entry: {
          id: 'r',
          type: 'T',
          source: { kind: 'joinTable', table: { schema: 'public', name: 'x' } },
          from: { node: 'a', match: {} },
          to: { node: 'b', match: {} },
          properties: [],
        },
      },
      code: 'SHAPE_ENTRY_INVALID',
      mentions: /fk → edge|relationshipEntry/,
    },
    { title: 'a payload that is not a row batch', msg: { payload: 'hello', entry: PLAN.nodes[0] }, code: 'SHAPE_ROWS_INVALID', mentions: /RowBatch/ },
    {
      title: 'a key column the entry does not map',
      settings: { key: 'nickname' },
      msg: { payload: rowBatch(['id', 'name', 'born'], [['1', 'x', null]]), entry: PLAN.nodes[0] },
      code: 'SHAPE_COLUMN_MISSING',
      mentions: /key column "nickname"/,
    },
    {
      title: 'a value its rule cannot hold, with Invalid values: fail',
      settings: { onInvalid: 'fail' },
      msg: { payload: rowBatch(['id', 'name', 'born'], [['12', 'x', 'yesterday']]), entry: PLAN.nodes[0] },
      code: 'VALUE_INVALID',
      mentions: /column "born", row \["12"\]: malformed timestamptz text: "yesterday"/,
    },
    {
      title: 'an onInvalid setting that is neither reject nor fail',
      settings: { onInvalid: 'ignore' },
      msg: { payload: rowBatch(['id', 'name', 'born'], [['12', 'x', null]]), entry: PLAN.nodes[0] },
      code: 'SHAPE_SETTING_INVALID',
      mentions: /onInvalid must be "reject" or "fail", got "ignore"/,
    },
  ];
  for (const c of bad) {
    it(`bad input to a Catch node: ${c.title}`, async () => {
      await load(c.settings ?? {});
      const caught = nextMessage<Msg>(helper.getNode('caught'));
      helper.getNode('shaper').receive(c.msg);
      const msg = await caught;
      assert.equal(msg.error?.code, c.code, msg.error?.message);
      assert.match(msg.error?.message ?? '', c.mentions);
      assert.equal(statusTexts('shaper').pop(), 'pg2graph-to-node.status.failed');
    });
  }
});
