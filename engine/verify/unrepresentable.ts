/**
 * The check "unrepresentable" (see README, Verification): the source rows of an entry holding a value its rule
 * and policies cannot hold, found by the same probe as the run's preflight (engine/probe). These are the rows a
 * run rejected, or would have refused to start for; the check fails while there are any, naming their keys.
 */
import type { PlanEntry } from '../plan/entry-columns';
import { problemRows, type ProblemRows } from '../probe';
import type { VerifyContext } from './context';
import { MAX_EXAMPLES, type CheckResult, type Example, type KeyValues } from './report';
import { checkResult } from './tally';

function named(names: string[] | undefined, texts: Array<string | null>): KeyValues {
  const values: KeyValues = {};
  (names ?? []).forEach((name, i) => {
    values[name] = texts[i] ?? 'NULL';
  });
  return values;
}

function exampleOf(found: ProblemRows, row: ProblemRows['rows'][number]): Example {
  const note = `${row.columns.map((c) => `"${c}"`).join(', ')}: a value its rule cannot hold`;
  const { names } = found.naming;
  if (names.key) return { key: named(names.key, row.texts), note };
  if (names.from && names.to) return { from: named(names.from, row.texts), to: named(names.to, row.texts.slice(names.from.length)), note };
  return `row ${row.example} (${note})`;
}

/** No verification timeout: it reads every row anyway, and a check that gave up would say nothing. */
export async function unrepresentableCheck(context: VerifyContext, entry: PlanEntry): Promise<CheckResult> {
  const found = await problemRows(context.snapshot, context.plan, entry, { limit: MAX_EXAMPLES, timeoutMs: 0 });
  const note = found.count
    ? `source rows holding a value the plan's rules cannot hold: a run rejects them (or its preflight refuses to start); set the policies pg2graph plan --check names`
    : undefined;
  return checkResult(
    'unrepresentable',
    found.count === 0,
    0,
    found.count,
    found.rows.map((row) => exampleOf(found, row)),
    note,
  );
}
