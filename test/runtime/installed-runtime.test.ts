/**
 * The pack installed into a plain Node-RED user directory and run by the real runtime (a child process of the
 * Node-RED version under test): every pg2graph type registers without a load error, the admin endpoints need
 * the editor's permission, and a deployed flow keeps passwords out of flows.json.
 */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import { nodeRedMajor, nodeRedPackage } from '../support/env';
import { neo4jSettings, createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { assertNoSecret } from '../support/secrets';

const ROOT = path.resolve(__dirname, '..', '..');
const ADMIN_PASSWORD = 'admin-pass-for-tests';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(text: string, rounds: number): string };
interface Runtime {
  url: string;
  userDir: string;
  output(): string;
  stop(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNodeRed } = require('../../scripts/lib/node-red-runtime') as {
  startNodeRed(options: { major: 4 | 5; settings: Record<string, unknown> }): Promise<Runtime>;
};

function packageTypes(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return Object.keys(pkg['node-red'].nodes);
}

describe(`the pack in a real Node-RED runtime (${nodeRedPackage()})`, function () {
  this.timeout(90_000);
  let runtime: Runtime;
  let userDir: string;
  let base: string;
  let token: string;
  let db: ScratchDatabase;

  before(async () => {
    // reached as a role with a known password, which must stay out of the flow files
    db = await createScratchDatabase('rt', { login: 'password' });
    runtime = await startNodeRed({
      major: nodeRedMajor(),
      settings: {
        credentialSecret: 'a-secret-for-this-test',
        adminAuth: { type: 'credentials', users: [{ username: 'admin', password: bcrypt.hashSync(ADMIN_PASSWORD, 8), permissions: '*' }] },
      },
    });
    base = runtime.url;
    userDir = runtime.userDir;
    const login = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: 'admin', password: ADMIN_PASSWORD }),
    });
    assert.equal(login.status, 200);
    token = ((await login.json()) as { access_token: string }).access_token;
  });

  after(async () => {
    await runtime?.stop();
    await db.drop();
  });

  const authorized = () => ({ authorization: `Bearer ${token}` });

  it('registers every pg2graph- type with no load error', async () => {
    const response = await fetch(`${base}/nodes`, { headers: { ...authorized(), accept: 'application/json' } });
    assert.equal(response.status, 200);
    const sets = (await response.json()) as Array<{ module: string; types: string[]; err?: string; enabled: boolean }>;
    const ours = sets.filter((s) => s.module === '@pg2graph/node-red-pg2graph');
    const registered = ours.flatMap((s) => s.types).sort();
    assert.deepEqual(registered, packageTypes().sort());
    for (const set of ours) {
      assert.equal(set.err, undefined, `${set.types.join(',')}: ${set.err}`);
      assert.equal(set.enabled, true);
    }
    assert.ok(registered.every((t) => t.startsWith('pg2graph-')));
    assert.doesNotMatch(runtime.output(), /pg2graph[^\n]*(Error|error|failed)/, 'no pg2graph load error in the runtime log');
  });

  it('serves the editor files and help of every node', async () => {
    const response = await fetch(`${base}/nodes`, { headers: { ...authorized(), accept: 'text/html' } });
    const html = await response.text();
    for (const type of packageTypes()) {
      assert.match(html, new RegExp(`data-template-name="${type}"`), `${type} edit template`);
      assert.match(html, new RegExp(`data-help-name="${type}"`), `${type} help`);
    }
    const catalog = await fetch(`${base}/locales/@pg2graph/node-red-pg2graph/pg2graph-postgres?lng=en-US`, { headers: authorized() });
    assert.equal(((await catalog.json()) as Record<string, { test: { button: string } }>)['pg2graph-postgres'].test.button, 'Test connection');
  });

  it('lists the example flows under Import > Examples; together they use every node of the pack', async () => {
    const listing = await fetch(`${base}/library/examples/flows/@pg2graph/node-red-pg2graph/`, { headers: authorized() });
    assert.equal(listing.status, 200);
    const files = ((await listing.json()) as Array<{ fn?: string } | string>).map((f) => (typeof f === 'string' ? f : (f.fn ?? '')));
    const onDisk = fs
      .readdirSync(path.join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    assert.deepEqual([...files].sort(), [...onDisk].sort());
    const used = new Set<string>();
    const core = new Set(['tab', 'comment', 'inject', 'debug', 'catch']);
    for (const name of onDisk) {
      const response = await fetch(`${base}/library/examples/flows/@pg2graph/node-red-pg2graph/${encodeURIComponent(name)}`, { headers: authorized() });
      assert.equal(response.status, 200, name);
      const flow = (await response.json()) as Array<{ type: string; info?: string }>;
      for (const node of flow) {
        assert.ok(core.has(node.type) || packageTypes().includes(node.type), `${name}: node type ${node.type} is neither core nor this pack's`);
        used.add(node.type);
      }
      assert.ok(
        flow.some((n) => n.type === 'comment' && (n.info ?? '').length > 100),
        `${name} explains itself in a comment node`,
      );
    }
    for (const type of packageTypes()) assert.ok(used.has(type), `${type} appears in an example`);
  });

  it('requires the editor permission for the test-connection endpoints', async () => {
    const body = JSON.stringify({ host: db.settings.host, port: db.settings.port, database: db.name, user: db.settings.user, password: db.settings.password });
    const headers = { 'content-type': 'application/json' };
    const anonymous = await fetch(`${base}/pg2graph-postgres/test`, { method: 'POST', headers, body });
    assert.equal(anonymous.status, 401);
    const anonymousNeo4j = await fetch(`${base}/pg2graph-neo4j/test`, { method: 'POST', headers, body: '{}' });
    assert.equal(anonymousNeo4j.status, 401);
    const allowed = await fetch(`${base}/pg2graph-postgres/test`, { method: 'POST', headers: { ...headers, ...authorized() }, body });
    assert.equal(allowed.status, 200);
    const answer = (await allowed.json()) as { ok: boolean; server: string };
    assert.equal(answer.ok, true);
    assert.match(answer.server, /^PostgreSQL/);
  });

  it('keeps the passwords of a deployed flow out of flows.json and GET /flows', async () => {
    const neo = neo4jSettings();
    const flows = [
      { id: 'tab1', type: 'tab', label: 'migration' },
      {
        id: 'pgcfg',
        type: 'pg2graph-postgres',
        name: 'source',
        host: db.settings.host,
        port: db.settings.port,
        database: db.name,
        sslMode: 'disable',
        poolSize: 2,
        applicationName: 'pg2graph',
        connectionEnv: '',
        credentials: { user: db.settings.user, password: db.settings.password },
      },
      {
        id: 'neocfg',
        type: 'pg2graph-neo4j',
        name: 'target',
        uri: neo.uri,
        database: '',
        dialect: 'neo4j',
        tls: 'uri',
        credentials: { user: neo.user, password: neo.password },
      },
    ];
    const deploy = await fetch(`${base}/flows`, {
      method: 'POST',
      headers: { ...authorized(), 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.ok(deploy.status === 200 || deploy.status === 204, `deploy answered ${deploy.status}`);
    const onDisk = fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8');
    assert.match(onDisk, /pg2graph-postgres/);
    const credentialsFile = fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
    const served = await (await fetch(`${base}/flows`, { headers: authorized() })).text();
    const secrets = [db.settings.password, neo.password];
    assertNoSecret(onDisk, secrets, 'flows.json holds no password');
    assertNoSecret(credentialsFile, secrets, 'flows_cred.json holds the password encrypted only');
    assertNoSecret(served, secrets, 'GET /flows holds no password');
    assert.doesNotMatch(runtime.output(), /Error|error/, `runtime log after deploy:\n${runtime.output()}`);
  });
});
