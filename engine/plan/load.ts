import { Pg2GraphError } from '../core/errors';
import type { SchemaModel } from '../schema/model';
import type { ValidPlan } from './valid';
import { assertValidPlan } from './validate';

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Where JSON.parse stopped, from its message (V8 says "at position N" or "(line L column C)"). */
function errorPlace(text: string, message: string): { line: number; column: number } | undefined {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message);
  if (position) return lineAndColumn(text, Number(position[1]));
  if (/end of JSON input/.test(message)) return lineAndColumn(text, text.length);
  return undefined;
}

/** Parses plan text; malformed JSON is a PLAN_INVALID error that says where (line and column) when it can. */
export function parsePlanText(text: string, source = 'the plan'): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const place = errorPlace(text, message);
    const where = place ? ` at line ${place.line}, column ${place.column}` : '';
    throw new Pg2GraphError('PLAN_INVALID', `${source} is not valid JSON${where}: ${message}`, { ...place });
  }
}

/** Parses and validates a plan (against the live schema too when a model is given). */
export function loadPlan(text: string, model?: SchemaModel, source?: string): ValidPlan {
  return assertValidPlan(parsePlanText(text, source), model);
}
