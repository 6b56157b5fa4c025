/**
 * The `load-csv` format: CSV parts with a header line each (LOAD CSV WITH HEADERS reads every file on its own)
 * and load.cypher, which creates the online writer's constraints and loads every part through LOAD CSV with the
 * conversions that give the online writer's values (see README, Offline exports: load-csv). Parts may be
 * gzipped: LOAD CSV reads `.csv.gz` itself.
 */
import { Pg2GraphError } from '../../../core/errors';
import type { NodeBatch, RelationshipBatch } from '../../../core/records';
import { integerText, kindOf } from '../../../values/graph-kind';
import { csvLine } from '../csv';
import { plainLayouts } from '../entry-files';
import type { FileFormat } from '../format';
import { nodeColumns, relationshipColumns, relationshipProperties, type Column } from './load-csv-columns';
import { loadScript, loadStatements } from './load-csv-script';
import { escapeText, RefusedValue, VARIANT_CODEC } from './load-csv-values';
import { loadCsvGuide } from './load-csv-guide';

function keyText(values: unknown[]): string {
  return JSON.stringify(values.map((v) => (kindOf(v) === 'Integer' ? integerText(v) : String(v))));
}

/** The rows of a batch as CSV text: header line, then one line per row, every value through its column's codec. */
function partText(entry: string, header: string[], codecs: Column['codec'][], rows: unknown[][], keyLength: number): string {
  let text = csvLine(header.map(escapeText));
  for (const row of rows) {
    const fields = new Array<string | null>(row.length);
    for (let c = 0; c < row.length; c += 1) {
      try {
        fields[c] = codecs[c].encode(row[c]);
      } catch (error) {
        if (!(error instanceof RefusedValue)) throw error;
        const key = keyText(row.slice(0, keyLength));
        throw new Pg2GraphError('EXPORT_VALUE_REFUSED', `load-csv: entry "${entry}", row ${key}, property "${header[c]}": ${error.message}`, {
          entry,
          key,
          property: header[c],
        });
      }
    }
    text += csvLine(fields);
  }
  return text;
}

export const LOAD_CSV_FORMAT: FileFormat = {
  name: 'load-csv',
  formatVersion: 1,
  layout(plan) {
    // every column's codec is chosen (and a rule the format cannot hold refused by name) before anything is written
    for (const entry of plan.nodes) nodeColumns(entry);
    for (const entry of plan.relationships) relationshipColumns(plan, entry);
    return plainLayouts(plan, 'csv');
  },
  encodeNodes(batch: NodeBatch, entry) {
    const columns = nodeColumns(entry);
    const byName = new Map([...columns.key, ...columns.properties].map((c) => [c.property, c.codec]));
    const codecs = batch.columns.map((name) => byName.get(name) ?? VARIANT_CODEC);
    return partText(entry.id, batch.columns, codecs, batch.rows, batch.key.length);
  },
  encodeRelationships(batch: RelationshipBatch, entry) {
    const ends = batch.from.match.length + batch.to.match.length;
    const properties = new Map(relationshipProperties(entry).map((c) => [c.property, c.codec]));
    const header = batch.columns.map((name, i) => (i < batch.from.match.length ? `from.${name}` : i < ends ? `to.${name}` : name));
    const codecs = batch.columns.map((name, i) => (i < ends ? VARIANT_CODEC : (properties.get(name) ?? VARIANT_CODEC)));
    return partText(entry.id, header, codecs, batch.rows, ends);
  },
  finish(plan, layouts, files, options) {
    const statements = loadStatements(plan, layouts, files);
    return {
      files: [
        { path: 'load.cypher', text: loadScript(statements) },
        { path: 'IMPORT.md', text: loadCsvGuide(plan, layouts, files, options.gzip) },
      ],
    };
  },
};
