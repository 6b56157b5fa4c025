/**
 * What a writer node knows of the runs it serves: each plan's schema work is done once per fingerprint, and
 * the batches of a run wait for the preparation its runStart began (messages may overtake each other between
 * nodes). The run's end is not decided here: the reader says it with runEnd.
 */
import { onceUnlessFailed } from '../../engine/core';

export class WriterRuns {
  private readonly prepared = new Map<string, Promise<unknown>>();
  private readonly runs = new Map<string, { planKey: string; ready: Promise<unknown> }>();
  /** Plan of the run started last (msg.complete without a plan finishes it). */
  lastPlanKey: string | undefined;

  /** Runs kept for their batches; older ones (stopped or failed runs never send runEnd) are forgotten. */
  private static readonly KEPT = 16;

  /** Prepares the plan once per fingerprint; a failed preparation is tried again by the next caller. */
  prepare(planKey: string, work: () => Promise<unknown>): Promise<unknown> {
    return onceUnlessFailed(this.prepared, planKey, work);
  }

  isPrepared(planKey: string): boolean {
    return this.prepared.has(planKey);
  }

  start(run: string, planKey: string, work: () => Promise<unknown>): Promise<unknown> {
    const ready = this.prepare(planKey, work);
    this.runs.set(run, { planKey, ready: ready.catch(() => undefined) });
    this.lastPlanKey = planKey;
    while (this.runs.size > WriterRuns.KEPT) this.runs.delete(this.runs.keys().next().value as string);
    return ready;
  }

  /** Resolves once the run's preparation settled (at once for a run this writer never heard of). */
  ready(run: string | undefined): Promise<unknown> {
    return (run !== undefined && this.runs.get(run)?.ready) || Promise.resolve();
  }

  end(run: string): void {
    this.runs.delete(run);
  }
}
