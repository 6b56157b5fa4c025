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
});
