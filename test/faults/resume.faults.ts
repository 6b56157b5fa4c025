/**
 * Fault campaign: a resumed `pg2graph migrate` after the source changed (README, Resuming a run). The command is
 * killed (SIGKILL at a chosen batch boundary, or SIGINT), rows are inserted, updated and deleted in the tables of
 * the entries its checkpoints call finished or half read, the batch size changes, and the same command runs
 * again: every changed entry is read again (stderr names it), the graph holds every source row as it is now,
 * exactly once, and rows deleted since (whose records a MERGE re-read keeps) are named by the count check's
 * exit 5; once those records are removed, `pg2graph verify` passes. With --trust-checkpoints the change is not
 * looked for, and the count check names the entry that missed it.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { duplicateRelationships } from '../support/graph-counts';
import { pg2graph, startPg2graph, type CliRun } from '../support/cli';
import { recordFault } from '../support/fault-table';
import type { GraphPlan } from '../../dist/engine/plan';

const ROWS = 2000;
const FIXTURE = `
  DROP SCHEMA IF EXISTS shop CASCADE;
  CREATE SCHEMA shop;
  CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE, total int NOT NULL);
  CREATE TABLE shop.tags (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE shop.order_tags (
    order_id int NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
    tag_id int NOT NULL REFERENCES shop.tags (id) ON DELETE CASCADE,
    PRIMARY KEY (order_id, tag_id)
  );
  INSERT INTO shop.customers SELECT g, 'customer ' || g FROM generate_series(1, ${ROWS}) g;
  INSERT INTO shop.orders SELECT g, 1 + g % ${ROWS}, g FROM generate_series(1, ${ROWS}) g;
  INSERT INTO shop.tags SELECT g, 'tag ' || g FROM generate_series(1, 40) g;
  INSERT INTO shop.order_tags SELECT g, 1 + g % 40 FROM generate_series(1, ${ROWS}) g;
`;
/** Batches of a run at --batch-size 100: customers 20, orders 20, tags 1, then order_tags 20 and the orders' FK 20. */
const NODE_BATCHES = 41;
const ALL_BATCHES = 81;

const TABLES = ['customers', 'orders', 'tags', 'order_tags'] as const;
type Table = (typeof TABLES)[number];
const KEY_SQL: Record<Table, string> = {
  customers: 'SELECT id::text AS k FROM shop.customers',
  orders: 'SELECT id::text AS k FROM shop.orders',
  tags: 'SELECT id::text AS k FROM shop.tags',
  order_tags: `SELECT order_id || '/' || tag_id AS k FROM shop.order_tags`,
};

