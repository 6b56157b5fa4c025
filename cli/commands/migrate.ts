import { parseArgs } from 'util';
import { PostgresConnection } from '../../engine/connect';
import { Pg2GraphError } from '../../engine/core';
import { migrate, type MigrateResult } from '../../engine/migrate';
import { countEntries, countMismatchLines } from '../../engine/verify';
import { CONNECTION_OPTIONS, closeConnections, graphConnection, postgresSettings } from '../connections';
import type { CliIo } from '../io';
import { batchTimeoutFlag, integerFlag, onInvalidFlag } from '../flags';
import { loadCheckedPlan } from '../plan-file';
import { RejectsSink } from '../rejects-file';
import { EXIT } from '../exit-codes';
import { runLines } from '../run-summary';
import { interruptible, printResult, READING_FLAGS, readingOptions } from '../run-options';
import { missingEndsReport } from '../missing-ends';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  plan: { type: 'string' },
  mode: { type: 'string' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  fresh: { type: 'boolean' },
  ...READING_FLAGS,
  'allow-missing-ends': { type: 'boolean' },
  'batch-timeout-ms': { type: 'string' },
} as const;

function summary(result: MigrateResult): string[] {
  const { written, read } = result;
  const lines = [
    `${read.stopped ? 'stopped' : 'migrated'} ${read.rows} rows in ${(result.durationMs / 1000).toFixed(1)} s (${read.rowsPerSecond} rows/s, mode ${result.mode})`,
    `  nodes created ${written.nodesCreated}, matched ${written.nodesMatched} (already there); relationships created ${written.relationshipsCreated}; ` +
      `properties written ${written.propertiesWritten} (changed or not); missing ends ${written.missingEnds}; retries ${written.retries}; rejected rows ${read.rejected}`,
  ];
  lines.push(...runLines(result, 'run', 'batches'));
  return lines;
}

/**
 * pg2graph migrate: constraints, nodes, relationships for every entry of a plan file; progress on stderr, the
 * summary on stdout (JSON with --json). Ctrl-C stops after the batches in flight; the next run resumes, and
 * reads again what changed in the source since (unless --trust-checkpoints). Rows whose values their rules
 * cannot hold are rejected (--rejects FILE keeps them) and relationship rows that found no end node are a loss
 * too (unless --allow-missing-ends): the exit code says which (cli/exit-codes.ts). A completed run ends with the
 * count check (source records vs graph records per entry): a difference exits EXIT.countMismatch.
 */
export async function migrateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values.plan) throw new Pg2GraphError('CLI_FLAG_INVALID', '--plan FILE is required (make one with: pg2graph plan > plan.json)', { flag: 'plan' });
  if (values.mode !== undefined && values.mode !== 'merge' && values.mode !== 'create') {
    throw new Pg2GraphError('CLI_FLAG_INVALID', `--mode must be merge or create, got "${values.mode}"`, { flag: 'mode' });
  }
  const onInvalid = onInvalidFlag(values['on-invalid']);
  if (values.fresh && values['trust-checkpoints']) {
    throw new Pg2GraphError('CLI_FLAG_INVALID', '--trust-checkpoints resumes from checkpoints, --fresh ignores them: give one of them', {
      flag: 'trust-checkpoints',
    });
  }
  const batchTimeoutMs = batchTimeoutFlag(values['batch-timeout-ms']);
  const rejects = new RejectsSink(io, values.rejects);
  const source = new PostgresConnection(postgresSettings(values));
  const target = graphConnection(values);
  const interrupt = interruptible(io, 'batches');
  try {
    const plan = await loadCheckedPlan(values.plan, source);
    const result = await migrate(source, target, {
      plan,
      mode: values.mode,
      batchSize: integerFlag('batch-size', values['batch-size']),
      concurrency: integerFlag('concurrency', values.concurrency),
      batchTimeoutMs,
      fresh: values.fresh,
      ...readingOptions(values, onInvalid, rejects, io, interrupt.signal),
    });
    printResult(io, values.json, result, () => summary(result));
    const rejected = rejects.summary();
    if (rejected) io.err(rejected);
    const allowMissingEnds = values['allow-missing-ends'] === true;
    for (const line of missingEndsReport(result, allowMissingEnds)) io.err(line);
    if (result.read.stopped) return EXIT.failed;
    if (rejects.count) return EXIT.rejected;
    if (result.read.missingEnds && !allowMissingEnds) return EXIT.missingEnds;
    // every completed run: does the graph hold what the source calls for, entry by entry? (relationship rows
    // accepted without an end, --allow-missing-ends, are records the graph cannot hold)
    const counts = await countEntries(source, target, { plan, signal: interrupt.signal });
    const accepted = counts.map((c) => {
      const missing = result.missingEnds[c.entry]?.count ?? 0;
      return missing ? { ...c, ok: c.source - missing === c.graph } : c;
    });
    const mismatches = countMismatchLines(accepted);
    for (const line of mismatches) io.err(line);
    if (mismatches.length) {
      io.err(
        `count check failed for ${mismatches.length} entries: the source changed during or since the run (rows deleted leave their nodes and relationships behind); \`pg2graph verify\` shows which records differ`,
      );
      return EXIT.countMismatch;
    }
    return EXIT.ok;
  } finally {
    rejects.close();
    interrupt.release();
    await closeConnections(source, target);
  }
}
