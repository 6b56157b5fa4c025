// @ts-check
'use strict';
/**
 * Contender 3 of the benchmark: the hand-written migration a skilled engineer writes in an afternoon, with no
 * framework: pg with a cursor (baseline-source.js, shared with the Gremlin baseline), neo4j-driver with UNWIND
 * batches of maps, uniqueness constraints first, CREATE into an empty graph, one transaction per batch, one
 * batch at a time. It takes its list of tables, labels,
 * keys and foreign keys from a pg2graph plan file so that it builds the same graph as the other contenders;
 * value conversion is the usual "good enough" one (pg's default parsing, integers as neo4j Integer,
 * timestamps through JS Date, json as text).
 *
 * usage: node scripts/bench/baseline.js PLAN.json   (DATABASE_URL, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)
 * prints one JSON line: { rows, nodes, relationships, seconds, readMs, writeMs, peakRssMb }
 */
const fs = require('fs');
const pg = require('pg');
const neo4j = require('neo4j-driver');
const { readInBatches: readSource, nodeQuery, relationshipQuery } = require('./baseline-source');

const BATCH = Number(process.env.BENCH_BATCH || 5000);
const bt = (name) => `\`${name.replace(/`/g, '``')}\``;

function toGraph(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? neo4j.int(value) : value;
  if (value instanceof Date) return neo4j.types.DateTime.fromStandardDate(value);
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map(toGraph);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** pg parses int8 as a string; an afternoon script fixes that for the columns it knows are integers. */
function converterFor(field) {
  if (field.dataTypeID === 20) return (v) => (v === null ? null : neo4j.int(v));
  return toGraph;
}

const readInBatches = (client, sql, onBatch) => readSource(client, sql, BATCH, onBatch);

async function main() {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const driver = neo4j.driver(process.env.NEO4J_URI, neo4j.auth.basic(process.env.NEO4J_USER || 'neo4j', process.env.NEO4J_PASSWORD || ''));
  const session = driver.session();
  const started = Date.now();
  let rows = 0;
  let nodes = 0;
  let relationships = 0;
  let readMs = 0;
  let writeMs = 0;
  const write = async (cypher, params) => {
    const t = Date.now();
    const result = await session.executeWrite((tx) => tx.run(cypher, params));
    writeMs += Date.now() - t;
    return result.summary.counters.updates();
  };

  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  for (const entry of plan.nodes) {
    const keys = entry.key.map((k) => `n.${bt(k)}`).join(', ');
    await session.run(`CREATE CONSTRAINT IF NOT EXISTS FOR (n:${bt(entry.label)}) REQUIRE (${keys}) IS UNIQUE`);
  }
  for (const entry of plan.nodes) {
    if (!entry.table) continue;
    const { sql, names } = nodeQuery(entry);
    readMs += await readInBatches(client, sql, async (batch, fields) => {
      const convert = fields.map(converterFor);
      const maps = batch.map((row) => {
        const map = {};
        fields.forEach((f, i) => {
          const v = convert[i](row[f.name]);
          if (v !== null) map[names[i]] = v;
        });
        return map;
      });
      const counters = await write(`UNWIND $rows AS row CREATE (n:${bt(entry.label)}) SET n = row`, { rows: maps });
      rows += batch.length;
      nodes += counters.nodesCreated;
    });
  }
  for (const rel of plan.relationships) {
    const from = byId.get(rel.from.node);
    const to = byId.get(rel.to.node);
    const { sql, fromCols, toCols, props } = relationshipQuery(rel);
    const fromMatch = fromCols.map(([p], i) => `${bt(p)}: row.f${i}`).join(', ');
    const toMatch = toCols.map(([p], i) => `${bt(p)}: row.t${i}`).join(', ');
    const cypher =
      `UNWIND $rows AS row MATCH (a:${bt(from.label)} {${fromMatch}}) MATCH (b:${bt(to.label)} {${toMatch}}) ` +
      `CREATE (a)-[r:${bt(rel.type)}]->(b) SET r = row.props`;
    readMs += await readInBatches(client, sql, async (batch, fields) => {
      const convert = fields.map(converterFor);
      const maps = batch.map((row) => {
        const values = fields.map((f, i) => convert[i](row[f.name]));
        const map = { props: {} };
        fromCols.forEach((_, i) => {
          map[`f${i}`] = values[i];
        });
        toCols.forEach((_, i) => {
          map[`t${i}`] = values[fromCols.length + i];
        });
        props.forEach((p, i) => {
          const v = values[fromCols.length + toCols.length + i];
          if (v !== null) map.props[p.name] = v;
        });
        return map;
      });
      const counters = await write(cypher, { rows: maps });
      rows += batch.length;
      relationships += counters.relationshipsCreated;
    });
  }
  const seconds = (Date.now() - started) / 1000;
  await session.close();
  await driver.close();
  await client.end();
  console.log(JSON.stringify({ rows, nodes, relationships, seconds, readMs, writeMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
