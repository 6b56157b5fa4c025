/**
 * The plans a writer node has seen: their constraints are prepared once per fingerprint, batches of their
 * entries are checkpointed under that fingerprint, and when every entry's checkpoint is complete the run is
 * finished (its checkpoints cleared, so the next run starts fresh).
 */
import { Pg2GraphError } from '../../engine/core';
import { planFingerprint } from '../../engine/plan';
import type { GraphPlan } from '../../engine/plan';

export interface PlanRun {
  key: string;
  entries: Set<string>;
  completed: Set<string>;
}

export function asPlan(value: unknown): GraphPlan {
  const plan = value as Partial<GraphPlan> | null;
  if (!plan || typeof plan !== 'object' || !Array.isArray(plan.nodes) || !Array.isArray(plan.relationships)) {
    throw new Pg2GraphError('WRITE_PLAN_INVALID', 'msg.plan must be a GraphPlan with nodes[] and relationships[]');
  }
  return plan as GraphPlan;
}

export class PlanRuns {
  private current: PlanRun | undefined;
  private readonly prepared = new Map<string, Promise<unknown>>();
  /** Every batch of a run carries the same plan object: hash it once, not once per batch. */
  private readonly keys = new WeakMap<GraphPlan, string>();

  private fingerprint(plan: GraphPlan): string {
    let key = this.keys.get(plan);
    if (key === undefined) {
      key = planFingerprint(plan);
      this.keys.set(plan, key);
    }
    return key;
  }

  /** Whether the plan's constraints were already prepared (or are being prepared). */
  isPrepared(plan: GraphPlan): boolean {
    return this.prepared.has(this.fingerprint(plan));
  }

  /** Makes the plan current; `prepare` runs once per plan fingerprint. */
  async use(plan: GraphPlan, prepare: (plan: GraphPlan) => Promise<unknown>): Promise<PlanRun> {
    const key = this.fingerprint(plan);
    if (this.current?.key !== key) {
      this.current = { key, entries: new Set([...plan.nodes, ...plan.relationships].map((entry) => entry.id)), completed: new Set() };
    }
    let preparing = this.prepared.get(key);
    if (!preparing) {
      preparing = prepare(plan);
      this.prepared.set(key, preparing);
      preparing.catch(() => this.prepared.delete(key));
    }
    await preparing;
    return this.current;
  }

  /** The fingerprint to checkpoint an entry's batches under (the current plan's, when it has the entry). */
  keyFor(entry: string): string | undefined {
    return this.current?.entries.has(entry) ? this.current.key : undefined;
  }

  get currentKey(): string | undefined {
    return this.current?.key;
  }

  /** Records a completed entry; true when that completed the whole plan. */
  complete(key: string, entry: string): boolean {
    const run = this.current;
    if (!run || run.key !== key) return false;
    run.completed.add(entry);
    if (run.completed.size < run.entries.size) return false;
    run.completed.clear();
    return true;
  }
}
