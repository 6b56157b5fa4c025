import { Pg2GraphError } from '../core/errors';
import type { SchemaModel } from '../schema/model';
import { formatProblems, ProblemList, type PlanProblem } from './problems';
import type { GraphPlan } from './types';
import { checkPlanAgainstSchema } from './validate-schema';
import { checkPlanShape } from './validate-shape';
import { isValidated, markValid, type ValidPlan } from './valid';

export interface PlanValidation {
  ok: boolean;
  problems: PlanProblem[];
}

/**
 * Checks a plan (possibly hand-edited JSON) against itself and, when a model is given, against the live
 * schema. Every problem names its JSON path (`nodes[2].properties[0].as`) and what is wrong.
 */
export function validatePlan(plan: unknown, model?: SchemaModel): PlanValidation {
  const problems = new ProblemList();
  checkPlanShape(plan, problems);
  if (model) checkPlanAgainstSchema(plan, model, problems);
  return { ok: problems.items.length === 0, problems: problems.items };
}

/**
 * validatePlan, throwing Pg2GraphError PLAN_INVALID that lists every problem with its path, and branding the
 * plan as valid. A plan already validated (the same object) is not checked again, unless a model asks for the
 * check against the live schema.
 */
export function assertValidPlan(plan: unknown, model?: SchemaModel): ValidPlan {
  if (!model && isValidated(plan)) return plan;
  const { ok, problems } = validatePlan(plan, model);
  if (!ok) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new Pg2GraphError('PLAN_INVALID', `the plan is invalid (${count}):\n${formatProblems(problems)}`, { problems });
  }
  return markValid(plan as GraphPlan);
}
