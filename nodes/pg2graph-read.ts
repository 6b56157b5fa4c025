/**
 * pg read: runs a GraphPlan (or one table / query) through the engine's PlanRun and turns its batches into
 * messages: node-phase batches on output 1, relationship-phase batches on output 2, the completion on output 3.
 * Acknowledgements (msg.ack) arriving on the input release the backpressure window. No SQL here.
 */
import { Pg2GraphError, type Acknowledgement, type RunControl } from '../engine/core';
import { assertValidPlan, planFingerprint, type GraphPlan } from '../engine/plan';
import { PlanRun, checkWindow, checkBatchSize, singleEntryPlan, type RunBatch, type RunResult } from '../engine/read';
import { checkpointsOf, decodeMark, resumeFromCheckpoints, NO_RESUME, type ResumeFrom, type ResumePoint } from '../engine/run';
import type { SourceMark } from '../engine/core';
import type { GraphConfigNode, PostgresConfigNode } from './lib/config-nodes';
import { asTyped, onInput, requireConfigNode } from './lib/node-input';
import type { NodeDef, NodeMessage, NodeRedApi, RedNode, SendFn } from './lib/red';
import { ThrottledStatus } from './lib/throttled-status';

const TYPE = 'pg2graph-read';

interface ReadDef extends NodeDef {
  postgres?: string;
  neo4j?: string;
  batchSize?: string | number;
  maxUnacknowledged?: string | number;
  /** Refuse a run whose data holds values the plan's rules cannot hold (default on; older flows have no field). */
  preflight?: boolean | string;
}

interface ActiveRun {
  /** Set once the plan is known and the run is built. */
  run?: PlanRun;
  controller: AbortController;
  settled: Promise<unknown>;
  stopRequested: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(value: unknown): unknown {
  return value === '' || value === undefined || value === null ? undefined : value;
}

/** Relationship entries whose rows found no start or end node, with how many. */
function missingEndCounts(result: RunResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [id, entry] of Object.entries(result.entries)) if (entry.written?.missingEnds) counts[id] = entry.written.missingEnds;
  return counts;
}

function missingEndsByEntry(result: RunResult): string {
  return Object.entries(missingEndCounts(result))
    .map(([id, count]) => `${id}: ${count}`)
    .join(', ');
}

