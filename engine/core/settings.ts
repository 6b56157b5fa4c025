import type { ErrorCode } from './error-codes';
import { Pg2GraphError } from './errors';

/** What an integer setting allows and how its error reads; the code and names are the caller's. */
export interface IntegerSettingSpec {
  /** The caller's error code. */
  code: ErrorCode;
  /** The setting's name, in the error's details (and in the message unless `what` is given). */
  setting: string;
  /** How the message names the setting (`Writer setting "concurrency"`, `--batch-size`); default `"<setting>"`. */
  what?: string;
  min: number;
  /** The largest value allowed; without it only the minimum is checked. */
  max?: number;
  /** The error's details; default `{ setting, value }`. */
  details?: Record<string, unknown>;
}

function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * An integer setting given as a number or as numeric text (a settings field, a command-line flag): the number,
 * or a Pg2GraphError with the caller's code, `<what> must be an integer from <min> to <max>, got <value>` (or
 * `of at least <min>` without a maximum). Anything else (blank text, a fraction, a boolean) is an error.
 */
export function integerSetting(value: unknown, spec: IntegerSettingSpec): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < spec.min || (spec.max !== undefined && n > spec.max)) {
    const range =
      spec.max === undefined
        ? `of at least ${spec.min.toLocaleString('en-US')}`
        : `from ${spec.min.toLocaleString('en-US')} to ${spec.max.toLocaleString('en-US')}`;
    throw new Pg2GraphError(
      spec.code,
      `${spec.what ?? `"${spec.setting}"`} must be an integer ${range}, got ${shown(value)}`,
      spec.details ?? { setting: spec.setting, value },
    );
  }
  return n;
}

/** integerSetting for a setting that may be left out: undefined, null and '' are undefined (the caller's default). */
export function optionalIntegerSetting(value: unknown, spec: IntegerSettingSpec): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return integerSetting(value, spec);
}
