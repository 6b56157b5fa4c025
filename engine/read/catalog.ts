/**
 * The little the reader needs from pg_catalog about one relation: its kind, its columns with their types
 * (for keyset casts, NOT NULL checks and, for ad-hoc reads, value rules), its primary key and its unique
 * NOT NULL keys. Plan generation has a full introspection; this one is per entry, just before reading.
 */
import type { PgTypeCategory, PgTypeInfo, TableKind, TableRef } from '../schema/model';

export interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface CatalogColumn {
  name: string;
  notNull: boolean;
  /** The type with its typmod as a cast target, qualified when not on the search path ("character(2)", "numeric(12,2)"). */
  castType: string;
  typeOid: number;
}

export interface RelationInfo extends TableRef {
  oid: number;
  kind: TableKind | 'other';
  columns: CatalogColumn[];
  primaryKey?: string[];
  /** Unique constraints / indexes (no expressions, no predicate) whose columns are all NOT NULL. */
  uniqueNotNull: string[][];
}

const KINDS: Record<string, TableKind> = { r: 'table', p: 'partitioned', v: 'view', m: 'materializedView', f: 'foreign' };

/** The relation, or undefined when it does not exist (or is not visible to the user). */
export async function relationInfo(db: Queryable, ref: TableRef): Promise<RelationInfo | undefined> {
  const rel = await db.query<{ oid: string; relkind: string }>(
    `SELECT c.oid::int8::text AS oid, c.relkind::text AS relkind
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2`,
    [ref.schema, ref.name],
  );
  if (!rel.rows.length) return undefined;
  const oid = Number(rel.rows[0].oid);
  const columns = await db.query<{ name: string; not_null: string; cast_type: string; type_oid: string }>(
    // the cast keeps the column's typmod: a bare "character" is char(1) and would cut a char(2) key to one letter
    `SELECT a.attname::text AS name, a.attnotnull::text AS not_null, pg_catalog.format_type(a.atttypid, a.atttypmod) AS cast_type, a.atttypid::int8::text AS type_oid
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [oid],
  );
  const keys = await db.query<{ primary: string; columns: string[] }>(
    `SELECT i.indisprimary::text AS primary,
            array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  ORDER BY k.ord) AS columns
       FROM pg_catalog.pg_index i
      WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND 0 <> ALL (i.indkey)
      ORDER BY i.indisprimary DESC, i.indexrelid`,
    [oid],
  );
  const list: CatalogColumn[] = columns.rows.map((c) => ({
    name: c.name,
    notNull: c.not_null === 'true',
    castType: c.cast_type,
    typeOid: Number(c.type_oid),
  }));
  const notNull = new Set(list.filter((c) => c.notNull).map((c) => c.name));
  const primary = keys.rows.find((k) => k.primary === 'true');
  return {
    schema: ref.schema,
    name: ref.name,
    oid,
    kind: KINDS[rel.rows[0].relkind] ?? 'other',
    columns: list,
    primaryKey: primary?.columns,
    uniqueNotNull: keys.rows.filter((k) => k.primary !== 'true' && k.columns.every((c) => notNull.has(c))).map((k) => k.columns),
  };
}

type TypeRow = {
  oid: string;
  name: string;
  schema: string;
  display: string;
  typtype: string;
  category: string;
  elem: string;
  base: string;
  enum_labels: string[] | null;
};

const TYPTYPE: Record<string, PgTypeCategory> = { b: 'base', c: 'composite', d: 'domain', e: 'enum', p: 'pseudo', r: 'range', m: 'range' };

/** PgTypeInfo for type oids, with array elements and domain bases resolved (used for ad-hoc reads). */
export async function typeInfos(db: Queryable, oids: number[]): Promise<Map<number, PgTypeInfo>> {
  const rows = new Map<number, TypeRow>();
  let wanted = [...new Set(oids)];
  while (wanted.length) {
    const result = await db.query<TypeRow>(
      `SELECT t.oid::int8::text AS oid, t.typname AS name, n.nspname AS schema, format_type(t.oid, NULL) AS display,
              t.typtype::text AS typtype, t.typcategory::text AS category, t.typelem::int8::text AS elem,
              t.typbasetype::int8::text AS base,
              CASE WHEN t.typtype = 'e' THEN array(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS enum_labels
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.oid = ANY($1::oid[])`,
      [wanted],
    );
    for (const row of result.rows) rows.set(Number(row.oid), row);
    wanted = result.rows.flatMap((r) => [Number(r.elem), Number(r.base)]).filter((oid) => oid !== 0 && !rows.has(oid));
  }
  const build = (oid: number): PgTypeInfo => {
    const row = rows.get(oid);
    if (!row) return { display: `oid ${oid}`, name: `oid ${oid}`, schema: '', oid, category: 'other' };
    const info: PgTypeInfo = {
      display: row.display,
      name: row.name,
      schema: row.schema,
      oid,
      category: row.category === 'A' && row.elem !== '0' ? 'array' : (TYPTYPE[row.typtype] ?? 'other'),
    };
    if (info.category === 'array') info.element = build(Number(row.elem));
    if (info.category === 'domain') info.domainBase = build(Number(row.base));
    if (row.enum_labels) info.enumLabels = row.enum_labels;
    return info;
  };
  return new Map(oids.map((oid) => [oid, build(oid)]));
}
