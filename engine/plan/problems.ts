/** Problems found in a plan, each with the JSON path of what is wrong (`nodes[2].properties[0].as`). */

export interface PlanProblem {
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a property name or an array index to a JSON path: `a.b`, `a[2]`, `a["odd key"]`. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

export class ProblemList {
  readonly items: PlanProblem[] = [];

  add(path: string, message: string): void {
    this.items.push({ path: path || '(plan)', message });
  }
}

/** `nodes[2].properties[0].as: "integer" is not allowed ...`, one per line. */
export function formatProblems(problems: PlanProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

export const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
};