/** A small deterministic generator (mulberry32), so a seed names the same kill point and changes each time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exitOf(child: ReturnType<typeof startPg2graph>, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  child.stdout?.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pg2graph did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('faults: resume after the source changed (command line)', function () {
  this.timeout(300_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let dir: string;
  let planFile: string;
  let plan: GraphPlan;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    db = await createScratchDatabase('resumefaults');
    driver = testDriver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-resume-faults-'));
    const neo = neo4jSettings();
    env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
    await db.query(FIXTURE);
    const made = await pg2graph(['plan', '--schema', 'shop'], env);
    assert.equal(made.code, 0, made.stderr);
    planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, made.stdout);
    plan = JSON.parse(made.stdout) as GraphPlan;
    assert.deepEqual(plan.nodes.map((n) => n.id).sort(), ['shop.customers', 'shop.orders', 'shop.tags']);
    assert.equal(plan.relationships.length, 2);
  });
  after(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await driver?.close();
  });
  beforeEach(async () => {
    await clearGraph(driver);
    await db.query(FIXTURE);
  });

  const tableOf = (entry: string): Table => {
    const node = plan.nodes.find((n) => n.id === entry);
    return (node ? node.table!.name : plan.relationships.find((r) => r.id === entry)!.source.table.name) as Table;
  };

  async function committedBatches(): Promise<number> {
    const result = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) RETURN coalesce(sum(c.batches), 0) AS n');
    return neo4j.integer.toNumber(result.records[0].get('n'));
  }

  /** Starts migrate, SIGKILLs (or SIGINTs) it once at least `target` batches are committed; returns what was committed then. */
  async function interrupt(target: number, args: string[], signal: NodeJS.Signals = 'SIGKILL') {
    const child = startPg2graph(['migrate', '--plan', planFile, ...args], env);
    const exited = exitOf(child, 120_000);
    const deadline = Date.now() + 90_000;
    let committed = 0;
    while (committed < target && Date.now() < deadline && child.exitCode === null) committed = await committedBatches();
    assert.equal(child.exitCode, null, `the run ended before batch ${target} (committed ${committed}): nothing to interrupt`);
    child.kill(signal);
    const killedAt = Date.now();
    const end = await exited;
    const states = await driver.executeQuery('MATCH (c:Pg2GraphCheckpoint) RETURN c.entry AS entry, c.complete AS complete, c.batches AS batches');
    const finished: string[] = [];
    const half: string[] = [];
    for (const r of states.records) {
      if (r.get('complete')) finished.push(String(r.get('entry')));
      else if (neo4j.integer.toNumber(r.get('batches')) > 0) half.push(String(r.get('entry')));
    }
    return { committed, killedAt, end, finished: finished.sort(), half: half.sort() };
  }

  async function keys(): Promise<Record<Table, Set<string>>> {
    const result = {} as Record<Table, Set<string>>;
    for (const table of TABLES) result[table] = new Set((await db.query<{ k: string }>(KEY_SQL[table])).rows.map((r) => r.k));
    return result;
  }

  /** Inserts, updates and (unless told not to) deletes rows in each table named, some at random places. */
  async function change(tables: Set<Table>, next: () => number, deletes: boolean): Promise<void> {
    const pick = (n: number, max: number) => [...new Set(Array.from({ length: n }, () => 1 + Math.floor(next() * max)))];
    if (tables.has('customers')) {
      await db.query(`INSERT INTO shop.customers SELECT g, 'new ' || g FROM generate_series(100001, 100030) g`);
      await db.query(`UPDATE shop.customers SET name = name || ' (changed)' WHERE id = ANY($1)`, [pick(20, ROWS)]);
      if (deletes) await db.query('DELETE FROM shop.customers WHERE id = ANY($1)', [pick(5, ROWS)]);
    }
    if (tables.has('orders')) {
      await db.query('INSERT INTO shop.orders SELECT g, (SELECT min(id) FROM shop.customers), g FROM generate_series(200001, 200030) g');
      await db.query('UPDATE shop.orders SET total = total + 1000000 WHERE id = ANY($1)', [pick(20, ROWS)]);
      if (deletes) await db.query('DELETE FROM shop.orders WHERE id = ANY($1)', [pick(5, ROWS)]);
    }
    if (tables.has('tags')) {
      await db.query(`INSERT INTO shop.tags VALUES (41, 'tag 41'), (42, 'tag 42')`);
      await db.query(`UPDATE shop.tags SET name = upper(name) WHERE id IN (3, 4)`);
      if (deletes) await db.query('DELETE FROM shop.tags WHERE id = $1', [1 + Math.floor(next() * 40)]);
    }
    if (tables.has('order_tags')) {
      // pairs no row has yet: each order has one tag (1 + id % 40), and 41 is new
      await db.query(`INSERT INTO shop.tags VALUES (43, 'tag 43') ON CONFLICT DO NOTHING`);
      await db.query('INSERT INTO shop.order_tags SELECT o, 43 FROM unnest($1::int[]) o WHERE EXISTS (SELECT 1 FROM shop.orders WHERE id = o)', [
        pick(20, ROWS),
      ]);
      if (deletes) await db.query('DELETE FROM shop.order_tags WHERE order_id = ANY($1)', [pick(5, ROWS)]);
    }
  }

  /** Keys held by more than one node of a label, plus repeated (start, type, end). */
  async function duplicates(): Promise<number> {
    let extra = 0;
    for (const label of ['Customer', 'Order', 'Tag']) {
      const result = await driver.executeQuery(`MATCH (n:${label}) WITH n.id AS k, count(*) AS c WHERE c > 1 RETURN coalesce(sum(c - 1), 0) AS extra`);
      extra += neo4j.integer.toNumber(result.records[0].get('extra'));
    }
    return extra + (await duplicateRelationships(driver));
  }

  /** What a user does about the count check's finding: remove the records of the rows deleted from the source. */
  async function removeDeleted(before: Record<Table, Set<string>>, now: Record<Table, Set<string>>): Promise<number> {
    const gone = (table: Table) => [...before[table]].filter((k) => !now[table].has(k));
    let removed = 0;
    for (const [table, label] of [
      ['customers', 'Customer'],
      ['orders', 'Order'],
      ['tags', 'Tag'],
    ] as const) {
      const ids = gone(table).map(Number);
      const result = await driver.executeQuery(`MATCH (n:${label}) WHERE n.id IN $ids DETACH DELETE n`, { ids: ids.map((i) => neo4j.int(i)) });
      removed += result.summary.counters.updates().nodesDeleted;
    }
    const pairs = gone('order_tags').map((k) => k.split('/').map((v) => neo4j.int(Number(v))));
    const result = await driver.executeQuery('UNWIND $pairs AS p MATCH (:Order {id: p[0]})-[r:ORDER_TAG]->(:Tag {id: p[1]}) DELETE r', { pairs });
    return removed + result.summary.counters.updates().relationshipsDeleted;
  }

  const rereadIn = (stderr: string) => [...stderr.matchAll(/resume: entry "([^"]+)" .* is read again from its start/g)].map((m) => m[1]).sort();
  const namedIn = (stderr: string) => [...stderr.matchAll(/count check: (?:node|relationship) entry "([^"]+)": source (\d+), graph (\d+)/g)];

  async function verified(): Promise<CliRun> {
    const run = await pg2graph(['verify', '--plan', planFile], env, 120_000);
    assert.equal(run.code, 0, `verify passes:\n${run.stdout}\n${run.stderr}`);
    return run;
  }

  for (const [i, seed] of [11, 23, 37, 41].entries()) {
    const deletes = i < 3;
    const what = deletes ? 'inserted, updated and deleted' : 'inserted and updated';
    it(`kill -9 at a random batch boundary (seed ${seed}), batch size 100 -> 70, rows ${what} in the finished and half-read entries`, async () => {
      const next = random(seed);
      // seeds alternate between the node phase (once the customers are finished) and the relationship phase
      const target = i % 2 === 0 ? 22 + Math.floor(next() * (NODE_BATCHES - 25)) : NODE_BATCHES + 3 + Math.floor(next() * (ALL_BATCHES - NODE_BATCHES - 15));
      const killed = await interrupt(target, ['--batch-size', '100']);
      assert.equal(killed.end.signal, 'SIGKILL');
      const checkpointed = [...killed.finished, ...killed.half];
      assert.ok(killed.finished.length > 0, `an entry was finished when killed at ${killed.committed} batches`);
      const tables = new Set(checkpointed.map(tableOf));
      const before = await keys();
      await change(tables, next, deletes);
      const now = await keys();

      const started = Date.now();
      const rerun = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '70'], env, 180_000);
      const recoverMs = Date.now() - started;
      // every finished or half-read entry's table changed: each one is read again, and stderr says so
      assert.deepEqual(rereadIn(rerun.stderr), [...checkpointed].sort(), rerun.stderr);
      assert.match(rerun.stdout, /resumed an unfinished run: .* read again \(their source changed\)/);
      const named = namedIn(rerun.stderr);
      let note: string;
      if (deletes) {
        // the records of deleted rows stay (MERGE adds and updates, it never deletes): exit 5 names those entries
        assert.equal(rerun.code, 5, `count check exit:\n${rerun.stderr}`);
        assert.ok(named.length > 0);
        for (const [, entry, source, graph] of named) {
          assert.ok(Number(graph) > Number(source), `${entry}: the graph holds more (deleted rows), never fewer: ${source} vs ${graph}`);
          const table = tableOf(entry);
          // deletes cascade (a customer's orders, an order's tags): what counts is that its own table lost rows
          assert.ok(
            [...before[table]].some((k) => !now[table].has(k)),
            `${entry} is named only when rows were deleted from its source`,
          );
        }
        assert.match(rerun.stderr, /count check failed for \d+ entries/);
        const removed = await removeDeleted(before, now);
        assert.ok(removed > 0);
        note = `re-read ${checkpointed.length} entries; exit 5 named ${named.map((m) => `${m[1]} (${m[2]} vs ${m[3]})`).join(', ')}; verify passed once the ${removed} records of deleted rows were removed`;
      } else {
        assert.equal(rerun.code, 0, rerun.stderr);
        assert.equal(named.length, 0);
        note = `re-read ${checkpointed.length} entries (${killed.finished.length} finished, ${killed.half.length} half read); exit 0`;
      }
      await verified();
      const dup = await duplicates();
      assert.equal(dup, 0);
      assert.equal(await committedBatches(), 0, 'the completed run cleared its checkpoints');
      recordFault({
        scenario: `cli resume: kill -9 at ${killed.committed} of ${ALL_BATCHES} batches (seed ${seed}), batch size 100 -> 70, rows ${what}`,
        exact: true,
        duplicates: dup,
        recoverMs,
        note,
      });
    });
  }

  it('SIGINT mid-run, then the same command again: exact, and nothing is read again on an unchanged source', async () => {
    const stopped = await interrupt(30, ['--batch-size', '100'], 'SIGINT');
    assert.equal(stopped.end.code, 1, stopped.end.stderr);
    assert.match(stopped.end.stderr, /interrupted: stopping after the batches in flight/);
    const started = Date.now();
    const rerun = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '100'], env, 180_000);
    const recoverMs = Date.now() - started;
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /resumed an unfinished run/);
    assert.deepEqual(rereadIn(rerun.stderr), [], 'an unchanged source: no entry is read again');
    await verified();
    const dup = await duplicates();
    assert.equal(dup, 0);
    recordFault({
      scenario: 'cli resume: SIGINT mid-run, re-run on an unchanged source',
      exact: true,
      duplicates: dup,
      recoverMs,
      note: `exit 1 in ${((Date.now() - stopped.killedAt) / 1000).toFixed(1)} s after SIGINT; re-run exit 0, nothing read again`,
    });
  });

  it('--trust-checkpoints after rows were inserted into a finished entry: exit 5 names it; a plain run afterwards is exact', async () => {
    // in the relationship phase: the customers are finished
    const killed = await interrupt(NODE_BATCHES + 5, ['--batch-size', '100']);
    assert.ok(killed.finished.includes('shop.customers'), JSON.stringify(killed));
    await db.query(`INSERT INTO shop.customers SELECT g, 'new ' || g FROM generate_series(100001, 100100) g`);
    const started = Date.now();
    const trusted = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '100', '--trust-checkpoints'], env, 180_000);
    assert.equal(trusted.code, 5, trusted.stderr);
    assert.deepEqual(rereadIn(trusted.stderr), [], '--trust-checkpoints looks for no change');
    assert.deepEqual(
      namedIn(trusted.stderr).map((m) => [m[1], m[2], m[3]]),
      [['shop.customers', String(ROWS + 100), String(ROWS)]],
    );
    // the completed run cleared its checkpoints: the next run reads everything again
    const plain = await pg2graph(['migrate', '--plan', planFile, '--batch-size', '100'], env, 180_000);
    assert.equal(plain.code, 0, plain.stderr);
    await verified();
    const dup = await duplicates();
    assert.equal(dup, 0);
    recordFault({
      scenario: 'cli resume: --trust-checkpoints after 100 rows were inserted into a finished entry',
      exact: true,
      duplicates: dup,
      recoverMs: Date.now() - started,
      note: `exit 5 named shop.customers (${ROWS + 100} vs ${ROWS}); a plain re-run exact`,
    });
  });

  it('bad input: --trust-checkpoints with --fresh, or with a value', async () => {
    const both = await pg2graph(['migrate', '--plan', planFile, '--fresh', '--trust-checkpoints'], env);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /CLI_FLAG_INVALID: --trust-checkpoints resumes from checkpoints, --fresh ignores them/);
    const valued = await pg2graph(['migrate', '--plan', planFile, '--trust-checkpoints=yes'], env);
    assert.equal(valued.code, 1);
    assert.match(valued.stderr, /trust-checkpoints/);
  });
});
