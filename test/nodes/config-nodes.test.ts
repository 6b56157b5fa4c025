import assert from 'assert/strict';
import { helper, nodeModule, withNodeRedServer } from '../support/node-red';
import { checkerFlow, runCheck } from '../support/config-check';
import { boltConnectionsWithAgent, createScratchDatabase, eventually, passwordCheckingNeo4j, testDriver, type ScratchDatabase } from '../support/databases';
import type { Neo4jSettings } from '../../dist/engine/connect/neo4j-settings';
import type { Driver } from 'neo4j-driver';
import { assertNoSecret } from '../support/secrets';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testCheck = require('../fixtures/pg2graph-test-check');

const postgresNode = nodeModule('pg2graph-postgres');
const neo4jNode = nodeModule('pg2graph-neo4j');
const modules = [postgresNode, neo4jNode, testCheck];

function lastStatus(nodeId: string): { fill?: string; shape?: string; text?: string } {
  const node = helper.getNode(nodeId) as unknown as { status: { lastCall?: { args: Array<Record<string, string>> } } };
  return node.status.lastCall?.args[0] ?? {};
}

describe('config nodes', function () {
  this.timeout(30_000);
  let db: ScratchDatabase;
  let neo: Neo4jSettings;
  let driver: Driver;

  before(async function () {
    this.timeout(300_000);
    // a role with a known password on a server that refuses a wrong one: the login failures below are real
    db = await createScratchDatabase('cfg', { login: 'checked-password' });
    // likewise a Neo4j that checks passwords (the test Neo4j may have auth disabled)
    neo = await passwordCheckingNeo4j();
    driver = testDriver(neo);
  });
  after(async () => {
    await db.drop();
    await driver.close();
  });

  withNodeRedServer();

  function postgresConfig(overrides: Record<string, unknown> = {}) {
    return {
      type: 'pg2graph-postgres',
      name: 'source',
      host: db.settings.host,
      port: db.settings.port,
      database: db.settings.database,
      sslMode: 'disable',
      poolSize: '3',
      applicationName: 'pg2graph-test',
      ...overrides,
    };
  }
  const pgCredentials = () => ({ cfg: { user: db.settings.user as string, password: db.settings.password as string } });

  function neo4jConfig(overrides: Record<string, unknown> = {}) {
    return { type: 'pg2graph-neo4j', name: 'target', uri: neo.uri, database: '', dialect: 'neo4j', tls: 'uri', ...overrides };
  }
  const neoCredentials = () => ({ cfg: { user: neo.user as string, password: neo.password as string } });

  describe('pg2graph-postgres', () => {
    it('loads with its credentials and keeps them out of the flow', async () => {
      await helper.load(modules, checkerFlow(postgresConfig(), 'postgres'), pgCredentials());
      const cfg = helper.getNode('cfg') as unknown as { credentials: Record<string, string>; connection: unknown };
      assert.equal(cfg.credentials.password, db.settings.password);
      assert.ok(cfg.connection, 'the config node exposes its connection');
      const exported = JSON.stringify(helper._redNodes.getFlows());
      assertNoSecret(exported, [db.settings.password], 'the password is not part of the flow export');
    });

    it('runs a real query on the real Postgres', async () => {
      await helper.load(modules, checkerFlow(postgresConfig(), 'postgres'), pgCredentials());
      const { payload, error } = await runCheck();
      assert.equal(error, undefined);
      assert.match(String(payload?.version), /^PostgreSQL \d+/);
      assert.equal(payload?.database, db.name);
      assert.equal(lastStatus('check').fill, 'green');
    });

    it('closes its pool on redeploy: no connection left in pg_stat_activity', async () => {
      const appName = `pg2graph-redeploy-${process.pid}`;
      await helper.load(modules, checkerFlow(postgresConfig({ applicationName: appName }), 'postgres'), pgCredentials());
      await runCheck();
      assert.ok((await db.connectionsNamed(appName)) >= 1, 'the pool keeps an idle connection while deployed');
      await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
      const left = await eventually(
        () => db.connectionsNamed(appName),
        (n) => n === 0,
      );
      assert.equal(left, 0);
    });

    const badCases: Array<{
      title: string;
      config: Record<string, unknown>;
      credentials?: (c: Record<string, string>) => Record<string, string>;
      code: string;
      mentions: RegExp;
    }> = [
      {
        title: 'a wrong password',
        config: {},
        credentials: (c) => ({ ...c, password: 'wrong-secret-value' }),
        code: 'PG_AUTH_FAILED',
        mentions: /refused the login/,
      },
      { title: 'an unreachable host (closed port)', config: { host: '127.0.0.1', port: '1' }, code: 'PG_UNREACHABLE', mentions: /127\.0\.0\.1:1/ },
      { title: 'an unroutable host (connect timeout)', config: { host: '10.255.255.1', port: '5432' }, code: 'PG_UNREACHABLE', mentions: /10\.255\.255\.1/ },
      { title: 'a wrong database name', config: { database: 'no_such_database_here' }, code: 'PG_DATABASE_NOT_FOUND', mentions: /no_such_database_here/ },
      { title: 'an invalid port setting', config: { port: 'abc' }, code: 'PG_SETTING_INVALID', mentions: /"port"/ },
      {
        title: 'an unset environment variable for the URL',
        config: { connectionEnv: 'PG2GRAPH_NOT_SET_ANYWHERE' },
        code: 'PG_SETTING_INVALID',
        mentions: /PG2GRAPH_NOT_SET_ANYWHERE/,
      },
    ];
    for (const bad of badCases) {
      it(`reports ${bad.title} as ${bad.code} to a Catch node within seconds`, async () => {
        const credentials = pgCredentials();
        if (bad.credentials) credentials.cfg = bad.credentials(credentials.cfg) as typeof credentials.cfg;
        await helper.load(modules, checkerFlow(postgresConfig(bad.config), 'postgres'), credentials);
        const { error, elapsedMs } = await runCheck();
        assert.ok(error, 'the error reached the Catch node');
        assert.equal(error.code, bad.code);
        assert.match(error.message, bad.mentions);
        assertNoSecret(error.message, ['wrong-secret-value', db.settings.password], 'no password in the message');
        assert.ok(elapsedMs < 8000, `took ${elapsedMs} ms`);
        assert.deepEqual(lastStatus('check'), { fill: 'red', shape: 'ring', text: `test-check.status.${bad.code}` });
      });
    }

    it('takes the connection URL from the named environment variable', async () => {
      process.env.PG2GRAPH_TEST_URL = db.url;
      try {
        await helper.load(modules, checkerFlow(postgresConfig({ host: '', database: '', connectionEnv: 'PG2GRAPH_TEST_URL' }), 'postgres'), {});
        const { payload, error } = await runCheck();
        assert.equal(error, undefined);
        assert.equal(payload?.database, db.name);
      } finally {
        delete process.env.PG2GRAPH_TEST_URL;
      }
    });

    it('answers the test-connection endpoint without echoing the password', async () => {
      await helper.load(modules, checkerFlow(postgresConfig(), 'postgres'), pgCredentials());
      const fields = { host: db.settings.host, port: db.settings.port, database: db.settings.database, sslMode: 'disable' };
      const good = await helper
        .request()
        .post('/pg2graph-postgres/test')
        .send({ ...fields, user: db.settings.user, password: db.settings.password })
        .expect(200);
      assert.equal(good.body.ok, true);
      assert.match(good.body.server, /^PostgreSQL/);
      const stored = await helper
        .request()
        .post('/pg2graph-postgres/test')
        .send({ id: 'cfg', ...fields, password: '__PWRD__' })
        .expect(200);
      assert.equal(stored.body.ok, true, 'an untouched password field falls back to the stored credentials');
      const bad = await helper
        .request()
        .post('/pg2graph-postgres/test')
        .send({ ...fields, user: db.settings.user, password: 'not-the-password-42' })
        .expect(200);
      assert.equal(bad.body.ok, false);
      assert.equal(bad.body.code, 'PG_AUTH_FAILED');
      assertNoSecret(bad.text, ['not-the-password-42'], 'no password in the answer');
    });
  });

  describe('pg2graph-neo4j', () => {
    it('runs a real Cypher statement on the real Neo4j', async () => {
      await helper.load(modules, checkerFlow(neo4jConfig(), 'neo4j'), neoCredentials());
      const { payload, error } = await runCheck();
      assert.equal(error, undefined);
      assert.match(String(payload?.agent), /^Neo4j\/5\./);
      const exported = JSON.stringify(helper._redNodes.getFlows());
      assertNoSecret(exported, [neo.password], 'the password is not part of the flow export');
    });

    it('closes its driver on redeploy: the server lists no connection of it', async () => {
      await helper.load(modules, checkerFlow(neo4jConfig(), 'neo4j'), neoCredentials());
      await runCheck();
      assert.ok((await boltConnectionsWithAgent(driver, 'pg2graph/cfg')) >= 1, 'the driver holds a connection while deployed');
      await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
      assert.equal(
        await eventually(
          () => boltConnectionsWithAgent(driver, 'pg2graph/cfg'),
          (n) => n === 0,
        ),
        0,
      );
    });

    const badCases: Array<{ title: string; config: Record<string, unknown>; password?: string; code: string; mentions: RegExp }> = [
      { title: 'a malformed Bolt URI', config: { uri: 'bolt//127.0.0.1:7687' }, code: 'NEO4J_SETTING_INVALID', mentions: /"uri"/ },
      { title: 'an unknown URI scheme', config: { uri: 'http://127.0.0.1:7474' }, code: 'NEO4J_SETTING_INVALID', mentions: /scheme "http"/ },
      { title: 'a wrong password', config: {}, password: 'wrong-neo4j-secret', code: 'NEO4J_AUTH_FAILED', mentions: /refused the login/ },
      { title: 'an unreachable server', config: { uri: 'bolt://127.0.0.1:1' }, code: 'NEO4J_UNREACHABLE', mentions: /127\.0\.0\.1:1/ },
      { title: 'a wrong database name', config: { database: 'nosuchgraph' }, code: 'NEO4J_DATABASE_NOT_FOUND', mentions: /nosuchgraph/ },
    ];
    for (const bad of badCases) {
      it(`reports ${bad.title} as ${bad.code} to a Catch node within seconds`, async () => {
        const credentials = neoCredentials();
        if (bad.password) credentials.cfg.password = bad.password;
        await helper.load(modules, checkerFlow(neo4jConfig(bad.config), 'neo4j'), credentials);
        const { error, elapsedMs } = await runCheck();
        assert.ok(error, 'the error reached the Catch node');
        assert.equal(error.code, bad.code);
        assert.match(error.message, bad.mentions);
        assertNoSecret(error.message, ['wrong-neo4j-secret', neo.password], 'no password in the message');
        assert.ok(elapsedMs < 8000, `took ${elapsedMs} ms`);
        assert.equal(lastStatus('check').shape, 'ring');
      });
    }

    it('answers the test-connection endpoint without echoing the password', async () => {
      await helper.load(modules, checkerFlow(neo4jConfig(), 'neo4j'), neoCredentials());
      const good = await helper.request().post('/pg2graph-neo4j/test').send({ uri: neo.uri, user: neo.user, password: neo.password }).expect(200);
      assert.equal(good.body.ok, true);
      assert.match(good.body.server, /^Neo4j\//);
      const stored = await helper.request().post('/pg2graph-neo4j/test').send({ id: 'cfg', uri: neo.uri, password: '__PWRD__' }).expect(200);
      assert.equal(stored.body.ok, true);
      const bad = await helper.request().post('/pg2graph-neo4j/test').send({ uri: neo.uri, user: neo.user, password: 'nope-not-it-77' }).expect(200);
      assert.equal(bad.body.ok, false);
      assert.equal(bad.body.code, 'NEO4J_AUTH_FAILED');
      assertNoSecret(bad.text, ['nope-not-it-77'], 'no password in the answer');
    });
  });
});
