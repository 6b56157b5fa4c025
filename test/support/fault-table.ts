/**
 * The fault campaign's results (npm run test:faults): each scenario records whether the graph ended exact, how
 * many duplicates it held and how long recovery took; the campaign's root hook prints them as a table at the end
 * and writes them to build/faults-table.md (README.md, Tests, quotes it).
 */
import fs from 'fs';
import path from 'path';

export interface FaultOutcome {
  /** e.g. "cli: kill -9 at batch boundaries (seed 7)" */
  scenario: string;
  /** The final graph held exactly the source's nodes and relationships (and verify passed), or the loss was named by a non-zero exit. */
  exact: boolean;
  /** Keys held by more than one node plus (start, type, end) held by more than one relationship. */
  duplicates: number;
  /** From the fault to the graph being exact again (the re-run included), or to the command's bounded exit. */
  recoverMs: number;
  /** What ended it, e.g. "exit 1 WRITE_TIMEOUT after 31 s, re-run exact". */
  note?: string;
}

const outcomes: FaultOutcome[] = [];

export function recordFault(outcome: FaultOutcome): void {
  outcomes.push(outcome);
}

export function faultTable(): string {
  const lines = ['| scenario | exact | duplicates | time to recover | how |', '|---|---|---|---|---|'];
  for (const o of outcomes) {
    lines.push(`| ${o.scenario} | ${o.exact ? 'yes' : 'NO'} | ${o.duplicates} | ${(o.recoverMs / 1000).toFixed(1)} s | ${o.note ?? ''} |`);
  }
  return lines.join('\n');
}

export const faultHooks = {
  afterAll(): void {
    if (!outcomes.length) return;
    const table = faultTable();
    console.log(`\nfault campaign:\n${table}\n`);
    fs.writeFileSync(path.resolve(__dirname, '..', 'faults-table.md'), `${table}\n`);
  },
};
