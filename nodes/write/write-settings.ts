import { Pg2GraphError, optionalIntegerSetting } from '../../engine/core';
import { DEFAULT_BATCH_TIMEOUT_MS, MAX_BATCH_TIMEOUT_MS, type WriteMode } from '../../engine/write';
import type { Translate } from '../lib/red';

export interface WriteSettings {
  mode: WriteMode;
  concurrency: number;
  maxRetries: number;
  /** Milliseconds within which a batch must commit (the engine's batchTimeoutMs). */
  batchTimeoutMs: number;
}

function integer(value: unknown, fallback: number, min: number, setting: string, t: Translate, max?: number): number {
  try {
    return optionalIntegerSetting(value, { code: 'WRITE_SETTING_INVALID', setting, min, max }) ?? fallback;
  } catch {
    // the one integer check, with the node's own message from its catalog
    const values = { setting, min, max, value: JSON.stringify(value) };
    throw new Pg2GraphError('WRITE_SETTING_INVALID', t(max === undefined ? 'errors.settingInteger' : 'errors.settingIntegerRange', values), { setting, value });
  }
}

/**
 * The node's settings with their defaults (merge, 4, 5, 60,000 ms); a bad value is a typed error naming the setting, its
 * message from the pg2graph-write catalog (`t`).
 */
export function writeSettings(def: Record<string, unknown>, t: Translate): WriteSettings {
  const mode = def.mode === undefined || def.mode === '' ? 'merge' : def.mode;
  if (mode !== 'merge' && mode !== 'create') {
    throw new Pg2GraphError('WRITE_SETTING_INVALID', t('errors.settingMode', { value: JSON.stringify(def.mode) }), { setting: 'mode' });
  }
  return {
    mode,
    concurrency: integer(def.concurrency, 4, 1, 'concurrency', t),
    maxRetries: integer(def.maxRetries, 5, 0, 'maxRetries', t),
    batchTimeoutMs: integer(def.batchTimeoutMs, DEFAULT_BATCH_TIMEOUT_MS, 1, 'batchTimeoutMs', t, MAX_BATCH_TIMEOUT_MS),
  };
}
