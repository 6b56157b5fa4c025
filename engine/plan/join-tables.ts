import { sameMembers } from '../core/sets';
import type { ForeignKeyInfo, SchemaModel, TableInfo, TableRef } from '../schema/model';

export const tableKey = (ref: TableRef) => `${ref.schema}\u0000${ref.name}`;

/** The tables some foreign key of the model points at: those can never become relationships. */
export function referencedTables(model: SchemaModel): Set<string> {
  return new Set(model.tables.flatMap((t) => t.foreignKeys.map((fk) => tableKey(fk.references))));
}

export interface JoinTable {
  /** The FK whose columns come first in the primary key: the start of the relationship. */
  from: ForeignKeyInfo;
  to: ForeignKeyInfo;
}

/**
 * The join-table rule (see README, Mapping rules): a table whose primary key is exactly the columns of two foreign keys (nothing else in the PK)
 * becomes a relationship between the two referenced rows. It stays a node when something would be lost as a
 * relationship: a third foreign key, another table's foreign key pointing at it, or an end that is not in
 * the plan. Returns the two FKs in PK order, or a reason why it is not a join table (undefined when it is
 * nowhere near one).
 */
export function asJoinTable(table: TableInfo, referenced: Set<string>, hasNodeEntry: (ref: TableRef) => boolean): { join?: JoinTable; keptAsNode?: string } {
  const pk = table.primaryKey;
  if (!pk || (table.kind !== 'table' && table.kind !== 'partitioned')) return {};
  const tableWide = table.foreignKeys.filter((fk) => !fk.declaredOnPartition);
  const pair = pairCoveringKey(tableWide, pk.columns);
  if (!pair) return {};
  if (table.foreignKeys.length > 2)
    return { keptAsNode: 'its primary key is two foreign keys, but it has more foreign keys: kept as a node so that it can link to all of them' };
  if (referenced.has(tableKey(table)))
    return { keptAsNode: 'its primary key is two foreign keys, but other rows reference it: kept as a node so that they can link to it' };
  const missing = pair.find((fk) => !hasNodeEntry(fk.references));
  if (missing)
    return {
      keptAsNode: `its primary key is two foreign keys, but "${missing.references.schema}"."${missing.references.name}" is not in the plan: kept as a node`,
    };
  const position = (fk: ForeignKeyInfo) => Math.min(...fk.columns.map((c) => pk.columns.indexOf(c)));
  const [from, to] = [...pair].sort((a, b) => position(a) - position(b));
  return { join: { from, to } };
}

function pairCoveringKey(fks: ForeignKeyInfo[], key: string[]): [ForeignKeyInfo, ForeignKeyInfo] | undefined {
  for (let i = 0; i < fks.length; i += 1) {
    for (let j = i + 1; j < fks.length; j += 1) {
      const a = fks[i].columns;
      const b = fks[j].columns;
      if (a.some((c) => b.includes(c))) continue;
      if (sameMembers([...a, ...b], key)) return [fks[i], fks[j]];
    }
  }
  return undefined;
}
