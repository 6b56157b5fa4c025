/**
 * Fault campaign, Node-RED: the migration flow in a real Node-RED runtime (a child process with the pack
 * installed) cut off mid-run by a full redeploy, a "modified nodes" redeploy of pg read and of graph write, a
 * kill -9 of the runtime (started again on the same user directory), and a second inject while a run is going.
 * After each: the flow's next run ends with exactly the source's nodes and relationships, no duplicate, no
 * checkpoint left, `pg2graph verify` passes, the runtime is alive and logged no unhandled rejection, and once
 * the flow is deployed again its connections are back to their baseline (pg_stat_activity of the flow's
 * application_name, the Bolt connections of its Neo4j config node's user agent, no open transaction of them).
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { isDeepStrictEqual } from 'util';
import type { Driver } from 'neo4j-driver';
import { nodeRedMajor } from '../support/env';
import { boltConnectionsWithAgent, clearGraph, eventually, neo4jSettings, testDriver } from '../support/databases';
import { checkpoints, duplicateNodeKeys, duplicateRelationships, graphCounts } from '../support/graph-counts';
import { createSampleDatabase, expectedCounts, sourceRows, type SampleDatabase } from '../support/sample';
import { comms, DebugLog, startNodeRed, type Runtime } from '../support/runtime';
import { pg2graph } from '../support/cli';
import { recordFault } from '../support/fault-table';

const APP = 'pg2graph-nr-faults';
const NEO4J_CONFIG = 'nrfneo';
const AGENT = `pg2graph/${NEO4J_CONFIG}`;
/** Lines of a runtime log that mean a promise or an exception nobody handled. */
const UNHANDLED = /unhandled|UnhandledPromiseRejection|uncaught/i;

interface Result {
  topic: string;
  run: string;
  payload: { stopped: boolean; rows: number; durationMs: number };
}
interface CaughtError {
  message: string;
  code?: string;
  details?: { cause?: { code?: string } };
}

