/**
 * pg2graph-export (graph export): writes node and relationship record batches as the part files of an export
 * directory in one format (the engine's FileSink; see README, Offline exports) and answers each batch, and each
 * of the run's control messages, with an acknowledgement on output 1, wired back to pg2graph-read exactly as
 * graph write's. Once both phases of a run ended (runEnd) and the set is complete, output 2 carries its manifest.
 * The sink remembers one plan and one run's directory state, so every run gets a sink of its own.
 */
import { Pg2GraphError, type RecordBatch, type RunControl } from '../engine/core';
import { assertValidPlan, planFingerprint } from '../engine/plan';
import { NO_RESUME, resumeFromCheckpoints, type ResumeFrom } from '../engine/run';
import { FileSink, WriteTotals, type FileSinkOptions, type Manifest } from '../engine/write';
import { asTyped, onInput } from './lib/node-input';
import type { NodeDef, NodeMessage, NodeRedApi, NodeStatus, RedNode, SendFn } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';
import { WriterRuns } from './write/writer-runs';
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
import { exportSettings } from './export/export-settings';

const TYPE = 'pg2graph-export';
const CLOSE_WAIT_MS = 3000;

/** The sink of one run (run undefined: prepared by a plan alone, for hand-made batches). */
interface RunSink {
  run: string | undefined;
  planKey: string;
  sink: FileSink;
  runs: WriterRuns;
}

/** Parts and rows of a manifest (header files hold no rows). */
function manifestCounts(manifest: Manifest): { parts: number; rows: number } {
  const parts = manifest.files.filter((f) => !f.header);
  return { parts: parts.length, rows: parts.reduce((sum, f) => sum + f.rows, 0) };
}

