import { Pg2GraphError, optionalIntegerSetting } from '../../engine/core';
import type { WriteMode } from '../../engine/write';

export interface WriteSettings {
  mode: WriteMode;
  concurrency: number;
  maxRetries: number;
}

function integer(value: unknown, fallback: number, min: number, setting: string): number {
  return optionalIntegerSetting(value, { code: 'WRITE_SETTING_INVALID', setting, what: `pg2graph-write setting "${setting}"`, min }) ?? fallback;
}

/** The node's settings with their defaults (merge, 4, 5); a bad value is a typed error naming the setting. */
export function writeSettings(def: Record<string, unknown>): WriteSettings {
  const mode = def.mode === undefined || def.mode === '' ? 'merge' : def.mode;
  if (mode !== 'merge' && mode !== 'create') {
    throw new Pg2GraphError('WRITE_SETTING_INVALID', `pg2graph-write setting "mode" must be merge or create, got ${JSON.stringify(def.mode)}`, { setting: 'mode' });
  }
  return {
    mode,
    concurrency: integer(def.concurrency, 4, 1, 'concurrency'),
    maxRetries: integer(def.maxRetries, 5, 0, 'maxRetries'),
  };
}
