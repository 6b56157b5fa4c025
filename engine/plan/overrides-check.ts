import { Pg2GraphError } from '../core/errors';
import { isValueRule } from '../values/rules';
import type { PlanOverrides } from './overrides';
import { childPath, describe, formatProblems, ProblemList } from './problems';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks that a map's values are maps of strings (or whatever `valueOk` accepts), reporting each misfit by path. */
function checkNested(value: unknown, path: string, problems: ProblemList, valueOk: (v: unknown) => boolean, expected: string): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.add(path, `must be an object, got ${describe(value)}`);
    return;
  }
  for (const [id, inner] of Object.entries(value)) {
    const at = childPath(path, id);
    if (!isObject(inner)) {
      problems.add(at, `must be an object, got ${describe(inner)}`);
      continue;
    }
    for (const [column, v] of Object.entries(inner)) if (!valueOk(v)) problems.add(childPath(at, column), `must be ${expected}, got ${describe(v)}`);
  }
}

const nonEmptyText = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/**
 * Accepts overrides as stored in a node or a file (an object, or its JSON text; empty means none) and checks
 * their shape; throws OVERRIDES_INVALID naming each misfit by path.
 */
export function parseOverrides(value: unknown): PlanOverrides {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new Pg2GraphError('OVERRIDES_INVALID', `the overrides are not valid JSON: ${(error as Error).message}`);
    }
  }
  const problems = new ProblemList();
  if (!isObject(parsed)) {
    problems.add('overrides', `must be an object, got ${describe(parsed)}`);
  } else {
    for (const key of ['labels', 'types'] as const) {
      const map = parsed[key];
      if (map === undefined) continue;
      if (!isObject(map)) problems.add(key, `must be an object, got ${describe(map)}`);
      else for (const [id, v] of Object.entries(map)) if (!nonEmptyText(v)) problems.add(childPath(key, id), `must be a non-empty string, got ${describe(v)}`);
    }
    checkNested(parsed.properties, 'properties', problems, nonEmptyText, 'a non-empty string');
    checkNested(parsed.as, 'as', problems, isValueRule, 'a value rule');
    if (parsed.excludeEntries !== undefined && !(Array.isArray(parsed.excludeEntries) && parsed.excludeEntries.every((v) => typeof v === 'string'))) {
      problems.add('excludeEntries', `must be a list of entry ids, got ${describe(parsed.excludeEntries)}`);
    }
    if (parsed.excludeColumns !== undefined) {
      if (!isObject(parsed.excludeColumns)) problems.add('excludeColumns', `must be an object, got ${describe(parsed.excludeColumns)}`);
      else
        for (const [id, list] of Object.entries(parsed.excludeColumns)) {
          if (!(Array.isArray(list) && list.every((v) => typeof v === 'string')))
            problems.add(childPath('excludeColumns', id), `must be a list of column names, got ${describe(list)}`);
        }
    }
    if (parsed.typePolicies !== undefined && !isObject(parsed.typePolicies))
      problems.add('typePolicies', `must be an object, got ${describe(parsed.typePolicies)}`);
  }
  if (problems.items.length) {
    throw new Pg2GraphError('OVERRIDES_INVALID', `the overrides are invalid:\n${formatProblems(problems.items)}`, { problems: problems.items });
  }
  return parsed as PlanOverrides;
}
