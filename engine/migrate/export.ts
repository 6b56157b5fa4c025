/**
 * A whole export in one process (the command line, the benchmark): the plan read through PlanRun exactly as
 * migrate() reads it, every batch shaped and written as a part file by the file sink, which keeps the manifest
 * and the checkpoints in the export directory (see README, Offline exports).
 */
import type { PostgresConnection } from '../connect/postgres-connection';
import { assertValidPlan } from '../plan/validate';
import { FileSink, type FileSinkOptions } from '../write/files/sink';
import type { Manifest } from '../write/files/manifest';
import { runPlan, type MigrateOptions, type MigrateResult } from './run-plan';

export type ExportOptions = Omit<MigrateOptions, 'mode' | 'fresh' | 'concurrency' | 'batchTimeoutMs' | 'writerHooks'> &
  Omit<FileSinkOptions, 'dir'> & {
    /** The export directory. */
    out: string;
    /** Parts encoded and written at once (default 2). */
    concurrency?: number;
  };

export interface ExportResult extends MigrateResult {
  dir: string;
  manifest: Manifest;
}

export async function exportPlan(source: PostgresConnection, options: ExportOptions): Promise<ExportResult> {
  const plan = assertValidPlan(options.plan);
  const sink = new FileSink({
    dir: options.out,
    format: options.format,
    gzip: options.gzip,
    overwrite: options.overwrite,
    arrayDelimiter: options.arrayDelimiter,
  });
  const concurrency = options.concurrency ?? 2;
  // a file sink writes every record of a batch as it is: CREATE says so (there is nothing to merge with)
  // what the format cannot express, or a directory that cannot take the export, is refused before anything is read
  const result = await runPlan(source, sink, () => sink.check(plan), { ...options, plan, mode: 'create', concurrency });
  return { ...result, dir: sink.dir, manifest: (await sink.manifest())! };
}
