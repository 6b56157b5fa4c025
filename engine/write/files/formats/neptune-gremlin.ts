/**
 * Neptune Gremlin bulk-load CSV (`~id`, `~label`, `~from`, `~to`, `name:Type(single)`): see neptune-csv.ts.
 * Vertex properties are single-valued (lists are JSON text, see neptune-columns.ts); edge properties take no
 * cardinality (the loader refuses any but single there).
 */
import type { FileFormat } from '../format';
import { neptuneFormat } from './neptune-csv';

export const NEPTUNE_GREMLIN_FORMAT: FileFormat = neptuneFormat({
  name: 'neptune-gremlin',
  loaderFormat: 'csv',
  instantDigits: 0,
  nodeColumns: ['~id', '~label'],
  relationshipColumns: ['~id', '~from', '~to', '~label'],
  header: (name, type, kind) => `${name}:${type === 'DateTime' ? 'Date' : type}${kind === 'nodes' ? '(single)' : ''}`,
});
