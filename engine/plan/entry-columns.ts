/**
 * Which source columns a plan entry needs: a node entry its key and property columns (every column of the
 * table when it has computed properties, so expressions can use any of them); a relationship entry its match
 * columns (from, then to) and its property columns. Row-content keys come from a hash column the reader adds.
 */
import { escapeIdentifier } from 'pg';
import { Pg2GraphError } from '../core/errors';
import type { NodeEntry, RelationshipEntry } from './types';
import type { TableRef } from '../schema/model';
import { ROW_HASH_COLUMN } from './row-content';

/**
 * The content key (row-content.ts), computed in SQL for entries keyed by row content (keySource 'rowContent'), is
 * selected under the name a plan's relationship `match` uses for it ("$rowHash"), so node and relationship
 * entries find it the same way.
 */
export const ROW_HASH_ALIAS = ROW_HASH_COLUMN;

export type PlanEntry = NodeEntry | RelationshipEntry;

export function isRelationshipEntry(entry: PlanEntry): entry is RelationshipEntry {
  return (entry as RelationshipEntry).source !== undefined && (entry as RelationshipEntry).from !== undefined;
}

/** The table an entry reads, or undefined for a SQL entry. */
export function sourceTable(entry: PlanEntry): TableRef | undefined {
  return isRelationshipEntry(entry) ? entry.source.table : entry.table;
}

/**
 * The FROM item of an entry's source, identifiers quoted: `"schema"."table"`, or a SQL entry's query in
 * parentheses (a trailing semicolon dropped). One text for the reader, the probe and verification.
 */
export function sourceFromSql(entry: PlanEntry): string {
  const table = sourceTable(entry);
  if (table) return `${escapeIdentifier(table.schema)}.${escapeIdentifier(table.name)}`;
  const sql = ((entry as { sql?: string }).sql ?? '').trim().replace(/;\s*$/, '');
  return `(${sql})`;
}

export function describeSource(entry: PlanEntry): string {
  const table = sourceTable(entry);
  return table ? `table ${table.schema}.${table.name}` : 'SQL query';
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export interface EntryColumns {
  /** Columns to select, without the row hash. */
  columns: string[];
  /** Columns holding the node key, in key order (empty for row-content keys and relationship entries). */
  keyColumns: string[];
  rowHash: boolean;
  /** Whether every column of the source is wanted (computed properties). */
  allColumns: boolean;
}

/** The key property's column of a node entry: the property of that name (row-content keys have none). */
export function keyColumnsOf(entry: NodeEntry): string[] {
  if (entry.keySource === 'rowContent') return [];
  return entry.key.map((name, i) => {
    const property = entry.properties.find((p) => p.name === name);
    if (!property) {
      throw new Pg2GraphError('READ_PLAN_INVALID', `entry "${entry.id}": key property "${name}" (key[${i}]) is not one of its properties`, {
        entry: entry.id,
        key: name,
      });
    }
    return property.column;
  });
}

/** Property mappings a node entry reads from columns (a row-content key property comes from the hash). */
export function columnProperties(entry: NodeEntry) {
  if (entry.keySource !== 'rowContent') return entry.properties;
  return entry.properties.filter((p) => !entry.key.includes(p.name));
}

export function entryColumns(entry: PlanEntry): EntryColumns {
  if (isRelationshipEntry(entry)) {
    const match = [...Object.values(entry.from.match), ...Object.values(entry.to.match)];
    const columns = unique([...match.filter((c) => c !== ROW_HASH_ALIAS), ...entry.properties.map((p) => p.column)]);
    return { columns, keyColumns: [], rowHash: match.includes(ROW_HASH_ALIAS), allColumns: false };
  }
  const keyColumns = keyColumnsOf(entry);
  const columns = unique([...keyColumns, ...columnProperties(entry).map((p) => p.column)]);
  return { columns, keyColumns, rowHash: entry.keySource === 'rowContent', allColumns: (entry.computed?.length ?? 0) > 0 };
}
