/**
 * Verification (see README, Verification): every entry of a plan, source against graph, read from one consistent snapshot
 * of Postgres and shaped by the same value rules as the migration; the report says what passed and shows
 * examples of what did not. A failing check is a report with ok: false; only a verification that cannot run
 * (connections, a bad plan, a table gone) is an error.
 */
import type { GraphConnection } from '../connect/graph-connection';
import type { PostgresConnection } from '../connect/postgres-connection';
import { Pg2GraphError } from '../core/errors';
import { planFingerprint } from '../plan/fingerprint';
import type { PlanEntry } from '../plan/entry-columns';
import { ReadSnapshot } from '../read/snapshot';
import { runAggregate, type AggregateResult } from './aggregates';
import type { VerifyContext, VerifyProgress } from './context';
import { graphSideOf } from './sides';
import { verifyNodeEntry, type CheckedEntry } from './node-entry';
import { checkVerifyOptions } from './options';
import { unrepresentableCheck } from './unrepresentable';
import { verifyRelationshipEntry } from './relationship-entry';
import { countFailures, type AggregateSpec, type EntryReport, type VerificationReport } from './report';
import type { GraphPlan } from '../plan/types';

export interface VerifyOptions {
  plan: GraphPlan;
  /** Compare properties on this many records per entry (spread evenly, the same each time); default all. */
  sample?: number;
  /** More aggregates, besides those in the plan's `verify.aggregates`. */
  aggregates?: AggregateSpec[];
  /** Only these entry ids (default every entry of the plan). */
  entries?: string[];
  /** Records looked up in the graph per statement (default 2000). */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called when an entry starts and ends, and about once a second in between. */
  onProgress?: (progress: VerifyProgress) => void;
}

const PROGRESS_INTERVAL_MS = 1000;

/** Failures name the entry being verified; connection codes (PG_*, NEO4J_*) stay as they are. */
function entryFailure(entry: PlanEntry, error: unknown, snapshot: ReadSnapshot): Pg2GraphError {
  const typed = error instanceof Pg2GraphError ? error : snapshot.translate(error);
  if (typed.details.entry === entry.id) return typed;
  return new Pg2GraphError(typed.code, `verifying entry "${entry.id}": ${typed.message}`, { ...typed.details, entry: entry.id }, typed);
}

export async function verify(source: PostgresConnection, target: GraphConnection, options: VerifyOptions): Promise<VerificationReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const checked = checkVerifyOptions(options);
  const { plan } = checked;
  const { signal } = options;
  const selected: PlanEntry[] = [...plan.nodes, ...plan.relationships].filter((e) => checked.entries.has(e.id));
  await target.check();
  const snapshot = await ReadSnapshot.open(source, signal);
  const entries: EntryReport[] = [];
  const aggregates: AggregateResult[] = [];
  let lastProgress = 0;
  const context: VerifyContext = {
    plan,
    snapshot,
    graph: graphSideOf(target, plan),
    sample: checked.sample,
    batchSize: checked.batchSize,
    signal,
    progress(update, force = false) {
      if (!options.onProgress) return;
      const now = Date.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      options.onProgress({ ...update, done: entries.length, entries: selected.length });
    },
  };
  try {
    for (const entry of selected) {
      let result: CheckedEntry;
      try {
        const values = await unrepresentableCheck(context, entry);
        result = plan.nodes.includes(entry as never)
          ? await verifyNodeEntry(context, entry as GraphPlan['nodes'][number])
          : await verifyRelationshipEntry(context, plan, entry as GraphPlan['relationships'][number]);
        result.report.checks.push(values);
        result.report.ok &&= values.ok;
        for (const [i, { spec, path }] of checked.aggregates.entries()) {
          if (spec.entry === entry.id) aggregates[i] = await runAggregate(context, result, entry, spec, path);
        }
      } catch (error) {
        if (signal?.aborted)
          throw new Pg2GraphError('VERIFY_CANCELLED', `the verification was cancelled while checking entry "${entry.id}"`, { entry: entry.id });
        throw entryFailure(entry, error, snapshot);
      }
      entries.push(result.report);
    }
  } finally {
    await snapshot.close();
  }
  // in the order they were named (plan first, then options), not in entry order
  const results = aggregates.filter((a) => a !== undefined);
  const failed = countFailures(entries, results);
  return {
    ok: failed === 0,
    plan: planFingerprint(plan),
    startedAt,
    durationMs: Date.now() - started,
    sample: checked.sample ?? 'all',
    entries,
    aggregates: results,
    failed,
  };
}
