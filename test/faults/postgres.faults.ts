/**
 * Fault campaign, Postgres side: the reading session terminated mid-read (pg_terminate_backend), and the server
 * restarted mid-run (fast shutdown, and kill -9 of the postmaster) on a throwaway cluster of the scenario's own.
 * Each time `pg2graph migrate` must exit non-zero within a bounded time naming the entry, and running the same
 * command again must end with an exact graph, no duplicates and a passing verify.
 */
import assert from 'assert/strict';
import type { ChildProcess } from 'child_process';
import type { Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { checkpoints } from '../support/graph-counts';
import { pg2graph, startPg2graph } from '../support/cli';
import { assertNoSecret } from '../support/secrets';
import { recordFault } from '../support/fault-table';
import { assertExactGraph, createFaultSource, onServer, type FaultSource } from '../support/fault-source';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres } = require('../../scripts/lib/postgres-server') as {
  startEmbeddedPostgres(): Promise<{
    connectionString: string;
    halt(signal: 'SIGINT' | 'SIGKILL'): Promise<void>;
    restart(): Promise<void>;
    stop(): Promise<void>;
  }>;
};

/** A bound for "exits within a bounded time": generous (the machine is shared), far below a hang. */
const EXIT_BOUND_MS = 60_000;
const PEOPLE = 5_000;
const BATCH = '200';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

function watch(child: ChildProcess): { exited: Promise<Exit>; output: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr, stdout })));
  return { exited, output: () => stderr };
}

/** Exits, or is killed after ms (a hang fails the scenario, it never stalls the campaign). */
async function exitWithin(child: ChildProcess, exited: Promise<Exit>, ms: number): Promise<Exit & { hung: boolean }> {
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, ms);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, hung };
}

