/**
 * Example flows 2, 3, 4 and 5 run for real in a Node-RED runtime (4.1 or 5.0) with the pack installed, as a user
 * imports them: the one-table flow writes :Person nodes with the tuned mapping, the stop / resume / re-run
 * flow stops half way, resumes from the writer's checkpoints and verifies, the export flow writes a
 * complete neo4j-admin set under the user directory, which the real import loads and verify passes on, and the
 * graph query flow answers on the migrated graph what Postgres answers. (Flow 1 runs in the demo test.)
 */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { nodeRedMajor } from '../support/env';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { createSampleDatabase, expectedEntryRows, type SampleDatabase } from '../support/sample';
import { readExportManifest } from '../support/export-files';
import { planFingerprint } from '../../dist/engine/plan';
import { importAndStart } from '../support/neo4j-admin-load';
import { verifyClean } from '../support/export-proof';
import type { Manifest } from '../../dist/engine/write/files/manifest';
import { graphCounts } from '../support/graph-counts';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate } from '../../dist/engine/migrate/migrate';
import { compareResultSets } from '../../dist/engine/query/compare-results';
import { byName, comms, DebugLog, example, startNodeRed, type FlowNode, type Runtime } from '../support/runtime';

describe(`example flows in a real Node-RED ${nodeRedMajor()}`, function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let driver: Driver;
  let runtime: Runtime;
  let socket: { close(): void };
  const debugs = new DebugLog(() => runtime);
  const statuses: Array<[string, string]> = [];
  /** Neo4j homes the export example imports into. */
  const homes: string[] = [];

  before(async () => {
    db = await createSampleDatabase('examples');
    driver = testDriver();
    const neo = neo4jSettings();
    runtime = await startNodeRed({
      major: nodeRedMajor(),
      settings: { debugMaxLength: 200_000 },
      env: { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password },
    });
    socket = await comms.watchRuntime(runtime.url, {
      onDebug: (d) => debugs.add(d),
      onStatus: (id, s) => {
        if (s.text) statuses.push([id, s.text]);
      },
    });
  });
  after(async () => {
    socket?.close();
    await runtime?.stop();
    await driver?.close();
    await db?.drop();
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });
  beforeEach(async () => {
    debugs.messages.length = 0;
    statuses.length = 0;
    await clearGraph(driver);
  });

  const nextDebug = (id: string) => debugs.next(id);

  it('2: one table with a hand-tuned mapping writes :Person nodes with the flattened json and the computed property', async () => {
    const flow = example('2 One table with a hand-tuned mapping');
    await comms.deployFlow(runtime.url, flow);
    const done = nextDebug(byName(flow, 'read totals').id);
    await comms.clickInject(runtime.url, byName(flow, 'bookshop.customer').id);
    const totals = JSON.parse(await done) as { stopped: boolean; rows: number };
    assert.equal(totals.stopped, false);
    assert.equal(totals.rows, 600);
    assert.deepEqual((await graphCounts(driver)).nodes, { Person: 600 });
    const ada = (await driver.executeQuery('MATCH (p:Person {customer_id: $id}) RETURN properties(p) AS p', { id: neo4j.int(4) })).records[0].get('p');
    assert.equal(ada.displayName, 'Barbara Liskov <customer4@example.com>');
    assert.equal(ada.preferences_language, 'en');
    assert.equal(ada.preferences_giftWrap, true);
    assert.equal(ada.preferences, undefined, 'the jsonb column itself became one property per key');
  });

  it('3: stop half way, resume from the checkpoints, then verify; a re-run changes nothing and verifies again', async () => {
    const flow = example('3 Stop, resume and re-run a migration');
    await comms.deployFlow(runtime.url, flow);
    const start = byName(flow, 'start / resume').id;
    const reader = byName(flow, 'small batches').id;
    const result = byName(flow, 'run result').id;
    const summary = byName(flow, 'verification summary').id;

    let stopped = nextDebug(result);
    await comms.clickInject(runtime.url, start);
    // stop once pg read reports progress (it reads 100 rows a batch, two in flight)
    const deadline = Date.now() + 60_000;
    while (!statuses.some(([id, text]) => id === reader && /rows/.test(text)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await comms.clickInject(runtime.url, byName(flow, 'stop').id);
    const first = JSON.parse(await stopped) as { topic: string; payload: { stopped: boolean; rows: number } };
    assert.equal(first.topic, 'stopped');
    assert.ok(first.payload.rows < 25_339, `stopped before the end (${first.payload.rows} rows)`);
    await nextDebug(summary);

    stopped = nextDebug(result);
    const verified = nextDebug(summary);
    await comms.clickInject(runtime.url, start);
    const second = JSON.parse(await stopped) as { topic: string; payload: { stopped: boolean; rows: number } };
    assert.equal(second.topic, 'complete');
    assert.ok(first.payload.rows + second.payload.rows < 2 * 25_339, 'the second run resumed instead of reading everything again');
    assert.match(await verified, /^verification PASSED/);

    const again = nextDebug(summary);
    await comms.clickInject(runtime.url, start);
    assert.match(await again, /^verification PASSED/);
  });

  it('4: export for neo4j-admin import writes a complete set under the user directory, the manifest reaches the debug node, and the set imports and verifies', async () => {
    const flow = example('4 Export for neo4j-admin import');
    const exporter = flow.find((n) => n.type === 'pg2graph-export') as FlowNode & { format: string; dir: string };
    assert.equal(exporter.format, 'neo4j-admin');
    await comms.deployFlow(runtime.url, flow);
    const shown = nextDebug(byName(flow, 'manifest').id);
    await comms.clickInject(runtime.url, byName(flow, 'start export').id);
    const manifest = JSON.parse(await shown) as Manifest;
    assert.equal(manifest.complete, true);
    assert.equal(manifest.format, exporter.format);
    const dir = path.join(runtime.userDir, exporter.dir);
    assert.deepEqual(readExportManifest(dir), manifest, 'the set is under the user directory');
    const rows: Record<string, number> = {};
    for (const file of manifest.files) if (!file.header) rows[file.entry] = (rows[file.entry] ?? 0) + file.rows;
    assert.deepEqual(rows, await expectedEntryRows(db, db.plan));
    // the set loads: the real import into a fresh store, the constraints, then verify passes on it
    assert.equal(manifest.planFingerprint, planFingerprint(db.plan), 'the plan pg schema proposed is the sample plan');
    const loaded = await importAndStart(dir, manifest.importArgs!, homes);
    try {
      await verifyClean(db, loaded.target, db.plan);
    } finally {
      await loaded.stop();
    }
  });

  it('5: graph query answers on the migrated graph what Postgres answers: the same rows, in order; msg.cypher runs instead', async () => {
    const source = db.connection();
    const target = new Neo4jConnection(neo4jSettings());
    try {
      await migrate(source, target, { plan: db.plan });
    } finally {
      await source.close();
      await target.close();
    }
    const flow = example('5 Ask the migrated graph');
    await comms.deployFlow(runtime.url, flow);
    const rows = nextDebug(byName(flow, 'rows').id);
    await comms.clickInject(runtime.url, byName(flow, 'books since 2000').id);
    const answer = JSON.parse(await rows) as Array<Record<string, unknown>>;
    assert.equal(answer.length, 5);
    const asked = await db.query('SELECT isbn, title, price, published FROM bookshop.book WHERE published >= $1 ORDER BY published DESC, isbn LIMIT 5', [
      '2000-01-01',
    ]);
    const comparison = compareResultSets(
      { columns: asked.fields.map((f) => f.name), rows: asked.rows as Array<Record<string, unknown>> },
      { columns: ['isbn', 'title', 'price', 'published'], rows: answer },
      { ordered: true },
    );
    assert.deepEqual(comparison, { equal: true, differences: [] });
    assert.equal(typeof answer[0].price, 'string', 'a numeric stays exact decimal text');
    assert.match(String(answer[0].published), /^\d{4}-\d{2}-\d{2}$/);
    const counted = nextDebug(byName(flow, 'rows').id);
    await comms.clickInject(runtime.url, byName(flow, 'count the books').id);
    const books = (await db.query<{ n: string }>('SELECT count(*) AS n FROM bookshop.book')).rows[0].n;
    assert.equal((JSON.parse(await counted) as Array<{ books: number }>)[0].books, Number(books));
  });
});
