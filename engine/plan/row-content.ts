/**
 * Tables without a primary key or a NOT NULL unique key (and views) get a content key (keySource
 * 'rowContent'): the property `rowHash` = md5 of the row's text form, computed by the reader in SQL as
 * `md5(t::text)` over the whole row (`SELECT md5(t::text) ... FROM "schema"."table" AS t`). Identical rows have the
 * same hash, so they become one node.
 */
export const ROW_HASH_PROPERTY = 'rowHash';

/**
 * In a relationship's `match`, the pseudo column that stands for the row's content key (no real column holds
 * it): `{ "rowHash": "$rowHash" }` on the end whose node entry is keyed by rowContent.
 */
export const ROW_HASH_COLUMN = '$rowHash';
