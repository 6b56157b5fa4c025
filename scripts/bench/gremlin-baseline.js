// @ts-check
'use strict';
/**
 * The Gremlin road's hand-written baseline: the plain script a competent engineer writes with the `gremlin` npm
 * client and pg, no framework. It reads each table with a cursor (baseline-source.js) and sends one traversal per
 * batch of rows, one batch at a time: vertices by `inject(rows).unfold().mergeV()` of maps holding id, label and
 * properties; then edges the same way by `mergeE()` of maps holding id, label and both ends' vertex ids. No
 * checkpoints, no verification, no retries. GraphBinary, as Neptune and the engine use it.
 *
 * It builds the same graph as `pg2graph migrate --gremlin` (the same vertices and edges, with the same ids: a
 * vertex "<label>:<key value>[:<key value>...]", an edge "<type>:<start id>:<end id>", ":" and "\" escaped), so
 * the counts compare. Values are the usual "good enough" conversion: pg's default parsing, numbers as the
 * client sends them (Int or Long, a fraction as Double), int8 as a number when it is exact, else its text,
 * timestamps as Date, bytes as base64, json, arrays and other objects as JSON text.
 *
 * usage: node scripts/bench/gremlin-baseline.js PLAN.json   (DATABASE_URL, GREMLIN_URL, GREMLIN_TRAVERSAL_SOURCE)
 * prints one JSON line last: { rows, nodes, relationships, seconds, readMs, writeMs, peakRssMb }
 */
const fs = require('fs');
const pg = require('pg');
const gremlin = require('gremlin');
const { readInBatches, nodeQuery, relationshipQuery } = require('./baseline-source');

const { t, direction } = gremlin.process;
const BATCH = Number(process.env.BENCH_BATCH || 1000);
const INT8 = 20;

/** Ids as pg2graph names them: parts joined by ":", a ":" or "\" inside a part escaped with "\". */
const idOf = (parts) => parts.map((part) => String(part).replace(/\\/g, '\\\\').replace(/:/g, '\\:')).join(':');

function toGremlin(value) {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return JSON.stringify(value);
}

/** pg parses int8 as text: a number when that is exact. */
function converterFor(field) {
  if (field.dataTypeID !== INT8) return toGremlin;
  return (value) => (value === null ? undefined : Number.isSafeInteger(Number(value)) ? Number(value) : value);
}

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const connection = new gremlin.driver.DriverRemoteConnection(process.env.GREMLIN_URL || 'ws://127.0.0.1:8182/gremlin', {
    mimeType: 'application/vnd.graphbinary-v1.0',
    traversalSource: process.env.GREMLIN_TRAVERSAL_SOURCE || 'g',
  });
  const g = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);
  const started = Date.now();
  let rows = 0;
  let nodes = 0;
  let relationships = 0;
  let readMs = 0;
  let writeMs = 0;
  const write = async (traversal) => {
    const t0 = Date.now();
    await traversal.iterate();
    writeMs += Date.now() - t0;
  };

  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  for (const entry of plan.nodes) {
    if (!entry.table) continue;
    const { sql, names } = nodeQuery(entry);
    const keyIndexes = entry.key.map((k) => names.indexOf(k));
    readMs += await readInBatches(client, sql, BATCH, async (batch, fields) => {
      const convert = fields.map(converterFor);
      const maps = batch.map((row) => {
        const raw = fields.map((f) => row[f.name]);
        const map = new Map([
          [t.id, idOf([entry.label, ...keyIndexes.map((i) => raw[i])])],
          [t.label, entry.label],
        ]);
        raw.forEach((value, i) => {
          const converted = convert[i](value);
          if (converted !== undefined) map.set(names[i], converted);
        });
        return map;
      });
      await write(g.inject(...maps).mergeV());
      rows += batch.length;
      nodes += maps.length;
    });
  }
  for (const rel of plan.relationships) {
    const from = byId.get(rel.from.node);
    const to = byId.get(rel.to.node);
    const { sql, fromCols, toCols, props } = relationshipQuery(rel);
    // each end's vertex id from its key, in the key's order (pg2graph also looks ends up by other unique columns)
    const keyOf = (end, cols, offset) => {
      const indexes = end.key.map((k) => cols.findIndex(([p]) => p === k));
      if (indexes.includes(-1) || indexes.length !== cols.length)
        throw new Error(`${rel.id}: an end not matched on its key; this baseline matches ends by key only`);
      return indexes.map((i) => offset + i);
    };
    const fromKey = keyOf(from, fromCols, 0);
    const toKey = keyOf(to, toCols, fromCols.length);
    readMs += await readInBatches(client, sql, BATCH, async (batch, fields) => {
      const convert = fields.map(converterFor);
      const maps = batch.map((row) => {
        const raw = fields.map((f) => row[f.name]);
        const fromId = idOf([from.label, ...fromKey.map((i) => raw[i])]);
        const toId = idOf([to.label, ...toKey.map((i) => raw[i])]);
        const map = new Map([
          [t.id, idOf([rel.type, fromId, toId])],
          [t.label, rel.type],
          [direction.out, fromId],
          [direction.in, toId],
        ]);
        props.forEach((p, i) => {
          const converted = convert[fromCols.length + toCols.length + i](raw[fromCols.length + toCols.length + i]);
          if (converted !== undefined) map.set(p.name, converted);
        });
        return map;
      });
      await write(g.inject(...maps).mergeE());
      rows += batch.length;
      relationships += maps.length;
    });
  }
  const seconds = (Date.now() - started) / 1000;
  await connection.close();
  await client.end();
  console.log(JSON.stringify({ rows, nodes, relationships, seconds, readMs, writeMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
