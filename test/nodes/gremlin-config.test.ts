/**
 * The pg2graph-neo4j config node on protocol "gremlin" (Node-RED 4.1 and 5.0), against the real Gremlin Server
 * the test hooks start: its connection runs a real traversal, it closes its client on redeploy, the Test
 * connection button answers for good and bad settings (without echoing a password), bad settings reach a Catch
 * node through the node using the connection, naming the setting, and a flow without the protocol setting (made
 * before it existed) stays on Bolt.
 */
import assert from 'assert/strict';
import net from 'net';
import { helper, nodeModule, withNodeRedServer } from '../support/node-red';
import { checkerFlow, runCheck as runGraphCheck } from '../support/config-check';
import { gremlinGraphConfig } from '../support/migration-flow';
import { neo4jSettings } from '../support/databases';
import { assertNoSecret } from '../support/secrets';
import { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { isPg2GraphError } from '../../dist/engine/core/errors';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testCheck = require('../fixtures/pg2graph-test-check');

const modules = [nodeModule('pg2graph-neo4j'), testCheck];
const SECRET = 'gremlin-test-secret-6151';

/** The graph connection `cfg` (type and name given) behind the checker. */
const flow = (config: Record<string, unknown>) => checkerFlow({ type: 'pg2graph-neo4j', name: 'graph', ...config }, 'neo4j');
const runCheck = () => runGraphCheck(20_000);

const connectionOf = (id: string) => (helper.getNode(id) as unknown as { connection: unknown }).connection;

/** A port that accepts connections and never answers (a frozen server, a black-holing proxy). */
async function silentPort(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('pg2graph-neo4j config node, protocol gremlin', function () {
  this.timeout(30_000);
  withNodeRedServer();

  it('runs a real traversal on the real Gremlin Server through the node using it', async () => {
    await helper.load(modules, flow(gremlinGraphConfig()), {});
    assert.ok(connectionOf('cfg') instanceof GremlinConnection);
    const { payload, error } = await runCheck();
    assert.equal(error, undefined);
    assert.equal(payload?.url, gremlinGraphConfig().uri);
    assert.equal(payload?.traversalSource, 'g');
  });

  it('closes its client on redeploy: the old connection refuses further use', async () => {
    await helper.load(modules, flow(gremlinGraphConfig()), {});
    await runCheck();
    const old = connectionOf('cfg') as GremlinConnection;
    await helper.setFlows([{ id: 'tab', type: 'tab', label: 'empty' }], 'full');
    assert.throws(
      () => old.g(),
      (error: unknown) => isPg2GraphError(error) && error.code === 'GREMLIN_CLOSED',
    );
  });

  it('a flow saved before the protocol setting existed stays on Bolt', async () => {
    const neo = neo4jSettings();
    await helper.load(modules, flow({ uri: neo.uri, database: '', dialect: 'neo4j', tls: 'uri' }), {});
    assert.ok(connectionOf('cfg') instanceof Neo4jConnection);
  });

  const badCases = [
    {
      title: 'an unknown protocol',
      config: { protocol: 'sparql' },
      code: 'NEO4J_SETTING_INVALID',
      mentions: /"protocol" must be one of bolt, gremlin, got "sparql"/,
    },
    { title: 'a Bolt URI on protocol gremlin', config: { uri: 'bolt://127.0.0.1:7687' }, code: 'GREMLIN_SETTING_INVALID', mentions: /"url" has scheme "bolt"/ },
    { title: 'a traversal source the server does not have', config: { traversalSource: 'nope' }, code: 'GREMLIN_TRAVERSAL_SOURCE_UNKNOWN', mentions: /"nope"/ },
    { title: 'a server nobody listens on', config: { uri: 'ws://127.0.0.1:1/gremlin' }, code: 'GREMLIN_UNREACHABLE', mentions: /127\.0\.0\.1:1/ },
  ];
  for (const bad of badCases) {
    it(`reports ${bad.title} as ${bad.code} to a Catch node, within seconds, naming it`, async () => {
      await helper.load(modules, flow({ ...gremlinGraphConfig(), ...bad.config }), { cfg: { user: 'migrator', password: SECRET } });
      const { error, elapsedMs } = await runCheck();
      assert.ok(error, 'the error reached the Catch node');
      assert.equal(error.code, bad.code);
      assert.match(error.message, bad.mentions);
      assertNoSecret(error.message, [SECRET], 'no password in the message');
      assert.ok(elapsedMs < 10_000, `took ${elapsedMs} ms`);
    });
  }

  it('a server that accepts and never answers fails the check with GREMLIN_UNREACHABLE within the connect timeout', async () => {
    const silent = await silentPort();
    try {
      await helper.load(modules, flow({ ...gremlinGraphConfig(), uri: `ws://127.0.0.1:${silent.port}/gremlin` }), {});
      const { error, elapsedMs } = await runCheck();
      assert.equal(error?.code, 'GREMLIN_UNREACHABLE');
      assert.match(String(error?.message), /gave no answer to the connection check within 5000 ms/);
      assert.ok(elapsedMs < 12_000, `took ${elapsedMs} ms`);
    } finally {
      await silent.close();
    }
  });

  it('answers the Test connection button for good and bad Gremlin settings, never with the password', async () => {
    await helper.load(modules, flow(gremlinGraphConfig()), { cfg: { user: 'migrator', password: SECRET } });
    const fields = gremlinGraphConfig();
    const good = await helper.request().post('/pg2graph-neo4j/test').send(fields).expect(200);
    assert.equal(good.body.ok, true, JSON.stringify(good.body));
    assert.equal(good.body.server, `Gremlin ${fields.uri} (traversal source g)`);
    const unknownSource = await helper
      .request()
      .post('/pg2graph-neo4j/test')
      .send({ ...fields, id: 'cfg', traversalSource: 'nope', password: '__PWRD__' })
      .expect(200);
    assert.equal(unknownSource.body.ok, false);
    assert.equal(unknownSource.body.code, 'GREMLIN_TRAVERSAL_SOURCE_UNKNOWN');
    assertNoSecret(unknownSource.text, [SECRET], 'the stored password is not in the answer');
    const unreachable = await helper
      .request()
      .post('/pg2graph-neo4j/test')
      .send({ ...fields, uri: 'ws://127.0.0.1:1/gremlin', user: 'migrator', password: SECRET })
      .expect(200);
    assert.equal(unreachable.body.ok, false);
    assert.equal(unreachable.body.code, 'GREMLIN_UNREACHABLE');
    assertNoSecret(unreachable.text, [SECRET], 'the typed password is not in the answer');
    const badProtocol = await helper
      .request()
      .post('/pg2graph-neo4j/test')
      .send({ ...fields, protocol: 'sparql' })
      .expect(200);
    assert.equal(badProtocol.body.code, 'NEO4J_SETTING_INVALID');
  });
});
