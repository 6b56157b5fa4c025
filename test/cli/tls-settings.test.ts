/**
 * The command line's TLS settings, bad input: an unknown PGSSLMODE and a PGSSLROOTCERT that cannot be read end
 * `pg2graph check` and `migrate` at once with PG_SETTING_INVALID naming the setting, and never print the password.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { neo4jSettings } from '../support/databases';
import { pg2graph } from '../support/cli';
import { assertNoSecret } from '../support/secrets';

describe('pg2graph TLS settings (bad input)', function () {
  this.timeout(60_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const password = 'pw-tls-settings-7f3a';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-tls-cli-'));
    fs.writeFileSync(path.join(dir, 'plan.json'), '{}');
    const neo = neo4jSettings();
    // a server nobody needs to reach: the settings are refused before any connection
    env = { PGHOST: '127.0.0.1', PGPORT: '1', PGUSER: 'someone', PGPASSWORD: password, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const command of [['check'], ['migrate', '--plan', 'PLAN']]) {
    it(`${command[0]}: an unknown PGSSLMODE is PG_SETTING_INVALID naming PGSSLMODE and the modes it takes`, async () => {
      const args = command.map((a) => (a === 'PLAN' ? path.join(dir, 'plan.json') : a));
      const run = await pg2graph(args, { ...env, PGSSLMODE: 'prefer' }, 30_000);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, /PG_SETTING_INVALID: PGSSLMODE must be one of disable, require, verify-ca, verify-full, got "prefer"/);
      assertNoSecret(run.stdout + run.stderr, [password], 'no password in the output');
    });
  }

  it('check: a PGSSLROOTCERT that does not exist is PG_SETTING_INVALID naming the file', async () => {
    const missing = path.join(dir, 'no-such-ca.crt');
    const run = await pg2graph(['check'], { ...env, PGSSLMODE: 'verify-full', PGSSLROOTCERT: missing }, 30_000);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /postgres: FAILED .*PG_SETTING_INVALID: Postgres setting "sslRootCert" names file ".*no-such-ca\.crt", which cannot be read \(ENOENT\)/,
    );
    assertNoSecret(run.stdout + run.stderr, [password], 'no password in the output');
  });
});
