/**
 * One read of a plan, phase by phase (see README, Reading and shaping): every node entry, then — once every node batch has been
 * acknowledged — every relationship entry; the run ends once every batch has been acknowledged. At most
 * `maxUnacknowledged` batches are out at any time (backpressure). A negative acknowledgement stops the run
 * with the failed batch's entry and key range; stop() ends it early with the keys to resume from.
 */
import crypto from 'crypto';
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError } from '../core/errors';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../plan/types';
import { planFingerprint } from '../plan/fingerprint';
import { assertValidPlan } from '../plan/validate';
import type { ValidPlan } from '../plan/valid';
import type { Acknowledgement, Phase, RowBatch, RowKey, RunControl, SourceMark, WriteStats } from '../core/records';
import { addStats, emptyStats } from '../core/stats';
import { integerSetting } from '../core/settings';
import { relationshipEnds, type RelationshipEnds } from '../plan/ends';
import { describeSource } from '../plan/entry-columns';
import { advanceProgress, isComplete, startProgress, type ContiguousProgress, type ResumePoint } from '../run';
import { assertRepresentable, checkProbeTimeout, DEFAULT_PROBE_TIMEOUT_MS, notProbedWarning, probePlan } from '../probe';
import { prepareRead } from './prepare';
import { checkBatchSize, keyText, readEntry } from './read-entry';
import { cancelled, ReadSnapshot } from './snapshot';
import { checkMark, readMark, snapshotXmin } from './source-mark';

export type { ResumePoint };

export interface PlanRunOptions {
  plan: GraphPlan;
  /** planFingerprint(plan), when the caller has it already. */
  planKey?: string;
  /** Rows per batch; default plan.options.batchSize. */
  batchSize?: number;
  /** Batches sent and not yet acknowledged, at most (default 4). */
  maxUnacknowledged?: number;
  /** Only these entry ids (node and relationship entries); default all. */
  entries?: string[];
  resume?: Record<string, ResumePoint>;
  /** Per entry, the run that owned its progress when this run began (checkpoint owner, or the stopped run). */
  resumeFrom?: Record<string, string>;
  /**
   * Per entry, what its source looked like when the checkpoint's reading read it (ResumeFrom.marks). When
   * given (even empty), every entry given a resume point is checked against it in this run's snapshot; a
   * changed one (or one with no mark) is read again from its start, with a warning, and so is a relationship
   * entry whose start or end entry is read again (README, Resuming a run). Absent: the resume points are
   * taken as they are.
   */
  resumeMarks?: Record<string, SourceMark>;
  /** Take the resume points as they are, without checking the source (a source known not to change). */
  trustCheckpoints?: boolean;
  signal?: AbortSignal;
  /**
   * How long runEnd may wait for its acknowledgement on an output whose runStart was never acknowledged (a
   * consumer that does not know control messages, or an output wired to nothing): default 30 s, then the run
   * completes with a warning. An output whose runStart was acknowledged is waited for like any batch.
   */
  controlTimeoutMs?: number;
  /** After msg.stop or a failed batch: how long to wait for the batches still out (default 30 s). */
  settleTimeoutMs?: number;
  /**
   * While batches are out: how long the run waits for the next acknowledgement of any of them before it stops
   * with READ_ACK_TIMEOUT (default 10 minutes, longer than a writer's retries of one batch; 0: no limit). A
   * message lost on the way (a redeploy of the writer alone) would otherwise keep the run waiting forever.
   */
  ackTimeoutMs?: number;
  /** Things worth a warning that do not stop the run. */
  onWarning?: (message: string) => void;
  /**
   * Check the plan's rules against the data inside the run's snapshot before anything is sent (default true):
   * values no rule can hold refuse the run with PLAN_VALUES_UNREPRESENTABLE, listing every one (README, Value rules).
   */
  preflight?: boolean;
  /** statement_timeout of each preflight query (default 30 s; 0: none); a table that takes longer is a warning, not probed. */
  probeTimeoutMs?: number;
  /** Called once the snapshot is open and the preflight passed, before the first message (migrate() prepares its target here). */
  beforeRun?: () => Promise<void>;
}