/** Waits until the run has committed some batches of the node phase (the reader is mid-read), at most 60 s. */
async function midRead(driver: Driver, child: ChildProcess, batches = 5): Promise<number> {
  const deadline = Date.now() + 60_000;
  let committed = 0;
  while (committed < batches && Date.now() < deadline && child.exitCode === null) {
    committed = (await checkpoints(driver)).batches;
    if (committed < batches) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(committed >= batches, `batches were committed before the fault (${committed})`);
  return committed;
}

/** The run's failure names the entry and where it stopped, with a typed code. */
function assertNamedFailure(exit: Exit & { hung: boolean }, source: FaultSource, codes: RegExp): void {
  assert.equal(exit.hung, false, `migrate ended by itself within ${EXIT_BOUND_MS / 1000} s:\n${exit.stderr.slice(-2000)}`);
  assert.notEqual(exit.code, 0, 'migrate exits non-zero');
  assert.match(exit.stderr, codes, `a typed code on stderr:\n${exit.stderr.slice(-2000)}`);
  const entries = [...source.plan.nodes, ...source.plan.relationships].map((e) => e.id);
  assert.ok(
    entries.some((id) => exit.stderr.includes(id)),
    `the message names the entry (${entries.join(', ')}):\n${exit.stderr.slice(-2000)}`,
  );
}

describe('fault campaign: Postgres', function () {
  let driver: Driver;
  let neo: ReturnType<typeof neo4jSettings>;
  let neo4jEnv: NodeJS.ProcessEnv;

  before(() => {
    neo = neo4jSettings();
    neo4jEnv = { NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
    driver = testDriver();
  });
  after(async () => {
    await driver?.close();
  });
  beforeEach(() => clearGraph(driver));

  describe('pg_terminate_backend of the reading session mid-read', () => {
    let db: ScratchDatabase;
    let source: FaultSource;
    before(async () => {
      db = await createScratchDatabase('faultterm');
      source = await createFaultSource(db.url, PEOPLE, { DATABASE_URL: db.url, ...neo4jEnv });
    });
    after(async () => {
      source?.remove();
      await db?.drop();
    });

    it('migrate exits non-zero naming entry and key range; the re-run is exact', async () => {
      const args = ['migrate', '--plan', source.planFile, '--batch-size', BATCH];
      const child = startPg2graph(args, source.env);
      const { exited } = watch(child);
      await midRead(driver, child);
      const terminated = await onServer(db.url, async (client) => {
        const result = await client.query<{ pid: number; query: string }>(
          "SELECT pid, pg_terminate_backend(pid) AS done, query FROM pg_stat_activity WHERE application_name = 'pg2graph-cli' AND datname = $1",
          [db.name],
        );
        return result.rows;
      });
      const faultAt = Date.now();
      assert.ok(terminated.length >= 1, 'the reading session was found by its application_name');
      const exit = await exitWithin(child, exited, EXIT_BOUND_MS);
      const exitMs = Date.now() - faultAt;
      assertNamedFailure(exit, source, /READ_FAILED|PG_UNREACHABLE|PG_ERROR/);
      assert.match(exit.stderr, /key|after|from|range/i, 'the message says where the read stopped');
      assertNoSecret(exit.stdout + exit.stderr, [neo.password, new URL(db.url).password || undefined], 'no password in the output');

      const rerun = await pg2graph(args, source.env, 180_000);
      assert.equal(rerun.code, 0, rerun.stderr);
      const final = await assertExactGraph(driver, source);
      const code = /\b(READ_FAILED|PG_UNREACHABLE|PG_ERROR)\b/.exec(exit.stderr)?.[1];
      recordFault({
        scenario: `cli: pg_terminate_backend mid-read (${terminated.length} session${terminated.length > 1 ? 's' : ''})`,
        exact: final.exact,
        duplicates: final.duplicates,
        recoverMs: Date.now() - faultAt,
        note: `exit ${exit.code} ${code} after ${(exitMs / 1000).toFixed(1)} s, re-run exact, verify passed`,
      });
    });
  });

  describe('a PostgreSQL restart mid-run (a cluster of its own)', () => {
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
    let source: FaultSource;
    before(async () => {
      server = await startEmbeddedPostgres();
      source = await createFaultSource(server.connectionString, PEOPLE, { DATABASE_URL: server.connectionString, ...neo4jEnv });
    });
    after(async () => {
      source?.remove();
      await server?.stop();
    });

    for (const [signal, how] of [
      ['SIGINT', 'fast shutdown'],
      ['SIGKILL', 'kill -9 of the postmaster'],
    ] as const) {
      it(`${how}: migrate exits non-zero in bounded time naming the entry; restarted on the same data, the re-run is exact`, async () => {
        const args = ['migrate', '--plan', source.planFile, '--batch-size', BATCH];
        const child = startPg2graph(args, source.env);
        const { exited } = watch(child);
        await midRead(driver, child);
        const faultAt = Date.now();
        await server.halt(signal);
        const exit = await exitWithin(child, exited, EXIT_BOUND_MS);
        const exitMs = Date.now() - faultAt;
        // restarted only after migrate gave up: what it met was a server that is gone, not a short blip
        await server.restart();
        assertNamedFailure(exit, source, /PG_UNREACHABLE|READ_FAILED/);
        assertNoSecret(exit.stdout + exit.stderr, [neo.password, new URL(server.connectionString).password], 'no password in the output');

        const rerun = await pg2graph(args, source.env, 180_000);
        assert.equal(rerun.code, 0, rerun.stderr);
        const final = await assertExactGraph(driver, source);
        const code = /\b(READ_FAILED|PG_UNREACHABLE|PG_ERROR)\b/.exec(exit.stderr)?.[1];
        recordFault({
          scenario: `cli: PostgreSQL restart mid-run (${how})`,
          exact: final.exact,
          duplicates: final.duplicates,
          recoverMs: Date.now() - faultAt,
          note: `exit ${exit.code} ${code} after ${(exitMs / 1000).toFixed(1)} s, restarted on the same data, re-run exact, verify passed`,
        });
      });
    }
  });
});
