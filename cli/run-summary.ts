import type { MigrateResult } from '../engine/migrate';

/**
 * The lines `migrate` and `export` share in their summaries: what a resumed run continued or read again, and one
 * line per entry (`unit` names a batch's result: "batches", "parts").
 */
export function runLines(result: Pick<MigrateResult, 'read' | 'resumed' | 'skipped' | 'reread'>, what: string, unit: string): string[] {
  const lines: string[] = [];
  if (result.resumed.length || result.skipped.length || result.reread.length) {
    const reread = result.reread.length ? `, ${result.reread.length} read again (their source changed): ${result.reread.join(', ')}` : '';
    lines.push(`  resumed an unfinished ${what}: ${result.skipped.length} entries already done, ${result.resumed.length} continued${reread}`);
  }
  for (const [id, entry] of Object.entries(result.read.entries)) {
    const skipped = entry.skippedNullMatch ? `, ${entry.skippedNullMatch} rows with a NULL key column` : '';
    const rejected = entry.rejected ? `, ${entry.rejected} rejected` : '';
    lines.push(`  ${entry.phase === 'nodes' ? 'node' : 'rel '} ${id}: ${entry.rows} rows, ${entry.batches} ${unit}${skipped}${rejected}`);
  }
  return lines;
}
