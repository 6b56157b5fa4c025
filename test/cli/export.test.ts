/**
 * `pg2graph export` as a child process on the sample database: it needs Postgres only, writes a complete set,
 * a process killed mid-export (SIGKILL) is resumed by the same command with every record exactly once, and bad
 * flags give clear errors and exit 1.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createSampleDatabase, expectedCounts, type SampleDatabase } from '../support/sample';
import { pg2graph, startPg2graph } from '../support/cli';
import { filesUnder, jsonlTally, readExportManifest } from '../support/export-files';

describe('pg2graph export (command line)', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let dir: string;
  let planFile: string;
  let env: NodeJS.ProcessEnv;
  let expected: Awaited<ReturnType<typeof expectedCounts>>;

  before(async () => {
    db = await createSampleDatabase('cliexport');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-cliexport-'));
    // no Neo4j anywhere: an export must not need one
    env = { DATABASE_URL: db.url, NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: '' };
    const plan = await pg2graph(['plan', '--schema', 'bookshop'], env);
    assert.equal(plan.code, 0, plan.stderr);
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, plan.stdout);
    expected = await expectedCounts(db, JSON.parse(plan.stdout));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('exports the sample without any Neo4j: exit 0, the summary, --json with the manifest', async () => {
    const out = path.join(dir, 'full');
    const run = await pg2graph(['export', '--plan', planFile, '--format', 'jsonl', '--out', out, '--gzip', '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { manifest: { complete: boolean; format: string }; dir: string; peakRssMb: number };
    assert.equal(result.manifest.complete, true);
    assert.equal(result.manifest.format, 'jsonl');
    assert.equal(result.dir, out);
    assert.ok(result.peakRssMb > 0);
    const counts = jsonlTally(out);
    assert.deepEqual(counts.nodes, expected.nodes);
    assert.deepEqual(counts.relationships, expected.relationships);
    const plain = await pg2graph(['export', '--plan', planFile, '--format', 'jsonl', '--out', path.join(dir, 'plain')], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^exported \d+ rows .* as jsonl to .*: \d+ parts, complete \(IMPORT\.md says how to load it\)/);
  });

  it('killed mid-export (SIGKILL), the same command continues after the last complete part: every record exactly once', async () => {
    const out = path.join(dir, 'killed');
    const args = ['export', '--plan', planFile, '--format', 'jsonl', '--out', out, '--batch-size', '60'];
    const child = startPg2graph(args, env);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    let parts = 0;
    while (parts < 20 && Date.now() < deadline && child.exitCode === null) {
      try {
        parts = readExportManifest(out).files.length;
      } catch {
        parts = 0; // not written yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const stopped = readExportManifest(out);
    assert.equal(stopped.complete, false, 'killed before it was complete');
    assert.ok(stopped.files.length >= 20, `parts were complete before the kill (${stopped.files.length})`);
    const rerun = await pg2graph(args, env);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /resumed an unfinished export/);
    const manifest = readExportManifest(out);
    assert.equal(manifest.complete, true);
    assert.ok(!filesUnder(out).some((f) => f.endsWith('.partial')));
    const counts = jsonlTally(out);
    assert.deepEqual(counts.nodes, expected.nodes);
    assert.deepEqual(counts.relationships, expected.relationships);
    assert.equal(counts.duplicates, 0);
  });

  it('bad input: missing or unknown --format, missing --out, a foreign directory, --overwrite of a complete set', async () => {
    const noFormat = await pg2graph(['export', '--plan', planFile, '--out', path.join(dir, 'x')], env);
    assert.equal(noFormat.code, 1);
    assert.match(noFormat.stderr, /CLI_FLAG_INVALID: --format is required: one of neo4j-admin, load-csv, neptune-opencypher, neptune-gremlin, arangodb, jsonl/);
    const unknown = await pg2graph(['export', '--plan', planFile, '--format', 'csv', '--out', path.join(dir, 'x')], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--format must be one of .*, got "csv"/);
    const noOut = await pg2graph(['export', '--plan', planFile, '--format', 'jsonl'], env);
    assert.equal(noOut.code, 1);
    assert.match(noOut.stderr, /--out DIR is required/);
    const foreign = path.join(dir, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'keep.txt'), 'x');
    const refused = await pg2graph(['export', '--plan', planFile, '--format', 'jsonl', '--out', foreign], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /EXPORT_DIR_NOT_EMPTY: .*keep\.txt/);
    assert.ok(!fs.existsSync(path.join(foreign, 'manifest.json')), 'nothing was written into it');
    const again = await pg2graph(['export', '--plan', planFile, '--format', 'jsonl', '--out', path.join(dir, 'full')], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /EXPORT_DIR_NOT_EMPTY: .*a complete export.*--overwrite/);
    const help = await pg2graph(['--help'], env);
    assert.match(help.stdout, /pg2graph export --plan FILE --format FORMAT --out DIR/);
  });
});