export interface RunBatch {
  phase: Phase;
  entry: NodeEntry | RelationshipEntry;
  /** Relationship entries: labels and key mappings of both ends. */
  ends?: RelationshipEnds;
  rows: RowBatch;
}

export interface EntryTotals {
  phase: Phase;
  rows: number;
  batches: number;
  /** Relationship entries: source rows with a NULL match column (they make no relationship), as the shaper counted them. */
  skippedNullMatch?: number;
  /** Source rows the shaper rejected (values their rules cannot hold, NULL keys), as the acknowledgements counted them. */
  rejected?: number;
  durationMs: number;
  rowsPerSecond: number;
  /** Time spent waiting for Postgres (queries and fetches), not for acknowledgements. */
  readMs?: number;
  /** Sums of the stats the acknowledgements carried. */
  written?: WriteStats;
  resumedAfter?: RowKey;
}

/** An entry a resumed run read again from its start because its source changed since the checkpoint's reading. */
export interface RereadEntry {
  entry: string;
  /** Finished in the interrupted run (skipped otherwise), or half read. */
  was: 'done' | 'started';
  reason: string;
}

export interface RunResult {
  run: string;
  stopped: boolean;
  durationMs: number;
  rows: number;
  rowsPerSecond: number;
  /** Source rows rejected by the shapers over all entries (each entry's `rejected`). */
  rejected: number;
  /** Relationship rows whose start or end node the writer did not find, over all entries (each entry's written.missingEnds). */
  missingEnds: number;
  entries: Record<string, EntryTotals>;
  /** What a next run passes as `resume` to continue where this one stopped (empty when it finished). */
  resume: Record<string, ResumePoint>;
  /** ...and as `resumeFrom`: the run whose acknowledgements vouch for each resume key. */
  resumeFrom: Record<string, string>;
  /** ...and as `resumeMarks`: what the source looked like when each entry was read (empty when it finished). */
  resumeMarks: Record<string, SourceMark>;
  /** What the preflight did (absent when it was turned off). */
  preflight?: { queries: number; durationMs: number; notProbed: string[] };
  /** Entries given a resume point that were read again from their start because their source changed. */
  reread: RereadEntry[];
  /** Time spent checking the resumed entries' sources (0 when nothing was resumed or the checkpoints were trusted). */
  resumeCheckMs: number;
}

/**
 * Where the run's messages go. `control` receives the run's control messages (runStart before a phase's first
 * batch, runEnd after every batch was acknowledged); each is acknowledged like a batch, by its seq.
 */
export interface RunOutlet {
  batch(batch: RunBatch): void;
  control?(control: RunControl, plan: GraphPlan): void;
}

export interface RunProgress {
  run: string;
  phase: Phase;
  entry: string;
  /**
   * Rows read of the current entry (a batch read and waiting for a free slot included), those of them
   * acknowledged, and the planner's estimate for it.
   */
  rows: number;
  acknowledged: number;
  estimate?: number;
  /** The same for the whole run. */
  runRows: number;
  runAcknowledged: number;
  rowsPerSecond: number;
  outstanding: number;
}

export type AckOutcome = 'accepted' | 'otherRun' | 'unknown';

interface PendingBatch {
  /** Set for runEnd, the one control message waited for (it has no entry of its own). */
  control?: RunControl;
  entry: string;
  index: number;
  rows: number;
  firstKey?: RowKey;
  lastKey?: RowKey;
  last: boolean;
}

/** Per entry: the batches acknowledged with no gap before them (the same progress a checkpoint keeps). */
class EntryProgress {
  readonly totals: EntryTotals;
  progress: ContiguousProgress;
  started = Date.now();
  /** For the progress: rows read from Postgres (sent or waiting to be) and rows acknowledged. */
  read = 0;
  acknowledgedRows = 0;

