/**
 * What a probe's findings mean for a plan: at plan time the lossless policy of each problem is written into the
 * plan (with a warning on the entry); at run start (preflight) they refuse the run with one error that lists
 * them all. The plan generator stays pure: this runs after it, on its result.
 */
import { Pg2GraphError } from '../core/errors';
import { setRule } from '../plan/overrides';
import type { GraphPlan, PropertyMapping } from '../plan/types';
import type { ValuePolicy } from '../values/rule-types';
import { mergeKeeps } from './checks';
import type { NotProbed, ProbeResult, ValueProblem } from './probe';

/** One property whose policy the probe changed. */
export interface PolicyChange {
  /** Plan path of the property mapping (`nodes[0].properties[2]`). */
  path: string;
  /** The entry holding that property. */
  entry: string;
  property: string;
  column: string;
  keep: ValuePolicy;
  problems: ValueProblem[];
}

export interface ProbedPlan {
  /** A copy of the plan with the changes made (not validated: validate it where it leaves). */
  plan: GraphPlan;
  changes: PolicyChange[];
}

const PROPERTY_PATH = /^(nodes|relationships)\[(\d+)\]\.properties\[(\d+)\]$/;

function rows(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}

/** `2 rows of table public.traps, column "tags": array with NULL elements (…), e.g. key ["1"] holding "{NULL}"` */
export function describeProblem(problem: ValueProblem): string {
  const holding = problem.value ? ` holding ${JSON.stringify(problem.value)}` : '';
  const example = problem.exampleIs === 'row' ? `row ${problem.example}` : `key ${problem.example}`;
  return `${rows(problem.count)} of ${problem.source}, column "${problem.column}": ${problem.reason}, e.g. ${example}${holding}`;
}

/** The policy change in the words a plan uses: `{"nullElements":"json"}`. */
export function describeKeep(keep: ValuePolicy): string {
  return JSON.stringify(keep);
}

/** Problems grouped by the property they change, each group with one policy that holds them all. */
export function groupProblems(problems: ValueProblem[]): Array<{ path: string; problems: ValueProblem[]; keep: ValuePolicy }> {
  const byPath = new Map<string, ValueProblem[]>();
  for (const problem of problems) byPath.set(problem.path, [...(byPath.get(problem.path) ?? []), problem]);
  return [...byPath].map(([path, list]) => ({ path, problems: list, keep: mergeKeeps(list.map((p) => p.keep)) }));
}

export function notProbedWarning(skipped: NotProbed): string {
  return `${skipped.source} (entries ${skipped.entries.map((e) => `"${e}"`).join(', ')}) was not probed for values its rules cannot hold: ${skipped.reason}`;
}

/**
 * The plan with the policy of every problem's property changed to one that holds its values (a copy; the
 * entries say what changed and why in their warnings). Sources that were not probed are plan warnings.
 */
export function applyProbe(given: GraphPlan, result: ProbeResult): ProbedPlan {
  const plan = structuredClone(given);
  const changes: PolicyChange[] = [];
  for (const group of groupProblems(result.problems)) {
    const m = PROPERTY_PATH.exec(group.path);
    if (!m) continue;
    const entry = m[1] === 'nodes' ? plan.nodes[Number(m[2])] : plan.relationships[Number(m[2])];
    const property: PropertyMapping | undefined = entry?.properties[Number(m[3])];
    if (!entry || !property) continue;
    const before = property.as;
    setRule(property, group.keep.as, group.keep);
    const found = group.problems.map(describeProblem).join('; ');
    const warning =
      `column "${property.column}" (${property.pgType}): probing the data found values rule "${before}" cannot hold (${found}); ` +
      `the plan keeps them with ${describeKeep(group.keep)} (pg2graph plan --no-probe keeps the defaults)`;
    entry.warnings = [...(entry.warnings ?? []), warning];
    changes.push({ path: group.path, entry: entry.id, property: property.name, column: property.column, keep: group.keep, problems: group.problems });
  }
  if (result.notProbed.length) plan.warnings = [...(plan.warnings ?? []), ...result.notProbed.map(notProbedWarning)];
  return { plan, changes };
}

/** One line per problem: its plan path, what is wrong, and the policy that would keep it (and where, for a match column). */
export function problemLine(problem: ValueProblem): string {
  const at = problem.matchPath ? `${problem.matchPath} (converted by ${problem.path})` : problem.path;
  const where = problem.matchPath ? ` at ${problem.path}` : '';
  return `${at}, entry "${problem.entry}": ${describeProblem(problem)}; keep them with ${describeKeep(problem.keep)}${where}`;
}

/** The preflight's refusal: every problem at once, before anything was read or written. */
export function unrepresentableError(problems: ValueProblem[]): Pg2GraphError {
  const columns = new Set(problems.map((p) => `${p.entry}\u0000${p.column}`)).size;
  const message =
    `the data holds values the plan's rules cannot hold (${problems.length === 1 ? '1 problem' : `${problems.length} problems`} in ` +
    `${columns === 1 ? '1 column' : `${columns} columns`}); nothing was read or written. Set the policies named below in the plan ` +
    `(or make the plan again: pg2graph plan and the pg schema node choose them), or turn the preflight off to reject these rows one by one:\n` +
    problems.map((p) => `  - ${problemLine(p)}`).join('\n');
  return new Pg2GraphError('PLAN_VALUES_UNREPRESENTABLE', message, { problems });
}

/** Throws the refusal when the probe found anything. */
export function assertRepresentable(result: ProbeResult): void {
  if (result.problems.length) throw unrepresentableError(result.problems);
}
