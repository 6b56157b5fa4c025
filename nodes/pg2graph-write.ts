/**
 * pg2graph-write: writes node and relationship record batches to the graph of a pg2graph-neo4j config node and
 * answers each batch with an acknowledgement (output 1, wired back to pg2graph-read) and running totals
 * (output 2). The engine's Neo4jTarget does the writing; this file only adapts messages.
 */
import { Pg2GraphError } from '../engine/core';
import type { Acknowledgement, BatchInfo, RecordBatch } from '../engine/core';
import { Neo4jTarget, pickStats, WriteTotals } from '../engine/write';
import type { BatchWriteResult } from '../engine/write';
import type { Neo4jConfigNode } from './lib/config-nodes';
import { asTyped, onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeMessage, NodeRedApi, NodeStatus, RedNode, SendFn } from './lib/red';
import { PlanRuns, asPlan } from './write/plan-runs';
import { ThrottledStatus } from './write/throttled-status';
import { writeSettings, type WriteSettings } from './write/write-settings';

const TYPE = 'pg2graph-write';
const CLOSE_WAIT_MS = 3000;

function isRecordBatch(payload: unknown): payload is RecordBatch {
  const kind = (payload as { kind?: unknown } | null)?.kind;
  return kind === 'nodes' || kind === 'relationships';
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
    const plans = new PlanRuns();
    const status = new ThrottledStatus((s) => node.status(s));
    let settings: WriteSettings | Pg2GraphError;
    try {
      settings = writeSettings(def);
    } catch (error) {
      settings = asTyped(error);
    }
    let writer: Neo4jTarget | undefined;
    /** Code of the last failed batch: the status stays red until a reset or a new plan. */
    let lastFailure: string | undefined;
    /** After close nothing is sent any more (the flow it would go to is gone). */
    let closed = false;

    const text = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);

    function target(): { writer: Neo4jTarget; settings: WriteSettings } {
      if (settings instanceof Pg2GraphError) throw settings;
      if (!writer) {
        const config = requireConfigNode<Neo4jConfigNode>((id) => RED.nodes.getNode(id), def.neo4j, 'pg2graph-neo4j', 'neo4j', text('errors.noNeo4j'));
        writer = new Neo4jTarget(config.connection, { concurrency: settings.concurrency, maxRetries: settings.maxRetries });
      }
      return { writer, settings };
    }

    function showTotals(): void {
      status.update((): NodeStatus => {
        const t = totals.snapshot();
        const values = { nodes: t.nodesCreated + t.nodesUpdated, relationships: t.relationshipsCreated, batches: t.batches, retries: t.retries, code: lastFailure };
        if (lastFailure) return { fill: 'red', shape: 'ring', text: text('status.failedTotals', values) };
        return writer && writer.pending > 0
          ? { fill: 'blue', shape: 'ring', text: text('status.writing', values) }
          : { fill: 'green', shape: 'dot', text: text('status.totals', values) };
      });
    }

    const totalsMessage = (run?: string): NodeMessage => ({ topic: 'totals', payload: { ...totals.snapshot(), ...(run ? { run } : {}) } });

    async function writeBatch(batch: RecordBatch, send: SendFn): Promise<void> {
      const { writer: graph, settings: chosen } = target();
      const info = batch.batch as Partial<BatchInfo> | undefined;
      const entry = typeof info?.entry === 'string' ? info.entry : '';
      const planKey = plans.keyFor(entry);
      let result: BatchWriteResult;
      showTotals();
      try {
        result = batch.kind === 'nodes'
          ? await graph.writeNodes(batch, chosen.mode, { planKey })
          : await graph.writeRelationships(batch, chosen.mode, { planKey });
      } catch (error) {
        const typed = asTyped(error);
        lastFailure = typed.code;
        totals.fail(entry, Number(typed.details.retries ?? 0));
        if (ackable(info)) {
          const ack: Acknowledgement = { run: info.run, seq: info.seq, entry, ok: false, error: { code: typed.code, message: typed.message } };
          if (!closed) send([{ topic: entry, ack }, null]);
        }
        throw typed;
      }
      const stats = pickStats(result);
      totals.add(entry, stats);
      const ackMessage: NodeMessage = { topic: entry };
      if (ackable(info)) ackMessage.ack = { run: info.run, seq: info.seq, entry, ok: true, stats } satisfies Acknowledgement;
      if (result.missingEnds > 0) {
        ackMessage.missingEnds = { entry, count: result.missingEnds, examples: result.missingEndExamples ?? [] };
        node.warn(text('warn.missingEnds', { entry, count: result.missingEnds, examples: JSON.stringify(result.missingEndExamples ?? []) }));
      }
      if (planKey && result.checkpoint?.complete && plans.complete(planKey, entry)) {
        // the batch is written either way: a failure here only leaves the finished run's checkpoints behind
        await graph.completeRun(planKey).catch((error) => node.warn(text('warn.completeFailed', { message: asTyped(error).message })));
      }
      if (closed) return;
      send([ackMessage, info?.last === true ? totalsMessage(info.run) : null]);
      showTotals();
    }

    onInput(
      node,
      async (msg, send) => {
        if (msg.reset === true) {
          totals.reset();
          lastFailure = undefined;
        }
        if (msg.plan !== undefined) {
          lastFailure = undefined;
          const plan = asPlan(msg.plan);
          const { writer: graph } = target();
          if (!plans.isPrepared(plan)) status.now({ fill: 'blue', shape: 'ring', text: text('status.preparing') });
          await plans.use(plan, (p) => graph.prepare(p));
          showTotals();
        }
        if (isRecordBatch(msg.payload)) {
          await writeBatch(msg.payload, send);
        } else if (msg.plan === undefined && msg.totals === undefined && msg.reset === undefined && msg.complete === undefined) {
          throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.notABatch'));
        }
        if (msg.complete === true) {
          const key = plans.currentKey;
          if (key) await target().writer.completeRun(key);
        }
        if (msg.totals !== undefined || msg.reset === true) send([null, totalsMessage()]);
        showTotals();
      },
      (error) => {
        status.stop();
        return { fill: 'red', shape: 'ring', text: text('status.failed', { code: error.code }) };
      },
    );

    node.on('close', (_removed, done) => {
      closed = true;
      status.stop();
      // a redeploy closes the shared driver at the same time: batches still open after a short wait are given up
      const closing = writer ? writer.close(CLOSE_WAIT_MS) : Promise.resolve();
      writer = undefined;
      closing.then(() => done(), () => done());
    });
  }

  RED.nodes.registerType(TYPE, GraphWrite);
};
