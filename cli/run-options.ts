import type { MigrateOptions } from '../engine/migrate';
import type { OnInvalid } from '../engine/core';
import type { CliIo } from './io';
import { probeTimeoutFlag } from './flags';
import type { RejectsSink } from './rejects-file';

/** The flags of readingOptions (and --json, --rejects), as parseArgs options. */
export const READING_FLAGS = {
  'trust-checkpoints': { type: 'boolean' },
  rejects: { type: 'string' },
  'on-invalid': { type: 'string' },
  json: { type: 'boolean' },
  'no-preflight': { type: 'boolean' },
  'probe-timeout-ms': { type: 'string' },
} as const;

export interface ReadingFlags {
  'trust-checkpoints'?: boolean;
  'no-preflight'?: boolean;
  'probe-timeout-ms'?: string;
}

/** The reading options `migrate` and `export` take alike: resume check, preflight, rejects, warnings and progress on stderr. */
export function readingOptions(
  values: ReadingFlags,
  onInvalid: OnInvalid | undefined,
  rejects: RejectsSink,
  io: CliIo,
  signal: AbortSignal,
): Pick<MigrateOptions, 'trustCheckpoints' | 'onInvalid' | 'onRejects' | 'preflight' | 'probeTimeoutMs' | 'onWarning' | 'signal' | 'onProgress'> {
  return {
    trustCheckpoints: values['trust-checkpoints'],
    onInvalid,
    onRejects: (list, batch) => rejects.add(list, batch),
    preflight: !values['no-preflight'],
    probeTimeoutMs: probeTimeoutFlag(values['probe-timeout-ms']),
    onWarning: (message) => io.err(`warning: ${message}`),
    signal,
    onProgress: (p) => io.err(`${p.phase} ${p.entry}: ${p.rows}${p.estimate ? ` of ~${p.estimate}` : ''} rows, ${p.runRows} in all, ${p.rowsPerSecond} rows/s`),
  };
}

/** The result on stdout: JSON with the process's peak RSS (--json), else the summary lines. */
export function printResult(io: CliIo, json: boolean | undefined, result: object, lines: () => string[]): void {
  // resourceUsage().maxRSS is in kilobytes: the process's peak, for scripts and the benchmark
  if (json) io.out(JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2));
  else for (const line of lines()) io.out(line);
}

/** Ctrl-C stops the run after what is in flight (`what`: "batches", "parts"); release() when the command ends. */
export function interruptible(io: CliIo, what: string): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const interrupt = () => {
    io.err(`interrupted: stopping after the ${what} in flight (run the same command again to resume)`);
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', interrupt) };
}
