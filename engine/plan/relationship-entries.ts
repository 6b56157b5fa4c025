/** Foreign keys and join tables -> relationship entries (see README, Mapping rules). */
import type { ForeignKeyInfo, TableInfo } from '../schema/model';
import { foreignKeyWords, singularWords, upperSnake } from './naming';
import { entryId, mapColumns, quoted, type EntryOptions } from './node-entries';
import { ROW_HASH_COLUMN, ROW_HASH_PROPERTY } from './row-content';
import type { JoinTable } from './join-tables';
import { tableForeignKeys } from './partition-keys';
import type { NodeEntry, RelationshipEntry } from './types';

/** The nodes a relationship end can point at, with the columns their properties come from. */
export interface NodeEnds {
  byTable(ref: { schema: string; name: string }): NodeEntry | undefined;
}

/** `match` of the referencing side: each key property of the entry -> the column holding it. */
function keyMatch(entry: NodeEntry): Record<string, string> {
  if (entry.keySource === 'rowContent') return { [ROW_HASH_PROPERTY]: ROW_HASH_COLUMN };
  const match: Record<string, string> = {};
  for (const key of entry.key) match[key] = entry.properties.find((p) => p.name === key)!.column;
  return match;
}

/**
 * `match` of the referenced side: the referenced entry's property of each referenced column -> the FK column.
 * Undefined (with the missing column) when a referenced column is not a property of that entry.
 */
function referenceMatch(fk: ForeignKeyInfo, target: NodeEntry): { match?: Record<string, string>; missing?: string } {
  const match: Record<string, string> = {};
  for (let i = 0; i < fk.columns.length; i += 1) {
    const property = target.properties.find((p) => p.column === fk.references.columns[i]);
    if (!property) return { missing: fk.references.columns[i] };
    match[property.name] = fk.columns[i];
  }
  return { match };
}

function foreignKeyType(fk: ForeignKeyInfo, options: EntryOptions): string {
  if (options.naming?.relationshipTypes === 'asIs') return fk.name;
  const list = foreignKeyWords(fk.columns, fk.references.columns);
  return upperSnake(list.length ? list : singularWords(fk.references.name));
}

/**
 * Relationship entries for the foreign keys of a node entry's table (FKs declared on partitions folded, see
 * tableForeignKeys); FKs that cannot map add a warning to the entry. Ids are `<entry id>.<constraint>`, numbered
 * when two constraints of the table (a partition's and another's) share a name.
 */
export function foreignKeyEntries(table: TableInfo, entry: NodeEntry, ends: NodeEnds, options: EntryOptions): RelationshipEntry[] {
  const entries: RelationshipEntry[] = [];
  const planned = tableForeignKeys(table);
  const ids = new Set<string>();
  const wanted = new Set(planned.map(({ fk }) => `${entryId(table)}.${fk.name}`));
  for (const { fk, constraints, where, warning } of planned) {
    const target = ends.byTable(fk.references);
    const names = constraints && constraints.length > 1 ? `foreign keys ${constraints.map((n) => JSON.stringify(n)).join(', ')}` : `foreign key "${fk.name}"`;
    const what = `${names} (${fk.columns.join(', ')}) -> ${quoted(fk.references)}`;
    if (!target) {
      entry.warnings.push(`${what} not migrated: ${quoted(fk.references)} is not in the plan`);
      continue;
    }
    const to = referenceMatch(fk, target);
    if (!to.match) {
      entry.warnings.push(`${what} not migrated: column "${to.missing}" is not a property of ${target.id}`);
      continue;
    }
    const base = `${entryId(table)}.${fk.name}`;
    let id = base;
    for (let n = 2; ids.has(id) || (id !== base && wanted.has(id)); n += 1) id = `${base}_${n}`;
    ids.add(id);
    const relationship: RelationshipEntry = {
      id,
      type: foreignKeyType(fk, options),
      source: { kind: 'foreignKey', table: { schema: table.schema, name: table.name }, constraint: fk.name, ...(constraints ? { constraints } : {}) },
      from: { node: entry.id, match: keyMatch(entry) },
      to: { node: target.id, match: to.match },
      properties: [],
    };
    if (where) relationship.where = where;
    if (warning) relationship.warnings = [warning];
    entries.push(relationship);
  }
  return entries;
}

/** The relationship entry of a join table: from the row its first FK references to the row of its second. */
export function joinTableEntry(table: TableInfo, join: JoinTable, ends: NodeEnds, options: EntryOptions): RelationshipEntry {
  const from = ends.byTable(join.from.references)!;
  const to = ends.byTable(join.to.references)!;
  const fromMatch = referenceMatch(join.from, from);
  const toMatch = referenceMatch(join.to, to);
  const keyColumns = table.primaryKey!.columns;
  const other = table.columns.map((c) => c.name).filter((c) => !keyColumns.includes(c));
  const mapped = mapColumns(table, other, [], options);
  const warnings = [...mapped.warnings];
  for (const [side, result] of [
    ['from', fromMatch],
    ['to', toMatch],
  ] as const) {
    if (!result.match) warnings.push(`${side} end: column "${result.missing}" is not a property of its node entry; the relationship cannot match it`);
  }
  const entry: RelationshipEntry = {
    id: entryId(table),
    type: options.naming?.relationshipTypes === 'asIs' ? table.name : upperSnake(singularWords(table.name)),
    source: { kind: 'joinTable', table: { schema: table.schema, name: table.name } },
    from: { node: from.id, match: fromMatch.match ?? {} },
    to: { node: to.id, match: toMatch.match ?? {} },
    properties: mapped.properties,
  };
  if (warnings.length) entry.warnings = warnings;
  if (mapped.leftOut.length) entry.leftOut = mapped.leftOut;
  return entry;
}
