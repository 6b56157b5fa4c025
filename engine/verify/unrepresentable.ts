/**
 * The check "unrepresentable" (see README, Verification): the source rows of an entry holding a value its rule
 * and policies cannot hold, found by the same probe as the run's preflight (engine/probe). These are the rows a
 * run rejected, or would have refused to start for; the check fails while there are any, naming their keys.
 */
import { isPg2GraphError } from '../core/errors';
import type { PlanEntry } from '../plan/entry-columns';
import { nodeLabels } from '../plan/ends';
import { isRelationshipEntry } from '../plan/entry-columns';
import { problemRows, type ProblemRows } from '../probe';
import type { VerifyContext } from './context';
import { finishEntry } from './entry-report';
import { MAX_EXAMPLES, type AggregateSpec, type CheckResult, type EntryReport, type Example, type KeyValues } from './report';
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

/** Whether the entry's other checks failed because they met one of the rows this check found (shaping refused it). */
export function blockedBy(check: CheckResult, error: unknown): boolean {
  return !check.ok && isPg2GraphError(error) && error.code === 'VALUE_INVALID';
}

/** The report of an entry whose rows could not all be shaped: this check only, saying why the others did not run. */
export function blockedReport(entry: PlanEntry, check: CheckResult, error: Error, started: number): EntryReport {
  const name = isRelationshipEntry(entry) ? entry.type : nodeLabels(entry).join(':');
  const note = `${check.note ?? ''}; the entry's other checks did not run: ${error.message}`;
  return finishEntry(entry.id, isRelationshipEntry(entry) ? 'relationship' : 'node', name, 0, 0, [{ ...check, note }], started, 0);
}

export function blockedAggregate(spec: AggregateSpec, entry: string): CheckResult & { spec: AggregateSpec } {
  return {
    ...checkResult('aggregate', false, 'computed', 'not computed', [], `entry "${entry}" holds values its rules cannot hold (see unrepresentable)`),
    spec,
  };
}
