/**
 * Fault campaign: the command line against a Neo4j that stops answering (README, Command line and Writing). A
 * Bolt port that accepts and never answers makes check, migrate and verify exit non-zero with NEO4J_UNREACHABLE
 * by themselves; a Neo4j frozen (SIGSTOP) mid-run makes migrate exit with WRITE_TIMEOUT within its batch timeout,
 * and once it runs again (SIGCONT) the same command finishes the job; a Neo4j killed (kill -9) in the node phase
 * or the relationship phase makes migrate exit in bounded time, and once it is restarted on its own store the
 * same command finishes the job; a verification read of a server frozen under it fails by its stall timeout.
 * Each ends with exact counts, no duplicates and a passing verify. Every scenario
 * that freezes or kills a server starts its own Neo4j (never the shared one).
 */
import assert from 'assert/strict';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { duplicateNodeKeys, duplicateRelationships, graphCounts } from '../support/graph-counts';
import { pg2graph, startPg2graph } from '../support/cli';
import { recordFault } from '../support/fault-table';
import { Neo4jConnection } from '../../dist/engine/connect';
import { GraphReader } from '../../dist/engine/verify/graph';

interface OwnNeo4j {
  uri: string;
  user: string;
  password: string;
  readonly pid: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNeo4j } = require('../../scripts/lib/neo4j-server') as {
  startNeo4j(options: { heapMb: number; pageCacheMb: number; log?: (line: string) => void }): Promise<OwnNeo4j>;
};

const PEOPLE = 3000;
const FOLLOWS = 3000;
const FIXTURE = `
  CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE follows (
    follower int NOT NULL REFERENCES person (id),
    followed int NOT NULL REFERENCES person (id),
    PRIMARY KEY (follower, followed)
  );
  INSERT INTO person SELECT g, 'person ' || g FROM generate_series(1, ${PEOPLE}) g;
  INSERT INTO follows SELECT g, 1 + g % ${PEOPLE} FROM generate_series(1, ${FOLLOWS}) g;
`;
/** Small batches, so a run has many (100 node batches, 100 relationship batches) and a fault lands mid-run. */
const BATCH = ['--batch-size', '30'];
/** What each command must end within after the fault: generous (a hang is minutes); the measured time is recorded. */
const BOUND_MS = 30_000;
/** A command that has not exited by then is killed and the scenario fails. */
const KILL_AFTER_MS = 120_000;

interface TimedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From the start of the command (or the fault, see exitedAfter) to its exit. */
  ms: number;
  /** false when the test had to kill it. */
  exitedByItself: boolean;
}

/** A running command: its exit (with output), and the time of exit from any moment on. */
function runCommand(args: string[], env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const child = startPg2graph(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  let killed = false;
  const killer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, KILL_AFTER_MS);
  const exited = new Promise<TimedRun & { at: number }>((resolve) => {
    child.once('close', (code) => {
      clearTimeout(killer);
      const at = Date.now();
      resolve({ code, stdout, stderr, ms: at - started, exitedByItself: !killed, at });
    });
  });
  return { child, exited, running: () => child.exitCode === null && child.signalCode === null };
}

async function count(driver: Driver, text: string): Promise<number> {
  return neo4j.integer.toNumber((await driver.executeQuery(text)).records[0].get('n'));
}

