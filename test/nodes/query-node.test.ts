/**
 * graph query in Node-RED (4.1 and 5.0) against the real Neo4j: a query with params returns plain rows keyed
 * by column, msg.cypher overrides the node's own, failures reach a Catch node with their code, a missing or
 * Gremlin graph connection is named. The node's texts come from its real catalog (withCatalog).
 */
import assert from 'assert/strict';
import neo4j, { type Driver } from 'neo4j-driver';
import { helper, nodeModule, nextMessage, statusesOf, withNodeRedServer } from '../support/node-red';
import { neo4jSettings, testDriver } from '../support/databases';
import { withCatalog } from '../support/catalog';
import { gremlinGraphConfig } from '../support/migration-flow';

const LABEL = 'GraphQueryNodeItem';
const NODES = [nodeModule('pg2graph-neo4j'), withCatalog('pg2graph-query', nodeModule('pg2graph-query'))];

interface Out {
  payload: Array<Record<string, unknown>>;
  columns: string[];
  topic?: string;
  error?: { code?: string; message: string };
}

function flow(query: Record<string, unknown> = {}, graph: Record<string, unknown> = {}) {
  return [
    { id: 'tab', type: 'tab', label: 'query' },
    { id: 'graphcfg', type: 'pg2graph-neo4j', name: 'graph', uri: neo4jSettings().uri, database: '', dialect: 'neo4j', tls: 'uri', ...graph },
    {
      id: 'query',
      type: 'pg2graph-query',
      z: 'tab',
      neo4j: 'graphcfg',
      cypher: `MATCH (n:${LABEL}) WHERE n.rank >= $min RETURN n.name AS name, n.rank AS rank, n.big AS big, n.at AS at ORDER BY rank`,
      timeoutMs: '',
      ...query,
      wires: [['out']],
    },
    { id: 'out', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

const credentials = { graphcfg: { user: neo4jSettings().user as string, password: neo4jSettings().password as string } };

describe('pg2graph-query node', function () {
  this.timeout(60_000);
  let driver: Driver;

  before(async () => {
    driver = testDriver();
    await driver.executeQuery(`MATCH (n:${LABEL}) DETACH DELETE n`);
    await driver.executeQuery(`UNWIND $items AS item CREATE (n:${LABEL}) SET n = item`, {
      items: [
        { name: 'one', rank: neo4j.int(1), big: neo4j.int('9007199254740993'), at: new neo4j.types.DateTime(2024, 1, 2, 3, 4, 5, 123456000, 0) },
        { name: 'two', rank: neo4j.int(2), big: neo4j.int(7), at: new neo4j.types.DateTime(2024, 2, 29, 0, 0, 0, 0, 3600) },
        { name: 'three', rank: neo4j.int(3) },
      ],
    });
  });
  after(async () => {
    await driver?.executeQuery(`MATCH (n:${LABEL}) DETACH DELETE n`);
    await driver?.close();
  });
  withNodeRedServer();

  it('runs its Cypher with msg.params and sends the rows as plain objects, the columns and a status with rows and time', async () => {
    await helper.load(NODES, flow(), credentials);
    const out = nextMessage<Out>(helper.getNode('out'), 30_000);
    helper.getNode('query').receive({ topic: 'ranks', params: { min: 2 } });
    const msg = await out;
    assert.equal(msg.topic, 'ranks', 'the message is passed on');
    assert.deepEqual(msg.columns, ['name', 'rank', 'big', 'at']);
    assert.deepEqual(msg.payload, [
      { name: 'two', rank: 2, big: 7, at: '2024-02-29T00:00:00+01:00' },
      { name: 'three', rank: 3, big: null, at: null },
    ]);
    const all = nextMessage<Out>(helper.getNode('out'), 30_000);
    helper.getNode('query').receive({ params: { min: 0 } });
    assert.deepEqual((await all).payload[0], { name: 'one', rank: 1, big: '9007199254740993', at: '2024-01-02T03:04:05.123456000Z' });
    const statuses = statusesOf('query');
    const last = statuses[statuses.length - 1];
    assert.equal(last.fill, 'green');
    assert.match(String(last.text), /^3 rows, \d+ ms$/);
  });

  it('runs msg.cypher instead of its own Cypher', async () => {
    await helper.load(NODES, flow(), credentials);
    const out = nextMessage<Out>(helper.getNode('out'), 30_000);
    helper.getNode('query').receive({ cypher: `MATCH (n:${LABEL}) RETURN count(n) AS items, $label AS label`, params: { label: 'x' } });
    const msg = await out;
    assert.deepEqual([msg.columns, msg.payload], [['items', 'label'], [{ items: 3, label: 'x' }]]);
  });

  it('sends failures to a Catch node with their code: a syntax error, a bad parameter, a cypher that is no text, a timeout', async () => {
    await helper.load(NODES, flow({ timeoutMs: '300' }), credentials);
    const failure = async (message: Record<string, unknown>) => {
      const caught = nextMessage<Out>(helper.getNode('caught'), 30_000);
      helper.getNode('query').receive(message);
      return (await caught).error;
    };
    const syntax = await failure({ cypher: 'MATCH (n RETURN n' });
    assert.equal(syntax?.code, 'QUERY_FAILED');
    assert.match(String(syntax?.message), /graph query failed: .*Invalid input/s);
    const param = await failure({ params: { min: () => 1 } });
    assert.equal(param?.code, 'QUERY_INPUT_INVALID');
    assert.match(String(param?.message), /graph query parameter "min" is a function/);
    const notText = await failure({ cypher: 42 });
    assert.equal(notText?.code, 'QUERY_INPUT_INVALID');
    assert.match(String(notText?.message), /^Pg2GraphError: msg\.cypher must be a string of Cypher/);
    const slow = await failure({ cypher: 'UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n' });
    assert.equal(slow?.code, 'QUERY_TIMEOUT');
    const statuses = statusesOf('query');
    assert.deepEqual(statuses[statuses.length - 1], { fill: 'red', shape: 'ring', text: 'failed: QUERY_TIMEOUT' });
  });

  it('names a missing graph connection, and refuses a Gremlin one by its setting', async () => {
    await helper.load(NODES, flow({ neo4j: '' }), credentials);
    const missing = nextMessage<Out>(helper.getNode('caught'), 30_000);
    helper.getNode('query').receive({ params: { min: 0 } });
    const error = (await missing).error;
    assert.equal(error?.code, 'CONFIG_MISSING');
    assert.match(String(error?.message), /^Pg2GraphError: pg2graph-query has no graph connection: choose a pg2graph-neo4j config node in setting "Graph"$/);
    await helper.unload();
    await helper.load(NODES, flow({}, gremlinGraphConfig()), {});
    const gremlin = nextMessage<Out>(helper.getNode('caught'), 30_000);
    helper.getNode('query').receive({ params: { min: 0 } });
    const refused = (await gremlin).error;
    assert.equal(refused?.code, 'QUERY_UNSUPPORTED');
    assert.match(
      String(refused?.message),
      /^Pg2GraphError: pg2graph-query runs Cypher over Bolt only: the graph connection in setting "Graph" \(ws:\/\/.*\) is on protocol gremlin/,
    );
  });
});
