/**
 * The Amazon Neptune bulk-loader CSV formats, openCypher and Gremlin (docs/export-id-formats.md): one CSV file
 * per part, each with its own header row (the loader reads every file under a prefix on its own). Node ids are
 * the Neptune dialect's `~id` (label and key values, escaped: neptuneNodeId), so an export and an online
 * migration name the same node alike; a relationship's id is its type, start id and end id, escaped the same
 * way, so the rows of one pair (a join table with duplicate pairs) make one relationship, as the dialect's MERGE
 * does.
 */
import { Pg2GraphError } from '../../../core/errors';
import type { NodeBatch, RelationshipBatch } from '../../../core/records';
import type { NodeEntry, RelationshipEntry } from '../../../plan/types';
import { neptuneNodeId } from '../../../cypher/neptune-id';
import type { EntryLayout, FileFormat } from '../format';
import { csvLine } from '../csv';
import { plainLayouts } from '../entry-files';
import { checkedLabel, neptuneColumns, neptuneText, type NeptuneColumn, type NeptuneDialect } from './neptune-columns';
import { neptuneImportText } from './neptune-import';
import { endKey } from './end-keys';

/** A Neptune layout also knows, per relationship end, where the end node's key values sit in the batch row. */
export interface NeptuneLayout extends EntryLayout {
  ends?: { fromLabel: string; toLabel: string; fromKey: number[]; toKey: number[] };
}

function columnsOf(dialect: NeptuneDialect, entry: NodeEntry | RelationshipEntry, names: readonly string[]): NeptuneColumn[] {
  const typed = neptuneColumns(dialect, entry);
  return names.map((name) => {
    const column = typed.get(name);
    if (!column)
      throw new Pg2GraphError('EXPORT_PLAN_UNSUPPORTED', `${dialect.name}: entry ${entry.id}: the batch carries "${name}", which the plan does not type`, {
        entry: entry.id,
        property: name,
      });
    return column;
  });
}

export function neptuneFormat(dialect: NeptuneDialect): FileFormat {
  const format = dialect.name;
  return {
    name: format,
    formatVersion: 1,

    layout(plan) {
      return plainLayouts(plan, 'csv').map((layout): NeptuneLayout => {
        if (layout.kind === 'nodes') {
          const entry = plan.nodes.find((n) => n.id === layout.entry)!;
          for (const label of [entry.label, ...(entry.labels ?? [])]) checkedLabel(format, entry.id, label);
          neptuneColumns(dialect, entry);
          return layout;
        }
        const entry = plan.relationships.find((r) => r.id === layout.entry)!;
        checkedLabel(format, entry.id, entry.type);
        neptuneColumns(dialect, entry);
        const from = endKey(format, plan, entry, 'from');
        const to = endKey(format, plan, entry, 'to');
        return { ...layout, ends: { fromLabel: from.node.label, toLabel: to.node.label, fromKey: from.positions, toKey: to.positions } };
      });
    },

    encodeNodes(batch: NodeBatch, entry: NodeEntry) {
      const columns = columnsOf(dialect, entry, batch.columns);
      const keyLength = batch.key.length;
      const labels = batch.labels.join(';');
      let text = csvLine([...dialect.nodeColumns, ...columns.map((c) => dialect.header(c.name, c.type, 'nodes'))]);
      for (const row of batch.rows) {
        const key = row.slice(0, keyLength);
        const values = columns.map((column, i) => neptuneText(column, row[i], { entry: entry.id, key, property: column.name }));
        text += csvLine([neptuneNodeId(batch.labels[0], key), labels, ...values]);
      }
      return text;
    },

    encodeRelationships(batch: RelationshipBatch, entry: RelationshipEntry, layout: NeptuneLayout) {
      const ends = layout.ends;
      if (!ends) throw new Pg2GraphError('WRITE_INPUT_INVALID', `${format}: entry ${entry.id}: the layout was not made by this format`, { entry: entry.id });
      const offset = batch.from.match.length + batch.to.match.length;
      const properties = columnsOf(dialect, entry, batch.columns.slice(offset));
      let text = csvLine([...dialect.relationshipColumns, ...properties.map((c) => dialect.header(c.name, c.type, 'relationships'))]);
      for (const row of batch.rows) {
        const from = neptuneNodeId(
          ends.fromLabel,
          ends.fromKey.map((i) => row[i]),
        );
        const to = neptuneNodeId(
          ends.toLabel,
          ends.toKey.map((i) => row[i]),
        );
        const key = row.slice(0, offset);
        const values = properties.map((column, i) => neptuneText(column, row[offset + i], { entry: entry.id, key, property: column.name }));
        text += csvLine([neptuneNodeId(batch.type, [from, to]), from, to, batch.type, ...values]);
      }
      return text;
    },

    finish(_plan, _layouts, files, options) {
      return { files: [{ path: 'IMPORT.md', text: neptuneImportText(dialect, files, options) }] };
    },
  };
}
