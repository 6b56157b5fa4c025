/** Redeploying while batches are being written stops the writer promptly and leaves no half-written batch. */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { helper, nodeModule, withNodeRedServer } from '../support/node-red';
import { neo4jSettings, testDriver } from '../support/databases';
import { count, emptyGraph, int, nodeBatches, type NodeSpec } from '../engine/write-batches';

const spec: NodeSpec = { entry: 'public.items', labels: ['Item'], key: ['itemId'], columns: ['itemId', 'name'] };

describe('pg2graph-write node: redeploy while writing', function () {
  this.timeout(60_000);
  let driver: Driver;
  before(() => {
    driver = testDriver();
  });
  after(async () => {
    await driver.close();
  });
  beforeEach(() => emptyGraph(driver));
  withNodeRedServer();

  it('stops within seconds; every batch is either fully written or not at all', async () => {
    await helper.load(
      [nodeModule('pg2graph-neo4j'), nodeModule('pg2graph-write')],
      [
        { id: 'tab', type: 'tab', label: 'write' },
        { id: 'cfg', type: 'pg2graph-neo4j', uri: neo4jSettings().uri, database: '', dialect: 'neo4j', tls: 'uri' },
        { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'cfg', mode: 'merge', concurrency: 2, wires: [['acks'], []] },
        { id: 'acks', type: 'helper', z: 'tab' },
      ],
      { cfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string } },
    );
    const acked: number[] = [];
    helper.getNode('acks').on('input', (msg: { ack?: { ok: boolean; seq: number } }) => {
      if (msg.ack?.ok) acked.push(msg.ack.seq);
    });
    const rows = Array.from({ length: 40_000 }, (_, i) => [int(i + 1), `item ${i + 1}`]);
    for (const batch of nodeBatches(spec, rows, 2000)) helper.getNode('writer').receive({ payload: batch });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    const took = Date.now() - started;
    assert.ok(took < 6000, `redeploy took ${took} ms`);
    const written = await count(driver, 'MATCH (n:Item) RETURN count(n)');
    assert.equal(written % 2000, 0, `${written} nodes: whole batches only`);
    assert.ok(written >= acked.length * 2000, 'every acknowledged batch is in the graph');
    console.log(`      redeploy took ${took} ms; ${written / 2000} of 20 batches written, ${acked.length} acknowledged`);
  });

  it('redeployed alone ("modified nodes") with batches in flight: answers every batch it held, as failed once closed', async () => {
    const flow = (concurrency: number) => [
      { id: 'tab', type: 'tab', label: 'write' },
      { id: 'cfg', type: 'pg2graph-neo4j', uri: neo4jSettings().uri, database: '', dialect: 'neo4j', tls: 'uri' },
      { id: 'writer', type: 'pg2graph-write', z: 'tab', neo4j: 'cfg', mode: 'merge', concurrency, wires: [['acks'], []] },
      { id: 'acks', type: 'helper', z: 'tab' },
    ];
    await helper.load([nodeModule('pg2graph-neo4j'), nodeModule('pg2graph-write')], flow(2), {
      cfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string },
    });
    const answers = new Map<number, { ok: boolean; code?: string }>();
    helper.getNode('acks').on('input', (msg: { ack?: { ok: boolean; seq: number; error?: { code: string } } }) => {
      if (msg.ack) answers.set(msg.ack.seq, { ok: msg.ack.ok, code: msg.ack.error?.code });
    });
    const batches = [
      ...nodeBatches(
        spec,
        Array.from({ length: 40_000 }, (_, i) => [int(i + 1), `item ${i + 1}`]),
        2000,
      ),
    ];
    for (const batch of batches) helper.getNode('writer').receive({ payload: batch });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answeredBefore = answers.size;
    // only the writer changed: the acknowledgements' destination stays, as pg read does in a flow
    await helper.setFlows(flow(3), 'nodes');
    for (const deadline = Date.now() + 15_000; answers.size < batches.length && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    assert.equal(answers.size, batches.length, `every batch was answered (${answers.size} of ${batches.length})`);
    const failed = [...answers.values()].filter((a) => !a.ok);
    assert.ok(failed.length > 0 && answeredBefore < batches.length, 'batches were still held when the writer closed');
    assert.ok(
      failed.every((a) => a.code === 'WRITE_ABORTED'),
      JSON.stringify(failed),
    );
    const written = await count(driver, 'MATCH (n:Item) RETURN count(n)');
    assert.equal(written % 2000, 0, `${written} nodes: whole batches only`);
    assert.ok(written >= (batches.length - failed.length) * 2000, 'every batch answered as written is in the graph');
  });
});
