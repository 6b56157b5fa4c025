/**
 * The verification report (see README, Verification): one entry per plan entry with its checks, each with what was
 * expected, what was found and up to five examples of what differs; overall pass/fail.
 */
import type { AggregateSpec } from '../plan/types';

export const MAX_EXAMPLES = 5;

export type CheckName = 'count' | 'missing' | 'unexpected' | 'properties' | 'duplicates' | 'sourceDuplicates' | 'aggregate' | 'unrepresentable';

/** Key property values of a node, JSON-safe: integers as numbers (as digit strings beyond 2^53), strings as strings, others described. */
export type KeyValues = Record<string, string | number | boolean>;

/** A node that is missing, unexpected or duplicated (`count` nodes, or for sourceDuplicates source rows, share its key). */
export interface KeyExample {
  key: KeyValues;
  count?: number;
  note?: string;
}

/** A relationship (by the match values of its two ends) that is missing, unexpected or duplicated. */
export interface PairExample {
  from: KeyValues;
  to: KeyValues;
  count?: number;
  note?: string;
}

/** A property that differs: expected and found as describeGraphValue prints them ("String \"12.30\"", "Float 12.3", "absent"). */
export interface ValueExample {
  key?: KeyValues;
  from?: KeyValues;
  to?: KeyValues;
  property: string;
  expected: string;
  found: string;
}

export type Example = KeyExample | PairExample | ValueExample | string;

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** Entry-level: what the source says; for 'properties', the number of rows compared. */
  expected: number | string;
  /** For 'properties', the number of compared rows whose properties are all equal. */
  found: number | string;
  /** Up to MAX_EXAMPLES concrete differences (keys, property values), JSON-safe. */
  examples: Example[];
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

export type { AggregateSpec };

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

/** "{orderId: 9000000001, lineNo: 2}" */
export function keyText(key: KeyValues): string {
  return `{${Object.entries(key)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ')}}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exampleText(example: unknown): string {
  if (typeof example === 'string') return example;
  if (!isObject(example)) return JSON.stringify(example);
  const where = isObject(example.key)
    ? keyText(example.key as KeyValues)
    : isObject(example.from) && isObject(example.to)
      ? `${keyText(example.from as KeyValues)} -> ${keyText(example.to as KeyValues)}`
      : '';
  const extra = [typeof example.count === 'number' ? `${example.count} times` : '', typeof example.note === 'string' ? example.note : '']
    .filter(Boolean)
    .join(', ');
  if (typeof example.property === 'string') {
    return `${where ? `${where} ` : ''}${example.property}: expected ${String(example.expected)}, found ${String(example.found)}`;
  }
  if (where) return `${where}${extra ? ` (${extra})` : ''}`;
  return JSON.stringify(example);
}

function aggregateName(spec: AggregateSpec): string {
  return `${spec.function}(${spec.column}) of ${spec.entry}`;
}

/** A readable summary: a line per entry, failing checks with their examples. */
export function formatReport(report: VerificationReport): string {
  const lines: string[] = [];
  const sample = report.sample === 'all' ? 'all rows' : `a sample of ${report.sample} rows per entry`;
  lines.push(
    `verification ${report.ok ? 'PASSED' : `FAILED (${report.failed} failing check${report.failed === 1 ? '' : 's'})`}: ` +
      `${report.entries.length} entries, properties compared on ${sample}, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  for (const entry of report.entries) {
    const mark = entry.ok ? 'ok  ' : 'FAIL';
    lines.push(
      `  ${mark} ${entry.kind === 'node' ? `(:${entry.name})` : `[:${entry.name}]`} ${entry.entry}: source ${entry.sourceRows}, graph ${entry.targetCount}`,
    );
    for (const check of entry.checks.filter((c) => !c.ok)) {
      lines.push(`         ${check.check}: expected ${check.expected}, found ${check.found}${check.note ? ` (${check.note})` : ''}`);
      for (const example of check.examples) lines.push(`           - ${exampleText(example)}`);
    }
  }
  for (const aggregate of report.aggregates) {
    lines.push(
      `  ${aggregate.ok ? 'ok  ' : 'FAIL'} ${aggregateName(aggregate.spec)}: source ${aggregate.expected}, graph ${aggregate.found}` +
        `${!aggregate.ok && aggregate.note ? ` (${aggregate.note})` : ''}`,
    );
    if (!aggregate.ok) for (const example of aggregate.examples) lines.push(`           - ${exampleText(example)}`);
  }
  return lines.join('\n');
}