  constructor(phase: Phase, resumedAfter: RowKey | undefined) {
    this.totals = { phase, rows: 0, batches: 0, durationMs: 0, rowsPerSecond: 0, ...(resumedAfter ? { resumedAfter } : {}) };
    this.progress = startProgress(resumedAfter);
  }

  acknowledged(index: number, lastKey: RowKey | undefined, last: boolean): void {
    this.progress = advanceProgress(this.progress, { index, lastKey, last });
  }

  get done(): boolean {
    return isComplete(this.progress);
  }

  get contiguousKey(): RowKey | undefined {
    return this.progress.lastKey;
  }
}

/** Thrown inside a run to unwind it when stop() was asked for; never leaves start(). */
class RunStopped extends Error {}

function rate(rows: number, ms: number): number {
  return ms > 0 ? Math.round((rows * 1000) / ms) : rows;
}

export class PlanRun {
  readonly id: string;
  /** Fingerprint of the plan: every batch carries it, the checkpoints are kept under it. */
  readonly planKey: string;
  readonly maxUnacknowledged: number;
  private readonly plan: ValidPlan;
  private readonly connection: PostgresConnection;
  private readonly options: PlanRunOptions;
  private readonly batchSize: number;
  private readonly pending = new Map<number, PendingBatch>();
  /** When the run last heard an acknowledgement, or sent a message while none was out (the ack watchdog's clock). */
  private lastHeard = Date.now();
  private readonly progressByEntry = new Map<string, EntryProgress>();
  private waiters: Array<() => void> = [];
  private failure: Pg2GraphError | undefined;
  private stopped = false;
  /** Set once runEnd went out: the run is complete, a stop can no longer make it "stopped". */
  private ending = false;
  /** Control seq → the runStart sent with it; phases whose runStart was acknowledged know control messages. */
  private readonly starts = new Map<number, RunControl>();
  private readonly aware = new Set<Phase>();
  private seq = 0;
  private started = 0;
  private runRows = 0;
  private runRead = 0;
  private runAcknowledged = 0;
  private current: { phase: Phase; entry: string; estimate?: number } | undefined;
  private readonly probeTimeoutMs: number;
  private preflightDone: RunResult['preflight'];
  /** The resume points in effect: those given, less the entries read again because their source changed. */
  private resume: Record<string, ResumePoint>;
  private readonly reread: RereadEntry[] = [];
  private resumeCheckMs = 0;
  /** The xmin of this run's snapshot, and the marks the resume check found in it (a reading records them). */
  private xmin = '';
  private readonly marks = new Map<string, SourceMark | undefined>();
  /** The marks this run's readings recorded (their batches carry them). */
  private readonly readMarks = new Map<string, SourceMark>();

