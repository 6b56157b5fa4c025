/**
 * What a writer node knows of the runs it serves: each plan's schema work is done once per fingerprint, and
 * the batches of a run wait for the preparation its runStart began (messages may overtake each other between
 * nodes). The run's end is not decided here: the reader says it with runEnd.
 */
import { onceUnlessFailed, PerRun } from '../../engine/core';

/** Plans whose preparation is remembered; a writer fed ever new plans prepares the oldest again when they return. */
const PREPARED_PLANS = 64;

export class WriterRuns {
  private readonly prepared = new Map<string, Promise<unknown>>();
  /** Per run its preparation; stopped or failed runs (no runEnd) are forgotten once newer ones came. */
  private readonly runs = new PerRun<Promise<unknown>>();
  /** Plan of the run started last (msg.complete without a plan finishes it). */
  lastPlanKey: string | undefined;

  /** Prepares the plan once per fingerprint; a failed preparation is tried again by the next caller. */
  prepare(planKey: string, work: () => Promise<unknown>): Promise<unknown> {
    const preparing = onceUnlessFailed(this.prepared, planKey, work);
    while (this.prepared.size > PREPARED_PLANS) this.prepared.delete(this.prepared.keys().next().value as string);
    return preparing;
  }

  isPrepared(planKey: string): boolean {
    return this.prepared.has(planKey);
  }

  start(run: string, planKey: string, work: () => Promise<unknown>): Promise<unknown> {
    const ready = this.prepare(planKey, work);
    this.runs.of(run).set(
      'ready',
      ready.catch(() => undefined),
    );
    this.lastPlanKey = planKey;
    return ready;
  }

  /** Resolves once the run's preparation settled (at once for a run this writer never heard of). */
  ready(run: string | undefined): Promise<unknown> {
    return (run !== undefined && this.runs.peek(run)?.get('ready')) || Promise.resolve();
  }

  end(run: string): void {
    this.runs.forget(run);
  }
}
