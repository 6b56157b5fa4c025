/** Neptune openCypher bulk-load CSV (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, `name:Type`): see neptune-csv.ts. */
import type { FileFormat } from '../format';
import { neptuneFormat } from './neptune-csv';

export const NEPTUNE_OPENCYPHER_FORMAT: FileFormat = neptuneFormat({
  name: 'neptune-opencypher',
  loaderFormat: 'opencypher',
  instantDigits: 3,
  nodeColumns: [':ID', ':LABEL'],
  relationshipColumns: [':ID', ':START_ID', ':END_ID', ':TYPE'],
  header: (name, type) => `${name}:${type}`,
});
