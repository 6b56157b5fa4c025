/**
 * TLS settings as the engine and the command line take them (pure logic): libpq's SSL modes, the CA file, the
 * TLS parameters of a connection URL, PGSSLMODE / PGSSLROOTCERT, and how TLS failures are typed. The servers
 * themselves are met in the fault campaign (test/faults/tls.faults.ts).
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { toPoolConfig } from '../../dist/engine/connect';
import { translatePostgresError } from '../../dist/engine/connect/postgres-errors';
import { translateNeo4jError } from '../../dist/engine/connect/neo4j-errors';
import { postgresSettings } from '../../dist/cli/connections';

type Tls = { ca?: string; rejectUnauthorized?: boolean; checkServerIdentity?: () => undefined; cert?: string; key?: string };

const refusal =
  (code: string, ...mentions: RegExp[]) =>
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    assert.equal(e.code, code, e.message);
    for (const m of mentions) assert.match(String(e.message), m);
    return true;
  };

describe('TLS settings', () => {
  let dir: string;
  let caFile: string;
  const host = { host: '127.0.0.1', database: 'db' };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-tls-unit-'));
    caFile = path.join(dir, 'ca.crt');
    fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nnot really one\n-----END CERTIFICATE-----\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('disable (or nothing) is a plain connection, stated as such: pg does not consult PGSSLMODE itself', () => {
    assert.equal(toPoolConfig({ ...host }).ssl, false);
    assert.equal(toPoolConfig({ ...host, sslMode: 'disable' }).ssl, false);
  });

  it('require encrypts without a check; with a CA file it checks the chain but not the host (as libpq)', () => {
    assert.deepEqual(toPoolConfig({ ...host, sslMode: 'require' }).ssl, { rejectUnauthorized: false });
    const withCa = toPoolConfig({ ...host, sslMode: 'require', sslRootCert: caFile }).ssl as Tls;
    assert.equal(withCa.rejectUnauthorized, true);
    assert.match(String(withCa.ca), /not really one/);
    assert.equal(typeof withCa.checkServerIdentity, 'function');
  });

  it('verify-ca checks the chain only; verify-full the chain and the host; "system" or no file: the system CAs', () => {
    const ca = toPoolConfig({ ...host, sslMode: 'verify-ca', sslRootCert: caFile }).ssl as Tls;
    assert.equal(ca.rejectUnauthorized, true);
    assert.equal(ca.checkServerIdentity?.(), undefined);
    const full = toPoolConfig({ ...host, sslMode: 'verify-full', sslRootCert: caFile }).ssl as Tls;
    assert.equal(full.rejectUnauthorized, true);
    assert.match(String(full.ca), /not really one/);
    assert.equal(full.checkServerIdentity, undefined, 'the host is checked');
    assert.deepEqual(toPoolConfig({ ...host, sslMode: 'verify-full', sslRootCert: 'system' }).ssl, { rejectUnauthorized: true });
    assert.deepEqual(toPoolConfig({ ...host, sslMode: 'verify-full' }).ssl, { rejectUnauthorized: true });
  });

  it('bad input: an unknown mode (libpq prefer too) and a CA file that cannot be read, each named', () => {
    assert.throws(() => toPoolConfig({ ...host, sslMode: 'prefer' }), refusal('PG_SETTING_INVALID', /"sslMode"/, /verify-full/, /"prefer"/));
    assert.throws(() => toPoolConfig({ ...host, sslMode: 'Require' }), refusal('PG_SETTING_INVALID', /"sslMode"/));
    const missing = path.join(dir, 'no-such-ca.crt');
    assert.throws(
      () => toPoolConfig({ ...host, sslMode: 'verify-full', sslRootCert: missing }),
      refusal('PG_SETTING_INVALID', /"sslRootCert"/, new RegExp(missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')), /ENOENT/),
    );
    assert.throws(() => toPoolConfig({ ...host, sslMode: 'verify-ca', sslRootCert: dir }), refusal('PG_SETTING_INVALID', /"sslRootCert"/, /EISDIR/));
  });

  it("a URL's sslmode and sslrootcert win over the settings and are taken out of the string pg parses", () => {
    const url = `postgres://u:secret@127.0.0.1:5432/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}&application_name=x`;
    const config = toPoolConfig({ connectionString: url, sslMode: 'disable' });
    const ssl = config.ssl as Tls;
    assert.equal(ssl.rejectUnauthorized, true);
    assert.match(String(ssl.ca), /not really one/);
    assert.doesNotMatch(String(config.connectionString), /sslmode|sslrootcert/);
    assert.match(String(config.connectionString), /application_name=x/);
    // the setting's mode still applies when the URL only names the CA
    const caOnly = toPoolConfig({ connectionString: `postgres://127.0.0.1/db?sslrootcert=${encodeURIComponent(caFile)}`, sslMode: 'verify-ca' }).ssl as Tls;
    assert.equal(typeof caOnly.checkServerIdentity, 'function');
    // a URL without TLS parameters is handed on as it was, with the settings' TLS
    const plain = toPoolConfig({ connectionString: 'postgres://u@127.0.0.1/db', sslMode: 'require' });
    assert.equal(plain.connectionString, 'postgres://u@127.0.0.1/db');
    assert.deepEqual(plain.ssl, { rejectUnauthorized: false });
  });

  it('bad input in a URL: an unknown sslmode, an unreadable sslrootcert, ssl=true, half a client certificate', () => {
    assert.throws(
      () => toPoolConfig({ connectionString: 'postgres://127.0.0.1/db?sslmode=always' }),
      refusal('PG_SETTING_INVALID', /connectionString sslmode/, /"always"/),
    );
    assert.throws(
      () => toPoolConfig({ connectionString: `postgres://127.0.0.1/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(path.join(dir, 'gone.crt'))}` }),
      refusal('PG_SETTING_INVALID', /connectionString sslrootcert/, /gone\.crt/),
    );
    assert.throws(() => toPoolConfig({ connectionString: 'postgres://127.0.0.1/db?ssl=true' }), refusal('PG_SETTING_INVALID', /"ssl"/, /sslmode/));
    assert.throws(
      () => toPoolConfig({ connectionString: `postgres://127.0.0.1/db?sslmode=require&sslcert=${encodeURIComponent(caFile)}` }),
      refusal('PG_SETTING_INVALID', /sslcert and sslkey/),
    );
  });

  it('the command line takes PGSSLMODE and PGSSLROOTCERT for every way of naming the server; an unknown mode names PGSSLMODE', () => {
    const tls = { PGSSLMODE: 'verify-full', PGSSLROOTCERT: caFile };
    assert.deepEqual(
      [
        postgresSettings({}, { ...tls, PGHOST: 'db' }),
        postgresSettings({}, { ...tls, DATABASE_URL: 'postgres://db/x' }),
        postgresSettings({ pg: 'postgres://db/y' }, tls),
      ].map((s) => [s.sslMode, s.sslRootCert]),
      [
        ['verify-full', caFile],
        ['verify-full', caFile],
        ['verify-full', caFile],
      ],
    );
    assert.equal(postgresSettings({}, { PGHOST: 'db' }).sslMode, 'disable');
    for (const mode of ['prefer', 'allow', 'on', 'VERIFY-FULL']) {
      assert.throws(() => postgresSettings({}, { PGSSLMODE: mode }), refusal('PG_SETTING_INVALID', /PGSSLMODE/, new RegExp(`"${mode}"`), /verify-ca/));
    }
  });

  it('a certificate the client refuses is PG_TLS_FAILED naming host and mode; a server error mentioning "certificate" is not', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const typed = translatePostgresError(untrusted, 'u@db.internal:5432/shop', ['secret'], 'verify-full');
    assert.equal(typed.code, 'PG_TLS_FAILED');
    assert.match(typed.message, /db\.internal/);
    assert.match(typed.message, /sslMode verify-full/);
    assert.match(typed.message, /sslRootCert/);
    const host = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    assert.match(translatePostgresError(host, 't', [], 'verify-full').message, /does not name this host/);
    assert.match(translatePostgresError(new Error('The server does not support SSL connections'), 't', [], 'require').message, /TLS off/);
    const sql = Object.assign(new Error('relation "certificate" does not exist'), { code: '42P01' });
    assert.equal(translatePostgresError(sql, 't', []).code, 'PG_ERROR');
  });

  it('a server shutting down or left by its crashed postmaster (SQLSTATE 57P01/57P02/57P03) is PG_UNREACHABLE; other server errors stay PG_ERROR', () => {
    for (const [code, text] of [
      ['57P01', 'terminating connection due to administrator command'],
      ['57P02', 'terminating connection because of crash of another server process'],
      ['57P03', 'the database system is starting up'],
    ]) {
      const typed = translatePostgresError(Object.assign(new Error(text), { code }), 'u@db:5432/shop', []);
      assert.equal(typed.code, 'PG_UNREACHABLE', code);
      assert.match(typed.message, new RegExp(`SQLSTATE ${code}`));
      assert.match(typed.message, /u@db:5432\/shop/);
    }
    assert.equal(translatePostgresError(Object.assign(new Error('division by zero'), { code: '22012' }), 't', []).code, 'PG_ERROR');
  });

  it('a Bolt certificate the driver refuses is NEO4J_TLS_FAILED with the way out, not NEO4J_UNREACHABLE', () => {
    const error = Object.assign(new Error('Failed to connect to server. ... Caused by: Server certificate is not trusted.'), { code: 'ServiceUnavailable' });
    const typed = translateNeo4jError(error, 'neo4j@bolt+s://graph.internal:7687', []);
    assert.equal(typed.code, 'NEO4J_TLS_FAILED');
    assert.match(typed.message, /bolt\+s:\/\/graph\.internal:7687/);
    assert.match(typed.message, /NODE_EXTRA_CA_CERTS/);
    assert.equal(
      translateNeo4jError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7687'), { code: 'ServiceUnavailable' }), 't', []).code,
      'NEO4J_UNREACHABLE',
    );
    const closed = translateNeo4jError(
      Object.assign(new Error('Connection was closed by server'), { code: 'ServiceUnavailable' }),
      'neo4j@bolt://graph:7687',
      [],
    );
    assert.equal(closed.code, 'NEO4J_UNREACHABLE');
    assert.match(closed.message, /requires TLS, use bolt\+s:\/\/ or bolt\+ssc:\/\//);
  });
});
