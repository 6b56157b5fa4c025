/**
 * The preview endpoint of pg2graph-schema in a real Node-RED runtime (the version under test) with editor
 * authentication on: anonymous callers get 401, users without the permission 403, and an authorised editor
 * the plan through the deployed Postgres config node.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { nodeRedPackage } from '../support/env';
import type { ScratchDatabase } from '../support/databases';
import { fixtureDatabase } from '../engine/schema-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(text: string, rounds: number): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../../scripts/lib/free-port') as { freePort(): Promise<number> };

const USERS = { admin: '*', viewer: 'read', outsider: ['flows.read'] } as const;
const PASSWORD = 'pass-for-schema-runtime-test';

describe(`pg2graph-schema preview in a real Node-RED runtime (${nodeRedPackage()})`, function () {
  this.timeout(90_000);
  let db: ScratchDatabase;
  let userDir: string;
  let child: ChildProcess;
  let base: string;
  let output = '';
  const tokens: Record<string, string> = {};

  before(async () => {
    db = await fixtureDatabase('schemart');
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-schema-nr-'));
    fs.mkdirSync(path.join(userDir, 'node_modules', '@pg2graph'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(userDir, 'node_modules', '@pg2graph', 'node-red-pg2graph'), 'dir');
    fs.writeFileSync(
      path.join(userDir, 'package.json'),
      JSON.stringify({ name: 'nr', private: true, dependencies: { '@pg2graph/node-red-pg2graph': `file:${ROOT}` } }),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const settings = {
      uiHost: '127.0.0.1',
      uiPort: port,
      credentialSecret: 'schema-runtime-secret',
      flowFile: 'flows.json',
      telemetry: { enabled: false },
      diagnostics: { enabled: false },
      externalModules: { palette: { allowInstall: false } },
      adminAuth: {
        type: 'credentials',
        users: Object.entries(USERS).map(([username, permissions]) => ({ username, password: bcrypt.hashSync(PASSWORD, 8), permissions })),
      },
    };
    fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings)};\n`);
    const redJs = path.join(path.dirname(require.resolve(`${nodeRedPackage()}/package.json`)), 'red.js');
    child = spawn(process.execPath, [redJs, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 60_000;
    while (!/Server now running|Started flows/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Node-RED did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const [username, permissions] of Object.entries(USERS)) {
      const scope = Array.isArray(permissions) ? permissions.join(' ') : permissions;
      const login = await fetch(`${base}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope, username, password: PASSWORD }),
      });
      assert.equal(login.status, 200, `login of ${username}`);
      tokens[username] = ((await login.json()) as { access_token: string }).access_token;
    }
    const flows = [
      { id: 'tab1', type: 'tab', label: 'schema' },
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
        id: 'schema1',
        type: 'pg2graph-schema',
        z: 'tab1',
        postgres: 'pgcfg',
        schemas: 'public',
        include: '',
        exclude: '',
        typePolicies: '',
        overrides: '',
        wires: [[]],
      },
    ];
    const deploy = await fetch(`${base}/flows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.ok(deploy.status === 200 || deploy.status === 204, `deploy answered ${deploy.status}`);
    // Node-RED 5 answers the deploy before the new flows have started
    const started = Date.now() + 20_000;
    while ((output.match(/Started flows/g) ?? []).length < 2) {
      if (Date.now() > started) throw new Error(`the deployed flows did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    fs.rmSync(userDir, { recursive: true, force: true });
    await db.drop();
  });

  const preview = (token?: string) =>
    fetch(`${base}/pg2graph-schema/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ postgres: 'pgcfg', schemas: 'public', overrides: { labels: { 'public.customers': 'Client' } } }),
    });

  it('refuses anonymous callers and users without the permission (Node-RED answers 401 to both)', async () => {
    assert.equal((await preview()).status, 401);
    assert.equal((await preview(tokens.outsider)).status, 401);
  });

  it('answers an editor with read permission with the plan through the deployed connection', async () => {
    for (const user of ['viewer', 'admin']) {
      const response = await preview(tokens[user]);
      assert.equal(response.status, 200, user);
      const body = (await response.json()) as { ok: boolean; message?: string; plan: { nodes: Array<{ id: string; label: string }> } };
      assert.equal(body.ok, true, `${body.message}\n${output}`);
      assert.equal(body.plan.nodes.find((n) => n.id === 'public.customers')?.label, 'Client');
    }
    assert.doesNotMatch(output, /pg2graph[^\n]*(Error|error)/, 'no pg2graph error in the runtime log');
  });

  it("serves the node's message catalog", async () => {
    const catalog = await fetch(`${base}/locales/@pg2graph/node-red-pg2graph/pg2graph-schema?lng=en-US`, {
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    const messages = (await catalog.json()) as Record<string, { editor: { load: string }; status: { ready: string } }>;
    assert.equal(messages['pg2graph-schema'].editor.load, 'Load from database');
    assert.equal(messages['pg2graph-schema'].status.ready, '__labels__ labels / __types__ types');
  });
});
