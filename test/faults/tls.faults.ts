/**
 * Fault campaign, TLS: a PostgreSQL with ssl=on that takes TCP logins only over TLS (hostssl), and a Neo4j whose
 * Bolt connector requires TLS, both started here with certificates of a CA made for the run (test/support/tls.ts).
 * The command line connects with PGSSLMODE=require, verify-full given the CA (PGSSLROOTCERT, or sslrootcert in the
 * URL), bolt+ssc and bolt+s (the CA in NODE_EXTRA_CA_CERTS), and a small migrate + verify ends exact; a certificate
 * from another CA, one for another host name, a server without TLS and bolt+s without the CA are refused with a
 * typed code naming host and mode, within a bounded time, and without the password in the output.
 */
import assert from 'assert/strict';
import neo4j, { type Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { pg2graph, type CliRun } from '../support/cli';
import { assertNoSecret } from '../support/secrets';
import { recordFault } from '../support/fault-table';
import { makeTestCertificates, type TestCertificates } from '../support/tls';
import { assertExactGraph, createFaultSource, onServer, type FaultSource } from '../support/fault-source';
import { PostgresConnection } from '../../dist/engine/connect';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres } = require('../../scripts/lib/postgres-server') as {
  startEmbeddedPostgres(options: { ssl: { certFile: string; keyFile: string } }): Promise<{
    connectionString: string;
    reloadSsl(files: { certFile: string; keyFile: string }): Promise<void>;
    stop(): Promise<void>;
  }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNeo4j } = require('../../scripts/lib/neo4j-server') as {
  startNeo4j(options: { tlsDir: string; heapMb: number; pageCacheMb: number }): Promise<{ uri: string; user: string; password: string; stop(): Promise<void> }>;
};

/** A refusal must come well before anything that looks like a hang (generous: the machine is shared). */
const REFUSAL_BOUND_MS = 30_000;
const PEOPLE = 600;

async function timed(run: Promise<CliRun>): Promise<CliRun & { ms: number }> {
  const started = Date.now();
  const result = await run;
  return { ...result, ms: Date.now() - started };
}

/** A clear, bounded refusal: non-zero, the typed code and the things it names on stderr/stdout, no secret. */
function assertRefused(run: CliRun & { ms: number }, code: RegExp, names: RegExp[], secrets: Array<string | undefined>): string {
  const output = run.stdout + run.stderr;
  assert.notEqual(run.code, 0, `refused with a non-zero exit:\n${output}`);
  assert.ok(run.ms < REFUSAL_BOUND_MS, `refused within ${REFUSAL_BOUND_MS / 1000} s (took ${run.ms} ms)`);
  const found = code.exec(output);
  assert.ok(found, `a typed code ${code} in:\n${output}`);
  for (const name of names) assert.match(output, name);
  assertNoSecret(output, secrets, 'no password in the output');
  return found[0];
}