export = function register(RED: NodeRedApi): void {
  function ReadNode(this: RedNode, def: ReadDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new ThrottledStatus(node);
    let active: ActiveRun | undefined;
    let closing = false;

    const t = (key: string, values?: Record<string, unknown>) => RED._(`${TYPE}.${key}`, values);

    function acknowledge(ack: unknown): void {
      if (!isObject(ack) || typeof ack.run !== 'string' || ack.seq === undefined) {
        throw new Pg2GraphError('READ_ACK_INVALID', t('errors.ackInvalid'));
      }
      const outcome = active?.run?.acknowledge(ack as unknown as Acknowledgement) ?? 'otherRun';
      if (outcome === 'unknown') node.warn(t('warn.ackUnknown', { run: ack.run, seq: JSON.stringify(ack.seq) }));
      else if (outcome === 'otherRun') node.debug(t('warn.ackOtherRun', { run: ack.run }));
    }

    async function planOf(msg: NodeMessage, postgres: PostgresConfigNode): Promise<GraphPlan> {
      if (msg.plan !== undefined) {
        if (!isObject(msg.plan)) throw new Pg2GraphError('READ_PLAN_INVALID', t('errors.planInvalid'));
        // the boundary: the plan is checked once here, for the whole run
        return assertValidPlan(msg.plan);
      }
      return singleEntryPlan(postgres.connection, {
        table: typeof msg.table === 'string' || isObject(msg.table) ? (msg.table as string) : undefined,
        sql: typeof msg.sql === 'string' ? msg.sql : undefined,
        label: typeof msg.label === 'string' ? msg.label : undefined,
        key: Array.isArray(msg.key) ? msg.key.map(String) : undefined,
        columns: Array.isArray(msg.columns) ? msg.columns.map(String) : undefined,
        batchSize: optionalNumber(def.batchSize) === undefined ? undefined : Number(def.batchSize),
      });
    }

    /** msg.resume (with msg.resumeFrom) when given, else the checkpoints of an unfinished run in the target, if one is set. */
    async function resumeOf(msg: NodeMessage, planKey: string): Promise<ResumeFrom> {
      if (msg.resume !== undefined) {
        if (!isObject(msg.resume)) throw new Pg2GraphError('READ_RESUME_INVALID', t('errors.resumeInvalid'));
        if (msg.resumeFrom !== undefined && !isObject(msg.resumeFrom)) throw new Pg2GraphError('READ_RESUME_INVALID', t('errors.resumeFromInvalid'));
        if (msg.resumeMarks !== undefined && !isObject(msg.resumeMarks)) throw new Pg2GraphError('READ_RESUME_INVALID', t('errors.resumeMarksInvalid'));
        const points = msg.resume as Record<string, ResumePoint>;
        const from = (msg.resumeFrom ?? {}) as Record<string, string>;
        // resume points without marks are taken as given; with them, a mark that is not one counts as none
        // (that entry is read again from its start)
        if (msg.resumeMarks === undefined) return { points, from };
        const marks: Record<string, SourceMark> = {};
        for (const [id, value] of Object.entries(msg.resumeMarks)) {
          const mark = decodeMark(JSON.stringify(value));
          if (mark) marks[id] = mark;
        }
        return { points, from, marks };
      }
      if (!def.neo4j) return NO_RESUME;
      const target = requireConfigNode<GraphConfigNode>((id) => RED.nodes.getNode(id), def.neo4j, 'pg2graph-neo4j', 'neo4j', t('errors.noNeo4j'));
      // the checkpoints are only read here; the writer advances them and clears them when it hears runEnd
      const checkpoints = await checkpointsOf(target.connection)
        .read(planKey)
        .catch((error) => {
          const typed = asTyped(error);
          throw new Pg2GraphError(typed.code, t('errors.checkpointsFailed', { message: typed.message }), { ...typed.details, setting: 'neo4j' }, error);
        });
      return resumeFromCheckpoints(checkpoints);
    }

    /** A batch carries its entry, never the whole plan: the plan reaches the writers once, on runStart. */
    function batchMessage(run: PlanRun, batch: RunBatch): NodeMessage {
      const info = batch.rows.batch;
      const msg: NodeMessage = {
        topic: batch.entry.id,
        payload: batch.rows,
        entry: batch.entry,
        run: run.id,
        parts: { id: `${run.id}/${batch.entry.id}`, index: info.index, type: 'array', ...(info.last ? { count: info.index + 1 } : {}) },
      };
      if (batch.ends) msg.ends = batch.ends;
      return msg;
    }

    function showProgress(run: PlanRun): void {
      const p = run.progress();
      if (!p) {
        // between phases or at the end: what the run waits for
        if (run.outstanding) status.set({ fill: 'blue', shape: 'ring', text: t('status.waiting', { waiting: run.outstanding }) });
        return;
      }
      const values = {
        entry: p.entry,
        rows: p.rows,
        acknowledged: p.acknowledged,
        estimate: p.estimate,
        runRows: p.runRows,
        runAcknowledged: p.runAcknowledged,
        rate: p.rowsPerSecond,
      };
      if (p.estimate) {
        const percent = Math.min(100, Math.floor((p.rows / Math.max(p.estimate, 1)) * 100));
        status.set({ fill: 'blue', shape: 'dot', text: t('status.progress', { ...values, percent }) });
      } else {
        status.set({ fill: 'blue', shape: 'dot', text: t('status.progressNoEstimate', values) });
      }
    }

    function completion(result: RunResult, plan: GraphPlan): NodeMessage {
      const msg: NodeMessage = { topic: result.stopped ? 'stopped' : 'complete', payload: result, plan, run: result.run };
      if (result.missingEnds) msg.missingEnds = { count: result.missingEnds, entries: missingEndCounts(result) };
      if (result.stopped) {
        msg.resume = result.resume;
        msg.resumeFrom = result.resumeFrom;
        msg.resumeMarks = result.resumeMarks;
      }
      return msg;
    }

    async function startRun(msg: NodeMessage, send: SendFn): Promise<void> {
      if (active) throw new Pg2GraphError('READ_BUSY', t('errors.busy'));
      const postgres = requireConfigNode<PostgresConfigNode>(
        (id) => RED.nodes.getNode(id),
        def.postgres,
        'pg2graph-postgres',
        'postgres',
        t('errors.noPostgres'),
      );
      const batchSize = optionalNumber(def.batchSize) === undefined ? undefined : checkBatchSize(def.batchSize, 'batch size');
      const maxUnacknowledged = checkWindow(optionalNumber(def.maxUnacknowledged) ?? 4, 'max unacknowledged batches');
      const controller = new AbortController();
      let settle: (value?: unknown) => void = () => undefined;
      const settled = new Promise((resolve) => {
        settle = resolve;
      });
      const current: ActiveRun = { controller, settled, stopRequested: false };
      active = current;
      try {
        status.now({ fill: 'blue', shape: 'ring', text: t('status.starting') });
        const plan = await planOf(msg, postgres);
        const entries = Array.isArray(msg.entries) ? msg.entries.map(String) : undefined;
        const planKey = planFingerprint(plan);
        const resume = await resumeOf(msg, planKey);
        const run = new PlanRun(postgres.connection, {
          plan,
          planKey,
          batchSize,
          maxUnacknowledged,
          entries,
          resume: resume.points,
          resumeFrom: resume.from,
          resumeMarks: resume.marks,
          trustCheckpoints: msg.trustCheckpoints === true,
          signal: controller.signal,
          preflight: def.preflight !== false && def.preflight !== 'false',
          onWarning: (message) => node.warn(t('warn.run', { message })),
        });
        current.run = run;
        if (current.stopRequested) run.stop();
        const ticker = setInterval(() => showProgress(run), 1000);
        try {
          const onPhase = (phase: RunControl['phase'], out: NodeMessage) => send(phase === 'nodes' ? [out, null, null] : [null, out, null]);
          const result = await run.start({
            batch: (batch) => onPhase(batch.phase, batchMessage(run, batch)),
            // runStart carries the plan (once per run and output); runEnd tells the writers the run is complete
            control: (control, runPlan) =>
              onPhase(control.phase, {
                topic: control.kind,
                control,
                run: run.id,
                ...(control.kind === 'runStart' ? { plan: runPlan } : {}),
              }),
          });
          clearInterval(ticker);
          const seconds = (result.durationMs / 1000).toFixed(1);
          const reread = result.reread.map((r) => r.entry).join(', ');
          if (result.stopped) status.now({ fill: 'green', shape: 'dot', text: t('status.stopped', { rows: result.rows, seconds }) });
          else if (result.missingEnds) {
            // a loss, though every batch was written: the status and a warning say so, not only the payload
            status.now({ fill: 'yellow', shape: 'dot', text: t('status.doneMissingEnds', { rows: result.rows, seconds, missingEnds: result.missingEnds }) });
            node.warn(t('warn.missingEnds', { missingEnds: result.missingEnds, entries: missingEndsByEntry(result) }));
          } else {
            const key = result.reread.length ? 'status.doneReread' : 'status.done';
            status.now({ fill: 'green', shape: 'dot', text: t(key, { rows: result.rows, seconds, reread }) });
          }
          send([null, null, completion(result, plan)]);
        } finally {
          clearInterval(ticker);
        }
      } catch (error) {
        const typed = asTyped(error);
        if (closing && typed.code === 'READ_CANCELLED') {
          node.log(t('warn.cancelled'));
          return;
        }
        // a Catch node gets a copy of this message: with msg.resume it can start the run again where it stopped
        if (current.run) {
          Object.assign(msg, current.run.resumeState());
        }
        throw typed;
      } finally {
        active = undefined;
        settle();
      }
    }

    onInput(
      node,
      async (msg, send) => {
        if (msg.ack !== undefined) return acknowledge(msg.ack);
        if (msg.stop) {
          if (active) active.stopRequested = true;
          active?.run?.stop();
          return;
        }
        if (msg.plan !== undefined || msg.table !== undefined || msg.sql !== undefined) return startRun(msg, send);
        throw new Pg2GraphError('READ_INPUT_INVALID', t('errors.inputInvalid'));
      },
      (error) => ({ fill: 'red', shape: 'ring', text: t('status.failed', { code: error.code }) }),
    );

    node.on('close', (_removed, done) => {
      closing = true;
      status.clear();
      const current = active;
      if (!current) return done();
      current.controller.abort();
      // the engine drops its connection on abort; wait for it, but never block a redeploy for long
      const timeout = new Promise((resolve) => setTimeout(resolve, 5000));
      Promise.race([current.settled, timeout]).then(
        () => done(),
        () => done(),
      );
    });
  }

  RED.nodes.registerType(TYPE, ReadNode);
};