describe(`fault campaign: the migration flow in a real Node-RED ${nodeRedMajor()}`, function () {
  this.timeout(300_000);
  let db: SampleDatabase;
  let driver: Driver;
  let runtime: Runtime | undefined;
  let socket: { close(): void } | undefined;
  let userDir: string;
  let planFile: string;
  let allRows: number;
  const debugs = new DebugLog(() => runtime);
  /** Connections of the flow right after it was deployed, before any run. */
  let baseline: { postgres: number; bolt: number };

  /** The flow: inject (the plan) → pg read → row → node / fk → edge → graph write, acknowledgements back; results and errors to debug nodes. */
  function flow(changes: { reader?: Record<string, unknown>; writer?: Record<string, unknown> } = {}, withCredentials = true): object[] {
    const neo = neo4jSettings();
    const debug = (id: string, complete: string) => ({
      id,
      type: 'debug',
      z: 'nrf',
      name: id,
      active: true,
      tosidebar: true,
      console: false,
      complete,
      targetType: complete === 'true' ? 'full' : 'msg',
      wires: [],
    });
    const nodes: Array<Record<string, unknown>> = [
      { id: 'nrf', type: 'tab', label: 'fault campaign' },
      {
        id: 'nrfpg',
        type: 'pg2graph-postgres',
        name: 'source',
        host: db.settings.host,
        port: db.settings.port,
        database: db.name,
        sslMode: 'disable',
        poolSize: '4',
        applicationName: APP,
        connectionEnv: '',
        ...(withCredentials ? { credentials: { user: db.settings.user, password: db.settings.password } } : {}),
      },
      {
        id: NEO4J_CONFIG,
        type: 'pg2graph-neo4j',
        name: 'graph',
        uri: neo.uri,
        database: '',
        dialect: 'neo4j',
        tls: 'uri',
        ...(withCredentials ? { credentials: { user: neo.user, password: neo.password } } : {}),
      },
      {
        id: 'go',
        type: 'inject',
        z: 'nrf',
        name: 'go',
        props: [{ p: 'plan', v: JSON.stringify(db.plan), vt: 'json' }],
        repeat: '',
        once: false,
        wires: [['reader']],
      },
      // small batches, few in flight: the run lasts a few seconds
      {
        id: 'reader',
        type: 'pg2graph-read',
        z: 'nrf',
        name: 'pg read',
        postgres: 'nrfpg',
        neo4j: NEO4J_CONFIG,
        batchSize: '250',
        maxUnacknowledged: '3',
        ...changes.reader,
        wires: [['tonode'], ['toedge'], ['result']],
      },
      { id: 'tonode', type: 'pg2graph-to-node', z: 'nrf', label: '', key: '', rules: '', computed: '', onInvalid: 'reject', wires: [['writer'], ['rejected']] },
      { id: 'toedge', type: 'pg2graph-to-edge', z: 'nrf', onInvalid: 'reject', wires: [['writer'], ['rejected']] },
      {
        id: 'writer',
        type: 'pg2graph-write',
        z: 'nrf',
        name: 'graph write',
        neo4j: NEO4J_CONFIG,
        mode: 'merge',
        concurrency: 2,
        maxRetries: 5,
        ...changes.writer,
        wires: [['reader'], []],
      },
      debug('result', 'true'),
      debug('rejected', 'rejects'),
      { id: 'catch', type: 'catch', z: 'nrf', name: 'any error', scope: null, uncaught: false, wires: [['errors']] },
      debug('errors', 'error'),
    ];
    // a node with a position is a flow node (one without is taken for a config node)
    return nodes.map((n, i) => (n.z ? { x: 200, y: 40 * (i + 1), ...n } : n));
  }

  async function start(): Promise<void> {
    const neo = neo4jSettings();
    runtime = await startNodeRed({
      major: nodeRedMajor(),
      userDir,
      settings: { debugMaxLength: 200_000 },
      env: { NEO4J_URI: neo.uri, NEO4J_USER: neo.user ?? '', NEO4J_PASSWORD: neo.password ?? '' },
    });
    socket = await comms.watchRuntime(runtime.url, { onDebug: (d) => debugs.add(d) });
  }

  async function stopRuntime(): Promise<void> {
    socket?.close();
    socket = undefined;
    await runtime?.stop();
    runtime = undefined;
  }

  const postgresConnections = () => db.connectionsNamed(APP);
  const boltConnections = () => boltConnectionsWithAgent(driver, AGENT);

  /** Open transactions on the Bolt connections of the flow's config node. */
  async function openTransactions(): Promise<number> {
    const connections = await driver.executeQuery('CALL dbms.listConnections() YIELD connectionId, userAgent WHERE userAgent = $agent RETURN connectionId', {
      agent: AGENT,
    });
    const ids = new Set(connections.records.map((r) => String(r.get('connectionId'))));
    const transactions = await driver.executeQuery('SHOW TRANSACTIONS YIELD connectionId RETURN connectionId');
    return transactions.records.filter((r) => ids.has(String(r.get('connectionId')))).length;
  }

  /** Backends of the flow's application_name that are not idle (a query or a transaction left open). */
  async function busyBackends(): Promise<number> {
    const busy = await db.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state <> 'idle'", [APP]);
    return Number(busy.rows[0].n);
  }

  /** Clicks "go" and waits for the run's result, or the error a Catch node reports. */
  async function run(timeoutMs = 120_000): Promise<Result> {
    const result = debugs.next('result', timeoutMs);
    const error = debugs.next('errors', timeoutMs);
    await comms.clickInject((runtime as Runtime).url, 'go');
    const first = await Promise.race([result.then((m) => ({ result: m })), error.then((m) => ({ error: m }))]);
    // the loser keeps polling until its timeout: let it end quietly
    result.catch(() => undefined);
    error.catch(() => undefined);
    if ('error' in first) throw new Error(`the run failed: ${first.error}`);
    return JSON.parse(first.result) as Result;
  }

  /** Clicks "go" and returns once the run is well under way (some batches checkpointed, the run not finished). */
  async function startRunAndWait(batches = 5): Promise<void> {
    const seen = debugs.messages.length;
    await comms.clickInject((runtime as Runtime).url, 'go');
    const under = await eventually(
      () => checkpoints(driver),
      (c) => c.batches >= batches,
      60_000,
    );
    assert.ok(under.batches >= batches, `the run never got under way: ${JSON.stringify(under)}`);
    assert.equal(
      debugs.messages.slice(seen).find((d) => d.id === 'result'),
      undefined,
      'the run was still going when the fault came (make it longer: smaller batches)',
    );
  }

  /**
   * After a fault: waits until the flow's connections are quiet (no Postgres query or transaction, no open
   * Neo4j transaction) and no debug message came for a second, then returns the codes the Catch node reported.
   */
  async function settle(since: number): Promise<string[]> {
    await eventually(busyBackends, (n) => n === 0, 15_000);
    await eventually(openTransactions, (n) => n === 0, 15_000);
    for (let count = -1, deadline = Date.now() + 10_000; count !== debugs.messages.length && Date.now() < deadline;) {
      count = debugs.messages.length;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return debugs.messages
      .slice(since)
      .filter((d) => d.id === 'errors')
      .map((d) => (JSON.parse(d.msg) as CaughtError).code ?? 'no code');
  }

  /** "WRITE_ABORTED ×2, READ_BATCH_FAILED" */
  const codeList = (codes: string[]) =>
    codes.length
      ? [...new Set(codes)].map((c) => `${c}${codes.filter((d) => d === c).length > 1 ? ` ×${codes.filter((d) => d === c).length}` : ''}`).join(', ')
      : 'none';

  async function deploy(type: 'full' | 'nodes', changes?: Parameters<typeof flow>[0]): Promise<void> {
    // as the editor does: credentials only when they changed (given, they would mark the config nodes as modified too)
    await comms.deployFlow((runtime as Runtime).url, flow(changes, type === 'full'), type);
  }

  /**
   * The checks after every scenario: the graph exact (counts, no duplicate, no checkpoint), `pg2graph verify`
   * passes, no unhandled rejection in the runtime's log and the runtime alive, no busy connection; then, the
   * flow deployed again, its connections back to the baseline. Records the outcome first, so the table shows it.
   */
  async function expectRecovered(scenario: string, faultAt: number, logFrom: number, note: string): Promise<void> {
    const counts = await graphCounts(driver);
    const expected = await expectedCounts(db, db.plan);
    const duplicates = (await duplicateNodeKeys(driver, db.plan)) + (await duplicateRelationships(driver));
    const left = await checkpoints(driver);
    const verifyStarted = Date.now();
    const verify = await pg2graph(['verify', '--pg', db.url, '--plan', planFile], {}, 120_000);
    const recoverMs = verifyStarted - faultAt;
    console.log(`      verify took ${seconds(Date.now() - verifyStarted)}`);
    const exact = isDeepStrictEqual(counts, expected) && duplicates === 0 && left.nodes === 0 && verify.code === 0;
    recordFault({ scenario: `node-red: ${scenario}`, exact, duplicates, recoverMs, note });
    assert.deepEqual(counts, expected, 'the graph holds exactly the source');
    assert.equal(duplicates, 0, 'no key held by two nodes, no repeated relationship');
    assert.equal(left.nodes, 0, 'no checkpoint left behind');
    assert.equal(verify.code, 0, `pg2graph verify passes:\n${verify.stdout}\n${verify.stderr}`);

    const live = runtime as Runtime;
    const log = live.output().slice(logFrom);
    assert.doesNotMatch(log, UNHANDLED, `nothing unhandled in the runtime's log:\n${log.slice(-4000)}`);
    assert.ok(live.pid && processAlive(live.pid), 'the runtime is alive');
    assert.equal((await fetch(`${live.url}/flows`)).status, 200, 'the runtime answers');

    const busy = await eventually(busyBackends, (n) => n === 0, 15_000);
    assert.equal(busy, 0, 'no Postgres backend of the flow is left in a query or transaction');
    const open = await eventually(openTransactions, (n) => n === 0, 15_000);
    assert.equal(open, 0, 'no Neo4j transaction of the flow is left open');
    // deployed again, the config nodes close their pool and driver: back to the connections of a fresh deploy
    const redeployStarted = Date.now();
    await deploy('full');
    console.log(`      redeploy for the baseline took ${seconds(Date.now() - redeployStarted)}`);
    const postgres = await eventually(postgresConnections, (n) => n === baseline.postgres, 20_000);
    const bolt = await eventually(boltConnections, (n) => n === baseline.bolt, 20_000);
    assert.deepEqual({ postgres, bolt }, baseline, 'connections back to their baseline');
  }

  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const resumed = (result: Result) => `next run resumed (${result.payload.rows} of ${allRows} rows, ${seconds(result.payload.durationMs)})`;

  /** A resumed run read fewer rows than a whole run: it continued from the checkpoints. */
  function assertResumed(result: Result): void {
    assert.equal(result.topic, 'complete');
    assert.ok(result.payload.rows < allRows, `the next run resumed from the checkpoints (${result.payload.rows} of ${allRows} rows read)`);
  }

  before(async function () {
    db = await createSampleDatabase('nrfaults');
    driver = testDriver();
    allRows = await sourceRows(db, db.plan);
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-nr-faults-'));
    planFile = path.join(userDir, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(db.plan));
    await start();
    await deploy('full');
    baseline = {
      postgres: await eventually(postgresConnections, (n) => n === 0, 10_000),
      bolt: await eventually(boltConnections, (n) => n === 0, 10_000),
    };
    assert.deepEqual(baseline, { postgres: 0, bolt: 0 }, 'a freshly deployed flow holds no connection before its first run');
  });
  after(async () => {
    await stopRuntime();
    await driver?.close();
    await db?.drop();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await clearGraph(driver);
    debugs.messages.length = 0;
  });

  it('redeployed in full mid-run: the next run resumes from the checkpoints, exact', async () => {
    const logFrom = (runtime as Runtime).output().length;
    await startRunAndWait();
    const faultAt = Date.now();
    const since = debugs.messages.length;
    await deploy('full');
    const deployMs = Date.now() - faultAt;
    const codes = await settle(since);
    assert.ok((await checkpoints(driver)).nodes > 0, 'the cut-off run left its checkpoints');
    const result = await run();
    assertResumed(result);
    await expectRecovered('full redeploy mid-run', faultAt, logFrom, `deploy ${seconds(deployMs)}, caught: ${codeList(codes)}; ${resumed(result)}`);
  });

  it('pg read redeployed alone ("modified nodes") mid-run: the next run resumes from the checkpoints, exact', async () => {
    const logFrom = (runtime as Runtime).output().length;
    await startRunAndWait();
    const faultAt = Date.now();
    const since = debugs.messages.length;
    await deploy('nodes', { reader: { name: 'pg read (changed)' } });
    const deployMs = Date.now() - faultAt;
    const codes = await settle(since);
    const result = await run();
    assertResumed(result);
    await expectRecovered(
      'modified-nodes redeploy of pg read mid-run',
      faultAt,
      logFrom,
      `deploy ${seconds(deployMs)}, caught: ${codeList(codes)}; ${resumed(result)}`,
    );
  });

  it('graph write redeployed alone ("modified nodes") with batches in flight: the run fails with a typed code, the next run resumes, exact', async () => {
    const logFrom = (runtime as Runtime).output().length;
    await startRunAndWait();
    const faultAt = Date.now();
    const since = debugs.messages.length;
    await deploy('nodes', { writer: { concurrency: 3 } });
    const deployMs = Date.now() - faultAt;
    // pg read hears of the batches the closed writer gave up: the run fails, typed, within a bounded time
    const failure = await eventually(
      async () => debugs.messages.slice(since).find((d) => d.id === 'errors' && (JSON.parse(d.msg) as CaughtError).code === 'READ_BATCH_FAILED'),
      (found) => found !== undefined,
      60_000,
    );
    const failedMs = Date.now() - faultAt;
    assert.ok(failure, `pg read reported READ_BATCH_FAILED; caught: ${codeList(await settle(since))}`);
    assert.match((JSON.parse(failure.msg) as CaughtError).message, /graph writer was closed/);
    const codes = await settle(since);
    // a batch Node-RED dropped between the old writer's close and the new one's start is answered by nobody
    const lost = /ended with (\d+) batches still unacknowledged after/.exec((runtime as Runtime).output().slice(logFrom));
    const result = await run();
    assertResumed(result);
    await expectRecovered(
      'graph write closed with batches in flight (modified-nodes redeploy of it)',
      faultAt,
      logFrom,
      `deploy ${seconds(deployMs)}, run failed after ${seconds(failedMs)}${lost ? ` (waited for ${lost[1]} batch lost in the redeploy)` : ''}, caught: ${codeList(codes)}; ${resumed(result)}`,
    );
  });

  it('runtime killed (kill -9) mid-run and started again on the same user directory: the next inject resumes, exact', async () => {
    await startRunAndWait();
    const faultAt = Date.now();
    const killed = (runtime as Runtime).pid as number;
    process.kill(killed, 'SIGKILL');
    const killedLog = (runtime as Runtime).output();
    await stopRuntime();
    assert.doesNotMatch(killedLog, UNHANDLED, `nothing unhandled in the killed runtime's log:\n${killedLog.slice(-4000)}`);
    assert.ok(!processAlive(killed), 'the runtime is gone');
    assert.ok((await checkpoints(driver)).nodes > 0, 'the killed run left its checkpoints');
    await start();
    const restartMs = Date.now() - faultAt;
    const result = await run();
    assertResumed(result);
    await expectRecovered('runtime kill -9 mid-run, restarted on its user directory', faultAt, 0, `restart ${seconds(restartMs)}; ${resumed(result)}`);
  });

  it('a second inject while a run is going is refused with READ_BUSY; the first run finishes alone, exact', async () => {
    const logFrom = (runtime as Runtime).output().length;
    const result = debugs.next('result', 120_000);
    const caught = debugs.next('errors', 60_000);
    await startRunAndWait(3);
    const faultAt = Date.now();
    await comms.clickInject((runtime as Runtime).url, 'go');
    const refusal = JSON.parse(await caught) as CaughtError;
    assert.equal(refusal.code, 'READ_BUSY', refusal.message);
    const first = JSON.parse(await result) as Result;
    assert.equal(first.topic, 'complete');
    assert.equal(first.payload.rows, allRows, 'the first run read every row, undisturbed');
    // never a second run: one result only, and no other error
    await settle(0);
    assert.deepEqual(
      debugs.messages.filter((d) => d.id === 'result' || d.id === 'errors').map((d) => d.id),
      ['errors', 'result'],
    );
    await expectRecovered(
      'second inject while a run is going',
      faultAt,
      logFrom,
      `refused READ_BUSY to the Catch node; the first run finished alone in ${seconds(first.payload.durationMs)}`,
    );
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
