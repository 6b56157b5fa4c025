/** A table (or a named view) -> a node entry: key, properties, and warnings about anything unusual. */
import type { KeyConstraint, TableInfo } from '../schema/model';
import { propertyName } from './naming';
import { mapColumn, NameAllocator } from './properties';
import { ROW_HASH_PROPERTY } from './row-content';
import type { LeftOutColumn, NamingOptions, NodeEntry, PropertyMapping } from './types';
import type { ValuePolicy } from '../values/rule-types';

export const entryId = (table: { schema: string; name: string }) => `${table.schema}.${table.name}`;
export const quoted = (table: { schema: string; name: string }) => `${JSON.stringify(table.schema)}.${JSON.stringify(table.name)}`;

export interface EntryOptions {
  naming?: NamingOptions;
  typePolicies?: Record<string, ValuePolicy>;
}

/** The key a table without a primary key uses: its smallest unique constraint over NOT NULL columns. */
function usableUniqueKey(table: TableInfo): KeyConstraint | undefined {
  const notNull = (name: string) => table.columns.find((c) => c.name === name)?.nullable === false;
  return table.uniqueConstraints
    .filter((u) => u.columns.every(notNull))
    .sort((a, b) => a.columns.length - b.columns.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
}

export interface MappedColumns {
  properties: PropertyMapping[];
  leftOut: LeftOutColumn[];
  warnings: string[];
}

/** Maps the given columns in table order, naming each property once (collisions get a number). */
export function mapColumns(table: TableInfo, columns: string[], required: string[], options: EntryOptions, reserved: string[] = []): MappedColumns {
  const names = new NameAllocator(reserved);
  const result: MappedColumns = { properties: [], leftOut: [], warnings: [] };
  for (const column of table.columns.filter((c) => columns.includes(c.name))) {
    const choice = mapColumn(column, '', options.typePolicies, required.includes(column.name));
    result.warnings.push(...choice.warnings);
    if (choice.leftOut) result.leftOut.push(choice.leftOut);
    if (!choice.mapping) continue;
    choice.mapping.name = names.allocate(propertyName(column.name, options.naming), `the property of column "${column.name}"`, result.warnings);
    result.properties.push(choice.mapping);
  }
  return result;
}

/** `referenced`: columns other tables' foreign keys point at; like key columns they are never left out. */
export function nodeEntry(table: TableInfo, label: string, options: EntryOptions, referenced: string[] = []): NodeEntry {
  const warnings: string[] = [];
  const isView = table.kind === 'view' || table.kind === 'materializedView' || table.kind === 'foreign';
  const unique = table.primaryKey || isView ? undefined : usableUniqueKey(table);
  const keyColumns = table.primaryKey?.columns ?? unique?.columns ?? [];
  const rowContent = keyColumns.length === 0;
  const mapped = mapColumns(
    table,
    table.columns.map((c) => c.name),
    [...keyColumns, ...referenced],
    options,
    rowContent ? [ROW_HASH_PROPERTY] : [],
  );
  warnings.push(...mapped.warnings);
  const byColumn = new Map(mapped.properties.map((p) => [p.column, p.name]));
  const entry: NodeEntry = {
    id: entryId(table),
    table: { schema: table.schema, name: table.name },
    label,
    key: rowContent ? [ROW_HASH_PROPERTY] : keyColumns.map((c) => byColumn.get(c)!),
    keySource: table.primaryKey ? 'primaryKey' : unique ? 'unique' : 'rowContent',
    properties: mapped.properties,
    warnings,
  };
  if (mapped.leftOut.length) entry.leftOut = mapped.leftOut;
  if (unique) {
    warnings.unshift(`no primary key: the key is the unique constraint "${unique.name}" (${unique.columns.join(', ')})`);
  } else if (rowContent) {
    const what = isView
      ? `a ${table.kind === 'view' ? 'view' : table.kind === 'foreign' ? 'foreign table' : 'materialized view'} has no key`
      : 'no primary key and no unique constraint over NOT NULL columns';
    warnings.unshift(
      `${what}: the key is "${ROW_HASH_PROPERTY}", the md5 of the row's text, with ":2", ":3", ... for further identical rows (every row is one node); ` +
        'a changed or deleted row leaves its old node behind in merge mode (verification names it)',
    );
  }
  return entry;
}
