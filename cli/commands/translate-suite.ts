/** pg2graph translate --suite: the engine's runSuite on a suite file, its report printed (README.md, From SQL to Cypher). */
import fs from 'fs';
import { Pg2GraphError, messageOf } from '../../engine/core';
import type { Neo4jConnection } from '../../engine/connect';
import type { GraphPlan } from '../../engine/plan';
import { parseSuite, runSuite, type SuiteOptions, type SuiteReport, type SuiteResult } from '../../engine/translate';
import type { CliIo } from '../io';

export function readSuiteFile(file: string): ReturnType<typeof parseSuite> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Pg2GraphError('TRANSLATE_INPUT_INVALID', `Cannot read the query suite ${file}: ${messageOf(error)}`, { file });
  }
  return parseSuite(text, file);
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function describe(result: SuiteResult): string {
  const title = `#${result.index}${result.name ? ` ${result.name}` : ''}`;
  switch (result.status) {
    case 'refused':
      return `${title}: refused: ${result.construct} (${result.message})`;
    case 'invalid':
      return `${title}: bad input: ${result.code}: ${result.message}`;
    case 'failed':
      return `${title}: could not check: ${result.code}: ${result.message}`;
    case 'equal':
      return `${title}: equal (${result.sourceRows} rows on both sides)`;
    case 'different':
      return [`${title}: DIFFERENT (Postgres ${result.sourceRows} rows, graph ${result.graphRows})`, ...(result.differences ?? []).map((d) => `    ${d}`)].join(
        '\n',
      );
    default:
      return `${title}: translated`;
  }
}

function printReport(report: SuiteReport, io: CliIo): void {
  for (const result of report.results) {
    io.out(describe(result));
    for (const statement of result.createIndexes ?? []) io.out(`    index: ${statement}`);
  }
  const t = report.totals;
  io.out(
    `totals: ${t.queries} queries: ${t.translated} translated (${t.equal} equal, ${t.different} different, ${t.failed} not checked), ` +
      `${t.refused} refused, ${t.invalid} bad input; parity ${percent(t.shares.parity)}, refused ${percent(t.shares.refused)}, wrong ${percent(t.shares.wrong)}`,
  );
  if (report.refusedConstructs.length) io.out(`refused constructs: ${report.refusedConstructs.map((c) => `${c.construct} (${c.count})`).join('; ')}`);
  const statements = [...new Set(report.results.flatMap((r) => r.createIndexes ?? []))];
  if (statements.length) io.out(['indexes the suite lacks:', ...statements.map((s) => `${s};`)].join('\n'));
}

export async function runSuiteCommand(
  file: string,
  plan: GraphPlan,
  options: { json: boolean; check?: SuiteOptions['check']; indexes?: Neo4jConnection },
  io: CliIo,
): Promise<SuiteReport> {
  const entries = readSuiteFile(file);
  const report = await runSuite(entries, plan, { check: options.check, indexes: options.indexes });
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else printReport(report, io);
  return report;
}
