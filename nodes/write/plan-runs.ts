/**
 * The plans a writer node has seen: their constraints are prepared once per fingerprint, batches of their
 * entries are checkpointed under that fingerprint, and when every entry's checkpoint is complete the run is
 * finished (its checkpoints cleared, so the next run starts fresh).
 */
import { Pg2GraphError } from '../../engine/errors';
import { planFingerprint } from '../../engine/plan/fingerprint';
import type { GraphPlan } from '../../engine/plan/types';

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

  /** Makes the plan current; `prepare` runs once per plan fingerprint. */
  async use(plan: GraphPlan, prepare: (plan: GraphPlan) => Promise<unknown>): Promise<PlanRun> {
    const key = planFingerprint(plan);
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
