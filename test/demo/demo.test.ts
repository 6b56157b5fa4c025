/**
 * `npm run demo -- --once` as a newcomer runs it: the sample database migrated through a real Node-RED flow
 * (example 1) into the real Neo4j, with a passing verification report printed, exit code 0; with `--target
 * gremlin` the same flow into the real Gremlin Server, and a target it does not know refused by name.
 */
import assert from 'assert/strict';
import path from 'path';
import { execFile } from 'child_process';
import pg from 'pg';
import { assertNoSecret } from '../support/secrets';
import { testServices } from '../support/env';
import { clearGraph, testDriver } from '../support/databases';
import { clearGremlin, gremlinCheckpointCount, gremlinCounts, testGremlinConnection } from '../support/gremlin';
import { createSampleDatabase, expectedCounts } from '../support/sample';

const DEMO = path.resolve(__dirname, '..', '..', 'scripts', 'demo.js');

function runDemo(extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DEMO, '--once', '--port', '0', ...extra], { timeout: 540_000, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: out, stderr: err });
    });
  });
}

describe('npm run demo -- --once', function () {
  this.timeout(600_000);

  // the demo writes into the Neo4j it is given: start from an empty graph, whatever ran before on a shared server
  before(async () => {
    const driver = testDriver();
    try {
      await clearGraph(driver);
    } finally {
      await driver.close();
    }
  });

  it('migrates the sample database through example flow 1 and prints a passing verification report', async () => {
    const { code, stdout, stderr } = await runDemo();
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /deployed example flow "1 Migrate the sample database"/);
    assert.match(stdout, /verification PASSED: 19 entries/);
    assert.match(stdout, /ok {3}\[:STOCK\] bookshop\.stock: source 1600, graph 1600/);
    assert.match(stdout, /verification passed: every row, key and value arrived\./);
    assertNoSecret(stdout, [process.env.NEO4J_PASSWORD], 'no password in the demo output');
    // each node under the name the editor shows: its own, else its palette name
    assert.match(stdout, /^ {2}\[graph write\] /m);
    assert.match(stdout, /^ {2}\[bookshop schema\] /m);
    assert.doesNotMatch(stdout, /\[pg (write|verify)\]/);
    // pg read's progress moves: the run's rows read and acknowledged grow from line to line
    const progress = [...stdout.matchAll(/^ {2}\[pg read\] .*; run: (\d+) read, (\d+) acknowledged, \d+ rows\/s$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(progress.length >= 1, `progress lines of pg read while it reads:\n${stdout}`);
    // the last point is the completion: every row read and acknowledged (a run of two seconds may show one line before it)
    const done = /^ {2}\[pg read\] done: (\d+) rows in /m.exec(stdout);
    assert.ok(done, `pg read's completion line:\n${stdout}`);
    progress.push([Number(done[1]), Number(done[1])]);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i][0] >= progress[i - 1][0] && progress[i][1] >= progress[i - 1][1], `never backwards: ${JSON.stringify(progress)}`);
    }
    const [read, acknowledged] = progress[progress.length - 1];
    assert.ok(read >= progress[0][0] && acknowledged > progress[0][1] && acknowledged <= read, `the counts move: ${JSON.stringify(progress)}`);
    // the demo's database is its own: gone once the demo stopped (the server may be one named by PG*)
    const admin = new pg.Client({ connectionString: testServices().postgresUrl });
    await admin.connect();
    try {
      const left = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'pg2graph_demo'");
      assert.equal(left.rowCount, 0, 'database pg2graph_demo dropped when the demo stopped');
    } finally {
      await admin.end();
    }
  });

  it('--target gremlin: the same flow with its graph connection on protocol gremlin fills the Gremlin Server and verifies', async () => {
    const gremlin = testGremlinConnection();
    const sample = await createSampleDatabase('demoexpect');
    try {
      await clearGremlin(gremlin);
      const expected = await expectedCounts(sample, sample.plan);
      const { code, stdout, stderr } = await runDemo(['--target', 'gremlin']);
      assert.equal(code, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /deployed example flow "1 Migrate the sample database", its graph connection on protocol gremlin/);
      assert.match(stdout, /verification PASSED: 19 entries/);
      assert.match(stdout, /verification passed: every row, key and value arrived\./);
      assert.deepEqual(await gremlinCounts(gremlin), expected);
      assert.equal(await gremlinCheckpointCount(gremlin), 0);
    } finally {
      await sample.drop();
      await clearGremlin(gremlin).catch(() => undefined);
      await gremlin.close();
    }
  });

  it('refuses a target it does not know, naming the valid ones', async () => {
    const { code, stderr } = await runDemo(['--target', 'arangodb']);
    assert.equal(code, 2);
    assert.match(stderr, /--target must be neo4j or gremlin, got "arangodb"/);
  });
});