  constructor(connection: PostgresConnection, options: PlanRunOptions) {
    this.connection = connection;
    this.options = options;
    // a run id is a reading's identity in the checkpoints: always a new one, never given
    this.id = crypto.randomUUID();
    // the boundary validated the plan; a plan that did not pass one is validated here, once
    const plan = assertValidPlan(options.plan);
    this.plan = plan;
    this.planKey = options.planKey ?? planFingerprint(plan);
    this.batchSize = checkBatchSize(options.batchSize ?? plan.options?.batchSize ?? 5000);
    this.maxUnacknowledged = checkWindow(options.maxUnacknowledged ?? 4);
    this.probeTimeoutMs = checkProbeTimeout(options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    this.resume = { ...(options.resume ?? {}) };
    const ids = new Set([...plan.nodes.map((n) => n.id), ...plan.relationships.map((r) => r.id)]);
    for (const id of options.entries ?? []) {
      if (!ids.has(id)) throw new Pg2GraphError('READ_ENTRY_NOT_FOUND', `entry "${id}" (in entries) is not in the plan`, { entry: id });
    }
    for (const id of Object.keys(options.resume ?? {})) {
      if (!ids.has(id)) throw new Pg2GraphError('READ_ENTRY_NOT_FOUND', `entry "${id}" (in resume) is not in the plan`, { entry: id });
    }
  }

  /** Batches (and control messages) sent and not yet acknowledged. */
  get outstanding(): number {
    return this.pending.size;
  }

  progress(): RunProgress | undefined {
    if (!this.current) return undefined;
    const entry = this.progressByEntry.get(this.current.entry);
    return {
      run: this.id,
      phase: this.current.phase,
      entry: this.current.entry,
      rows: entry?.read ?? 0,
      acknowledged: entry?.acknowledgedRows ?? 0,
      estimate: this.current.estimate,
      runRows: this.runRead,
      runAcknowledged: this.runAcknowledged,
      rowsPerSecond: rate(this.runRows, Date.now() - this.started),
      outstanding: this.pending.size,
    };
  }

  /** An acknowledgement from downstream (the writer): frees a slot, or fails the run when ok is false. */
  acknowledge(ack: Acknowledgement): AckOutcome {
    if (!ack || ack.run !== this.id) return 'otherRun';
    this.lastHeard = Date.now();
    const start = this.starts.get(Number(ack.seq));
    if (start) {
      this.starts.delete(Number(ack.seq));
      if (ack.ok === false) {
        this.failure ??= new Pg2GraphError(
          'READ_BATCH_FAILED',
          `the writer could not prepare for the ${start.phase} phase of run ${this.id} (runStart refused): ${ack.error?.message ?? 'no reason given'}`,
          { seq: ack.seq, phase: start.phase, cause: ack.error, ...this.resumeState() },
        );
      } else {
        this.aware.add(start.phase);
      }
      this.notify();
      return 'accepted';
    }
    const batch = this.pending.get(Number(ack.seq));
    if (!batch) return 'unknown';
    this.pending.delete(Number(ack.seq));
    const reason = ack.error?.message ?? 'no reason given';
    if (batch.control) {
      const { phase, entries } = batch.control;
      if (ack.ok === false) {
        this.failure ??= new Pg2GraphError(
          'READ_RUN_END_FAILED',
          `run ${this.id} is complete (every batch of the ${phase} phase was written and acknowledged), but its end was refused, so the checkpoints of ${entries?.length ?? 0} entries may stay behind (a next run would skip what they call finished): ${reason}`,
          { seq: ack.seq, phase, entries, cause: ack.error },
        );
      }
      this.notify();
      return 'accepted';
    }
    const entry = this.progressByEntry.get(batch.entry) as EntryProgress;
    if (ack.ok === false) {
      const range = batch.firstKey ? `keys ${keyText(batch.firstKey)} to ${keyText(batch.lastKey)}` : 'a cursor read (no key range)';
      this.failure ??= new Pg2GraphError('READ_BATCH_FAILED', `batch ${batch.index} of entry "${batch.entry}" (${range}) was not written: ${reason}`, {
        entry: batch.entry,
        seq: ack.seq,
        index: batch.index,
        firstKey: batch.firstKey,
        lastKey: batch.lastKey,
        cause: ack.error,
        ...this.resumeState(),
      });
    } else {
      entry.acknowledged(batch.index, batch.lastKey, batch.last);
      entry.acknowledgedRows += batch.rows;
      this.runAcknowledged += batch.rows;
      entry.totals.written ??= emptyStats();
      addStats(entry.totals.written, ack.stats ?? {});
      if (ack.skippedNullMatch) entry.totals.skippedNullMatch = (entry.totals.skippedNullMatch ?? 0) + ack.skippedNullMatch;
      if (ack.rejected) entry.totals.rejected = (entry.totals.rejected ?? 0) + ack.rejected;
    }
    this.notify();
    return 'accepted';
  }

  /** Ends the run after the batch being read; the result says where to resume. */
  stop(): void {
    this.stopped = true;
    this.notify();
  }

  /** Reads the whole run; `outlet` may be a function taking the batches (then no control messages are sent). */
  async start(outlet: RunOutlet | ((batch: RunBatch) => void)): Promise<RunResult> {
    const { plan } = this;
    const { signal } = this.options;
    const out: RunOutlet = typeof outlet === 'function' ? { batch: outlet } : outlet;
    this.started = Date.now();
    const onAbort = () => this.notify();
    signal?.addEventListener('abort', onAbort);
    const watchdog = this.watchAcknowledgements();
    const wanted = (id: string) => !this.options.entries || this.options.entries.includes(id);
    let snapshot: ReadSnapshot | undefined;
    try {
      snapshot = await ReadSnapshot.open(this.connection, signal);
      this.xmin = await snapshotXmin(snapshot);
      // what the checkpoints call finished or half read is checked against the source first, in this snapshot
      await this.checkResume(snapshot, wanted);
      const resume = this.resume;
      const phases: Array<{ phase: Phase; covered: string[]; entries: Array<NodeEntry | RelationshipEntry> }> = [
        {
          phase: 'nodes',
          covered: plan.nodes.filter((n) => wanted(n.id)).map((n) => n.id),
          entries: plan.nodes.filter((n) => wanted(n.id) && resume[n.id] !== 'done'),
        },
        {
          phase: 'relationships',
          covered: plan.relationships.filter((r) => wanted(r.id)).map((r) => r.id),
          entries: plan.relationships.filter((r) => wanted(r.id) && resume[r.id] !== 'done'),
        },
      ];
      // before the first message (and the writer's preparation): what this run will read, in its own snapshot
      if (this.options.preflight !== false)
        await this.preflight(
          snapshot,
          phases.flatMap((p) => p.entries.map((e) => e.id)),
        );
      await this.options.beforeRun?.();
      for (const { phase, covered, entries } of phases) {
        if (!covered.length) continue;
        // the relationship phase starts only once every node batch is acknowledged: both ends exist
        await this.waitFor(() => this.pending.size === 0);
        this.sendControl(out, 'runStart', phase);
        for (const entry of entries) {
          const ends = phase === 'relationships' ? relationshipEnds(plan, entry as RelationshipEntry) : undefined;
          await this.readOne(snapshot, entry, phase, ends, out);
        }
      }
      await snapshot.close();
      await this.waitFor(() => this.pending.size === 0);
      // every batch is acknowledged: the run is complete, and the writers hear it before anyone else does
      this.ending = true;
      const ends: Array<{ seq: number; phase: Phase }> = [];
      for (const { phase, covered } of phases) {
        const seq = covered.length ? this.sendControl(out, 'runEnd', phase, covered) : undefined;
        if (seq !== undefined) ends.push({ seq, phase });
      }
      await this.waitForRunEnd(ends);
      return this.result(false);
    } catch (error) {
      if (error instanceof RunStopped) {
        await snapshot?.close();
        await this.settle();
        return this.result(true);
      }
      snapshot?.destroy();
      // a failed run (not a cancelled one) waits for the batches still out, so its resume points include them
      // and none of them commits during the next run
      if (!signal?.aborted) await this.settle();
      throw this.failure ?? error;
    } finally {
      if (watchdog) clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      this.current = undefined;
      this.notify();
    }
  }

  /**
   * Checks every entry given a resume point against the mark its checkpoint recorded (source-mark.ts), unless
   * the checkpoints are trusted; a changed entry loses its resume point (it is read again from its start, and
   * its records are merged), and so does a relationship entry whose start or end entry is read again (its
   * relationships to new nodes may have found no end in the interrupted run).
   */
  private async checkResume(snapshot: ReadSnapshot, wanted: (id: string) => boolean): Promise<void> {
    const given = this.options.resume ?? {};
    // resume points given without marks (by hand, or by a caller that keeps none) are taken as they are
    if (this.options.trustCheckpoints || !this.options.resumeMarks || !Object.keys(given).length) return;
    const started = Date.now();
    const changed = new Map<string, string>();
    for (const entry of [...this.plan.nodes, ...this.plan.relationships]) {
      if (!wanted(entry.id) || given[entry.id] === undefined) continue;
      this.check();
      const check = await checkMark(snapshot, entry, this.options.resumeMarks?.[entry.id], this.xmin);
      this.marks.set(entry.id, check.mark);
      if (check.changed) changed.set(entry.id, `its source (${describeSource(entry)}) changed since: ${check.reason}`);
    }
    for (const rel of this.plan.relationships) {
      if (!wanted(rel.id) || given[rel.id] === undefined || changed.has(rel.id)) continue;
      const end = [rel.from.node, rel.to.node].find((id) => changed.has(id) && given[id] !== undefined);
      if (end) changed.set(rel.id, `its ${end === rel.from.node ? 'start' : 'end'} entry "${end}" is read again`);
    }
    for (const [id, reason] of changed) {
      const was = given[id] === 'done' ? 'done' : 'started';
      delete this.resume[id];
      this.reread.push({ entry: id, was, reason });
      this.options.onWarning?.(
        `resume: entry "${id}" (${was === 'done' ? 'finished' : 'half read'} in the interrupted run) is read again from its start because ${reason} (its records are merged, not created twice)`,
      );
    }
    this.resumeCheckMs = Date.now() - started;
  }

  /** Probes the entries to read; every value their rules cannot hold refuses the run at once. */
  private async preflight(snapshot: ReadSnapshot, entries: string[]): Promise<void> {
    const result = await probePlan(snapshot, this.plan, { entries, timeoutMs: this.probeTimeoutMs, signal: this.options.signal });
    const notProbed = result.notProbed.map((skipped) => `preflight: ${notProbedWarning(skipped)}; its rows are checked as they are read`);
    for (const warning of notProbed) this.options.onWarning?.(warning);
    assertRepresentable(result);
    this.preflightDone = { queries: result.queries, durationMs: result.durationMs, notProbed };
  }

  /**
   * Waits for the runEnd acknowledgements: as for a batch on outputs whose runStart was acknowledged, else at
   * most controlTimeoutMs (nothing there may know control messages), then warns and lets the run complete.
   */
  private async waitForRunEnd(ends: Array<{ seq: number; phase: Phase }>): Promise<void> {
    const seqs = ends.map((end) => end.seq);
    const unaware = ends.filter((end) => !this.aware.has(end.phase)).map((end) => end.seq);
    const timeoutMs = this.options.controlTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    if (unaware.length) {
      timer = setTimeout(() => {
        timedOut = true;
        this.notify();
      }, timeoutMs);
      timer.unref?.();
    }
    try {
      // done when every runEnd is answered, or once timed out, when only those of unaware outputs are left
      await this.waitFor(() => seqs.every((seq) => !this.pending.has(seq) || (timedOut && unaware.includes(seq))));
    } finally {
      clearTimeout(timer);
    }
    for (const seq of unaware) {
      const control = this.pending.get(seq)?.control;
      if (!control) continue;
      this.pending.delete(seq);
      this.options.onWarning?.(
        `nothing acknowledged the end of run ${this.id} on the ${control.phase} output within ${timeoutMs} ms (does what is wired there acknowledge control messages?): the checkpoints of its entries may stay behind`,
      );
    }
  }

  /**
   * Stops the run with READ_ACK_TIMEOUT when batches are out and no acknowledgement came for ackTimeoutMs, naming
   * the oldest batch still out; runEnd messages to outputs that may not know control messages have their own wait.
   */
  private watchAcknowledgements(): NodeJS.Timeout | undefined {
    const timeoutMs = this.options.ackTimeoutMs ?? 600_000;
    if (!timeoutMs) return undefined;
    const timer = setInterval(
      () => {
        if (!this.pending.size || this.failure || Date.now() - this.lastHeard < timeoutMs) return;
        const [seq, oldest] = this.pending.entries().next().value as [number, PendingBatch];
        const what = oldest.control
          ? `the end (runEnd) of the ${oldest.control.phase} phase`
          : `batch ${oldest.index} of entry "${oldest.entry}" (${oldest.firstKey ? `keys ${keyText(oldest.firstKey)} to ${keyText(oldest.lastKey)}` : 'a cursor read'})`;
        this.failure = new Pg2GraphError(
          'READ_ACK_TIMEOUT',
          `run ${this.id}: ${this.pending.size} messages are out and none was acknowledged within ${timeoutMs} ms, the oldest ${what}: was a message lost on the way (a redeploy of graph write alone), or is graph write's output 1 not wired back? The run stops; the next one resumes from the checkpoints`,
          { seq, entry: oldest.entry || undefined, ...this.resumeState() },
        );
        this.notify();
      },
      Math.max(10, Math.min(1000, Math.floor(timeoutMs / 4))),
    );
    timer.unref();
    return timer;
  }

  /** After a stop or a failure: waits (at most settleTimeoutMs, or until aborted) for the batches still out. */
  private async settle(): Promise<void> {
    const timeoutMs = this.options.settleTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline && !this.options.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.pending.size > 0) {
      this.options.onWarning?.(
        `run ${this.id} ended with ${this.pending.size} batches still unacknowledged after ${timeoutMs} ms; their writes may still commit`,
      );
    }
  }

