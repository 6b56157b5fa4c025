/**
 * graph export (pg2graph-export) in a Node-RED flow (4.1 and 5.0): pg read -> row → node / fk → edge -> graph
 * export on the sample database, the acknowledgements wired back into pg read. The export is complete with the
 * rows of the source per entry and the same records as the engine's export (what `pg2graph export` writes); a
 * run stopped by msg.stop or cut off by a redeploy is resumed by the next run and the set holds every row
 * exactly once; bad settings and directories reach a Catch node by code.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { helper, nextMessage, statusesOf, withNodeRedServer } from '../support/node-red';
import { eventually } from '../support/databases';
import { runMigrationFlow, type Caught, type Completion } from '../support/migration-flow';
import { exportCredentials, exportFlow, exportModules } from '../support/export-flow';
import { expectedEntryRows, sourceRows, createSampleDatabase, type SampleDatabase } from '../support/sample';
import { jsonlRecords, jsonlTally, readExportManifest, type JsonlNode } from '../support/export-files';
import { exportPlan } from '../../dist/engine/migrate/export';
import { planFingerprint } from '../../dist/engine/plan';
import type { Manifest } from '../../dist/engine/write/files/manifest';

type Ack = { run: string; seq: number; entry?: string; ok: boolean; error?: { code: string; message: string } };

/** Rows per entry as the manifest lists them. */
function manifestRows(manifest: Manifest): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const file of manifest.files) if (!file.header) rows[file.entry] = (rows[file.entry] ?? 0) + file.rows;
  return rows;
}

/** Each entry's records as sorted JSON lines: two sets are the same export when these are equal. */
function recordLines(dir: string): Record<string, string[]> {
  const lines: Record<string, string[]> = {};
  for (const [entry, list] of jsonlRecords(dir)) lines[entry] = list.map((r) => JSON.stringify(r)).sort();
  return lines;
}

/** A key value of the jsonl encoding as text: a string, or the one member of a typed value. */
function keyText(value: unknown): string {
  return typeof value === 'object' && value !== null ? String(Object.values(value)[0]) : String(value);
}

