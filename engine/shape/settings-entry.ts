/**
 * A node entry from a node's own settings, for shaping rows without a plan (pg2graph-to-node alone): every
 * column of the batch becomes a property of the same name, with the rule given for it or "string" (a row
 * batch alone does not say its column types), keyed by the named key columns.
 */
import { Pg2GraphError } from '../core/errors';
import type { ComputedProperty, NodeEntry } from '../plan/types';
import type { ValueRule } from '../values/rule-types';
import { ROW_HASH_ALIAS } from '../plan/entry-columns';
import { isValueRule } from '../values/rules';

export interface NodeMappingSettings {
  label: string;
  /** Key columns (they become the key properties, same names). */
  key: string[];
  /** Rule per column ("integer", "date", "list<integer>", ...); other columns are strings. */
  rules?: Record<string, ValueRule>;
  computed?: ComputedProperty[];
  id?: string;
}

export function nodeEntryFromSettings(settings: NodeMappingSettings, columns: string[]): NodeEntry {
  const id = settings.id ?? settings.label;
  if (!settings.label)
    throw new Pg2GraphError(
      'SHAPE_MAPPING_MISSING',
      'no msg.entry and no label in the node settings: set a label and key columns, or send msg.entry from a plan',
    );
  const rowContent = settings.key.length === 0 && columns.includes(ROW_HASH_ALIAS);
  if (!settings.key.length && !rowContent) {
    throw new Pg2GraphError('SHAPE_MAPPING_MISSING', `mapping "${id}": name the key column(s) in the node settings`, { entry: id });
  }
  for (const column of settings.key) {
    if (!columns.includes(column)) {
      throw new Pg2GraphError('SHAPE_COLUMN_MISSING', `mapping "${id}": key column "${column}" is not in the row batch (columns: ${columns.join(', ')})`, {
        entry: id,
        column,
      });
    }
  }
  for (const [column, rule] of Object.entries(settings.rules ?? {})) {
    if (!isValueRule(rule))
      throw new Pg2GraphError('VALUE_RULE_UNKNOWN', `mapping "${id}": unknown value rule "${String(rule)}" for column "${column}"`, { entry: id, column });
  }
  const properties = columns
    .filter((c) => c !== ROW_HASH_ALIAS)
    .map((column) => ({ column, name: column, pgType: 'text', as: settings.rules?.[column] ?? 'string' }));
  return {
    id,
    label: settings.label,
    key: rowContent ? ['rowHash'] : settings.key,
    keySource: rowContent ? 'rowContent' : 'declared',
    properties,
    computed: settings.computed,
    warnings: [],
  };
}

/**
 * A plan entry refined by a node's own settings, for tuning one table's mapping in the editor: a label replaces
 * the entry's, key columns choose its key, rules set the `as` of mapped columns, computed properties are added.
 * Settings left empty change nothing.
 */
export function refineNodeEntry(entry: NodeEntry, settings: NodeMappingSettings): NodeEntry {
  const refined: NodeEntry = { ...entry, properties: entry.properties.map((p) => ({ ...p })) };
  const byColumn = (column: string, what: string) => {
    const property = refined.properties.find((p) => p.column === column);
    if (!property) {
      throw new Pg2GraphError(
        'SHAPE_COLUMN_MISSING',
        `entry "${entry.id}": ${what} column "${column}" is not one of its mapped columns (${refined.properties.map((p) => p.column).join(', ')})`,
        { entry: entry.id, column },
      );
    }
    return property;
  };
  if (settings.label) refined.label = settings.label;
  if (settings.key.length) {
    refined.key = settings.key.map((column) => byColumn(column, 'key').name);
    refined.keySource = 'declared';
  }
  for (const [column, rule] of Object.entries(settings.rules ?? {})) {
    if (!isValueRule(rule))
      throw new Pg2GraphError('VALUE_RULE_UNKNOWN', `entry "${entry.id}": unknown value rule "${String(rule)}" for column "${column}"`, {
        entry: entry.id,
        column,
      });
    byColumn(column, 'rule').as = rule;
  }
  if (settings.computed?.length) refined.computed = [...(entry.computed ?? []), ...settings.computed];
  return refined;
}
