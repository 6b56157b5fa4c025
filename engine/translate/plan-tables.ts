/**
 * The plan seen from SQL: which entry a table name means (a node entry, or a join table's relationship entry),
 * and which foreign-key or join-table relationship a join condition walks. Only entries that hold every row of
 * their table are usable: an entry with a `where` holds some rows only, and SQL over the table sees them all.
 */
import type { GraphPlan, NodeEntry, PropertyMapping, RelationshipEntry } from '../plan/types';
import { invalidInput, unsupported } from './refuse';

export type PlanTable = { kind: 'node'; entry: NodeEntry } | { kind: 'joinTable'; entry: RelationshipEntry };

export interface TableName {
  schema?: string;
  name: string;
  position?: number;
}

const display = (t: TableName) => (t.schema ? `${t.schema}.${t.name}` : t.name);

export class PlanTables {
  constructor(private readonly plan: GraphPlan) {}

  /** The entry of a table, the schema optional when one of the plan's schemas alone has the table. */
  resolve(table: TableName): PlanTable {
    const nodes = this.plan.nodes.filter((n) => n.table && n.table.name === table.name && (!table.schema || n.table.schema === table.schema));
    const joins = this.plan.relationships.filter(
      (r) => r.source.kind === 'joinTable' && r.source.table.name === table.name && (!table.schema || r.source.table.schema === table.schema),
    );
    const schemas = new Set([...nodes.map((n) => n.table!.schema), ...joins.map((r) => r.source.table.schema)]);
    if (schemas.size === 0) {
      throw invalidInput(`Table "${display(table)}" is not mapped by the plan`, { table: display(table), position: table.position });
    }
    if (schemas.size > 1) {
      throw invalidInput(`Table "${table.name}" is in several schemas of the plan (${[...schemas].join(', ')}); name its schema`, {
        table: table.name,
        position: table.position,
      });
    }
    if (nodes.length + joins.length > 1) {
      throw unsupported(`table "${display(table)}"`, table.position, 'the plan maps it by more than one entry');
    }
    if (nodes.length === 1) {
      const entry = nodes[0];
      if (entry.where) throw unsupported(`table "${display(table)}"`, table.position, `its entry "${entry.id}" migrates only the rows of its where`);
      const shared = this.plan.nodes.filter((n) => n !== entry && (n.label === entry.label || n.labels?.includes(entry.label)));
      if (shared.length) {
        throw unsupported(`table "${display(table)}"`, table.position, `its label ${entry.label} is also on the nodes of "${shared[0].id}"`);
      }
      return { kind: 'node', entry };
    }
    const entry = joins[0];
    if (entry.where) throw unsupported(`table "${display(table)}"`, table.position, `its entry "${entry.id}" migrates only the rows of its where`);
    return { kind: 'joinTable', entry };
  }

  /**
   * Refuses a relationship entry whose pattern would not find exactly its own relationships: one that holds
   * only the rows of its where, or another entry with the same type between nodes of the same labels.
   */
  checkPattern(entry: RelationshipEntry, position: number | undefined): void {
    const what = `the join along ${entry.id}`;
    if (entry.where) throw unsupported(what, position, `its entry migrates only the rows of its where`);
    const labels = (e: RelationshipEntry) => `${this.node(e.from.node).label}->${this.node(e.to.node).label}`;
    const twin = this.plan.relationships.find((r) => r !== entry && r.type === entry.type && labels(r) === labels(entry));
    if (twin) throw unsupported(what, position, `"${twin.id}" has the same type ${entry.type} between the same labels`);
  }

  node(id: string): NodeEntry {
    const found = this.plan.nodes.find((n) => n.id === id);
    if (!found) throw invalidInput(`The plan has no node entry "${id}"`, { entry: id });
    return found;
  }

  /** Foreign-key relationship entries read from the table of this node entry. */
  foreignKeysOf(entry: NodeEntry): RelationshipEntry[] {
    return this.plan.relationships.filter(
      (r) =>
        r.source.kind === 'foreignKey' &&
        r.from.node === entry.id &&
        entry.table !== undefined &&
        r.source.table.schema === entry.table.schema &&
        r.source.table.name === entry.table.name,
    );
  }
}

/** The property a column of a node entry became, or why there is none. */
export function propertyOf(
  entry: { id: string; properties: PropertyMapping[]; leftOut?: { column: string; reason: string }[] },
  column: string,
  table: string,
): PropertyMapping {
  const found = entry.properties.find((p) => p.column === column);
  if (found) return found;
  const left = entry.leftOut?.find((l) => l.column === column);
  if (left) {
    throw invalidInput(`Column "${column}" of table "${table}" is not in the graph: the plan leaves it out (${left.reason})`, { table, column });
  }
  throw invalidInput(`Column "${column}" of table "${table}" is not mapped by the plan`, { table, column });
}

/** The column of a node entry that a property of it came from. */
export function columnOfProperty(entry: NodeEntry, property: string): string | undefined {
  return entry.properties.find((p) => p.name === property)?.column;
}
