// @ts-check
'use strict';
/**
 * What both hand-written baselines read from Postgres, the way such a script reads it: pg with a cursor, one
 * SELECT per plan entry. A node entry's query selects its properties (and `md5(t::text) AS "rowHash"` for a
 * table without a key); a relationship entry's selects both ends' match columns and its properties, rows with
 * a NULL end left out.
 */
const Cursor = require('pg-cursor');

const q = (name) => `"${name.replace(/"/g, '""')}"`;

/**
 * Reads the result of sql in batches of `size` rows, handing each to onBatch (awaited) with the result's fields.
 * @returns {Promise<number>} the milliseconds spent waiting for Postgres
 */
async function readInBatches(client, sql, size, onBatch) {
  const cursor = client.query(new Cursor(sql));
  let readMs = 0;
  for (;;) {
    const started = Date.now();
    const rows = await cursor.read(size);
    readMs += Date.now() - started;
    if (rows.length === 0) break;
    await onBatch(rows, cursor._result.fields);
  }
  await cursor.close();
  return readMs;
}

/** A node entry's SELECT and the graph property name of each selected column, in order. */
function nodeQuery(entry) {
  const columns = entry.properties.map((p) => q(p.column)).join(', ');
  const keyProperty = entry.keySource === 'rowContent' ? `, md5(t::text) AS "rowHash"` : '';
  const sql = `SELECT ${columns}${keyProperty} FROM ${q(entry.table.schema)}.${q(entry.table.name)} AS t`;
  const names = [...entry.properties.map((p) => p.name), ...(keyProperty ? ['rowHash'] : [])];
  return { sql, names };
}

/**
 * A relationship entry's SELECT: the from end's match columns, the to end's, then the properties
 * ("$rowHash" stands for the content key of a table without one, as pg2graph's plans say).
 */
function relationshipQuery(rel) {
  const fromCols = Object.entries(rel.from.match);
  const toCols = Object.entries(rel.to.match);
  const props = rel.properties || [];
  const selected = [...fromCols.map(([, c]) => c), ...toCols.map(([, c]) => c), ...props.map((p) => p.column)];
  const expression = (c) => (c === '$rowHash' ? 'md5(t::text)' : `t.${q(c)}`);
  const notNull = [...fromCols, ...toCols].map(([, c]) => `${expression(c)} IS NOT NULL`).join(' AND ');
  const sql = `SELECT ${selected.map((c) => `${expression(c)} AS ${q(c)}`).join(', ')} FROM ${q(rel.source.table.schema)}.${q(rel.source.table.name)} AS t WHERE ${notNull}`;
  return { sql, fromCols, toCols, props };
}

module.exports = { readInBatches, nodeQuery, relationshipQuery };
