/** The export formats by name (see README, Offline exports). */
import { Pg2GraphError } from '../../../core/errors';
import { EXPORT_FORMATS, isExportFormat, type ExportFormatName, type FileFormat } from '../format';
import { JSONL_FORMAT } from './jsonl';
import { NEPTUNE_OPENCYPHER_FORMAT } from './neptune-opencypher';
import { NEPTUNE_GREMLIN_FORMAT } from './neptune-gremlin';
import { ARANGODB_FORMAT } from './arangodb';
import { NEO4J_ADMIN_FORMAT } from './neo4j-admin';

const FORMATS: Partial<Record<ExportFormatName, FileFormat>> = {
  jsonl: JSONL_FORMAT,
  'neo4j-admin': NEO4J_ADMIN_FORMAT,
  'neptune-opencypher': NEPTUNE_OPENCYPHER_FORMAT,
  'neptune-gremlin': NEPTUNE_GREMLIN_FORMAT,
  arangodb: ARANGODB_FORMAT,
};

export function formatNamed(name: unknown): FileFormat {
  const format = isExportFormat(name) ? FORMATS[name] : undefined;
  if (!format) {
    throw new Pg2GraphError('EXPORT_SETTING_INVALID', `the export format must be one of ${EXPORT_FORMATS.join(', ')}; got ${JSON.stringify(name)}`, {
      setting: 'format',
    });
  }
  return format;
}
