/**
 * Neptune Gremlin bulk-load CSV (`~id`, `~label`, `~from`, `~to`, `name:Type(single)`): see neptune-csv.ts.
 * Vertex properties are single-valued (lists are JSON text, see neptune-columns.ts); edge properties take no
 * cardinality (the loader refuses any but single there).
 */
import type { FileFormat } from '../format';
import { neptuneFormat } from './neptune-csv';
import type { NeptuneType } from './neptune-columns';

/** `name:Long(single)` on vertices, `name:Long` on edges; instants are the loader's `Date`. */
function gremlinHeader(name: string, type: NeptuneType, kind: 'nodes' | 'relationships'): string {
  return `${name}:${type === 'DateTime' ? 'Date' : type}${kind === 'nodes' ? '(single)' : ''}`;
}

export const NEPTUNE_GREMLIN_FORMAT: FileFormat = neptuneFormat({
  nodeColumns: ['~id', '~label'],
  relationshipColumns: ['~id', '~from', '~to', '~label'],
  header: gremlinHeader,
  name: 'neptune-gremlin',
  loaderFormat: 'csv',
  instantDigits: 0,
});
