// @ts-check
'use strict';
/** Starts (or finds) the Postgres and Neo4j that the tests, demo and bench run against. */
const { postgresService } = require('./postgres-server');
const { neo4jService } = require('./neo4j-server');

/**
 * @param {{ log?: (line: string) => void }} [options]
 */
async function startServices(options = {}) {
  const [pg, neo4j] = await Promise.allSettled([postgresService(options), neo4jService(options)]);
  if (pg.status === 'rejected' || neo4j.status === 'rejected') {
    if (pg.status === 'fulfilled') await pg.value.stop();
    if (neo4j.status === 'fulfilled') await neo4j.value.stop();
    throw pg.status === 'rejected' ? pg.reason : /** @type {PromiseRejectedResult} */ (neo4j).reason;
  }
  const services = { postgres: pg.value, neo4j: neo4j.value };
  return {
    ...services,
    /** Environment that points child processes at these services. */
    env: {
      DATABASE_URL: services.postgres.connectionString,
      NEO4J_URI: services.neo4j.uri,
      NEO4J_USER: services.neo4j.user,
      NEO4J_PASSWORD: services.neo4j.password,
    },
    stop: async () => {
      await Promise.allSettled([services.postgres.stop(), services.neo4j.stop()]);
    },
  };
}

module.exports = { startServices };
