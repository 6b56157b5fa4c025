import { integerSetting, Pg2GraphError, type OnInvalid } from '../engine/core';
import { checkProbeTimeout } from '../engine/probe';
import { checkBatchTimeout } from '../engine/write';

/** A whole-number flag of at least 1 (`--batch-size 500`): undefined when it is not given, an error when it is empty. */
export function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return integerSetting(value, { code: 'CLI_FLAG_INVALID', setting: name, what: `--${name}`, min: 1, details: { flag: name } });
}

/** `--probe-timeout-ms N`: milliseconds per probe query, 0 for none; undefined when it is not given. */
export function probeTimeoutFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : checkProbeTimeout(value, '--probe-timeout-ms');
}

/** `--batch-timeout-ms N`: the writer's batch timeout, 1 to 86,400,000 ms; undefined when it is not given. */
export function batchTimeoutFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : checkBatchTimeout(value, 'CLI_FLAG_INVALID', 'batch-timeout-ms', '--batch-timeout-ms', { flag: 'batch-timeout-ms' });
}

/** `--on-invalid reject|fail`: undefined when it is not given. */
export function onInvalidFlag(value: string | undefined): OnInvalid | undefined {
  if (value === undefined || value === 'reject' || value === 'fail') return value;
  throw new Pg2GraphError('CLI_FLAG_INVALID', `--on-invalid must be reject or fail, got "${value}"`, { flag: 'on-invalid' });
}
