/**
 * One run of a plan into any GraphTarget (Neo4j over Bolt, a file sink): constraints or files prepared, then the
 * plan read phase by phase through PlanRun, every batch shaped and written, the acknowledgement fed back — the
 * same ordering contract, backpressure and checkpoints as the Node-RED flow `read -> to-node/to-edge -> write`.
 */
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError, messageOf } from '../core/errors';
import { addStats, emptyStats } from '../core/stats';
import { planFingerprint } from '../plan/fingerprint';
import { assertValidPlan } from '../plan/validate';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../plan/types';
import type { BatchInfo, OnInvalid, RecordBatch, RowReject, RunControl, WriteStats } from '../core/records';
import { PlanRun, type RunBatch, type RunProgress, type RunResult } from '../read/plan-run';
import { describeResume, NO_RESUME, resumeFromCheckpoints } from '../run';
import { checkOnInvalid, shapeNodes } from '../shape/nodes';
import { shapingCounts } from '../shape/counts';
import { shapeRelationships } from '../shape/relationships';
import type { WriteHooks } from '../write/bolt-types';
import type { GraphTarget, MissingEndExample, WriteMode } from '../write/target';

export interface MigrateOptions {
  plan: GraphPlan;
  /** Default: the plan's options.writeMode. */
  mode?: WriteMode;
  /** Default: the plan's options.batchSize. */
  batchSize?: number;
  /** Node batches written at once (default: the plan's options.concurrency, else 4). */
  concurrency?: number;
  /** The writer's batch timeout: a batch not committed by then fails with WRITE_TIMEOUT (default 60,000 ms). */
  batchTimeoutMs?: number;
  /** Batches read ahead of the writer (default: twice the concurrency). */
  maxUnacknowledged?: number;
  /** Ignore (and clear) the checkpoints of an unfinished run instead of resuming it. */
  fresh?: boolean;
  /**
   * Resume without checking whether the sources of finished and half-read entries changed since the
   * interrupted run (default: checked, and a changed entry is read again; see PlanRunOptions.resumeMarks).
   */
  trustCheckpoints?: boolean;
  /** A row with a value its rule cannot hold: rejected (default: left out, counted, passed to onRejects) or the run fails. */
  onInvalid?: OnInvalid;
  /** Called with each batch's rejected rows before the batch is written (e.g. to append them to a file). */
  onRejects?: (rejects: RowReject[], batch: BatchInfo) => void | Promise<void>;
  signal?: AbortSignal;
  /** Called about once a second while reading. */
  onProgress?: (progress: RunProgress) => void;
  /** Test hook: called after each written batch (e.g. to stop a run after batch k); a throw fails that batch's acknowledgement. */
  afterBatch?: (batch: RecordBatch) => void;
  /** Test hooks of the writer (a failure at an exact place inside a batch's transaction). */
  writerHooks?: WriteHooks;
  /** Check the plan's rules against the data before anything is written (default true; see PlanRunOptions.preflight). */
  preflight?: boolean;
  /** statement_timeout of each preflight query (default 30 s; 0: none). */
  probeTimeoutMs?: number;
  /** Things worth a warning that do not stop the run (a table the preflight could not probe in time). */
  onWarning?: (message: string) => void;
}

export interface MigrateTimings {
  /** Waiting for Postgres. */
  readMs: number;
  /** Converting rows to records (summed over batches). */
  shapeMs: number;
  /** Writing batches, summed over batches (several run at once, so it can exceed the wall time). */
  writeMs: number;
}

export interface MigrateResult {
  plan: string;
  run: string;
  mode: WriteMode;
  /** Entries resumed from the checkpoints of an earlier, unfinished run (and those it had finished). */
  resumed: string[];
  skipped: string[];
  /** Entries the checkpoints called finished or half read, read again from their start because their source changed (read.reread says why). */
  reread: string[];
  read: RunResult;
  written: WriteStats;
  /** Per relationship entry whose rows found no start or end node: how many, and the first few (read.missingEnds: all). */
  missingEnds: Record<string, { count: number; examples: MissingEndExample[] }>;
  timings: MigrateTimings;
  durationMs: number;
}

/** Examples of missing ends kept per entry: enough to find the rows, few enough for a terminal line. */
const MISSING_END_EXAMPLES = 5;

function noteMissingEnds(into: MigrateResult['missingEnds'], entry: string, count: number, examples: MissingEndExample[]): void {
  const noted = (into[entry] ??= { count: 0, examples: [] });
  noted.count += count;
  noted.examples.push(...examples.slice(0, MISSING_END_EXAMPLES - noted.examples.length));
}

/**
 * The run behind migrate() and exportPlan(): any GraphTarget (Neo4j over Bolt, a file sink) fed by PlanRun with
 * one lifecycle. `checkTarget` proves the target reachable before anything is read; the writer is closed at the end.
 */
