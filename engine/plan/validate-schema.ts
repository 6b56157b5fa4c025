/**
 * A plan checked against the live schema: tables and columns it names exist, the current user can read
 * them, foreign-key sources exist, and every `as` is allowed for its column's type. Runs after the shape
 * check and skips whatever that check already rejected.
 */
import type { ColumnInfo, ForeignKeyInfo, SchemaModel, TableInfo } from '../schema/model';
import { allowedRules, isRuleAllowed, isValueRule, pgTypeLabel } from '../values/rules';
import { childPath, ProblemList } from './problems';
import { foreignKeySignature } from './partition-keys';
import { ROW_HASH_COLUMN } from './row-content';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const quoted = (schema: string, name: string) => `${JSON.stringify(schema)}.${JSON.stringify(name)}`;

class SchemaChecker {
  constructor(
    readonly model: SchemaModel,
    readonly problems: ProblemList,
  ) {}

  /** The table a `table` field names, or undefined after reporting why not. */
  table(ref: unknown, path: string): TableInfo | undefined {
    if (!isObject(ref) || typeof ref.schema !== 'string' || typeof ref.name !== 'string') return undefined;
    const table = this.model.tables.find((t) => t.schema === ref.schema && t.name === ref.name);
    if (!table) {
      const where = this.model.schemas.includes(ref.schema)
        ? `in the database ${JSON.stringify(this.model.database)}`
        : `in the introspected schemas (${this.model.schemas.join(', ')})`;
      this.problems.add(path, `there is no table ${quoted(ref.schema, ref.name)} ${where}`);
      return undefined;
    }
    if (table.readable === false)
      this.problems.add(path, `the current user cannot SELECT ${quoted(table.schema, table.name)}: GRANT SELECT on it or leave the entry out`);
    return table;
  }

  column(table: TableInfo, name: unknown, path: string): ColumnInfo | undefined {
    if (typeof name !== 'string') return undefined;
    const column = table.columns.find((c) => c.name === name);
    if (!column) this.problems.add(path, `there is no column ${JSON.stringify(name)} in ${quoted(table.schema, table.name)}`);
    return column;
  }

  properties(table: TableInfo, list: unknown, path: string): void {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (!isObject(item)) return;
      const at = childPath(path, i);
      const column = this.column(table, item.column, childPath(at, 'column'));
      // a value that is no rule at all was reported by the shape check already
      if (!column || !isValueRule(item.as)) return;
      if (!isRuleAllowed(column.type, item.as)) {
        const allowed = allowedRules(column.type);
        this.problems.add(
          childPath(at, 'as'),
          `"${item.as}" is not allowed for column ${JSON.stringify(column.name)} of type ${pgTypeLabel(column.type)}; allowed: ${[...new Set([...allowed, 'string'])].join(', ')}`,
        );
      }
    });
  }
}

/**
 * A foreign-key source: its constraint is an FK of the table (or of one of its partitions); folded partition
 * constraints are too, and all of them are the same foreign key (columns, referenced table and columns).
 */
function checkForeignKeySource(table: TableInfo, source: Json, path: string, problems: ProblemList): void {
  const where = quoted(table.schema, table.name);
  // names are unique per table, not per partitioned table: two partitions may each have an FK of the same name
  const named = (name: string) => table.foreignKeys.filter((fk) => fk.name === name);
  const describeFk = (fk: ForeignKeyInfo) => `${JSON.stringify(fk.name)} (${fk.columns.join(', ')}) -> ${quoted(fk.references.schema, fk.references.name)}`;
  const firsts = typeof source.constraint === 'string' ? named(source.constraint) : [];
  if (typeof source.constraint === 'string' && !firsts.length)
    problems.add(childPath(path, 'constraint'), `there is no foreign key ${JSON.stringify(source.constraint)} on ${where} or its partitions`);
  if (!Array.isArray(source.constraints)) return;
  const signatures = new Set(firsts.map(foreignKeySignature));
  source.constraints.forEach((name, i) => {
    if (typeof name !== 'string' || name === source.constraint) return;
    const at = childPath(childPath(path, 'constraints'), i);
    const candidates = named(name);
    if (!candidates.length) problems.add(at, `there is no foreign key ${JSON.stringify(name)} on ${where} or its partitions`);
    else if (firsts.length && !candidates.some((fk) => signatures.has(foreignKeySignature(fk)))) {
      problems.add(
        at,
        `foreign key ${describeFk(candidates[0])} is not the same as "constraint" ${describeFk(firsts[0])}: only the same foreign key (columns, referenced table and columns) folds into one entry`,
      );
    }
  });
}

/** Adds every problem of the plan against the live schema to `problems`. */
export function checkPlanAgainstSchema(plan: unknown, model: SchemaModel, problems: ProblemList): void {
  if (!isObject(plan)) return;
  const c = new SchemaChecker(model, problems);
  const rowContentNodes = new Set<string>();
  if (Array.isArray(plan.nodes)) {
    plan.nodes.forEach((node, i) => {
      if (!isObject(node)) return;
      if (node.keySource === 'rowContent' && typeof node.id === 'string') rowContentNodes.add(node.id);
      const at = childPath('nodes', i);
      if (node.table === undefined) return;
      const table = c.table(node.table, childPath(at, 'table'));
      if (table) c.properties(table, node.properties, childPath(at, 'properties'));
    });
  }
  if (!Array.isArray(plan.relationships)) return;
  plan.relationships.forEach((rel, i) => {
    if (!isObject(rel) || !isObject(rel.source)) return;
    const source = rel.source;
    const at = childPath('relationships', i);
    const table = c.table(source.table, childPath(childPath(at, 'source'), 'table'));
    if (!table) return;
    if (source.kind === 'foreignKey') checkForeignKeySource(table, source, childPath(at, 'source'), problems);
    for (const side of ['from', 'to'] as const) {
      const end = rel[side];
      if (!isObject(end) || !isObject(end.match)) continue;
      for (const [property, column] of Object.entries(end.match)) {
        if (column === ROW_HASH_COLUMN && typeof end.node === 'string' && rowContentNodes.has(end.node)) continue;
        c.column(table, column, childPath(childPath(childPath(at, side), 'match'), property));
      }
    }
    c.properties(table, rel.properties, childPath(at, 'properties'));
  });
}
