/**
 * A plan checked against the live schema: tables and columns it names exist, the current user can read
 * them, foreign-key sources exist, and every `as` is allowed for its column's type. Runs after the shape
 * check and skips whatever that check already rejected.
 */
import type { ColumnInfo, SchemaModel, TableInfo } from '../schema/model';
import { allowedRules, isRuleAllowed, isValueRule, pgTypeLabel } from '../values/rules';
import { childPath, ProblemList } from './problems';
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
    if (source.kind === 'foreignKey' && typeof source.constraint === 'string' && !table.foreignKeys.some((fk) => fk.name === source.constraint)) {
      problems.add(
        childPath(childPath(at, 'source'), 'constraint'),
        `there is no foreign key ${JSON.stringify(source.constraint)} on ${quoted(table.schema, table.name)}`,
      );
    }
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
