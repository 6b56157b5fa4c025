/**
 * Secrets on the command line, against real servers: --pg never needs a password (PGPASSFILE gives it, against a
 * server that checks it), a --pg URL holding one is warned about and never echoed, and a Bolt URI with
 * ?password= is refused without being echoed; a URI we print for an unreachable server has its query masked.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { createScratchDatabase, neo4jSettings, type ScratchDatabase } from '../support/databases';
import { pg2graph, pg2graphVerbatim } from '../support/cli';
import { assertNoSecret } from '../support/secrets';

describe('pg2graph: passwords stay out of arguments and printed URIs', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let dir: string;
  let neo: NodeJS.ProcessEnv;
  let bare: string;
  let password: string;

  before(async () => {
    db = await createScratchDatabase('clisecrets', { login: 'checked-password' });
    password = db.settings.password as string;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-secrets-'));
    const n = neo4jSettings();
    neo = { NEO4J_URI: n.uri, NEO4J_USER: n.user, NEO4J_PASSWORD: n.password, PGPASSWORD: undefined, PGPASSFILE: undefined };
    const url = new URL(db.url);
    url.password = '';
    bare = url.toString();
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  function passFile(line: string): string {
    const file = path.join(dir, `pgpass-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, `# test\n${line}\n`, { mode: 0o600 });
    return file;
  }

  it('--pg without a password logs in with the one in PGPASSFILE', async () => {
    const { hostname, port } = new URL(db.url);
    const file = passFile(`${hostname}:${port}:${db.name}:${db.settings.user}:${password.replace(/[:\\]/g, '\\$&')}`);
    const run = await pg2graph(['check', '--pg', bare, '--json'], { ...neo, PGPASSFILE: file });
    const result = JSON.parse(run.stdout);
    assert.equal(result.postgres.ok, true, run.stdout);
    assert.doesNotMatch(run.stderr, /warning: --pg holds a password/);
  });

  it('a wrong password in the file is refused by the server: PG_AUTH_FAILED', async () => {
    const file = passFile(`*:*:*:*:not-${password}`);
    const run = await pg2graph(['check', '--pg', bare, '--json'], { ...neo, PGPASSFILE: file });
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.stdout).postgres.code, 'PG_AUTH_FAILED');
  });

  it('--pg with a password works, is warned about on stderr, and is never echoed', async () => {
    const run = await pg2graphVerbatim(['check', '--pg', db.url], neo);
    assert.match(run.stderr, /^warning: --pg holds a password, which every user of this machine can read in the process list \(ps\)/);
    assert.match(run.stdout, /^postgres: ok /m);
    assertNoSecret(run.stdout + run.stderr, [password], 'the password is in no output');
  });

  it('a Bolt URI with ?password= is refused naming the setting, without echoing it', async () => {
    const secret = 'bolt-hunter22';
    const run = await pg2graph(['check', '--pg', bare, '--neo4j-uri', `bolt://127.0.0.1:7687?password=${secret}`, '--json'], { ...neo, PGPASSWORD: password });
    const result = JSON.parse(run.stdout);
    assert.equal(result.neo4j.code, 'NEO4J_SETTING_INVALID');
    assert.match(result.neo4j.message, /"uri" must not hold a password or other secret as a query parameter \(bolt:\/\/127\.0\.0\.1:7687\?password=\*\*\*\)/);
    assertNoSecret(run.stdout + run.stderr, [secret], 'the Bolt URI password is in no output');
  });

  it('a URI printed for an unreachable server has its query values masked', async () => {
    const run = await pg2graph(['check', '--pg', bare, '--neo4j-uri', 'neo4j://127.0.0.1:1?region=token-abc123', '--json'], { ...neo, PGPASSWORD: password });
    const result = JSON.parse(run.stdout);
    assert.equal(result.neo4j.ok, false);
    assert.match(result.neo4j.target, /^neo4j@neo4j:\/\/127\.0\.0\.1:1\?region=\*\*\*/);
    assertNoSecret(run.stdout + run.stderr, ['token-abc123'], 'the query value is in no output');
  });
});
