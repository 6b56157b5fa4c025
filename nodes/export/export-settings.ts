import path from 'path';
import { Pg2GraphError } from '../../engine/core';
import { isExportFormat, type FileSinkOptions } from '../../engine/write';
import type { Translate } from '../lib/red';

/** The checkbox settings: true, or "true" from an older flow; anything else is off. */
function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The node's settings as the file sink takes them (see README, Offline exports). The directory is required; a
 * relative one is under the Node-RED user directory (`userDir`), so a flow means the same place wherever
 * Node-RED was started from. The array delimiter is for neo4j-admin only (other formats have no use for it).
 * A bad value is a typed error naming the setting, its message from the pg2graph-export catalog (`t`).
 */
export function exportSettings(def: Record<string, unknown>, userDir: string | undefined, t: Translate): FileSinkOptions {
  const dir = typeof def.dir === 'string' ? def.dir.trim() : '';
  if (!dir) throw new Pg2GraphError('EXPORT_SETTING_INVALID', t('errors.noDir'), { setting: 'dir' });
  const format = def.format === undefined || def.format === '' ? 'neo4j-admin' : def.format;
  if (!isExportFormat(format))
    throw new Pg2GraphError('EXPORT_SETTING_INVALID', t('errors.settingFormat', { value: JSON.stringify(def.format) }), { setting: 'format' });
  const delimiter = typeof def.arrayDelimiter === 'string' && def.arrayDelimiter !== '' ? def.arrayDelimiter : undefined;
  if (delimiter !== undefined && [...delimiter].length !== 1)
    throw new Pg2GraphError('EXPORT_SETTING_INVALID', t('errors.settingDelimiter', { value: JSON.stringify(delimiter) }), { setting: 'arrayDelimiter' });
  return {
    dir: path.resolve(userDir ?? process.cwd(), dir),
    format,
    gzip: flag(def.gzip),
    overwrite: flag(def.overwrite),
    ...(format === 'neo4j-admin' && delimiter !== undefined ? { arrayDelimiter: delimiter } : {}),
  };
}
