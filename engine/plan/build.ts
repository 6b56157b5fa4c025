import type { SchemaModel } from '../schema/model';
import { generatePlan, type GenerateOptions } from './generate';
import { applyOverrides, type PlanOverrides } from './overrides';
import type { PlanProblem } from './problems';
import type { GraphPlan } from './types';
import { validatePlan } from './validate';

export interface BuiltPlan {
  /** The plan to run: generated, overrides applied. */
  plan: GraphPlan;
  /** The plan as generated, before overrides (what an editor compares edits with). */
  generated: GraphPlan;
  /** Overrides that matched nothing (schema changed since they were made). */
  stale: string[];
  /** Problems of `plan` against itself and the live schema; empty when it can run. */
  problems: PlanProblem[];
}

/** Generation, then the user's overrides, then validation against the same model: what the node and the editor run. */
export function buildPlan(model: SchemaModel, options: GenerateOptions = {}, overrides?: PlanOverrides): BuiltPlan {
  const typePolicies = overrides?.typePolicies ? { ...options.typePolicies, ...overrides.typePolicies } : options.typePolicies;
  const generated = generatePlan(model, { ...options, typePolicies });
  const { plan, stale } = applyOverrides(generated, overrides);
  return { plan, generated, stale, problems: validatePlan(plan, model).problems };
}
