// @ts-check
'use strict';
/** The benchmark's view of the target: empty it before each contender, count what a contender wrote. */
const neo4j = require('neo4j-driver');

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
  const nodes = await driver.executeQuery('MATCH (n) WHERE NOT n:Pg2GraphCheckpoint RETURN count(n) AS n');
  const relationships = await driver.executeQuery('MATCH ()-[r]->() RETURN count(r) AS n');
  return { nodes: neo4j.integer.toNumber(nodes.records[0].get('n')), relationships: neo4j.integer.toNumber(relationships.records[0].get('n')) };
}

module.exports = { emptyGraph, graphTotals };
