/**
 * Resume points from the writer's checkpoints (see README, Writing): an entry the target recorded as complete is
 * skipped, an unfinished keyset entry starts after its last committed key. The checkpoint store itself is the
 * writer's (GraphTarget.checkpoints, keyed by the plan fingerprint); anything with that method will do.
 */
import type { GraphPlan } from '../plan/types';
import { planFingerprint } from '../plan/fingerprint';
import type { GraphTarget } from '../write/target';
import type { ResumePoint } from './plan-run';

export type CheckpointSource = Pick<GraphTarget, 'checkpoints'>;

export interface CheckpointResume {
  resume: Record<string, ResumePoint>;
  /** Batch index each resumed entry continues with (the batches already written in order). */
  resumeIndex: Record<string, number>;
}

export async function resumeFromCheckpoints(plan: GraphPlan, source: CheckpointSource): Promise<CheckpointResume> {
  const checkpoints = await source.checkpoints(planFingerprint(plan));
  const result: CheckpointResume = { resume: {}, resumeIndex: {} };
  for (const [entry, checkpoint] of checkpoints) {
    if (checkpoint.complete) {
      result.resume[entry] = 'done';
    } else if (checkpoint.lastKey && checkpoint.batches > 0) {
      result.resume[entry] = checkpoint.lastKey;
      result.resumeIndex[entry] = checkpoint.batches;
    }
  }
  return result;
}