  /** Sends a control message; runEnd is waited for like a batch, runStart only marks its output as knowing them. */
  private sendControl(out: RunOutlet, kind: RunControl['kind'], phase: Phase, entries?: string[]): number | undefined {
    if (!out.control) return undefined;
    const control: RunControl = { kind, run: this.id, seq: ++this.seq, plan: this.planKey, phase, ...(entries ? { entries } : {}) };
    if (kind === 'runStart') this.starts.set(control.seq, control);
    else {
      if (!this.pending.size) this.lastHeard = Date.now();
      this.pending.set(control.seq, { control, entry: '', index: -1, rows: 0, last: false });
    }
    out.control(control, this.plan);
    return control.seq;
  }

  private async readOne(
    snapshot: ReadSnapshot,
    entry: NodeEntry | RelationshipEntry,
    phase: Phase,
    ends: RelationshipEnds | undefined,
    out: RunOutlet,
  ): Promise<void> {
    this.check();
    const point = this.resume[entry.id];
    const resumeAfter = Array.isArray(point) ? point : undefined;
    const progress = new EntryProgress(phase, resumeAfter);
    this.progressByEntry.set(entry.id, progress);
    this.current = { phase, entry: entry.id };
    const prepared = await prepareRead(snapshot, entry, phase);
    this.current.estimate = prepared.estimate;
    // what this reading's snapshot saw of the source goes with every batch into the entry's checkpoint
    const mark = this.marks.has(entry.id) ? this.marks.get(entry.id) : await readMark(snapshot, entry, this.xmin);
    if (mark) this.readMarks.set(entry.id, mark);
    else this.readMarks.delete(entry.id);
    const batches = readEntry(snapshot, prepared, {
      ...(mark ? { mark } : {}),
      run: this.id,
      plan: this.planKey,
      batchSize: this.batchSize,
      resumeAfter,
      resumedFrom: this.options.resumeFrom?.[entry.id],
      nextSeq: () => ++this.seq,
    });
    for await (const rows of timed(batches, (ms) => {
      progress.totals.readMs = (progress.totals.readMs ?? 0) + ms;
    })) {
      // read counts before the wait for a slot: a slow writer keeps the reader waiting with this batch in hand
      progress.read += rows.batch.rows;
      this.runRead += rows.batch.rows;
      await this.waitFor(() => this.pending.size < this.maxUnacknowledged);
      const info = rows.batch;
      if (!this.pending.size) this.lastHeard = Date.now();
      this.pending.set(info.seq, { entry: entry.id, index: info.index, rows: info.rows, firstKey: info.firstKey, lastKey: info.lastKey, last: info.last });
      const totals = progress.totals;
      totals.rows += info.rows;
      totals.batches++;
      totals.durationMs = Date.now() - progress.started;
      totals.rowsPerSecond = rate(totals.rows, totals.durationMs);
      this.runRows += info.rows;
      out.batch({ phase, entry, ends, rows });
    }
  }

