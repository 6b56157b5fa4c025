// @ts-check
'use strict';
/**
 * The benchmark's view of the targets: empty one before each contender, count what a contender wrote (the
 * shared Neo4j over Bolt; the shared Gremlin Server through pg2graph's own Gremlin connection, emptied by its
 * launcher's POST /clear, scripts/gremlin/GremlinLauncher.java, as g.V().drop() takes quadratic time on
 * TinkerGraph around a vertex with many edges). pg2graph's checkpoint nodes and vertices are not counted.
 */
const path = require('path');
const neo4j = require('neo4j-driver');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'engine');
const { GremlinConnection } = require(path.join(DIST, 'connect', 'index.js'));
const { CHECKPOINT_LABEL } = require(path.join(DIST, 'index.js'));
const { statics: __ } = require('gremlin').process;

const GREMLIN_MS = 300_000;

/** @param {import('neo4j-driver').Driver} driver */
async function emptyGraph(driver) {
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS');
  } finally {
    await session.close();
  }
  for (const record of (await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name')).records) {
    await driver.executeQuery(`DROP CONSTRAINT \`${String(record.get('name')).replace(/`/g, '``')}\` IF EXISTS`);
  }
  for (const record of (await driver.executeQuery("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")).records) {
    await driver.executeQuery(`DROP INDEX \`${String(record.get('name')).replace(/`/g, '``')}\` IF EXISTS`);
  }
}

/** @param {import('neo4j-driver').Driver} driver */
async function graphTotals(driver) {
  const nodes = await driver.executeQuery(`MATCH (n) WHERE NOT n:${CHECKPOINT_LABEL} RETURN count(n) AS n`);
  const relationships = await driver.executeQuery('MATCH ()-[r]->() RETURN count(r) AS n');
  return { nodes: neo4j.integer.toNumber(nodes.records[0].get('n')), relationships: neo4j.integer.toNumber(relationships.records[0].get('n')) };
}

/** A connection to the bench's Gremlin Server (closed by the caller). @param {{ url: string, traversalSource: string }} server */
function gremlinConnection(server) {
  return new GremlinConnection({ url: server.url, traversalSource: server.traversalSource });
}

/** Empties the bench's Gremlin Server. @param {{ inspectUrl: string }} server */
async function emptyGremlin(server) {
  const response = await fetch(`${server.inspectUrl}/clear`, { method: 'POST' });
  if (!response.ok) throw new Error(`${server.inspectUrl}/clear answered ${response.status}: ${await response.text()}`);
}

/** Vertices (checkpoints apart) and edges of the Gremlin graph. */
async function gremlinTotals(connection) {
  const g = connection.g();
  const [nodes] = await connection.run(g.V().not(__.hasLabel(CHECKPOINT_LABEL)).count(), GREMLIN_MS, 'counting vertices');
  const [relationships] = await connection.run(g.E().count(), GREMLIN_MS, 'counting edges');
  return { nodes: Number(String(nodes)), relationships: Number(String(relationships)) };
}

module.exports = { emptyGraph, graphTotals, gremlinConnection, emptyGremlin, gremlinTotals };