describe('fault campaign: TLS', function () {
  let certs: TestCertificates;
  before(() => {
    certs = makeTestCertificates();
  });
  after(() => certs?.remove());

  describe('Postgres with ssl=on, TLS-only logins (a cluster of its own)', () => {
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
    let source: FaultSource;
    let driver: Driver;
    let password: string;
    let base: NodeJS.ProcessEnv;
    before(async () => {
      server = await startEmbeddedPostgres({ ssl: { certFile: certs.serverCert, keyFile: certs.serverKey } });
      password = decodeURIComponent(new URL(server.connectionString).password);
      const neo = neo4jSettings();
      base = { DATABASE_URL: server.connectionString, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
      source = await createFaultSource(server.connectionString, PEOPLE, { ...base, PGSSLMODE: 'require' }, { rejectUnauthorized: false });
      driver = testDriver();
    });
    after(async () => {
      source?.remove();
      await driver?.close();
      await server?.stop();
    });
    beforeEach(() => clearGraph(driver));

    it('PGSSLMODE=require: check, a small migrate and verify succeed (the server refuses plain logins)', async () => {
      const env = { ...base, PGSSLMODE: 'require' };
      const started = Date.now();
      const check = await pg2graph(['check'], env);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /postgres: ok/);
      const migrate = await pg2graph(['migrate', '--plan', source.planFile], env, 120_000);
      assert.equal(migrate.code, 0, migrate.stderr);
      const final = await assertExactGraph(driver, source, env);
      recordFault({
        scenario: 'tls: Postgres PGSSLMODE=require',
        exact: final.exact,
        duplicates: final.duplicates,
        recoverMs: Date.now() - started,
        note: 'connected over TLS (hostssl only), migrate + verify passed',
      });
    });

    it('a plain connection (PGSSLMODE unset) is refused by the TLS-only server, bounded', async () => {
      const check = await timed(pg2graph(['check'], base));
      const code = assertRefused(check, /PG_AUTH_FAILED/, [/no encryption/, /127\.0\.0\.1/], [password]);
      recordFault({
        scenario: 'tls: Postgres plain login to a TLS-only server',
        exact: true,
        duplicates: 0,
        recoverMs: check.ms,
        note: `refused: ${code} (pg_hba: no encryption)`,
      });
    });

    it('verify-full with the CA (PGSSLROOTCERT, or sslrootcert in the URL): check, migrate and verify succeed', async () => {
      const env = { ...base, PGSSLMODE: 'verify-full', PGSSLROOTCERT: certs.caFile };
      const started = Date.now();
      const check = await pg2graph(['check'], env);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      const url = new URL(server.connectionString);
      url.searchParams.set('sslmode', 'verify-full');
      url.searchParams.set('sslrootcert', certs.caFile);
      const byUrl = await pg2graph(['check'], { ...base, DATABASE_URL: url.toString() });
      assert.equal(byUrl.code, 0, `sslmode and sslrootcert in the URL:\n${byUrl.stdout}${byUrl.stderr}`);
      // the settings a pg2graph-postgres config node holds (SSL mode, CA file)
      const node = new PostgresConnection({
        host: url.hostname,
        port: url.port,
        database: 'postgres',
        user: 'postgres',
        password,
        sslMode: 'verify-full',
        sslRootCert: certs.caFile,
      });
      try {
        assert.match((await node.check()).version, /PostgreSQL/);
      } finally {
        await node.close();
      }
      const migrate = await pg2graph(['migrate', '--plan', source.planFile], env, 120_000);
      assert.equal(migrate.code, 0, migrate.stderr);
      const final = await assertExactGraph(driver, source, env);
      recordFault({
        scenario: 'tls: Postgres verify-full with the CA',
        exact: final.exact,
        duplicates: final.duplicates,
        recoverMs: Date.now() - started,
        note: 'PGSSLROOTCERT, sslrootcert in the URL and the config node settings all connect; migrate + verify passed',
      });
    });

    it('verify-full with a CA that did not sign the certificate: PG_TLS_FAILED naming host and sslMode, bounded', async () => {
      const env = { ...base, PGSSLMODE: 'verify-full', PGSSLROOTCERT: certs.otherCaFile };
      const check = await timed(pg2graph(['check'], env));
      const code = assertRefused(check, /PG_TLS_FAILED/, [/127\.0\.0\.1/, /verify-full/, /sslRootCert/], [password]);
      const migrate = await timed(pg2graph(['migrate', '--plan', source.planFile], env, 120_000));
      assertRefused(migrate, /PG_TLS_FAILED/, [/127\.0\.0\.1/, /verify-full/], [password]);
      assert.deepEqual((await driver.executeQuery('MATCH (n) RETURN count(n) AS n')).records[0].get('n').toNumber(), 0, 'nothing written');
      recordFault({
        scenario: 'tls: Postgres verify-full, certificate of another CA',
        exact: true,
        duplicates: 0,
        recoverMs: Math.max(check.ms, migrate.ms),
        note: `refused: ${code} (check ${(check.ms / 1000).toFixed(1)} s, migrate ${(migrate.ms / 1000).toFixed(1)} s), nothing written`,
      });
    });

    it('verify-full with a certificate for another host name: PG_TLS_FAILED naming the host; verify-ca accepts it', async () => {
      await server.reloadSsl({ certFile: certs.wrongHostCert, keyFile: certs.wrongHostKey });
      try {
        const env = { ...base, PGSSLMODE: 'verify-full', PGSSLROOTCERT: certs.caFile };
        const check = await timed(pg2graph(['check'], env));
        const code = assertRefused(check, /PG_TLS_FAILED/, [/127\.0\.0\.1/, /verify-full/, /does not name this host/], [password]);
        const verifyCa = await pg2graph(['check'], { ...env, PGSSLMODE: 'verify-ca' });
        assert.equal(verifyCa.code, 0, `verify-ca checks the CA only:\n${verifyCa.stdout}${verifyCa.stderr}`);
        recordFault({
          scenario: 'tls: Postgres verify-full, certificate for another host',
          exact: true,
          duplicates: 0,
          recoverMs: check.ms,
          note: `refused: ${code} in ${(check.ms / 1000).toFixed(1)} s; verify-ca with the same certificate connects`,
        });
      } finally {
        await server.reloadSsl({ certFile: certs.serverCert, keyFile: certs.serverKey });
      }
    });

    // last: with ssl off, this cluster takes no TCP login any more (hostssl only)
    it('require against a server with TLS turned off: PG_TLS_FAILED saying so, bounded', async () => {
      await onServer(
        server.connectionString,
        async (client) => {
          await client.query('ALTER SYSTEM SET ssl = off');
          await client.query('SELECT pg_reload_conf()');
        },
        { rejectUnauthorized: false },
      );
      const env = { ...base, PGSSLMODE: 'require' };
      let check = await timed(pg2graph(['check'], env));
      // the reload reaches the postmaster asynchronously
      for (let i = 0; i < 20 && !/PG_TLS_FAILED/.test(check.stdout + check.stderr); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        check = await timed(pg2graph(['check'], env));
      }
      const code = assertRefused(check, /PG_TLS_FAILED/, [/127\.0\.0\.1/, /sslMode require/, /TLS off/], [password]);
      recordFault({
        scenario: 'tls: Postgres require, server with ssl=off',
        exact: true,
        duplicates: 0,
        recoverMs: check.ms,
        note: `refused: ${code} in ${(check.ms / 1000).toFixed(1)} s`,
      });
    });
  });

  describe('Neo4j with a Bolt SSL policy (a server of its own)', () => {
    let server: Awaited<ReturnType<typeof startNeo4j>>;
    let db: ScratchDatabase;
    let source: FaultSource;
    let driver: Driver;
    let base: NodeJS.ProcessEnv;
    let host: string;
    before(async () => {
      server = await startNeo4j({ tlsDir: certs.neo4jDir, heapMb: 768, pageCacheMb: 64 });
      assert.match(server.uri, /^bolt\+ssc:\/\//);
      host = new URL(server.uri).host;
      db = await createScratchDatabase('faulttls');
      base = { DATABASE_URL: db.url, NEO4J_USER: server.user, NEO4J_PASSWORD: server.password };
      source = await createFaultSource(db.url, PEOPLE, { ...base, NEO4J_URI: server.uri });
      driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, server.password));
    });
    after(async () => {
      source?.remove();
      await driver?.close();
      await db?.drop();
      await server?.stop();
    });
    beforeEach(() => clearGraph(driver));

    const migrateAndVerify = async (scenario: string, env: NodeJS.ProcessEnv, note: string) => {
      const started = Date.now();
      const check = await pg2graph(['check'], env);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /neo4j: ok/);
      const migrate = await pg2graph(['migrate', '--plan', source.planFile], env, 120_000);
      assert.equal(migrate.code, 0, migrate.stderr);
      const final = await assertExactGraph(driver, source, env);
      recordFault({ scenario, exact: final.exact, duplicates: final.duplicates, recoverMs: Date.now() - started, note });
    };

    it('bolt+ssc with the self-signed certificate: check, migrate and verify succeed', () =>
      migrateAndVerify('tls: Neo4j bolt+ssc', { ...base, NEO4J_URI: server.uri }, 'connected over TLS, migrate + verify passed'));

    it('bolt+s with a certificate the system does not trust: NEO4J_TLS_FAILED naming the URI, bounded', async () => {
      const env = { ...base, NEO4J_URI: `bolt+s://${host}` };
      const check = await timed(pg2graph(['check'], env));
      const code = assertRefused(check, /NEO4J_TLS_FAILED/, [new RegExp(`bolt\\+s://${host.replace(/\./g, '\\.')}`), /NODE_EXTRA_CA_CERTS/], [server.password]);
      const migrate = await timed(pg2graph(['migrate', '--plan', source.planFile], env, 120_000));
      assertRefused(migrate, /NEO4J_TLS_FAILED/, [/bolt\+s:\/\//], [server.password]);
      recordFault({
        scenario: 'tls: Neo4j bolt+s, untrusted certificate',
        exact: true,
        duplicates: 0,
        recoverMs: Math.max(check.ms, migrate.ms),
        note: `refused: ${code} (check ${(check.ms / 1000).toFixed(1)} s, migrate ${(migrate.ms / 1000).toFixed(1)} s)`,
      });
    });

    it('bolt+s with the CA in NODE_EXTRA_CA_CERTS: check, migrate and verify succeed', () =>
      migrateAndVerify(
        'tls: Neo4j bolt+s, CA in NODE_EXTRA_CA_CERTS',
        { ...base, NEO4J_URI: `bolt+s://${host}`, NODE_EXTRA_CA_CERTS: certs.caFile },
        'certificate checked against our CA, migrate + verify passed',
      ));

    it('plain bolt:// against a server that requires TLS: a NEO4J_ code, bounded', async () => {
      const check = await timed(pg2graph(['check'], { ...base, NEO4J_URI: `bolt://${host}` }));
      const code = assertRefused(check, /NEO4J_[A-Z_]+/, [new RegExp(host.replace(/\./g, '\\.')), /bolt\+s:\/\/ or bolt\+ssc:\/\//], [server.password]);
      recordFault({
        scenario: 'tls: Neo4j plain bolt:// to a TLS-only server',
        exact: true,
        duplicates: 0,
        recoverMs: check.ms,
        note: `refused: ${code} in ${(check.ms / 1000).toFixed(1)} s`,
      });
    });
  });
});
