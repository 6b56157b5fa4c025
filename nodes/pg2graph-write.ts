/**
 * pg2graph-write: writes node and relationship record batches to the graph of a pg2graph-neo4j config node and
 * answers each batch, and each of the run's control messages, with an acknowledgement (output 1, wired back to
 * pg2graph-read) and running totals (output 2). The engine's Neo4jTarget does the writing; this file only
 * adapts messages: runStart prepares the plan, batches are written with their checkpoints, runEnd (the reader's
 * word that every batch of the run was acknowledged) clears the run's checkpoints.
 */
import { Pg2GraphError, pickStats, type Acknowledgement, type BatchInfo, type RecordBatch, type RunControl } from '../engine/core';
import { assertValidPlan, planFingerprint, type ValidPlan } from '../engine/plan';
import { Neo4jTarget, WriteTotals, type BatchWriteResult } from '../engine/write';
import { shapingCounts } from '../engine/shape';
import type { Neo4jConfigNode } from './lib/config-nodes';
import { asTyped, onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeMessage, NodeRedApi, NodeStatus, RedNode, SendFn } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { WriterRuns } from './write/writer-runs';
import { writeSettings, type WriteSettings } from './write/write-settings';

const TYPE = 'pg2graph-write';
const CLOSE_WAIT_MS = 3000;

function isRecordBatch(payload: unknown): payload is RecordBatch {
  const kind = (payload as { kind?: unknown } | null)?.kind;
  return kind === 'nodes' || kind === 'relationships';
}

function isControl(value: unknown): value is RunControl {
  const control = value as Partial<RunControl> | null;
  return (
    !!control &&
    (control.kind === 'runStart' || control.kind === 'runEnd') &&
    typeof control.run === 'string' &&
    typeof control.seq === 'number' &&
    typeof control.plan === 'string'
  );
}

/** The run and seq of a malformed control message, when it has them (so it can still be answered). */
function controlIdentity(value: unknown): { run: string; seq: number } | undefined {
  const given = value as Partial<RunControl> | null;
  return given && typeof given.run === 'string' && typeof given.seq === 'number' ? { run: given.run, seq: given.seq } : undefined;
}

/** run and seq are what the reader needs to match an acknowledgement; without them none can be sent. */
function ackable(info: Partial<BatchInfo> | undefined): info is BatchInfo {
  return !!info && typeof info.run === 'string' && typeof info.seq === 'number';
}

