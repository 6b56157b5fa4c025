/** Row shapes of the catalog queries (engine/schema/catalog-sql.ts), as node-postgres returns them. */

export interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  /** r table, p partitioned, v view, m materialized view, f foreign table */
  relkind: string;
  reltuples: number;
  is_partition: boolean;
  root: number | null;
  comment: string | null;
  readable: boolean;
  /** Partitions (PARTITIONS_SQL only): the partitioned tables above it, up to the root. */
  ancestors?: number[];
}

export interface ColumnRow {
  rel: number;
  num: number;
  name: string;
  type_oid: number;
  typmod: number;
  display: string;
  not_null: boolean;
  generated: string;
  identity: string;
  default_expr: string | null;
  comment: string | null;
}

export interface ConstraintRow {
  rel: number;
  name: string;
  /** p primary key, u unique, f foreign key */
  kind: string;
  columns: number[];
  ref_rel: number;
  ref_columns: number[] | null;
  /** Non-zero when the constraint was cloned from the partitioned parent's constraint. */
  parent: number;
}

export interface UniqueIndexRow {
  rel: number;
  name: string;
  columns: number[];
}

/** Groups rows by a numeric key (relation oid), keeping their order. */
export function groupBy<R>(rows: R[], key: (row: R) => number): Map<number, R[]> {
  const groups = new Map<number, R[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
