import type { MigrateResult } from '../engine/migrate';

/** "from ["7"] to ["99"] (no end node)": one example of a relationship row that found no node at an end. */
function exampleText(example: MigrateResult['missingEnds'][string]['examples'][number]): string {
  const which = example.missing === 'both' ? 'no start or end node' : example.missing === 'from' ? 'no start node' : 'no end node';
  return `from ${JSON.stringify(example.from)} to ${JSON.stringify(example.to)} (${which})`;
}

/**
 * The stderr lines for relationship rows that found no start or end node: the total, then each entry with its
 * count and first examples; empty when there were none. `allowed`: the user accepted them (--allow-missing-ends).
 */
export function missingEndsReport(result: MigrateResult, allowed: boolean): string[] {
  const total = result.read.missingEnds;
  if (!total) return [];
  const lines = [
    `${allowed ? 'warning' : 'error'}: missing ends: ${total} relationship rows found no start or end node, so they made no relationship` +
      (allowed ? ' (accepted: --allow-missing-ends)' : ' (the migration is incomplete; exit 4; --allow-missing-ends accepts them)'),
  ];
  for (const [entry, { count, examples }] of Object.entries(result.missingEnds)) {
    lines.push(`  ${entry}: ${count}${examples.length ? `, e.g. ${examples.map(exampleText).join('; ')}` : ''}`);
  }
  return lines;
}
