import { parseArgs } from 'util';
import { PostgresConnection } from '../../engine/connect';
import { Pg2GraphError } from '../../engine/core';
import { exportPlan, type ExportResult } from '../../engine/migrate';
import { EXPORT_FORMATS, isExportFormat } from '../../engine/write';
import { CONNECTION_OPTIONS, closeConnections, postgresSettings } from '../connections';
import type { CliIo } from '../io';
import { integerFlag, onInvalidFlag } from '../flags';
import { loadCheckedPlan } from '../plan-file';
import { RejectsSink } from '../rejects-file';
import { EXIT } from '../exit-codes';
import { runLines } from '../run-summary';
import { interruptible, printResult, READING_FLAGS, readingOptions } from '../run-options';

const OPTIONS = {
  pg: CONNECTION_OPTIONS.pg,
  plan: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  gzip: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'array-delimiter': { type: 'string' },
  'batch-size': { type: 'string' },
  ...READING_FLAGS,
} as const;

function summary(result: ExportResult): string[] {
  const { manifest, read } = result;
  const parts = manifest.files.filter((f) => !f.header);
  const lines = [
    `${read.stopped ? 'stopped' : 'exported'} ${read.rows} rows in ${(result.durationMs / 1000).toFixed(1)} s (${read.rowsPerSecond} rows/s) as ${manifest.format}${manifest.gzip ? ' (gzip)' : ''} to ${result.dir}: ${parts.length} parts, ${manifest.complete ? 'complete (IMPORT.md says how to load it)' : 'not complete (run the same command again to resume)'}`,
    `  nodes ${result.written.nodesCreated}, relationships ${result.written.relationshipsCreated}, values ${result.written.propertiesWritten}; rejected rows ${read.rejected}`,
  ];
  lines.push(...runLines(result, 'export', 'parts'));
  return lines;
}

/**
 * pg2graph export: every entry of a plan file as part files of one format in --out, with manifest.json and
 * IMPORT.md (see README, Offline exports). Progress on stderr, the summary on stdout (JSON with --json). Ctrl-C
 * or a failure stops after the parts in flight; the same command again continues after the last complete part.
 */
export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values.plan) throw new Pg2GraphError('CLI_FLAG_INVALID', '--plan FILE is required (make one with: pg2graph plan > plan.json)', { flag: 'plan' });
  if (!values.format) throw new Pg2GraphError('CLI_FLAG_INVALID', `--format is required: one of ${EXPORT_FORMATS.join(', ')}`, { flag: 'format' });
  if (!isExportFormat(values.format)) {
    throw new Pg2GraphError('CLI_FLAG_INVALID', `--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${values.format}"`, { flag: 'format' });
  }
  if (!values.out)
    throw new Pg2GraphError('CLI_FLAG_INVALID', '--out DIR is required (the export directory: new, empty, or an unfinished export of this plan)', {
      flag: 'out',
    });
  const onInvalid = onInvalidFlag(values['on-invalid']);
  const rejects = new RejectsSink(io, values.rejects);
  const source = new PostgresConnection(postgresSettings(values));
  const interrupt = interruptible(io, 'parts');
  try {
    const plan = await loadCheckedPlan(values.plan, source);
    const result = await exportPlan(source, {
      plan,
      out: values.out,
      format: values.format,
      gzip: values.gzip,
      overwrite: values.overwrite,
      arrayDelimiter: values['array-delimiter'],
      batchSize: integerFlag('batch-size', values['batch-size']),
      ...readingOptions(values, onInvalid, rejects, io, interrupt.signal),
    });
    printResult(io, values.json, result, () => summary(result));
    const rejected = rejects.summary();
    if (rejected) io.err(rejected);
    if (result.read.stopped || !result.manifest.complete) return EXIT.failed;
    if (rejects.count) return EXIT.rejected;
    return EXIT.ok;
  } finally {
    rejects.close();
    interrupt.release();
    await closeConnections(source);
  }
}
