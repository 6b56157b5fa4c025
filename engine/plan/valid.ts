/**
 * A plan is validated once, where it enters (a file, a message, generation with overrides), and branded: the
 * type says so to the compiler, and a WeakSet says so at run time, so every stage after the boundary takes it as
 * it is. A copy (Node-RED clones a message for a second wire) is not the validated object and is checked again,
 * once, by the next stage that receives it.
 */
import type { GraphPlan } from './types';

declare const validPlan: unique symbol;

export type ValidPlan = GraphPlan & { readonly [validPlan]: true };

const validated = new WeakSet<object>();

/** Brands a plan that has just passed validation (only validate.ts calls this). */
export function markValid(plan: GraphPlan): ValidPlan {
  validated.add(plan);
  return plan as ValidPlan;
}

export function isValidated(plan: unknown): plan is ValidPlan {
  return typeof plan === 'object' && plan !== null && validated.has(plan);
}
