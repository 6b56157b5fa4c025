/** The parts of an entry's report that node and relationship entries share. */
import type { CheckResult, EntryReport } from './report';
import type { Sampler } from './sample';
import { checkResult, type Tally } from './tally';

export interface PropertyTotals {
  compared: number;
  equal: number;
  mismatches: Tally;
  sampler: Sampler;
  total: number;
  sampledMissing: number;
  sample: number | undefined;
}

/** expected = records compared, found = those whose every property is equal. */
export function propertiesCheck(t: PropertyTotals): CheckResult {
  const scope = t.sample === undefined || t.sampler.all ? `all ${t.total} records` : `a sample of ${t.sampler.chosen} of ${t.total} records`;
  const parts = [`compared on ${scope}`];
  if (t.sampledMissing) parts.push(`${t.sampledMissing} chosen record${t.sampledMissing === 1 ? ' is' : 's are'} missing from the graph (see missing)`);
  if (t.mismatches.count) parts.push(t.mismatches.count === 1 ? '1 value differs' : `${t.mismatches.count} values differ`);
  return checkResult('properties', t.compared === t.equal, t.compared, t.equal, t.mismatches.examples, parts.join('; '));
}

export function unexpectedNote(count: number, examples: number): string | undefined {
  if (!count) return undefined;
  if (!examples) return 'the graph has more than the source, but every record it has matches a source row (duplicates?)';
  return undefined;
}

export function finishEntry(
  entry: string,
  kind: 'node' | 'relationship',
  name: string,
  sourceRecords: number,
  targetCount: number,
  checks: CheckResult[],
  started: number,
  sourceRows: number,
): EntryReport {
  const durationMs = Date.now() - started;
  return {
    entry,
    kind,
    name,
    sourceRows: sourceRecords,
    targetCount,
    checks,
    ok: checks.every((c) => c.ok),
    durationMs,
    rowsPerSecond: durationMs > 0 ? Math.round((sourceRows * 1000) / durationMs) : sourceRows,
  };
}
