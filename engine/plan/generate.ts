/**
 * SchemaModel -> GraphPlan with the mapping rules (see README, Mapping rules): join tables become relationships, every other
 * table a node entry whose foreign keys become relationships; names follow the conventions and every
 * collision is resolved deterministically and reported, never merged.
 */
import type { SchemaModel, TableInfo, TableRef } from '../schema/model';
import { asJoinTable, referencedTables, tableKey } from './join-tables';
import { labelName, words } from './naming';
import { nodeEntry, quoted, type EntryOptions } from './node-entries';
import { patternNames, patternSelects } from './patterns';
import { foreignKeyEntries, joinTableEntry } from './relationship-entries';
import { PLAN_VERSION, type GraphPlan, type NamingOptions, type NodeEntry, type RelationshipEntry } from './types';
import type { ValuePolicy } from '../values/rule-types';

export interface GenerateOptions {
  /** Table patterns ("schema.table" or "table", `*` and `?`); when given, only matching tables are read. */
  include?: string[];
  exclude?: string[];
  naming?: NamingOptions;
  /** Default 5000. */
  batchSize?: number;
  /** Default "merge". */
  writeMode?: 'merge' | 'create';
  typePolicies?: Record<string, ValuePolicy>;
}

export const DEFAULT_BATCH_SIZE = 5000;

const isViewLike = (table: TableInfo) => table.kind === 'view' || table.kind === 'materializedView' || table.kind === 'foreign';

interface Selection {
  tables: TableInfo[];
  warnings: string[];
}

/** Which tables the plan reads: patterns, views only when named, unreadable tables only when named (then validation objects). */
function selectTables(model: SchemaModel, options: GenerateOptions): Selection {
  const warnings: string[] = [];
  const skippedViews: string[] = [];
  const tables = model.tables.filter((table) => {
    const named = patternNames(table, options.include, options.exclude);
    if (isViewLike(table)) {
      if (!named && patternSelects(table, options.include, options.exclude)) skippedViews.push(quoted(table));
      return named;
    }
    if (!patternSelects(table, options.include, options.exclude)) return false;
    if (table.readable === false && !named) {
      warnings.push(`${quoted(table)} left out: the current user cannot SELECT it (GRANT SELECT on it, or exclude it to silence this warning)`);
      return false;
    }
    return true;
  });
  if (skippedViews.length) {
    warnings.push(`views and foreign tables are read only when an include pattern names them exactly; skipped: ${skippedViews.join(', ')}`);
  }
  return { tables, warnings };
}

/** Labels unique across entries: a later table whose label is taken gets its schema in front, then a number. */
function assignLabels(tables: TableInfo[], naming: NamingOptions | undefined, warnings: string[]): Map<TableInfo, string> {
  const taken = new Map<string, TableInfo>();
  const labels = new Map<TableInfo, string>();
  for (const table of tables) {
    const wanted = labelName(table.name, naming);
    let label = wanted;
    if (taken.has(label)) {
      const withSchema = labelName(`${words(table.schema).join('_')}_${table.name}`, naming);
      label = naming?.labels === 'asIs' || taken.has(withSchema) ? wanted : withSchema;
      for (let n = 2; taken.has(label); n += 1) label = `${wanted}${n}`;
      warnings.push(`label "${wanted}" of ${quoted(table)} is already the label of ${quoted(taken.get(wanted)!)}: ${quoted(table)} is labelled "${label}"`);
    }
    taken.set(label, table);
    labels.set(table, label);
  }
  return labels;
}

/** Relationship types unique per pair of end entries (same type, same ends would be indistinguishable in the graph). */
function separateTypes(relationships: RelationshipEntry[], warnings: string[]): void {
  const seen = new Map<string, RelationshipEntry>();
  for (const entry of relationships) {
    const wanted = entry.type;
    const keyOf = (type: string) => `${entry.from.node}\u0000${type}\u0000${entry.to.node}`;
    for (let n = 2; seen.has(keyOf(entry.type)); n += 1) entry.type = `${wanted}_${n}`;
    if (entry.type !== wanted) {
      warnings.push(
        `relationship type "${wanted}" of ${entry.id} is already used by ${seen.get(keyOf(wanted))!.id} between the same entries: ${entry.id} is typed "${entry.type}"`,
      );
    }
    seen.set(keyOf(entry.type), entry);
  }
}

export function generatePlan(model: SchemaModel, options: GenerateOptions = {}): GraphPlan {
  const entryOptions: EntryOptions = { naming: options.naming, typePolicies: options.typePolicies };
  const selection = selectTables(model, options);
  const warnings = [...selection.warnings];
  const selected = new Set(selection.tables.map(tableKey));
  const referenced = referencedTables(model);

  const joins = new Map<TableInfo, ReturnType<typeof asJoinTable>['join']>();
  const keptAsNode = new Map<TableInfo, string>();
  for (const table of selection.tables) {
    const verdict = asJoinTable(table, referenced, (ref: TableRef) => selected.has(tableKey(ref)));
    if (verdict.join) joins.set(table, verdict.join);
    if (verdict.keptAsNode) keptAsNode.set(table, verdict.keptAsNode);
  }
  const nodeTables = selection.tables.filter((t) => !joins.has(t));
  const labels = assignLabels(nodeTables, options.naming, warnings);
  const referencedColumns = referencedColumnsByTable(model);

  const nodes: NodeEntry[] = [];
  const byTable = new Map<string, NodeEntry>();
  for (const table of nodeTables) {
    const entry = nodeEntry(table, labels.get(table)!, entryOptions, referencedColumns.get(tableKey(table)) ?? []);
    const reason = keptAsNode.get(table);
    if (reason) entry.warnings.push(reason);
    nodes.push(entry);
    byTable.set(tableKey(table), entry);
  }
  const ends = { byTable: (ref: TableRef) => byTable.get(tableKey(ref)) };
  const relationships: RelationshipEntry[] = [];
  for (const table of selection.tables) {
    const join = joins.get(table);
    if (join) relationships.push(joinTableEntry(table, join, ends, entryOptions));
    else relationships.push(...foreignKeyEntries(table, byTable.get(tableKey(table))!, ends, entryOptions));
  }
  separateTypes(relationships, warnings);
  const modelTables = new Set(model.tables.map(tableKey));
  for (const note of model.notes) {
    if (note.table && !modelTables.has(tableKey(note.table))) warnings.push(note.message);
  }

  const plan: GraphPlan = {
    version: PLAN_VERSION,
    source: { schemas: [...model.schemas] },
    options: { batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, writeMode: options.writeMode ?? 'merge' },
    nodes,
    relationships,
  };
  if (options.include?.length) plan.source.include = [...options.include];
  if (options.exclude?.length) plan.source.exclude = [...options.exclude];
  if (options.naming) plan.options.naming = { ...options.naming };
  if (options.typePolicies && Object.keys(options.typePolicies).length) plan.options.typePolicies = structuredClone(options.typePolicies);
  if (warnings.length) plan.warnings = warnings;
  return plan;
}

/** Columns of each table that some foreign key references: never left out, so the FK can always match them. */
function referencedColumnsByTable(model: SchemaModel): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const table of model.tables) {
    for (const fk of table.foreignKeys) {
      const key = tableKey(fk.references);
      result.set(key, [...(result.get(key) ?? []), ...fk.references.columns]);
    }
  }
  return result;
}
