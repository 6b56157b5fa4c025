/**
 * `arangoimport --type jsonl` files (README, Offline exports: Neptune and ArangoDB): one document collection per node label and one
 * edge collection per relationship type (entries with the same label or type share it). Documents carry `_key`
 * (arangodb-keys.ts) and every property, the key properties too; edges carry `_from`/`_to` as `collection/key`.
 * JSON has what ArangoDB stores: integers up to 2^53 as numbers and beyond as exact decimal strings, NaN and
 * ±Infinity as strings, temporals and durations as ISO text, bytes as base64, points as EWKT, lists as arrays.
 */
import { Pg2GraphError } from '../../../core/errors';
import type { NodeBatch, RelationshipBatch } from '../../../core/records';
import type { NodeEntry, RelationshipEntry } from '../../../plan/types';
import type { ValidPlan } from '../../../plan/valid';
import type { EntryLayout, FileFormat } from '../format';
import { plainLayouts } from '../entry-files';
import { checkedCollection, documentKey, edgeKey } from './arangodb-keys';
import { arangoImportText } from './arangodb-import';
import { endKey } from './end-keys';
import { exactJson } from '../../../values/value-text';

const FORMAT = 'arangodb';

/** An ArangoDB layout knows each relationship end's collection and where its key values sit in the batch row. */
export interface ArangoLayout extends EntryLayout {
  ends?: { fromCollection: string; toCollection: string; fromKey: number[]; toKey: number[] };
}

function checkedProperties(entry: NodeEntry | RelationshipEntry): void {
  const names = [...entry.properties.map((p) => p.name), ...('computed' in entry ? (entry.computed ?? []).map((c) => c.name) : [])];
  for (const name of names) {
    if (!name || name.startsWith('_'))
      throw new Pg2GraphError(
        'EXPORT_PLAN_UNSUPPORTED',
        `${FORMAT}: entry ${entry.id}, property "${name}": ArangoDB keeps attribute names starting with "_" for itself; rename it in the plan`,
        {
          entry: entry.id,
          property: name,
        },
      );
  }
}

function nodeLayout(entry: NodeEntry, layout: EntryLayout): ArangoLayout {
  if (entry.labels?.length)
    throw new Pg2GraphError(
      'EXPORT_PLAN_UNSUPPORTED',
      `${FORMAT}: entry ${entry.id}, labels ${entry.labels.join(', ')}: a document belongs to one collection (its label); remove the extra labels`,
      {
        entry: entry.id,
        label: entry.labels[0],
      },
    );
  checkedProperties(entry);
  return { ...layout, collection: checkedCollection(FORMAT, entry.id, entry.label, 'label') };
}

function relationshipLayout(plan: ValidPlan, entry: RelationshipEntry, layout: EntryLayout): ArangoLayout {
  checkedProperties(entry);
  const from = endKey(FORMAT, plan, entry, 'from');
  const to = endKey(FORMAT, plan, entry, 'to');
  return {
    ...layout,
    collection: checkedCollection(FORMAT, entry.id, entry.type, 'type'),
    ends: { fromCollection: from.node.label, toCollection: to.node.label, fromKey: from.positions, toKey: to.positions },
  };
}

/** A collection is either a document or an edge collection: a label that is also a type cannot be both. */
function checkKinds(layouts: ArangoLayout[]): void {
  const kinds = new Map<string, ArangoLayout>();
  for (const layout of layouts) {
    const other = kinds.get(layout.collection!);
    if (other && other.kind !== layout.kind) {
      throw new Pg2GraphError(
        'EXPORT_PLAN_UNSUPPORTED',
        `${FORMAT}: entry ${layout.entry}: collection "${layout.collection}" would hold edges and documents (entry ${other.entry} uses it too); rename the label or the type in the plan`,
        { entry: layout.entry, label: layout.collection },
      );
    }
    kinds.set(layout.collection!, layout);
  }
}

function properties(columns: readonly string[], row: readonly unknown[], start: number): string {
  let text = '';
  for (let i = start; i < columns.length; i++) {
    if (row[i] === null || row[i] === undefined) continue;
    text += `,${JSON.stringify(columns[i])}:${exactJson(row[i], 'safe')}`;
  }
  return text;
}

export const ARANGODB_FORMAT: FileFormat = {
  name: FORMAT,
  formatVersion: 1,

  layout(plan) {
    const layouts = plainLayouts(plan, 'jsonl').map((layout) =>
      layout.kind === 'nodes'
        ? nodeLayout(
            plan.nodes.find((n) => n.id === layout.entry)!,
            layout,
          )
        : relationshipLayout(
            plan,
            plan.relationships.find((r) => r.id === layout.entry)!,
            layout,
          ),
    );
    checkKinds(layouts);
    return layouts;
  },

  encodeNodes(batch: NodeBatch) {
    const keyLength = batch.key.length;
    let text = '';
    for (const row of batch.rows) text += `{"_key":${JSON.stringify(documentKey(row.slice(0, keyLength)))}${properties(batch.columns, row, 0)}}\n`;
    return text;
  },

  encodeRelationships(batch: RelationshipBatch, entry: RelationshipEntry, layout: ArangoLayout) {
    const ends = layout.ends;
    if (!ends) throw new Pg2GraphError('WRITE_INPUT_INVALID', `${FORMAT}: entry ${entry.id}: the layout was not made by this format`, { entry: entry.id });
    const offset = batch.from.match.length + batch.to.match.length;
    let text = '';
    for (const row of batch.rows) {
      const from = documentKey(ends.fromKey.map((i) => row[i]));
      const to = documentKey(ends.toKey.map((i) => row[i]));
      const key = edgeKey(ends.fromCollection, from, ends.toCollection, to);
      const head = `{"_key":${JSON.stringify(key)},"_from":${JSON.stringify(`${ends.fromCollection}/${from}`)},"_to":${JSON.stringify(`${ends.toCollection}/${to}`)}`;
      text += `${head}${properties(batch.columns, row, offset)}}\n`;
    }
    return text;
  },

  finish(_plan, layouts, files, options) {
    return { files: [{ path: 'IMPORT.md', text: arangoImportText(layouts, files, options) }] };
  },
};
