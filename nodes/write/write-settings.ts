import { Pg2GraphError, optionalIntegerSetting } from '../../engine/core';
import type { WriteMode } from '../../engine/write';
import type { Translate } from '../lib/red';

export interface WriteSettings {
  mode: WriteMode;
  concurrency: number;
  maxRetries: number;
}

function integer(value: unknown, fallback: number, min: number, setting: string, t: Translate): number {
  try {
    return optionalIntegerSetting(value, { code: 'WRITE_SETTING_INVALID', setting, min }) ?? fallback;
  } catch {
    // the one integer check, with the node's own message from its catalog
    throw new Pg2GraphError('WRITE_SETTING_INVALID', t('errors.settingInteger', { setting, min, value: JSON.stringify(value) }), { setting, value });
  }
}

/**
 * The node's settings with their defaults (merge, 4, 5); a bad value is a typed error naming the setting, its
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
  };
}