export = function register(RED: NodeRedApi): void {
  function GraphWrite(this: RedNode, def: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, def);
    const node = this;
    const totals = new WriteTotals();
    const runs = new WriterRuns();
    const status = new ThrottledStatus(node);
    let settings: WriteSettings | Pg2GraphError;
    try {
      settings = writeSettings(def, (key, values) => RED._(`${TYPE}.${key}`, values));
    } catch (error) {
      settings = asTyped(error);
    }
    let writer: Neo4jTarget | undefined;
    /** Code of the last failed batch: the status stays red until a reset or the next run starts. */
    let lastFailure: string | undefined;
    /**
     * Set on close (a redeploy, a stop): from then on every batch and control message this node holds or still
     * receives is answered as failed (WRITE_ABORTED), whether or not its write commits, and nothing else is sent.
     * pg read waits for every answer: a batch answered "written" after close would let it send the next one to a
     * writer that is gone, and wait for that one forever.
     */
    let closed = false;

    const text = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);

    function target(): { writer: Neo4jTarget; settings: WriteSettings } {
      // a message delivered while the node closes: answered, never written by a writer nobody closes
      if (closed) throw new Pg2GraphError('WRITE_ABORTED', text('errors.closed'));
      if (settings instanceof Pg2GraphError) throw settings;
      if (!writer) {
        const config = requireConfigNode<Neo4jConfigNode>((id) => RED.nodes.getNode(id), def.neo4j, 'pg2graph-neo4j', 'neo4j', text('errors.noNeo4j'));
        writer = new Neo4jTarget(config.connection, {
          concurrency: settings.concurrency,
          maxRetries: settings.maxRetries,
          batchTimeoutMs: settings.batchTimeoutMs,
        });
      }
      return { writer, settings };
    }

    function showTotals(): void {
      status.set((): NodeStatus => {
        const t = totals.snapshot();
        const values = {
          nodes: t.nodesCreated + t.nodesMatched,
          relationships: t.relationshipsCreated,
          batches: t.batches,
          retries: t.retries,
          missingEnds: t.missingEnds,
          code: lastFailure,
        };
        if (lastFailure) return { fill: 'red', shape: 'ring', text: text('status.failedTotals', values) };
        if (writer && writer.pending > 0) return { fill: 'blue', shape: 'ring', text: text('status.writing', values) };
        // relationship rows without an end are a loss: yellow until a reset, with their count
        return t.missingEnds > 0
          ? { fill: 'yellow', shape: 'dot', text: text('status.totalsMissingEnds', values) }
          : { fill: 'green', shape: 'dot', text: text('status.totals', values) };
      });
    }

    const totalsMessage = (run?: string): NodeMessage => ({ topic: 'totals', payload: { ...totals.snapshot(), ...(run ? { run } : {}) } });

    const ackMessage = (topic: string, ack: Acknowledgement): NodeMessage => ({ topic, ack });

    /** The plan of a runStart: there, valid, and the very plan whose fingerprint the run's batches carry. */
    function runPlan(msg: NodeMessage, message: RunControl): ValidPlan {
      if (msg.plan === undefined) throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.runStartWithoutPlan', { run: message.run }));
      const plan = assertValidPlan(msg.plan);
      const key = planFingerprint(plan);
      if (key !== message.plan)
        throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.planChanged', { run: message.run, expected: message.plan, found: key }));
      return plan;
    }

    /**
     * runStart: the plan's schema work (once per fingerprint); runEnd: the run is complete, its checkpoints go.
     * Either way the answer is an acknowledgement, also when it fails, so the reader never waits for it in vain.
     */
    async function control(msg: NodeMessage, message: RunControl, send: SendFn): Promise<void> {
      try {
        const { writer: graph } = target();
        if (message.kind === 'runStart') {
          lastFailure = undefined;
          const plan = runPlan(msg, message);
          if (!runs.isPrepared(message.plan)) status.now({ fill: 'blue', shape: 'ring', text: text('status.preparing') });
          await runs.start(message.run, message.plan, () => graph.prepare(plan));
        } else {
          await runs.ready(message.run);
          await graph.finishRun(message.plan, message.entries, message.run);
          runs.end(message.run);
        }
      } catch (error) {
        const typed = asTyped(error);
        lastFailure = typed.code;
        send([ackMessage(message.kind, { run: message.run, seq: message.seq, ok: false, error: { code: typed.code, message: typed.message } }), null]);
        throw typed;
      }
      if (closed) {
        const error = new Pg2GraphError('WRITE_ABORTED', text('errors.closed'));
        send([ackMessage(message.kind, { run: message.run, seq: message.seq, ok: false, error: { code: error.code, message: error.message } }), null]);
        throw error;
      }
      send([ackMessage(message.kind, { run: message.run, seq: message.seq, ok: true }), message.kind === 'runEnd' ? totalsMessage(message.run) : null]);
    }

    async function writeBatch(batch: RecordBatch, send: SendFn): Promise<void> {
      const info = batch.batch as Partial<BatchInfo> | undefined;
      const entry = typeof info?.entry === 'string' ? info.entry : '';
      let result: BatchWriteResult;
      showTotals();
      try {
        // inside the try: a writer without a connection or with bad settings still answers the batch
        const { writer: graph, settings: chosen } = target();
        await runs.ready(info?.run);
        result = batch.kind === 'nodes' ? await graph.writeNodes(batch, chosen.mode) : await graph.writeRelationships(batch, chosen.mode);
      } catch (error) {
        const typed = asTyped(error);
        lastFailure = typed.code;
        totals.fail(entry, Number(typed.details.retries ?? 0));
        if (ackable(info)) {
          send([ackMessage(entry, { run: info.run, seq: info.seq, entry, ok: false, error: { code: typed.code, message: typed.message } }), null]);
        }
        throw typed;
      }
      if (closed) {
        const error = new Pg2GraphError('WRITE_ABORTED', text('errors.closedWhileWriting'), { entry, committed: true });
        if (ackable(info))
          send([ackMessage(entry, { run: info.run, seq: info.seq, entry, ok: false, error: { code: error.code, message: error.message } }), null]);
        throw error;
      }
      const stats = pickStats(result);
      totals.add(entry, stats);
      const out: NodeMessage = { topic: entry };
      if (ackable(info)) out.ack = { run: info.run, seq: info.seq, entry, ok: true, stats, ...shapingCounts(batch) } satisfies Acknowledgement;
      if (result.missingEnds > 0) {
        out.missingEnds = { entry, count: result.missingEnds, examples: result.missingEndExamples ?? [] };
        node.warn(text('warn.missingEnds', { entry, count: result.missingEnds, examples: JSON.stringify(result.missingEndExamples ?? []) }));
      }
      send([out, info?.last === true ? totalsMessage(info.run) : null]);
      showTotals();
    }

    onInput(
      node,
      async (msg, send) => {
        if (msg.reset === true) {
          totals.reset();
          lastFailure = undefined;
        }
        if (msg.control !== undefined) {
          if (!isControl(msg.control)) {
            const error = new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.controlInvalid', { control: JSON.stringify(msg.control) }));
            // malformed, but when it says which run and message it is, the reader still hears about it
            const given = controlIdentity(msg.control);
            if (given) send([ackMessage('control', { ...given, ok: false, error: { code: error.code, message: error.message } }), null]);
            throw error;
          }
          await control(msg, msg.control, send);
        } else if (msg.plan !== undefined) {
          // a plan alone (or on a hand-made batch): its constraints, once per fingerprint
          lastFailure = undefined;
          const plan = assertValidPlan(msg.plan);
          const { writer: graph } = target();
          const planKey = planFingerprint(plan);
          if (!runs.isPrepared(planKey)) status.now({ fill: 'blue', shape: 'ring', text: text('status.preparing') });
          await runs.prepare(planKey, () => graph.prepare(plan));
          runs.lastPlanKey = planKey;
        }
        if (isRecordBatch(msg.payload)) {
          await writeBatch(msg.payload, send);
        } else if (msg.control === undefined && msg.plan === undefined && msg.totals === undefined && msg.reset === undefined && msg.complete === undefined) {
          throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.notABatch'));
        }
        if (msg.complete === true) {
          // finishing a run by hand: the plan given, else the one of the run started last
          const key = msg.plan !== undefined ? planFingerprint(assertValidPlan(msg.plan)) : runs.lastPlanKey;
          if (!key) throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.completeWithoutPlan'));
          await target().writer.finishRun(key);
        }
        if (msg.totals !== undefined || msg.reset === true) send([null, totalsMessage()]);
        showTotals();
      },
      (error) => {
        status.clear();
        return { fill: 'red', shape: 'ring', text: text('status.failed', { code: error.code }) };
      },
    );

    node.on('close', (_removed, done) => {
      closed = true;
      status.clear();
      // a redeploy closes the shared driver at the same time: batches still open after a short wait are given up
      const closing = writer ? writer.close(CLOSE_WAIT_MS) : Promise.resolve();
      writer = undefined;
      closing.then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType(TYPE, GraphWrite);
};
