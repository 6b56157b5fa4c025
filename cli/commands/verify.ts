import { parseArgs } from 'util';
import { PostgresConnection } from '../../engine/connect';
import { Pg2GraphError, isPg2GraphError, messageOf } from '../../engine/core';
import { formatReport, verify } from '../../engine/verify';
import { CONNECTION_OPTIONS, closeConnections, graphConnection, postgresSettings } from '../connections';
import type { CliIo } from '../io';
import { integerFlag } from '../flags';
import { loadCheckedPlan } from '../plan-file';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  plan: { type: 'string' },
  sample: { type: 'string' },
  entry: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

/** Exit codes: 0 every check passed, 1 a check failed (the report says which), 2 the verification could not run. */
export const VERIFY_FAILED = 1;
export const VERIFY_ERROR = 2;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values.plan) throw new Pg2GraphError('CLI_FLAG_INVALID', '--plan FILE is required (the plan that was migrated)', { flag: 'plan' });
  const sample = integerFlag('sample', values.sample);
  const source = new PostgresConnection(postgresSettings(values));
  const target = graphConnection(values);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const plan = await loadCheckedPlan(values.plan, source);
    const report = await verify(source, target, {
      plan,
      sample,
      entries: values.entry,
      signal: controller.signal,
      onProgress: (p) => io.err(`verifying ${p.kind} ${p.entry}: ${p.rows} of ${p.total} records (${p.done} of ${p.entries} entries done)`),
    });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : VERIFY_FAILED;
  } finally {
    process.removeListener('SIGINT', interrupt);
    await closeConnections(source, target);
  }
}

/**
 * pg2graph verify: source against graph for every entry of a plan file; the readable report on stdout (JSON
 * with --json), progress on stderr. A failing check exits 1, a verification that cannot run exits 2.
 */
export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.err(isPg2GraphError(error) ? `pg2graph verify: ${error.code}: ${error.message}` : `pg2graph verify: ${messageOf(error)}`);
    return VERIFY_ERROR;
  }
}