describe('graph export node: read -> to-node / to-edge -> export -> (ack) -> read', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let expected: Record<string, number>;
  let allRows: number;
  let root: string;
  /** The engine's export of the same plan (what the command line writes). */
  let reference: Record<string, string[]>;
  let counter = 0;
  const freshDir = () => path.join(root, `set-${++counter}`);

  before(async () => {
    db = await createSampleDatabase('exportnode');
    expected = await expectedEntryRows(db, db.plan);
    allRows = await sourceRows(db, db.plan);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-export-node-'));
    const out = freshDir();
    const source = db.connection();
    try {
      await exportPlan(source, { plan: db.plan, format: 'jsonl', out });
    } finally {
      await source.close();
    }
    reference = recordLines(out);
  });
  after(async () => {
    await db?.drop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  withNodeRedServer();

  const load = (exporter: Record<string, unknown>, batchSize = '') =>
    helper.load(exportModules, exportFlow(db, exporter, { batchSize }), exportCredentials(db));

  /** The node keys of each node entry with key columns, as text, sorted: from the export and from Postgres. */
  async function nodeKeys(dir: string): Promise<Array<{ entry: string; exported: string[]; source: string[] }>> {
    const records = jsonlRecords(dir);
    const found = [];
    for (const entry of db.plan.nodes) {
      const columns = entry.key.map((name) => entry.properties.find((p) => p.name === name)?.column);
      if (columns.some((c) => c === undefined)) continue; // a key computed from the row (no primary key)
      const exported = ((records.get(entry.id) ?? []) as JsonlNode[]).map((r) => JSON.stringify(entry.key.map((k) => keyText(r.key[k])))).sort();
      const select = columns.map((c, i) => `"${c}"::text AS k${i}`).join(', ');
      const rows = (await db.query<Record<string, string>>(`SELECT ${select} FROM "${entry.table!.schema}"."${entry.table!.name}"`)).rows;
      const source = rows.map((row) => JSON.stringify(columns.map((_, i) => row[`k${i}`]))).sort();
      found.push({ entry: entry.id, exported, source });
    }
    return found;
  }

  /** Every row exactly once: per entry the rows of the source, no record twice, keys as in Postgres, the engine's records. */
  async function assertExactlyOnce(dir: string): Promise<void> {
    const manifest = readExportManifest(dir);
    assert.equal(manifest.complete, true);
    assert.deepEqual(manifestRows(manifest), expected);
    assert.equal(jsonlTally(dir).duplicates, 0, 'no record twice');
    const keys = await nodeKeys(dir);
    assert.ok(keys.length >= 5, `node entries with key columns compared (${keys.length})`);
    for (const { entry, exported, source } of keys) assert.deepEqual(exported, source, `${entry}: the keys of the source, each once`);
    assert.deepEqual(recordLines(dir), reference, 'the records the engine exports');
  }

  /** Waits until the directory's manifest counts at least `parts` parts. */
  async function partsWritten(dir: string, parts: number): Promise<void> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      try {
        if (readExportManifest(dir).files.filter((f) => !f.header).length >= parts) return;
      } catch {
        // not written yet, or being replaced
      }
    }
    throw new Error(`the export never reached ${parts} parts`);
  }

  /** An export of 100-row batches cut off by a redeploy after 6 parts, then the flow deployed again; its directory. */
  async function cutOffByRedeploy(): Promise<string> {
    const dir = freshDir();
    await load({ dir }, '100');
    helper.getNode('reader').receive({ plan: db.plan });
    await partsWritten(dir, 6);
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    assert.equal(readExportManifest(dir).complete, false, 'the run was cut off before the end');
    await helper.setFlows(exportFlow(db, { dir, format: 'jsonl' }, { batchSize: '100' }), 'full', exportCredentials(db));
    return dir;
  }

  it('exports the sample database: a complete set with the source rows per entry, every batch acknowledged, the manifest on output 2', async () => {
    const dir = freshDir();
    await load({ dir, format: 'jsonl', gzip: true });
    const acks: Ack[] = [];
    helper.getNode('acks').on('input', (msg: { ack?: Ack }) => {
      if (msg.ack) acks.push(msg.ack);
    });
    const manifestOut = nextMessage<{ topic: string; payload: Manifest; dir: string; format: string }>(helper.getNode('manifest'), 120_000);
    const completion = await runMigrationFlow({ plan: db.plan });
    assert.equal(completion.topic, 'complete');
    assert.equal(completion.payload.stopped, false);
    const sent = await manifestOut;
    assert.equal(sent.topic, 'export complete');
    assert.equal(sent.dir, dir);
    assert.equal(sent.format, 'jsonl');
    assert.deepEqual(sent.payload, readExportManifest(dir), 'output 2 carries the manifest as written');
    assert.equal(sent.payload.gzip, true);
    assert.ok(
      sent.payload.files.every((f) => f.path.endsWith('.jsonl.gz')),
      'gzip parts',
    );
    await assertExactlyOnce(dir);
    // one acknowledgement per part, plus runStart and runEnd of both phases; all ok
    const parts = sent.payload.files.filter((f) => !f.header).length;
    assert.equal(acks.length, parts + 4);
    assert.ok(
      acks.every((a) => a.ok),
      JSON.stringify(acks.filter((a) => !a.ok)),
    );
    assert.equal(acks.filter((a) => a.entry !== undefined).length, parts);
    const last = statusesOf('writer').at(-1);
    assert.equal(last?.fill, 'green');
    assert.match(
      last?.text ?? '',
      new RegExp(`^complete: ${parts} parts, ${Object.values(expected).reduce((a, b) => a + b, 0)} rows in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });

  it('exports in format neo4j-admin (gzip): complete, the source rows per entry, header files and the import arguments', async () => {
    const dir = freshDir();
    await load({ dir, format: 'neo4j-admin', gzip: true });
    const manifestOut = nextMessage<{ payload: Manifest }>(helper.getNode('manifest'), 120_000);
    assert.equal((await runMigrationFlow({ plan: db.plan })).topic, 'complete');
    const manifest = (await manifestOut).payload;
    assert.equal(manifest.format, 'neo4j-admin');
    assert.equal(manifest.complete, true);
    assert.deepEqual(manifestRows(manifest), expected);
    assert.ok(manifest.files.some((f) => f.header));
    assert.ok(manifest.files.filter((f) => !f.header).every((f) => f.path.endsWith('.csv.gz')));
    assert.ok(manifest.importArgs?.some((a) => a.startsWith('--nodes=')));
    assert.ok(fs.existsSync(path.join(dir, 'constraints.cypher')) && fs.existsSync(path.join(dir, 'IMPORT.md')));
  });

  it('a run stopped by msg.stop is resumed from the stopped completion: every row exactly once', async () => {
    const dir = freshDir();
    await load({ dir }, '100');
    const stopped = nextMessage<Completion & { resumeMarks?: unknown }>(helper.getNode('done'), 120_000);
    helper.getNode('reader').receive({ plan: db.plan });
    await partsWritten(dir, 6);
    helper.getNode('reader').receive({ stop: true });
    const first = await stopped;
    assert.equal(first.topic, 'stopped');
    assert.equal(readExportManifest(dir).complete, false);
    const second = await runMigrationFlow({ plan: db.plan, resume: first.resume, resumeFrom: first.resumeFrom, resumeMarks: first.resumeMarks });
    assert.equal(second.topic, 'complete');
    assert.ok(second.payload.rows < allRows, `the second run read only what was left (${second.payload.rows} of ${allRows} rows)`);
    await assertExactlyOnce(dir);
  });

  it('a run cut off by a redeploy is resumed through msg.resume = true (the manifest`s resume points): every row exactly once', async () => {
    const dir = await cutOffByRedeploy();
    const done = nextMessage<Completion>(helper.getNode('done'), 120_000);
    // graph export answers on output 1, which starts pg read with the resume points
    helper.getNode('writer').receive({ plan: db.plan, resume: true });
    const completion = await done;
    assert.equal(completion.topic, 'complete');
    assert.ok(completion.payload.rows < allRows, `the second run read only what was left (${completion.payload.rows} of ${allRows} rows)`);
    await assertExactlyOnce(dir);
  });

  it('a run without resume points into the unfinished export is refused (EXPORT_BATCH_UNCLAIMED, nothing written twice); resuming then completes it', async () => {
    const dir = await cutOffByRedeploy();
    const caught: Caught[] = [];
    helper.getNode('caught').on('input', (m: Caught) => caught.push(m));
    helper.getNode('reader').receive({ plan: db.plan });
    await eventually(
      async () => caught.length,
      (n) => n >= 1,
      60_000,
    );
    const refused = caught.find((m) => m.error.code === 'EXPORT_BATCH_UNCLAIMED');
    assert.ok(refused, JSON.stringify(caught.map((m) => m.error)));
    assert.match(refused.error.message, /belongs to reading .*resume it \(msg\.resume = true/);
    assert.equal(jsonlTally(dir).duplicates, 0);
    // wait for pg read to give the failed run up, then resume through graph export
    await eventually(
      async () => statusesOf('reader').at(-1)?.fill,
      (fill) => fill === 'red',
      60_000,
    );
    const done = nextMessage<Completion>(helper.getNode('done'), 120_000);
    helper.getNode('writer').receive({ plan: db.plan, resume: true });
    assert.equal((await done).topic, 'complete');
    await assertExactlyOnce(dir);
  });

  describe('bad input reaches a Catch node by code', () => {
    const planKey = () => planFingerprint(db.plan);
    /** Sends a runStart to the export node alone; resolves with its acknowledgement and what the Catch node saw. */
    async function runStart(exporter: Record<string, unknown>): Promise<{ ack: Ack; caught: Caught }> {
      await load(exporter);
      const ack = nextMessage<{ ack: Ack }>(helper.getNode('acks'));
      const caught = nextMessage<Caught>(helper.getNode('caught'));
      helper.getNode('writer').receive({ control: { kind: 'runStart', run: 'r1', seq: 0, plan: planKey(), phase: 'nodes' }, plan: db.plan });
      return { ack: (await ack).ack, caught: await caught };
    }

    it('no directory: EXPORT_SETTING_INVALID naming the setting, and the runStart is answered as failed', async () => {
      const { ack, caught } = await runStart({ dir: '' });
      assert.equal(caught.error.code, 'EXPORT_SETTING_INVALID');
      assert.match(caught.error.message, /setting "dir" \(Directory\) is required/);
      assert.deepEqual([ack.ok, ack.run, ack.seq, ack.error?.code], [false, 'r1', 0, 'EXPORT_SETTING_INVALID']);
      assert.equal(statusesOf('writer').at(-1)?.fill, 'red');
    });

    it('a directory holding something else: EXPORT_DIR_NOT_EMPTY, and the file stays', async () => {
      const dir = freshDir();
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
      const { ack, caught } = await runStart({ dir });
      assert.equal(caught.error.code, 'EXPORT_DIR_NOT_EMPTY');
      assert.match(caught.error.message, /notes\.txt/);
      assert.equal(ack.error?.code, 'EXPORT_DIR_NOT_EMPTY');
      assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
    });

    it('an unknown format: EXPORT_SETTING_INVALID naming the setting', async () => {
      const { caught } = await runStart({ dir: freshDir(), format: 'graphml' });
      assert.equal(caught.error.code, 'EXPORT_SETTING_INVALID');
      assert.match(caught.error.message, /setting "format" must be one of neo4j-admin, .*jsonl; got "graphml"/);
    });

    it('a complete export is refused unless overwrite is ticked; msg.complete is refused', async () => {
      const dir = freshDir();
      await load({ dir });
      // every error the Catch node passes on, heard before runMigrationFlow's listener (a once listener that
      // removes itself makes Node-RED skip the input listener after it)
      const caught: Caught[] = [];
      helper.getNode('caught').on('input', (m: Caught) => caught.push(m));
      await runMigrationFlow({ plan: db.plan });
      assert.equal(readExportManifest(dir).complete, true);
      // resuming the complete set is refused, and so is msg.complete; the set stays as it was
      helper.getNode('writer').receive({ plan: db.plan, resume: true });
      helper.getNode('writer').receive({ complete: true, plan: db.plan });
      await eventually(
        async () => caught.length,
        (n) => n >= 2,
      );
      const codes = caught.map((m) => m.error.code).sort();
      assert.deepEqual(codes, ['EXPORT_DIR_NOT_EMPTY', 'WRITE_INPUT_INVALID']);
      assert.match(caught.find((m) => m.error.code === 'EXPORT_DIR_NOT_EMPTY')!.error.message, /holds a complete export/);
      assert.match(caught.find((m) => m.error.code === 'WRITE_INPUT_INVALID')!.error.message, /no msg\.complete/);
      assert.equal(readExportManifest(dir).complete, true, 'the set as it was');

      await helper.setFlows(exportFlow(db, { dir, format: 'jsonl', overwrite: true }), 'full', exportCredentials(db));
      const again = await runMigrationFlow({ plan: db.plan });
      assert.equal(again.payload.rows, allRows, 'overwrite: the whole plan read again');
      await assertExactlyOnce(dir);
    });
  });
});