export = function register(RED: NodeRedApi): void {
  function GraphExport(this: RedNode, def: NodeDef & Record<string, unknown>) {
    RED.nodes.createNode(this, def);
    const node = this;
    const totals = new WriteTotals();
    const status = new ThrottledStatus(node);
    const text = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);
    let settings: FileSinkOptions | Pg2GraphError;
    try {
      settings = exportSettings(def, typeof RED.settings.userDir === 'string' ? RED.settings.userDir : undefined, text);
    } catch (error) {
      settings = asTyped(error);
    }
    let current: RunSink | undefined;
    /** Code of the last failure: the status stays red until a reset or the next run starts. */
    let lastFailure: string | undefined;
    /** The status of the set last completed, shown until the next run starts or a reset. */
    let finished: NodeStatus | undefined;
    /** Set on close: from then on every message is answered as failed (WRITE_ABORTED), as graph write does. */
    let closed = false;

    function chosen(): FileSinkOptions {
      if (closed) throw new Pg2GraphError('WRITE_ABORTED', text('errors.closed'));
      if (settings instanceof Pg2GraphError) throw settings;
      return settings;
    }

    /** A new sink for the run (the one before it closed: its run stopped or ended). */
    function openSink(run: string | undefined, planKey: string): RunSink {
      const options = chosen();
      const before = current;
      current = { run, planKey, sink: new FileSink(options), runs: new WriterRuns() };
      void before?.sink.close(CLOSE_WAIT_MS);
      return current;
    }

    /** The sink of a run's batch or runEnd: the one its runStart opened (or the hand-prepared one). */
    function sinkOf(run: string | undefined): RunSink {
      chosen();
      if (!current) throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.notPrepared', { run: run ?? '(none)' }));
      if (current.run !== undefined && run !== undefined && current.run !== run)
        throw new Pg2GraphError('WRITE_ABORTED', text('errors.otherRun', { run, current: current.run }));
      return current;
    }

    function showTotals(): void {
      status.set((): NodeStatus => {
        const t = totals.snapshot();
        const values = { parts: t.batches, rows: t.nodesCreated + t.relationshipsCreated, code: lastFailure };
        if (lastFailure) return { fill: 'red', shape: 'ring', text: text('status.failedTotals', values) };
        if (finished) return finished;
        if (current && current.sink.pending > 0) return { fill: 'blue', shape: 'ring', text: text('status.writing', values) };
        return { fill: 'green', shape: 'dot', text: text('status.totals', values) };
      });
    }

    /** Failures and messages after close answered on output 1 (a batch's failure counted for its entry). */
    const answers = (send: SendFn, entry?: string) =>
      writerAnswers(send, entry, {
        isClosed: () => closed,
        text,
        failed: (error) => {
          lastFailure = error.code;
          if (entry !== undefined) totals.fail(entry);
        },
      });

    /** The set is complete: the manifest (a copy, as manifest.json holds it) on output 2, and the status says where. */
    function completed(manifest: Manifest, dir: string, run: string): NodeMessage {
      finished = { fill: 'green', shape: 'dot', text: text('status.complete', { ...manifestCounts(manifest), dir }) };
      status.now(finished);
      return { topic: 'export complete', payload: JSON.parse(JSON.stringify(manifest)) as Manifest, dir, format: manifest.format, run };
    }

    /**
     * runStart: a sink for the run (both phases' runStart share it) prepared for the plan once; runEnd: the
     * phase's entries are finished, and once both phases are, the set is. Either way an acknowledgement answers.
     */
    async function control(msg: NodeMessage, message: RunControl, send: SendFn): Promise<void> {
      const manifest = await answering(
        message.kind,
        message,
        async () => {
          if (message.kind === 'runStart') {
            lastFailure = undefined;
            finished = undefined;
            const plan = runStartPlan(msg, message, text);
            const state = current?.run === message.run ? current : openSink(message.run, message.plan);
            if (!state.runs.isPrepared(message.plan)) status.now({ fill: 'blue', shape: 'ring', text: text('status.preparing', { dir: state.sink.dir }) });
            await state.runs.start(message.run, message.plan, () => state.sink.prepare(plan));
            showTotals();
            return undefined;
          }
          const state = sinkOf(message.run);
          await state.runs.ready(message.run);
          await state.sink.finishRun(message.plan, message.entries);
          state.runs.end(message.run);
          const written = await state.sink.manifest();
          return written?.complete ? { manifest: written, dir: state.sink.dir } : undefined;
        },
        answers(send),
      );
      const ack = ackMessage(message.kind, { run: message.run, seq: message.seq, ok: true });
      send([ack, manifest ? completed(manifest.manifest, manifest.dir, message.run) : null]);
    }

    /**
     * A reading that does not continue the export's checkpoints (a run started without resume points into an
     * unfinished export) is refused by the sink; the message says what to do in a flow.
     */
    function withUnclaimedHint(error: Pg2GraphError): Pg2GraphError {
      if (error.code !== 'EXPORT_BATCH_UNCLAIMED') return error;
      return new Pg2GraphError(error.code, `${error.message}. ${text('errors.unclaimedHint')}`, error.details, error);
    }

    async function writeBatch(batch: RecordBatch, send: SendFn): Promise<void> {
      showTotals();
      const { entry, stats, out } = await writeAnswered(
        batch,
        async (info) => {
          // inside the work: bad settings or a batch of no prepared run still answer the batch
          const { sink, runs } = sinkOf(info?.run);
          await runs.ready(info?.run);
          return (batch.kind === 'nodes' ? sink.writeNodes(batch, 'create') : sink.writeRelationships(batch, 'create')).catch((error: unknown) => {
            throw withUnclaimedHint(asTyped(error));
          });
        },
        (entry) => answers(send, entry),
      );
      totals.add(entry, stats);
      send([out, null]);
      showTotals();
    }

    /**
     * msg.resume === true with msg.plan: the plan for pg read with the resume points of the export directory's
     * manifest (msg.resume, msg.resumeFrom, msg.resumeMarks as pg read takes them), sent on output 1 so the wire
     * back to pg read starts the run where the export stopped. Overwrite: nothing to resume (a fresh run), and the
     * directory is left as it is until the run starts.
     */
    async function resumeRequest(msg: NodeMessage, send: SendFn): Promise<void> {
      const plan = assertValidPlan(msg.plan);
      const options = chosen();
      let resume: ResumeFrom = NO_RESUME;
      if (!options.overwrite) {
        const reader = new FileSink(options);
        try {
          resume = resumeFromCheckpoints(await reader.checkpoints.read(planFingerprint(plan)));
        } finally {
          await reader.close(CLOSE_WAIT_MS);
        }
      }
      send([{ ...msg, topic: 'start', plan, resume: resume.points, resumeFrom: resume.from, resumeMarks: resume.marks ?? {} }, null]);
    }

    onInput(
      node,
      async (msg, send) => {
        if (msg.reset === true) {
          totals.reset();
          lastFailure = undefined;
          finished = undefined;
        }
        if (msg.complete !== undefined) throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.completeRefused'));
        if (msg.control !== undefined) {
          if (!isControl(msg.control)) refuseControl(msg.control, (answer) => send([answer, null]), text);
          await control(msg, msg.control, send);
        } else if (msg.resume === true) {
          if (msg.plan === undefined) throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.resumeWithoutPlan'));
          return resumeRequest(msg, send);
        } else if (msg.plan !== undefined) {
          // a plan alone (or on a hand-made batch): a sink prepared for it, for batches that come without a runStart
          lastFailure = undefined;
          const plan = assertValidPlan(msg.plan);
          const planKey = planFingerprint(plan);
          const state = current && current.run === undefined && current.planKey === planKey ? current : openSink(undefined, planKey);
          await state.runs.prepare(planKey, () => state.sink.prepare(plan));
        }
        if (isRecordBatch(msg.payload)) {
          await writeBatch(msg.payload, send);
        } else if (msg.control === undefined && msg.plan === undefined && msg.reset === undefined) {
          throw new Pg2GraphError('WRITE_INPUT_INVALID', text('errors.notABatch'));
        }
        showTotals();
      },
      failureStatus(status, text),
    );

    onWriterClose(node, status, () => {
      closed = true;
      // parts still being written get a short wait; the manifest never counts a part that is not complete
      const closing = current ? current.sink.close(CLOSE_WAIT_MS) : Promise.resolve();
      current = undefined;
      return closing;
    });
  }

  RED.nodes.registerType(TYPE, GraphExport);
};
