import { integerSetting } from '../engine/core';

/** A whole-number flag of at least 1 (`--batch-size 500`): undefined when it is not given, an error when it is empty. */
export function integerFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return integerSetting(value, { code: 'CLI_FLAG_INVALID', setting: name, what: `--${name}`, min: 1, details: { flag: name } });
}
