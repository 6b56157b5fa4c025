import fs from 'fs';
import { Pg2GraphError } from '../engine/core';
import { parsePlanText, assertValidPlan } from '../engine/plan';
import type { GraphPlan } from '../engine/plan';
import type { PostgresConnection } from '../engine/connect';
import { introspectDatabase } from '../engine/schema';

export function readPlanFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Pg2GraphError('PLAN_NOT_FOUND', `cannot read the plan file ${file}: ${(error as Error).message}`, { file });
  }
}

/** The schemas a plan file was made for, when it says so in a usable way. */
export function planSchemas(plan: unknown): string[] | undefined {
  const schemas = (plan as { source?: { schemas?: unknown } } | null)?.source?.schemas;
  return Array.isArray(schemas) && schemas.length && schemas.every((s) => typeof s === 'string') ? schemas : undefined;
}

/** Reads a plan file and validates it against itself and the live schema (PLAN_INVALID names every problem). */
export async function loadCheckedPlan(file: string, connection: PostgresConnection): Promise<GraphPlan> {
  const plan = parsePlanText(readPlanFile(file), file);
  const model = await introspectDatabase(connection, { schemas: planSchemas(plan) ?? ['public'] });
  return assertValidPlan(plan, model);
}
