/**
 * The pg_catalog queries introspection runs. pg_catalog rather than information_schema: the latter hides
 * constraints of tables the current user does not own, and knows nothing of partitions or typmods.
 * Every query takes arrays as parameters; no name is ever spliced into the text.
 */

export const SCHEMAS_SQL = `
SELECT nspname AS name
FROM pg_catalog.pg_namespace
WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
ORDER BY nspname`;

export const DATABASE_SQL = `SELECT current_database() AS database, current_setting('server_version') AS version, current_user AS "user"`;

const RELATION_COLUMNS = `
  c.oid AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
  c.reltuples::float8 AS reltuples, c.relispartition AS is_partition,
  CASE WHEN c.relispartition THEN pg_catalog.pg_partition_root(c.oid)::oid END AS root,
  pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
  pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable`;

/** Tables, partitioned tables, partitions, views, materialized views and foreign tables of the schemas ($1). */
export const RELATIONS_SQL = `
SELECT ${RELATION_COLUMNS}
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`;

/** Every partition (at any depth, in any schema) of the partitioned tables ($1), with the partitioned tables above it. */
export const PARTITIONS_SQL = `
SELECT ${RELATION_COLUMNS},
  ARRAY(SELECT a.relid::oid FROM pg_catalog.pg_partition_ancestors(c.oid) AS a(relid) WHERE a.relid <> c.oid) AS ancestors
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relispartition AND c.relkind IN ('r', 'p', 'f')
  AND pg_catalog.pg_partition_root(c.oid)::oid = ANY($1::oid[])`;

/** Relations by oid ($1): the targets of foreign keys that lie outside the chosen schemas or are partitions. */
export const RELATIONS_BY_OID_SQL = `
SELECT ${RELATION_COLUMNS}
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY($1::oid[])`;

/** Columns of the relations ($1), in declaration order, without dropped ones. */
export const COLUMNS_SQL = `
SELECT a.attrelid AS rel, a.attnum AS num, a.attname AS name, a.atttypid AS type_oid, a.atttypmod AS typmod,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS display, a.attnotnull AS not_null,
       a.attgenerated AS generated, a.attidentity AS identity,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END AS default_expr,
       pg_catalog.col_description(a.attrelid, a.attnum) AS comment
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

/** Types by oid ($1). */
export const TYPES_SQL = `
SELECT t.oid AS oid, t.typname AS name, n.nspname AS schema, t.typtype AS typtype, t.typcategory AS typcategory,
       t.typelem AS element, t.typbasetype AS base, t.typtypmod AS base_typmod, t.typnotnull AS not_null
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid = ANY($1::oid[])`;

/** format_type() for (oid, typmod) pairs ($1 oids, $2 typmods, same length). */
export const FORMAT_TYPES_SQL = `
SELECT u.oid AS oid, u.typmod AS typmod, pg_catalog.format_type(u.oid, u.typmod) AS display
FROM unnest($1::oid[], $2::int4[]) AS u(oid, typmod)`;

/** Enum labels of the enum types ($1), in sort order. */
export const ENUM_LABELS_SQL = `
SELECT e.enumtypid AS type_oid, e.enumlabel AS label
FROM pg_catalog.pg_enum e
WHERE e.enumtypid = ANY($1::oid[])
ORDER BY e.enumtypid, e.enumsortorder`;

/** Primary keys, unique constraints and foreign keys declared on the relations ($1). */
export const CONSTRAINTS_SQL = `
SELECT c.conrelid AS rel, c.conname AS name, c.contype AS kind, c.conkey AS columns,
       c.confrelid AS ref_rel, c.confkey AS ref_columns, c.conparentid AS parent
FROM pg_catalog.pg_constraint c
WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'u', 'f')
ORDER BY c.conrelid, c.conname`;

/**
 * Unique indexes of the relations ($1) that are keys of their own: valid, no expression, no predicate, and not
 * the index behind a PRIMARY KEY or UNIQUE constraint (those come from CONSTRAINTS_SQL). INCLUDE columns are
 * not part of the key.
 */
export const UNIQUE_INDEXES_SQL = `
SELECT i.indrelid AS rel, ic.relname AS name,
       ARRAY(SELECT k.attnum FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND NOT i.indisprimary AND i.indisvalid
  AND i.indpred IS NULL AND i.indexprs IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
ORDER BY i.indrelid, ic.relname`;
