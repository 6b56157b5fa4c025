/**
 * The verification report (DESIGN §4, §8): one entry per plan entry with its checks, each with what was
 * expected, what was found and up to five examples of what differs; overall pass/fail.
 */

export const MAX_EXAMPLES = 5;

export type CheckName = 'count' | 'missing' | 'unexpected' | 'properties' | 'duplicates' | 'aggregate';

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** Entry-level: what the source says; for 'properties', the number of rows compared. */
  expected: number | string;
  found: number | string;
  /** Up to MAX_EXAMPLES concrete differences (keys, property values), JSON-safe. */
  examples: unknown[];
  /** Extra words, e.g. "sample of 100 rows" or "content keys: 3 duplicate rows merged". */
  note?: string;
}

export interface EntryReport {
  entry: string;
  kind: 'node' | 'relationship';
  /** Label(s) of a node entry or type of a relationship entry. */
  name: string;
  sourceRows: number;
  targetCount: number;
  checks: CheckResult[];
  ok: boolean;
  durationMs: number;
  rowsPerSecond: number;
}

export interface AggregateSpec {
  /** Plan entry id (node or relationship entry). */
  entry: string;
  /** Source column; the property mapped from it is aggregated in the graph. */
  column: string;
  function: 'sum' | 'min' | 'max' | 'count';
}

export interface VerificationReport {
  ok: boolean;
  /** Plan fingerprint of the verified plan. */
  plan: string;
  startedAt: string;
  durationMs: number;
  /** Rows compared property by property per entry: 'all' or a sample size. */
  sample: 'all' | number;
  entries: EntryReport[];
  aggregates: Array<CheckResult & { spec: AggregateSpec }>;
  /** Number of failing checks over the whole report. */
  failed: number;
}

export function countFailures(entries: EntryReport[], aggregates: CheckResult[]): number {
  return entries.reduce((n, e) => n + e.checks.filter((c) => !c.ok).length, 0) + aggregates.filter((a) => !a.ok).length;
}

function exampleText(example: unknown): string {
  return typeof example === 'string' ? example : JSON.stringify(example);
}

/** A readable summary: a line per entry, failing checks with their examples. */
export function formatReport(report: VerificationReport): string {
  const lines: string[] = [];
  const sample = report.sample === 'all' ? 'all rows' : `a sample of ${report.sample} rows per entry`;
  lines.push(`verification ${report.ok ? 'PASSED' : `FAILED (${report.failed} failing check${report.failed === 1 ? '' : 's'})`}: ` +
    `${report.entries.length} entries, properties compared on ${sample}, ${(report.durationMs / 1000).toFixed(1)} s`);
  for (const entry of report.entries) {
    const mark = entry.ok ? 'ok  ' : 'FAIL';
    lines.push(`  ${mark} ${entry.kind === 'node' ? `(:${entry.name})` : `[:${entry.name}]`} ${entry.entry}: source ${entry.sourceRows}, graph ${entry.targetCount}`);
    for (const check of entry.checks.filter((c) => !c.ok)) {
      lines.push(`         ${check.check}: expected ${check.expected}, found ${check.found}${check.note ? ` (${check.note})` : ''}`);
      for (const example of check.examples) lines.push(`           - ${exampleText(example)}`);
    }
  }
  for (const aggregate of report.aggregates) {
    const { spec } = aggregate;
    lines.push(`  ${aggregate.ok ? 'ok  ' : 'FAIL'} ${spec.function}(${spec.column}) of ${spec.entry}: source ${aggregate.expected}, graph ${aggregate.found}`);
  }
  return lines.join('\n');
}