export async function runPlan(
  source: PostgresConnection,
  writer: GraphTarget,
  checkTarget: () => Promise<unknown>,
  options: MigrateOptions & { concurrency: number },
): Promise<MigrateResult> {
  const started = Date.now();
  const plan = assertValidPlan(options.plan);
  const mode = options.mode ?? plan.options?.writeMode ?? 'merge';
  if (mode !== 'merge' && mode !== 'create')
    throw new Pg2GraphError('MIGRATE_MODE_INVALID', `mode must be "merge" or "create", got "${String(mode)}"`, { setting: 'mode' });
  checkOnInvalid(options.onInvalid);
  const concurrency = options.concurrency;
  const planKey = planFingerprint(plan);
  // once a batch failed, the batches still queued in the writer are not sent any more (behind a stalled server
  // they would only wait out their own timeouts); those in flight commit or not by themselves, and the next run
  // resumes either way
  let closing: Promise<void> | undefined;
  const stopWriting = (): Promise<void> => (closing ??= writer.close());
  const written: WriteStats = emptyStats();
  const missingEnds: MigrateResult['missingEnds'] = {};
  const timings: MigrateTimings = { readMs: 0, shapeMs: 0, writeMs: 0 };
  let firstFailure: unknown;
  const inFlight = new Set<Promise<void>>();
  try {
    // a wrong address or password is reported as such, before any statement can fail for it
    await Promise.all([source.check(), checkTarget()]);
    // the checkpoints are only read here: the graph is first written (constraints, then batches) once the
    // run's preflight found nothing its rules cannot hold (beforeRun)
    const resume = options.fresh ? NO_RESUME : resumeFromCheckpoints(await writer.checkpoints.read(planKey));
    const run = new PlanRun(source, {
      plan,
      planKey,
      batchSize: options.batchSize,
      maxUnacknowledged: options.maxUnacknowledged ?? concurrency * 2,
      resume: resume.points,
      resumeFrom: resume.from,
      resumeMarks: resume.marks,
      trustCheckpoints: options.trustCheckpoints,
      signal: options.signal,
      preflight: options.preflight,
      probeTimeoutMs: options.probeTimeoutMs,
      onWarning: options.onWarning,
      beforeRun: async () => {
        await writer.prepare(plan);
        if (options.fresh) await writer.finishRun(planKey);
      },
    });

    const shapeOptions = { onInvalid: options.onInvalid };
    const shape = (batch: RunBatch): Promise<RecordBatch> | RecordBatch =>
      batch.phase === 'nodes'
        ? shapeNodes(batch.entry as NodeEntry, batch.rows, shapeOptions)
        : shapeRelationships(batch.entry as RelationshipEntry, batch.ends!, batch.rows, shapeOptions);

    const handle = async (batch: RunBatch): Promise<void> => {
      const info = batch.rows.batch;
      try {
        const shaping = Date.now();
        const records = await shape(batch);
        timings.shapeMs += Date.now() - shaping;
        // the rejects are kept before the batch commits: a row is never both unwritten and unreported
        if (records.rejects) await options.onRejects?.(records.rejects, info);
        const writing = Date.now();
        const stats = records.kind === 'nodes' ? await writer.writeNodes(records, mode) : await writer.writeRelationships(records, mode);
        timings.writeMs += Date.now() - writing;
        addStats(written, stats);
        if (stats.missingEnds > 0) noteMissingEnds(missingEnds, info.entry, stats.missingEnds, stats.missingEndExamples ?? []);
        options.afterBatch?.(records);
        run.acknowledge({ run: info.run, seq: info.seq, entry: info.entry, ok: true, stats, ...shapingCounts(records) });
      } catch (error) {
        firstFailure ??= error;
        void stopWriting();
        const typed = error instanceof Pg2GraphError ? error : new Pg2GraphError('MIGRATE_FAILED', messageOf(error));
        run.acknowledge({ run: info.run, seq: info.seq, entry: info.entry, ok: false, error: { code: typed.code, message: typed.message } });
      }
    };

    const ticker = options.onProgress
      ? setInterval(() => {
          const progress = run.progress();
          if (progress) options.onProgress?.(progress);
        }, 1000)
      : undefined;
    // the run's end reaches the writer as the reader's signal, exactly as in a flow (runEnd, acknowledged)
    const control = (message: RunControl): void => {
      const done = message.kind === 'runEnd' ? writer.finishRun(message.plan, message.entries, message.run) : Promise.resolve();
      const task = done
        .then(
          () => {
            run.acknowledge({ run: message.run, seq: message.seq, ok: true });
          },
          (error) => {
            firstFailure ??= error;
            const typed = error instanceof Pg2GraphError ? error : new Pg2GraphError('MIGRATE_FAILED', messageOf(error));
            run.acknowledge({ run: message.run, seq: message.seq, ok: false, error: { code: typed.code, message: typed.message } });
          },
        )
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    };
    let read: RunResult;
    try {
      read = await run.start({
        batch: (batch) => {
          const task = handle(batch).finally(() => inFlight.delete(task));
          inFlight.add(task);
        },
        control,
      });
    } catch (error) {
      // the writer's own error says more than the reader's "batch was not written"
      throw firstFailure ?? error;
    } finally {
      if (ticker) clearInterval(ticker);
      await Promise.allSettled([...inFlight]);
    }
    timings.readMs = Object.values(read.entries).reduce((sum, e) => sum + (e.readMs ?? 0), 0);
    const reread = read.reread.map((r) => r.entry);
    const { resumed, skipped } = describeResume(resume);
    return {
      plan: planKey,
      run: read.run,
      mode,
      resumed: resumed.filter((id) => !reread.includes(id)),
      skipped: skipped.filter((id) => !reread.includes(id)),
      reread: [...reread].sort(),
      read,
      written,
      missingEnds,
      timings,
      durationMs: Date.now() - started,
    };
  } finally {
    await stopWriting();
  }
}
