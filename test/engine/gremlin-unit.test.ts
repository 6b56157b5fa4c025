/**
 * The Gremlin road's pure logic, without a server: the value encoding (which Java type each graph value becomes,
 * and what compares equal read back), element ids, the connection settings, error translation, and which graph
 * the command line picks from its flags and environment.
 */
import assert from 'assert/strict';
import neo4j from 'neo4j-driver';
import { GremlinDouble, GremlinLong } from '../../dist/engine/connect/gremlin-codec';
import { checkGremlinSettings, describeGremlin } from '../../dist/engine/connect/gremlin-settings';
import { isTransientGremlinError, translateGremlinError } from '../../dist/engine/connect/gremlin-errors';
import { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { describeGremlinValue, gremlinProperty, gremlinScalar, sameGremlinValue } from '../../dist/engine/gremlin/values';
import { edgeId, vertexId } from '../../dist/engine/gremlin/ids';
import { graphConnection } from '../../dist/cli/connections';

describe('Gremlin values, ids, settings and errors (unit)', () => {
  it('encodes every graph value kind as a type Neptune stores', () => {
    const long = gremlinScalar(neo4j.int('9223372036854775807'));
    assert.ok(long instanceof GremlinLong);
    assert.equal(long.value, 9223372036854775807n);
    assert.ok(gremlinScalar(7n) instanceof GremlinLong, 'a bigint is a Long, never a BigInteger');
    const double = gremlinScalar(3);
    assert.ok(double instanceof GremlinDouble, 'a float without a fraction is a Double, not an Int');
    assert.equal(describeGremlinValue(gremlinScalar(-0)), 'Double -0.0');
    const date = gremlinScalar(new neo4j.types.Date(-4712, 1, 1));
    assert.ok(date instanceof Date);
    assert.equal(date.getUTCFullYear(), -4712);
    assert.equal((gremlinScalar(new neo4j.types.Date(99, 3, 4)) as Date).toISOString(), '0099-03-04T00:00:00.000Z', 'years below 100 are not taken as 19xx');
    assert.equal(gremlinScalar(new neo4j.types.DateTime(2024, 2, 29, 23, 59, 59, 123456000, 0)), '2024-02-29T23:59:59.123456Z');
    assert.equal(gremlinScalar(new neo4j.types.LocalTime(1, 2, 3, 0)), '01:02:03');
    assert.equal(gremlinScalar(new neo4j.types.Duration(14, 3, 14706, 789000000)), 'P1Y2M3DT4H5M6.789S');
    assert.equal(gremlinScalar(new Int8Array([0, -1, 16])), 'AP8Q');
    assert.equal(gremlinScalar(new neo4j.types.Point(7203, 1.5, -2)), 'SRID=7203;POINT(1.5 -2)');
    assert.throws(() => gremlinScalar({ a: 1 }), /a Map value has no Gremlin type/);
    assert.throws(() => gremlinScalar(new neo4j.types.Date(300000, 1, 1)), /beyond the range of a Date/);
  });

  it('lists: list cardinality on a vertex (order and duplicates kept), exact JSON text on an edge, absent when empty', () => {
    const vertex = gremlinProperty([neo4j.int(2), neo4j.int(2), neo4j.int(1)], 'vertex') as { list: GremlinLong[] };
    assert.deepEqual(
      vertex.list.map((v) => v.value),
      [2n, 2n, 1n],
    );
    assert.equal(gremlinProperty([neo4j.int('9007199254740993'), 'x'], 'edge'), '[9007199254740993,"x"]');
    assert.equal(gremlinProperty([], 'vertex'), undefined);
    assert.equal(gremlinProperty(null, 'vertex'), undefined);
  });

  it('compares read-back values with their Java types: an Int is not a Long, a Long is not a Double', () => {
    assert.ok(sameGremlinValue(new GremlinLong(5n), [new GremlinLong(5n)]));
    assert.ok(!sameGremlinValue(new GremlinLong(5n), [5]), 'an Int 5 is not the Long 5');
    assert.ok(!sameGremlinValue(new GremlinDouble(5), [new GremlinLong(5n)]));
    assert.ok(sameGremlinValue(new GremlinDouble(NaN), [new GremlinDouble(NaN)]));
    assert.ok(!sameGremlinValue(new GremlinDouble(0), [new GremlinDouble(-0)]));
    assert.ok(sameGremlinValue({ list: ['b', 'a'] }, ['b', 'a']));
    assert.ok(!sameGremlinValue({ list: ['b', 'a'] }, ['a', 'b']), 'order matters');
    assert.ok(sameGremlinValue(undefined, undefined));
    assert.ok(!sameGremlinValue(undefined, ['x']));
    assert.ok(sameGremlinValue(new Date(0), [new Date(0)]));
    assert.ok(!sameGremlinValue('1970-01-01T00:00:00Z', [new Date(0)]));
  });

  it('element ids: label and key parts escaped, composite keys unambiguous', () => {
    assert.equal(vertexId('Book', ['978-1']), 'Book:978-1');
    assert.notEqual(vertexId('T', ['a', 'a11']), vertexId('T', ['aa', '11']));
    assert.notEqual(vertexId('T', ['a:b', 'c']), vertexId('T', ['a', 'b:c']));
    assert.equal(vertexId('A:B', ['x\\']), 'A\\:B:x\\\\');
    assert.equal(vertexId('N', [neo4j.int(5)]), 'N:5');
    assert.equal(edgeId('WROTE', 'Author:1', 'Book:2'), 'WROTE:Author\\:1:Book\\:2');
  });

  it('settings: each bad one refused by name; a description never shows a password', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ url: '' }, /"url" is empty/],
      [{ url: 'http://h/gremlin' }, /"url" has scheme "http"; expected ws or wss/],
      [{ url: 'ws://u:pw@h/gremlin' }, /"url" must not hold user or password/],
      [{ url: 'ws://h/gremlin?password=x' }, /"url" must not hold a password/],
      [{ url: '${GREMLIN}' }, /names environment variable GREMLIN/],
      [{ url: 'ws://h/gremlin', traversalSource: 'g.V()' }, /"traversalSource" must be a name/],
      [{ url: 'ws://h/gremlin', tls: 'maybe' }, /"tls" must be one of verify, any/],
      [{ url: 'ws://h/gremlin', connectTimeoutMs: 0 }, /"connectTimeoutMs" must be a positive whole number/],
    ];
    for (const [settings, message] of bad) {
      assert.throws(
        () => checkGremlinSettings(settings as never),
        (error: Error & { code?: string }) => error.code === 'GREMLIN_SETTING_INVALID' && message.test(error.message),
      );
    }
    const text = describeGremlin({ url: 'ws://host:8182/gremlin', user: 'ann', password: 's3cret-value' });
    assert.equal(text, 'ann@ws://host:8182/gremlin (traversal source g)');
  });

  it('errors: typed by what the server said, secrets removed; transient ones told apart', () => {
    const source = translateGremlinError(
      Object.assign(new Error('Server error: The traversal source [nope] for alias [g] is not configured on the server. (499)'), { statusCode: 499 }),
      't',
      'nope',
      [],
    );
    assert.equal(source.code, 'GREMLIN_TRAVERSAL_SOURCE_UNKNOWN');
    assert.match(source.message, /no traversal source "nope" \(setting "traversalSource"\)/);
    const auth = translateGremlinError(
      Object.assign(new Error('Server error: Username and/or password are incorrect (401)'), { statusCode: 401 }),
      't',
      'g',
      [],
    );
    assert.equal(auth.code, 'GREMLIN_AUTH_FAILED');
    const leaked = translateGremlinError(new Error('connect ECONNREFUSED with pw hunter2-secret'), 't', 'g', ['hunter2-secret']);
    assert.equal(leaked.code, 'GREMLIN_UNREACHABLE');
    assert.doesNotMatch(leaked.message, /hunter2-secret/);
    assert.equal(translateGremlinError(new Error('Server error: boom (500)'), 't', 'g', []).code, 'GREMLIN_ERROR');
    assert.ok(isTransientGremlinError(new Error('Server error: ConcurrentModificationException (500)')));
    assert.ok(isTransientGremlinError(new Error('Connection has been closed.')));
    assert.ok(!isTransientGremlinError(new Error('Server error: Vertex with id already exists: x (500)')));
  });

  it('the command line picks Gremlin with --gremlin, --target gremlin, or GREMLIN_URL without NEO4J_URI', async () => {
    const picked = async (flags: Record<string, string>, env: NodeJS.ProcessEnv) => {
      const connection = graphConnection(flags, env);
      await connection.close();
      return connection instanceof GremlinConnection ? 'gremlin' : connection instanceof Neo4jConnection ? 'neo4j' : 'other';
    };
    const both = { GREMLIN_URL: 'ws://g:8182/gremlin', NEO4J_URI: 'bolt://n:7687' };
    assert.equal(await picked({}, both), 'neo4j', 'both named: Neo4j unless asked');
    assert.equal(await picked({ target: 'gremlin' }, both), 'gremlin');
    assert.equal(await picked({ gremlin: 'ws://x:1/gremlin' }, {}), 'gremlin');
    assert.equal(await picked({}, { GREMLIN_URL: 'ws://g:8182/gremlin' }), 'gremlin');
    assert.equal(await picked({ 'neo4j-uri': 'bolt://n:7687' }, { GREMLIN_URL: 'ws://g:8182/gremlin' }), 'neo4j');
    assert.equal(await picked({}, {}), 'neo4j');
    assert.throws(() => graphConnection({ target: 'tinker' }, {}), /--target must be neo4j or gremlin, got "tinker"/);
  });
});