  /** Waits (acknowledgements wake it) until the condition holds; throws when the run failed, stopped or was cancelled. */
  private async waitFor(condition: () => boolean): Promise<void> {
    for (;;) {
      this.check();
      if (condition()) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.options.signal?.aborted) throw cancelled();
    if (this.stopped && !this.ending) throw new RunStopped('stopped');
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Where a next run would continue: finished entries "done", started keyset entries their last key acknowledged in order. */
  resumePoints(): Record<string, ResumePoint> {
    // entries this run did not reach keep the point they were given
    const resume: Record<string, ResumePoint> = { ...this.resume };
    for (const [id, progress] of this.progressByEntry) {
      if (progress.done) resume[id] = 'done';
      else if (progress.contiguousKey) resume[id] = progress.contiguousKey;
    }
    return resume;
  }

  /**
   * For resumeFrom of a next run: this run for every entry it made progress on (it owns their checkpoints), else
   * the owner this run was given; nothing for finished entries.
   */
  resumeOrigins(): Record<string, string> {
    const origins: Record<string, string> = { ...(this.options.resumeFrom ?? {}) };
    // entries skipped as finished need no owner (their checkpoints' owner is only for a re-read)
    for (const [id, point] of Object.entries(this.resume)) if (point === 'done') delete origins[id];
    for (const [id, progress] of this.progressByEntry) {
      if (progress.done) delete origins[id];
      else if (progress.progress.batches > 0) origins[id] = this.id;
    }
    return origins;
  }

  /** What a next run needs to continue where this one is: its resume points, their origins and their marks. */
  resumeState(): Pick<RunResult, 'resume' | 'resumeFrom' | 'resumeMarks'> {
    return { resume: this.resumePoints(), resumeFrom: this.resumeOrigins(), resumeMarks: this.resumeMarks() };
  }

  /** For resumeMarks of a next run: the marks this run was given, and those of the entries it read itself. */
  resumeMarks(): Record<string, SourceMark> {
    const marks: Record<string, SourceMark> = { ...(this.options.resumeMarks ?? {}) };
    for (const id of this.progressByEntry.keys()) delete marks[id];
    for (const [id, mark] of this.readMarks) marks[id] = mark;
    return marks;
  }

  private result(stopped: boolean): RunResult {
    const durationMs = Date.now() - this.started;
    const entries: Record<string, EntryTotals> = {};
    for (const [id, progress] of this.progressByEntry) entries[id] = progress.totals;
    return {
      run: this.id,
      stopped,
      durationMs,
      rows: this.runRows,
      rowsPerSecond: rate(this.runRows, durationMs),
      rejected: Object.values(entries).reduce((sum, e) => sum + (e.rejected ?? 0), 0),
      missingEnds: Object.values(entries).reduce((sum, e) => sum + (e.written?.missingEnds ?? 0), 0),
      entries,
      ...(stopped ? this.resumeState() : { resume: {}, resumeFrom: {}, resumeMarks: {} }),
      ...(this.preflightDone ? { preflight: this.preflightDone } : {}),
      reread: [...this.reread],
      resumeCheckMs: this.resumeCheckMs,
    };
  }
}

/** Passes the items through, adding up the time spent waiting for the source (not for the consumer). */
async function* timed<T>(source: AsyncIterable<T>, add: (ms: number) => void): AsyncGenerator<T> {
  let started = Date.now();
  for await (const item of source) {
    add(Date.now() - started);
    yield item;
    started = Date.now();
  }
  add(Date.now() - started);
}

export function checkWindow(value: unknown, setting = 'maxUnacknowledged'): number {
  return integerSetting(value, { code: 'READ_WINDOW_INVALID', setting, min: 1, max: 1000 });
}
