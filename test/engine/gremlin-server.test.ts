/**
 * The throwaway Gremlin Server (scripts/gremlin/GremlinLauncher.java) the Gremlin tests run against: the npm client
 * writes and reads over GraphBinary and GraphSON v3 with string ids, a property without a cardinality is a set (as on
 * Neptune), scripts are refused (bytecode only), and the inspection endpoint reports the Java class of every id and
 * value the server holds and empties the graph on request.
 */
import assert from 'assert/strict';
import gremlin from 'gremlin';
import { GRAPHBINARY, GRAPHSON_V3, gremlinSession, storedGraph, type GremlinSession } from '../support/gremlin';
import { testGremlin } from '../support/env';

const { t, cardinality } = gremlin.process;
const { single } = cardinality;

describe('Gremlin Server for the tests', function () {
  const closers: (() => Promise<void>)[] = [];
  function open(mimeType: string): GremlinSession {
    const session = gremlinSession(mimeType);
    closers.push(session.close);
    return session;
  }

  before(function () {
    if (!testGremlin().inspectUrl) this.skip(); // a server named by GREMLIN_URL alone has no /types
  });
  beforeEach(async () => {
    await open(GRAPHBINARY).g.V().drop().iterate();
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it('stores what GraphBinary sends with its Java class, string ids included, and reads it back', async () => {
    const { g } = open(GRAPHBINARY);
    const born = new Date('2024-02-29T12:34:56.789Z');
    await g
      .addV('Person')
      .property(t.id, 'person-1')
      .property(single, 'name', 'Ada')
      .property(single, 'small', 5)
      .property(single, 'wide', 2 ** 40)
      .property(single, 'ratio', 5.5)
      .property(single, 'huge', 2n ** 63n - 1n)
      .property(single, 'born', born)
      .property(single, 'active', true)
      .iterate();
    // not chained to addV: TinkerGraph attaches the properties of addV itself as a list
    await g.V('person-1').property('tag', 'b').property('tag', 'a').property('tag', 'b').iterate();
    await g.addV('Person').property(t.id, 'person-2').iterate();
    await g
      .V('person-1')
      .addE('KNOWS')
      .to(gremlin.process.statics.V('person-2'))
      .property(t.id, 'knows-1')
      .property('since', 5)
      .property('weight', 0.5)
      .iterate();

    const values = (await g.V('person-1').valueMap().next()).value as Map<string, unknown[]>;
    assert.deepEqual(values.get('name'), ['Ada']);
    assert.deepEqual(values.get('small'), [5]);
    assert.deepEqual(values.get('wide'), [2 ** 40]);
    assert.deepEqual(values.get('ratio'), [5.5]);
    assert.deepEqual(values.get('huge'), [2n ** 63n - 1n]);
    assert.deepEqual(values.get('born'), [born]);
    assert.deepEqual(values.get('active'), [true]);
    assert.deepEqual(values.get('tag'), ['b', 'a'], 'no cardinality given: a set, as on Neptune');
    assert.deepEqual(await g.V('person-1').outE('KNOWS').inV().id().toList(), ['person-2']);

    const stored = await storedGraph();
    const value = (v: string, javaClass: string) => ({ value: v, class: javaClass });
    assert.deepEqual(stored.vertices, [
      {
        id: 'person-1',
        idClass: 'java.lang.String',
        label: 'Person',
        properties: [
          { key: 'active', values: [value('true', 'java.lang.Boolean')] },
          { key: 'born', values: [value('2024-02-29T12:34:56.789Z', 'java.util.Date')] },
          { key: 'huge', values: [value('9223372036854775807', 'java.math.BigInteger')] },
          { key: 'name', values: [value('Ada', 'java.lang.String')] },
          { key: 'ratio', values: [value('5.5', 'java.lang.Double')] },
          { key: 'small', values: [value('5', 'java.lang.Integer')] },
          { key: 'tag', values: [value('b', 'java.lang.String'), value('a', 'java.lang.String')] },
          { key: 'wide', values: [value('1099511627776', 'java.lang.Long')] },
        ],
      },
      { id: 'person-2', idClass: 'java.lang.String', label: 'Person', properties: [] },
    ]);
    assert.deepEqual(stored.edges, [
      {
        id: 'knows-1',
        idClass: 'java.lang.String',
        label: 'KNOWS',
        outV: value('person-1', 'java.lang.String'),
        inV: value('person-2', 'java.lang.String'),
        properties: [
          { key: 'since', ...value('5', 'java.lang.Integer') },
          { key: 'weight', ...value('0.5', 'java.lang.Double') },
        ],
      },
    ]);
  });

  it('takes GraphSON v3 too: a toLong value is stored as a java.lang.Long', async () => {
    const { g } = open(GRAPHSON_V3);
    await g.addV('Counter').property(t.id, 'counter-1').property(single, 'max', gremlin.structure.toLong('9223372036854775807')).iterate();
    const stored = await storedGraph();
    assert.deepEqual(stored.vertices, [
      {
        id: 'counter-1',
        idClass: 'java.lang.String',
        label: 'Counter',
        properties: [{ key: 'max', values: [{ value: '9223372036854775807', class: 'java.lang.Long' }] }],
      },
    ]);
  });

  it('refuses scripts: it runs bytecode only, as the writer sends', async () => {
    const { url, traversalSource } = testGremlin();
    const client = new gremlin.driver.Client(url, { mimeType: GRAPHBINARY, traversalSource });
    closers.push(() => client.close());
    await assert.rejects(client.submit('g.addV("Script")'), /takes bytecode traversals only, not scripts/);
    assert.deepEqual((await storedGraph()).vertices, []);
  });

  it('is emptied by g.V().drop()', async () => {
    const { g } = open(GRAPHBINARY);
    await g.addV('Person').property(t.id, 'a').as('a').addV('Person').property(t.id, 'b').addE('KNOWS').from_('a').iterate();
    assert.equal((await storedGraph()).edges.length, 1);
    await g.V().drop().iterate();
    assert.deepEqual(await storedGraph(), { vertices: [], edges: [] });
  });

  it('is emptied at once by POST /clear on the inspection endpoint (the benchmark empties it so); GET is refused there', async () => {
    const { g } = open(GRAPHBINARY);
    await g.addV('Person').property(t.id, 'a').as('a').addV('Person').property(t.id, 'b').addE('KNOWS').from_('a').iterate();
    assert.equal((await storedGraph()).edges.length, 1);
    const inspect = testGremlin().inspectUrl as string;
    assert.equal((await fetch(`${inspect}/clear`)).status, 405);
    assert.equal((await storedGraph()).edges.length, 1);
    const response = await fetch(`${inspect}/clear`, { method: 'POST' });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { cleared: true });
    assert.deepEqual(await storedGraph(), { vertices: [], edges: [] });
    await g.addV('Person').property(t.id, 'a').iterate();
    assert.equal((await storedGraph()).vertices.length, 1, 'the cleared graph takes writes again');
  });
});
