/**
 * Shared pieces of the pg read / row → node / fk → edge node tests: the flow, a recorder that acknowledges
 * batches like a writer would (counting what is unacknowledged), and the core join node module.
 */
import fs from 'fs';
import path from 'path';
import { helper, nodeModule } from '../support/node-red';
import { nodeRedPackage } from '../support/env';
import type { ScratchDatabase } from '../support/databases';

export const readNode = nodeModule('pg2graph-read');
export const toNodeNode = nodeModule('pg2graph-to-node');
export const toEdgeNode = nodeModule('pg2graph-to-edge');
export const postgresNode = nodeModule('pg2graph-postgres');

/** The core split/join module of the Node-RED version under test. */
export function coreJoinModule(): unknown {
  const runtime = path.dirname(require.resolve(nodeRedPackage()));
  const candidates = [
    path.join(runtime, '..', 'node_modules', '@node-red', 'nodes', 'core', 'sequence', '17-split.js'),
    path.join(runtime, '..', '..', '@node-red', 'nodes', 'core', 'sequence', '17-split.js'),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`core split/join not found near ${runtime}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(found);
}

export function postgresConfig(db: ScratchDatabase, applicationName: string) {
  return {
    id: 'pgcfg',
    type: 'pg2graph-postgres',
    name: 'source',
    host: db.settings.host,
    port: db.settings.port,
    database: db.settings.database,
    sslMode: 'disable',
    poolSize: '4',
    applicationName,
  };
}

export const credentials = (db: ScratchDatabase) => ({ pgcfg: { user: db.settings.user as string, password: db.settings.password as string } });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages of every node type; each test reads its own shape
type Loose = any;

export interface Msg {
  topic?: string;
  payload: Loose;
  entry?: Loose;
  ends?: Loose;
  parts?: { id: string; index: number; count?: number; type: string };
  resume?: Record<string, unknown>;
  plan?: unknown;
  control?: { kind: string; run: string; seq: number; plan: string; phase: string; entries?: string[] };
  rejects?: Array<{ entry: string; key: string; column: string; value?: string; reason: string }>;
  error?: { message: string; code?: string; source?: { id: string } };
}

/**
 * Listens to the read node's three outputs and the Catch node; acknowledges every batch (after `delayMs`,
 * or as `decide` says) by sending msg.ack into the read node, and tracks how many were out at once.
 */
export class Recorder {
  nodeBatches: Msg[] = [];
  relationshipBatches: Msg[] = [];
  controls: Array<{ kind: string; run: string; seq: number; plan: string; phase: string; entries?: string[] }> = [];
  events: string[] = [];
  outstanding = 0;
  mostOutstanding = 0;
  acked = 0;
  readonly completion: Promise<Msg>;
  readonly failure: Promise<Msg>;

  batchCount = 0;

  /** keep: false forgets each batch once acknowledged (for the million-row run). */
  constructor(private readonly options: { delayMs?: number; keep?: boolean; decide?: (msg: Msg, recorder: Recorder) => 'ack' | 'hold' | 'fail' } = {}) {
    const reader = helper.getNode('reader');
    const onBatch = (phase: string, list: Msg[]) => (msg: Msg) => {
      if (msg.control) {
        // a run's control messages are acknowledged like batches, as graph write does
        this.controls.push(msg.control);
        this.events.push(`${msg.control.kind} ${phase}`);
        setImmediate(() => helper.getNode('reader')?.receive({ ack: { run: msg.control!.run, seq: msg.control!.seq, ok: true } }));
        return;
      }
      this.batchCount++;
      if (this.options.keep !== false) list.push(msg);
      this.outstanding++;
      this.mostOutstanding = Math.max(this.mostOutstanding, this.outstanding);
      this.events.push(`send ${phase}`);
      const decision = this.options.decide?.(msg, this) ?? 'ack';
      if (decision === 'hold') return;
      const send = () => this.acknowledge(msg, decision === 'ack');
      if (this.options.delayMs) setTimeout(send, this.options.delayMs);
      else setImmediate(send);
    };
    helper.getNode('out1').on('input', onBatch('nodes', this.nodeBatches));
    helper.getNode('out2').on('input', onBatch('relationships', this.relationshipBatches));
    this.completion = new Promise((resolve) =>
      helper.getNode('out3').once('input', (msg: Msg) => {
        this.events.push('complete');
        resolve(msg);
      }),
    );
    this.failure = new Promise((resolve) => helper.getNode('caught').once('input', resolve));
    void reader;
  }

  acknowledge(msg: Msg, ok = true): void {
    this.outstanding--;
    this.acked++;
    this.events.push(`ack ${msg.payload.batch.phase}`);
    const batch = msg.payload.batch;
    const reader = helper.getNode('reader');
    if (!reader) return; // the flow was stopped meanwhile
    reader.receive({
      ack: { run: batch.run, seq: batch.seq, entry: batch.entry, ok, ...(ok ? {} : { error: { code: 'TEST_REFUSED', message: 'refused by the test' } }) },
    });
  }

  /** The completion or the caught error, whichever comes first. */
  outcome(timeoutMs = 20_000): Promise<{ complete?: Msg; error?: Msg }> {
    return Promise.race([
      this.completion.then((complete) => ({ complete })),
      this.failure.then((error) => ({ error })),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no completion or error within ${timeoutMs} ms`)), timeoutMs)),
    ]);
  }
}

export function readFlow(read: Record<string, unknown>, extra: object[] = []) {
  return [
    { id: 'tab', type: 'tab', label: 'read' },
    { id: 'reader', type: 'pg2graph-read', z: 'tab', postgres: 'pgcfg', batchSize: '', maxUnacknowledged: '4', wires: [['out1'], ['out2'], ['out3']], ...read },
    { id: 'out1', type: 'helper', z: 'tab' },
    { id: 'out2', type: 'helper', z: 'tab' },
    { id: 'out3', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
    ...extra,
  ];
}

/** The warnings a node sent with node.warn (the test helper's spy sits on the shared Node prototype). */
export function warningTexts(id: string): string[] {
  const node = helper.getNode(id) as unknown as { warn: { getCalls(): Array<{ thisValue: { id: string }; args: unknown[] }> } };
  return node.warn
    .getCalls()
    .filter((call) => call.thisValue?.id === id)
    .map((call) => String(call.args[0]));
}

/** Texts of one node's status calls so far (the test helper's spy sits on the shared Node prototype). */
export function statusTexts(id: string): string[] {
  const node = helper.getNode(id) as unknown as { status: { getCalls(): Array<{ thisValue: { id: string }; args: Array<{ text?: string }> }> } };
  return node.status
    .getCalls()
    .filter((call) => call.thisValue?.id === id)
    .map((call) => call.args[0]?.text ?? '');
}
