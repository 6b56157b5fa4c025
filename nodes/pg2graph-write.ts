/**
 * pg2graph-write: writes node and relationship record batches to the graph of a pg2graph-neo4j config node and
 * answers each batch, and each of the run's control messages, with an acknowledgement (output 1, wired back to
 * pg2graph-read) and running totals (output 2). The engine's target for the connection (Neo4j over Bolt, or a
 * Gremlin server) does the writing; this file only
 * adapts messages: runStart prepares the plan, batches are written with their checkpoints, runEnd (the reader's
 * word that every batch of the run was acknowledged) clears the run's checkpoints.
 */
import { Pg2GraphError, type RecordBatch, type RunControl } from '../engine/core';
import { assertValidPlan, planFingerprint } from '../engine/plan';
import { graphTargetOf, WriteTotals, type GraphTarget } from '../engine/write';
import type { GraphConfigNode } from './lib/config-nodes';
import { asTyped, onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeMessage, NodeRedApi, NodeStatus, RedNode, SendFn } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { WriterRuns } from './write/writer-runs';
import { writeSettings, type WriteSettings } from './write/write-settings';
import {
  ackMessage,
  answering,
  isControl,
  isRecordBatch,
  refuseControl,
  runStartPlan,
  failureStatus,
  onWriterClose,
  writerAnswers,
  writeAnswered,
} from './write/run-messages';

const TYPE = 'pg2graph-write';
const CLOSE_WAIT_MS = 3000;

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
    let writer: GraphTarget | undefined;
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

    function target(): { writer: GraphTarget; settings: WriteSettings } {
      // a message delivered while the node closes: answered, never written by a writer nobody closes
      if (closed) throw new Pg2GraphError('WRITE_ABORTED', text('errors.closed'));
      if (settings instanceof Pg2GraphError) throw settings;
      if (!writer) {
        const config = requireConfigNode<GraphConfigNode>((id) => RED.nodes.getNode(id), def.neo4j, 'pg2graph-neo4j', 'neo4j', text('errors.noNeo4j'));
        writer = graphTargetOf(config.connection, {
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

    /** Failures and messages after close answered on output 1 (a batch's failure counted for its entry). */
    const answers = (send: SendFn, entry?: string) =>
      writerAnswers(send, entry, {
        isClosed: () => closed,
        text,
        failed: (error) => {
          lastFailure = error.code;
          if (entry !== undefined) totals.fail(entry, Number(error.details.retries ?? 0));
        },
      });

    /**
     * runStart: the plan's schema work (once per fingerprint); runEnd: the run is complete, its checkpoints go.
     * Either way the answer is an acknowledgement, also when it fails, so the reader never waits for it in vain.
     */
    async function control(msg: NodeMessage, message: RunControl, send: SendFn): Promise<void> {
      await answering(
        message.kind,
        message,
        async () => {
          const { writer: graph } = target();
          if (message.kind === 'runStart') {
            lastFailure = undefined;
            const plan = runStartPlan(msg, message, text);
            if (!runs.isPrepared(message.plan)) status.now({ fill: 'blue', shape: 'ring', text: text('status.preparing') });
            await runs.start(message.run, message.plan, () => graph.prepare(plan));
          } else {
            await runs.ready(message.run);
            await graph.finishRun(message.plan, message.entries, message.run);
            runs.end(message.run);
          }
        },
        answers(send),
      );
      send([ackMessage(message.kind, { run: message.run, seq: message.seq, ok: true }), message.kind === 'runEnd' ? totalsMessage(message.run) : null]);
    }

    async function writeBatch(batch: RecordBatch, send: SendFn): Promise<void> {
      showTotals();
      const { info, entry, result, stats, out } = await writeAnswered(
        batch,
        async (info) => {
          // inside the work: a writer without a connection or with bad settings still answers the batch
          const { writer: graph, settings: chosen } = target();
          await runs.ready(info?.run);
          return batch.kind === 'nodes' ? graph.writeNodes(batch, chosen.mode) : graph.writeRelationships(batch, chosen.mode);
        },
        (entry) => answers(send, entry),
      );
      totals.add(entry, stats);
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
          // malformed, but when it says which run and message it is, the reader still hears about it
          if (!isControl(msg.control)) refuseControl(msg.control, (answer) => send([answer, null]), text);
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
      failureStatus(status, text),
    );

    onWriterClose(node, status, () => {
      closed = true;
      // a redeploy closes the shared driver at the same time: batches still open after a short wait are given up
      const closing = writer ? writer.close(CLOSE_WAIT_MS) : Promise.resolve();
      writer = undefined;
      return closing;
    });
  }

  RED.nodes.registerType(TYPE, GraphWrite);
};
