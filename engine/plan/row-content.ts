/**
 * Tables without a primary key or a NOT NULL unique key (and views, and queries read without a key) get a
 * content key (keySource 'rowContent'): the property `rowHash`, made by the reader in SQL from the md5 of the
 * row's text form and the row's occurrence number among identical rows, so every row is one node (README,
 * *Mapping rules*). `rowContentKeySql` is the one place that SQL is written.
 */
export const ROW_HASH_PROPERTY = 'rowHash';

/**
 * In a relationship's `match`, the pseudo column that stands for the row's content key (no real column holds
 * it): `{ "rowHash": "$rowHash" }` on the end whose node entry is keyed by rowContent.
 */
export const ROW_HASH_COLUMN = '$rowHash';

/** The md5 of the row's text form (`alias` is the row's table alias). */
export function rowContentHashSql(alias: string): string {
  return `pg_catalog.md5(${alias}::text)`;
}

/**
 * The content key of each row, as a select-list expression of the statement that reads `alias` with the entry's
 * filter in its WHERE: `<md5>` for the first of identical rows (a row with no twin keeps the plain md5, as
 * earlier versions keyed it), `<md5>:<n>` for the n-th. The window numbers the rows after the WHERE; identical
 * rows pass a filter together, so every statement that reads the same rows numbers them alike, and which twin
 * gets which number does not matter (their nodes are the same). md5 is computed once: Postgres reuses the
 * partition expression for the output.
 */
export function rowContentKeySql(alias: string): string {
  const hash = rowContentHashSql(alias);
  return `pg_catalog.concat_ws(':', ${hash}, NULLIF(pg_catalog.row_number() OVER (PARTITION BY ${hash}), 1))`;
}

/** The md5 part of a content key ("<md5>" or "<md5>:<n>"): what rowContentHashSql gives for every twin. */
export function rowContentHashOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}