/** Polls until the condition holds (true) or the command ended first (false). */
async function whenDuring(running: () => boolean, condition: () => Promise<boolean>, limitMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (running() && Date.now() < deadline) {
    if (await condition().catch(() => false)) return running();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('fault campaign: Neo4j that stops answering (command line)', function () {
  this.timeout(300_000);
  let db: ScratchDatabase;
  let dir: string;
  let planFile: string;
  let label: string;
  let key: string[];
  let type: string;

  /** One throwaway Neo4j per scenario that freezes or kills it, started together (a start takes 10-20 s here). */
  const servers = new Map<string, Promise<OwnNeo4j>>();
  const SERVER_SCENARIOS = ['freeze', 'kill-nodes', 'kill-relationships'];

  before(async () => {
    for (const name of SERVER_SCENARIOS) {
      const started = startNeo4j({ heapMb: 512, pageCacheMb: 64, log: () => undefined });
      started.catch(() => undefined);
      servers.set(name, started);
    }
    db = await createScratchDatabase('faultneo');
    await db.query(FIXTURE);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-neo4j-faults-'));
    const plan = await pg2graph(['plan', '--pg', db.url]);
    assert.equal(plan.code, 0, plan.stderr);
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, plan.stdout);
    const parsed = JSON.parse(plan.stdout) as { nodes: Array<{ label: string; key: string[] }>; relationships: Array<{ type: string }> };
    assert.equal(parsed.nodes.length, 1);
    assert.equal(parsed.relationships.length, 1);
    [{ label, key }] = parsed.nodes;
    [{ type }] = parsed.relationships;
  });
  after(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await Promise.allSettled([...servers.values()].map(async (started) => (await started).stop()));
  });

  function envFor(server: { uri: string; user: string; password: string }): NodeJS.ProcessEnv {
    return { DATABASE_URL: db.url, NEO4J_URI: server.uri, NEO4J_USER: server.user, NEO4J_PASSWORD: server.password };
  }

  /** Exact counts, no duplicate keys or relationships, and a passing verify; the figures for the table. */
  async function assertExact(driver: Driver, env: NodeJS.ProcessEnv): Promise<{ duplicates: number }> {
    assert.deepEqual(await graphCounts(driver), { nodes: { [label]: PEOPLE }, relationships: { [type]: FOLLOWS } }, 'the graph holds exactly the source');
    const duplicates = (await duplicateNodeKeys(driver, { nodes: [{ label, key }] })) + (await duplicateRelationships(driver));
    assert.equal(duplicates, 0, 'no key held by two nodes, no (start, type, end) held twice');
    assert.equal(await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN count(c) AS n'), 0, 'the finished run left no checkpoint');
    const verified = await pg2graph(['verify', '--plan', planFile], env, KILL_AFTER_MS);
    assert.equal(verified.code, 0, `verify passes:\n${verified.stdout}\n${verified.stderr}`);
    return { duplicates };
  }

  /**
   * The scenario's own Neo4j, and a driver for it; when the scenario ends the server is killed (its store is
   * thrown away by after()), which is quicker than a clean shutdown.
   */
  async function withOwnNeo4j(name: string, work: (server: OwnNeo4j, driver: Driver) => Promise<void>): Promise<void> {
    const server = await servers.get(name)!;
    const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, server.password));
    try {
      await work(server, driver);
    } finally {
      await driver.close().catch(() => undefined);
      await server.kill();
    }
  }

  it('a black-hole Bolt port: check, migrate and verify exit non-zero with NEO4J_UNREACHABLE by themselves', async () => {
    const sockets = new Set<net.Socket>();
    const hole = net.createServer((socket) => {
      // accepted, never answered
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const { port } = hole.address() as net.AddressInfo;
    const env = { DATABASE_URL: db.url, NEO4J_URI: `bolt://127.0.0.1:${port}`, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'not-used-here' };
    const times: string[] = [];
    let slowest = 0;
    try {
      for (const args of [['check'], ['migrate', '--plan', planFile], ['verify', '--plan', planFile]]) {
        const run = await runCommand(args, env).exited;
        const name = args[0];
        assert.ok(run.exitedByItself, `${name} exited by itself (it was killed after ${KILL_AFTER_MS / 1000} s)`);
        assert.notEqual(run.code, 0, `${name} exits non-zero`);
        assert.match(run.stdout + run.stderr, /NEO4J_UNREACHABLE/, `${name} names the unreachable server`);
        assert.match(run.stdout + run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`), `${name} names the address`);
        assert.ok(run.ms < BOUND_MS, `${name} exited after ${run.ms} ms, within ${BOUND_MS} ms`);
        times.push(`${name} exit ${run.code} after ${(run.ms / 1000).toFixed(1)} s`);
        slowest = Math.max(slowest, run.ms);
      }
      assert.ok(sockets.size >= 3, 'each command reached the port');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => hole.close(resolve));
    }
    recordFault({
      scenario: 'cli: black-hole Bolt port (check, migrate, verify)',
      exact: true,
      duplicates: 0,
      recoverMs: slowest,
      note: `NEO4J_UNREACHABLE: ${times.join('; ')}`,
    });
  });

  it('Neo4j frozen (SIGSTOP) mid-run: migrate exits with WRITE_TIMEOUT, and after SIGCONT the same command finishes exactly', async () => {
    await withOwnNeo4j('freeze', async (server, driver) => {
      const env = envFor(server);
      // the constraints first, with the default timeout: a busy machine may take seconds for them on a new server
      const prepared = await pg2graph(['migrate', '--plan', planFile], env, KILL_AFTER_MS);
      assert.equal(prepared.code, 0, prepared.stderr);
      await driver.executeQuery('MATCH (n) DETACH DELETE n');
      const args = ['migrate', '--plan', planFile, ...BATCH, '--batch-timeout-ms', '4000'];
      const run = runCommand(args, env);
      const caught = await whenDuring(
        run.running,
        async () => (await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN coalesce(sum(c.batches), 0) AS n')) >= 5,
      );
      if (!caught) assert.fail(`the run was still going after 5 committed batches: ${JSON.stringify(await run.exited)}`);
      const frozenAt = Date.now();
      process.kill(server.pid, 'SIGSTOP');
      let stopped: TimedRun & { at: number };
      try {
        stopped = await run.exited;
      } finally {
        process.kill(server.pid, 'SIGCONT');
      }
      const exitMs = stopped.at - frozenAt;
      assert.ok(stopped.exitedByItself, `migrate exited by itself while Neo4j was frozen (killed after ${KILL_AFTER_MS / 1000} s)`);
      assert.equal(stopped.code, 1, stopped.stderr);
      assert.match(
        stopped.stderr,
        /WRITE_TIMEOUT: entry "public\.person" batch \d+ \(keys \["\d+"\]\.\.\["\d+"\]\): the transaction did not commit within 4000 ms/,
      );
      assert.ok(exitMs < BOUND_MS, `migrate exited ${exitMs} ms after the freeze, within ${BOUND_MS} ms`);
      assert.ok(((await graphCounts(driver)).relationships[type] ?? 0) < FOLLOWS, 'the frozen run did not finish');

      const resumed = await pg2graph(args, env, KILL_AFTER_MS);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, /resumed an unfinished run/);
      const { duplicates } = await assertExact(driver, env);

      // verify's reads (and migrate's count check) once connected: a freeze under them ends by the stall timeout
      const connection = new Neo4jConnection({ uri: server.uri, user: server.user, password: server.password });
      let readMs: number;
      try {
        const reader = new GraphReader(connection, 2000);
        assert.equal(await reader.count(`MATCH (n:\`${label}\`) RETURN count(n) AS count`), PEOPLE);
        process.kill(server.pid, 'SIGSTOP');
        const asked = Date.now();
        try {
          await assert.rejects(reader.count('MATCH (n) RETURN count(n) AS count'), (error: { code?: string; message?: string }) => {
            assert.equal(error.code, 'NEO4J_UNREACHABLE');
            assert.match(error.message ?? '', /gave no answer to a verification read within 2000 ms/);
            return true;
          });
          readMs = Date.now() - asked;
        } finally {
          process.kill(server.pid, 'SIGCONT');
        }
      } finally {
        await Promise.race([connection.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      assert.ok(readMs < 10_000, `the frozen read failed after ${readMs} ms`);
      recordFault({
        scenario: 'engine: a verification read while Neo4j is frozen',
        exact: true,
        duplicates: 0,
        recoverMs: readMs,
        note: `NEO4J_UNREACHABLE after ${(readMs / 1000).toFixed(1)} s (stall timeout 2 s; 120 s by default)`,
      });
      recordFault({
        scenario: 'cli: Neo4j frozen (SIGSTOP) mid-run, then SIGCONT',
        exact: true,
        duplicates,
        recoverMs: Date.now() - frozenAt,
        note: `exit 1 WRITE_TIMEOUT ${(exitMs / 1000).toFixed(1)} s after the freeze (--batch-timeout-ms 4000), re-run exact, verify passed`,
      });
    });
  });

  for (const phase of ['nodes', 'relationships'] as const) {
    it(`Neo4j killed (kill -9) in the ${phase} phase and restarted on its store: migrate exits in bounded time, the re-run finishes exactly`, async () => {
      await withOwnNeo4j(`kill-${phase}`, async (server, driver) => {
        const env = envFor(server);
        const args = ['migrate', '--plan', planFile, ...BATCH];
        const run = runCommand(args, env);
        const reached =
          phase === 'nodes'
            ? async () => (await count(driver, 'MATCH (c:Pg2GraphCheckpoint) RETURN coalesce(sum(c.batches), 0) AS n')) >= 5
            : async () => (await count(driver, 'MATCH ()-[r]->() RETURN count(r) AS n')) >= 100;
        if (!(await whenDuring(run.running, reached))) assert.fail(`the run was still going in the ${phase} phase: ${JSON.stringify(await run.exited)}`);
        const killedAt = Date.now();
        await server.kill();
        const failed = await run.exited;
        const exitMs = failed.at - killedAt;
        assert.ok(failed.exitedByItself, `migrate exited by itself after the kill (killed after ${KILL_AFTER_MS / 1000} s)`);
        assert.equal(failed.code, 1, failed.stderr);
        assert.match(failed.stderr, /pg2graph migrate: (WRITE_\w+|NEO4J_UNREACHABLE): /);
        assert.ok(exitMs < BOUND_MS, `migrate exited ${exitMs} ms after the kill, within ${BOUND_MS} ms`);
        const code = /pg2graph migrate: (\w+):/.exec(failed.stderr)?.[1];

        await server.restart();
        const counts = await graphCounts(driver);
        if (phase === 'nodes') assert.ok((counts.nodes[label] ?? 0) < PEOPLE, 'killed before the last node batch');
        else assert.equal(counts.nodes[label], PEOPLE, 'every node was written before the kill');
        assert.ok((counts.relationships[type] ?? 0) < FOLLOWS, 'the killed run did not finish');
        const resumed = await pg2graph(args, env, KILL_AFTER_MS);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.match(resumed.stdout, /resumed an unfinished run/);
        const { duplicates } = await assertExact(driver, env);
        recordFault({
          scenario: `cli: Neo4j kill -9 in the ${phase} phase, restarted on its store`,
          exact: true,
          duplicates,
          recoverMs: Date.now() - killedAt,
          note: `exit 1 ${code} ${(exitMs / 1000).toFixed(1)} s after the kill, restart + re-run exact, verify passed`,
        });
      });
    });
  }
});
