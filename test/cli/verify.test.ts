/** `pg2graph verify` as a child process (the built dist/cli/pg2graph.js) against a migrated sample database. */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { cypher, migratedSample, type MigratedSample } from '../engine/verify-sample';
import type { VerificationReport } from '../../dist/engine/verify/report';
import { assertNoSecret } from '../support/secrets';
import { pg2graph } from '../support/cli';

describe('pg2graph verify (command line)', function () {
  this.timeout(120_000);
  let sample: MigratedSample;
  let dir: string;
  let planFile: string;

  before(async function () {
    this.timeout(300_000);
    // reached as a role with a known password, which the output must never show
    sample = await migratedSample('cliverify', ['bookshop.warehouse', 'bookshop.book', 'bookshop.stock'], 'password');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-verify-'));
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(
      planFile,
      JSON.stringify({ ...sample.plan, verify: { aggregates: [{ entry: 'bookshop.book', column: 'price', function: 'sum' }] } }, null, 2),
    );
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await sample?.close();
  });

  it('prints a passing report and exits 0; progress goes to stderr', async () => {
    const run = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], /^verification PASSED: 3 entries, properties compared on all rows, \d+\.\d s$/);
    assert.deepEqual(lines.slice(1, 4), [
      '  ok   (:Book) bookshop.book: source 400, graph 400',
      '  ok   (:Warehouse) bookshop.warehouse: source 6, graph 6',
      '  ok   [:STOCK] bookshop.stock: source 1600, graph 1600',
    ]);
    assert.match(lines[4], /^ {2}ok {3}sum\(price\) of bookshop\.book: source \d+\.\d\d, graph \d+\.\d\d$/);
    assert.match(run.stderr, /^verifying node bookshop\.book: 0 of 400 records \(0 of 3 entries done\)$/m);
    assert.match(run.stderr, /^verifying relationship bookshop\.stock: 1600 of 1600 records \(2 of 3 entries done\)$/m);
    assertNoSecret(run.stdout + run.stderr, [sample.db.settings.password], 'no password in the output');
  });

  it('prints the JSON report with --json', async () => {
    const run = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile, '--json', '--sample', '7', '--entry', 'bookshop.book']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as VerificationReport;
    assert.equal(report.ok, true);
    assert.equal(report.sample, 7);
    assert.deepEqual(
      report.entries.map((e) => [e.entry, e.checks.find((c) => c.check === 'properties')?.expected]),
      [['bookshop.book', 7]],
    );
    assert.equal(report.aggregates.length, 1);
  });

  it('exits 1 when a check fails, naming it', async () => {
    await cypher(sample.driver, 'MATCH (w:Warehouse {region: "AP", siteNo: 1}) DETACH DELETE w');
    try {
      const run = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /^verification FAILED \(4 failing checks\)/);
      assert.ok(
        run.stdout.includes(
          '  FAIL (:Warehouse) bookshop.warehouse: source 6, graph 5\n         count: expected 6, found 5\n         missing: expected 0, found 1\n           - {region: "AP", siteNo: 1}\n',
        ),
        run.stdout,
      );
      assert.match(run.stdout, /\n {2}FAIL \[:STOCK\] bookshop\.stock: source 1600, graph \d+\n/);
      assert.match(run.stdout, /\n {11}- \{region: "AP", siteNo: 1\} -> \{isbn: "[^"]+"\} \(the start node does not exist\)\n/);
    } finally {
      await sample.remigrate();
    }
  });

  it('exits 2 when it cannot verify', async () => {
    const noPlan = await pg2graph(['verify', '--pg', sample.db.url]);
    assert.equal(noPlan.code, 2);
    assert.match(noPlan.stderr, /^pg2graph verify: CLI_FLAG_INVALID: --plan FILE is required/);
    const badSample = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile, '--sample', 'all']);
    assert.equal(badSample.code, 2);
    assert.match(badSample.stderr, /--sample must be an integer of at least 1, got "all"/);
    const unknown = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile, '--entry', 'bookshop.nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /VERIFY_OPTION_INVALID: "entries": "bookshop\.nope" is not in the plan/);
    const unreachable = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile, '--neo4j-uri', 'bolt://127.0.0.1:1']);
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /NEO4J_UNREACHABLE/);
    const missingFile = await pg2graph(['verify', '--pg', sample.db.url, '--plan', path.join(dir, 'nope.json')]);
    assert.equal(missingFile.code, 2);
    assert.match(missingFile.stderr, /PLAN_NOT_FOUND/);
    const flag = await pg2graph(['verify', '--pg', sample.db.url, '--plan', planFile, '--frobnicate']);
    assert.equal(flag.code, 2);
    assert.equal(flag.stdout, '');
  });
});
