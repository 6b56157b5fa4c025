/**
 * The Gremlin target (engine migrate() into a real Gremlin Server) on values and names that trap it: every stored
 * value has the Java type Neptune accepts (Long, never Integer or BigInteger for an integer; Double for a float
 * even without a fraction; Date for a date; exact text where a Date would cut), composite keys and names with the
 * characters an id escapes stay apart and re-run idempotently, a connection the server cuts mid-batch is retried
 * without counting a row twice, and a value no Gremlin type holds is refused by name with nothing lost.
 */
import assert from 'assert/strict';
import net from 'net';
import { GremlinConnection } from '../../dist/engine/connect/gremlin-connection';
import { GremlinDouble, GremlinLong } from '../../dist/engine/connect/gremlin-codec';
import { migrate, type MigrateOptions } from '../../dist/engine/migrate/migrate';
import { verify } from '../../dist/engine/verify/verify';
import { generatePlan } from '../../dist/engine/plan/generate';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { testGremlin } from '../support/env';
import { clearGremlin, gremlinCounts, gremlinSnapshot, gremlinUrl, storedGraph, testGremlinConnection } from '../support/gremlin';

const HARD_SQL = `
CREATE TABLE vals (
  id int8 PRIMARY KEY, small int2, medium int4, big int8, price numeric(30,10), ratio float8, real4 float4, flag bool,
  born date, seen timestamptz, local timestamp, at time, atz timetz, span interval, raw bytea, spot point,
  tags text[], scores int8[], doc jsonb, uid uuid, note text);
INSERT INTO vals VALUES
  (1, 7, 70000, 9223372036854775807, 12345678901234567890.0123456789, 3.0, 1.5, true,
   '2024-02-29', '2024-02-29 23:59:59.123456+00', '2024-02-29 23:59:59.5', '23:59:59.999999', '10:00:00+02', '1 year 2 mons 3 days 04:05:06.789',
   '\\x00ff10', '(1.5,-2)', ARRAY['b','a','b'], ARRAY[9007199254740993, -1], '{"k": [1, 2.50, "x"]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'x'),
  (-9223372036854775808, -32768, -2147483648, -9223372036854775808, -0.5, 'NaN', '-0', false,
   '4713-01-01 BC', '1970-01-01 00:00:00+00', '0001-01-01 00:00:00', '00:00:00', '00:00:00-12', '-1 days', '\\x', '(0,0)',
   ARRAY[]::text[], NULL, 'null', NULL, ''),
  (2, NULL, NULL, NULL, NULL, 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE TABLE "Odd:Name\\x" ("a:b" text, "c\\d" text, val int4, PRIMARY KEY ("a:b", "c\\d"));
INSERT INTO "Odd:Name\\x" VALUES ('a', 'a11', 1), ('aa', '11', 2), ('a:b', 'c', 3), ('a', 'b:c', 4), ('x\\', ':y', 5);
CREATE TABLE refs (id int4 PRIMARY KEY, odd_a text, odd_c text, FOREIGN KEY (odd_a, odd_c) REFERENCES "Odd:Name\\x" ("a:b", "c\\d"));
INSERT INTO refs VALUES (1, 'a', 'a11'), (2, 'aa', '11'), (3, 'a:b', 'c'), (4, NULL, NULL);
CREATE TABLE owner (id int4 PRIMARY KEY, code int8 UNIQUE NOT NULL);
INSERT INTO owner VALUES (1, 5000000000), (2, 7);
CREATE TABLE pet (id int4 PRIMARY KEY, owner_code int8 REFERENCES owner (code));
INSERT INTO pet VALUES (1, 5000000000), (2, 7), (3, 7), (4, NULL);
`;

/**
 * A TCP proxy to the Gremlin server that cuts the first connection right after it forwarded a message of at least
 * `minBytes` (a batch of rows; the check and checkpoint requests are far smaller; frames are masked, so size is what shows).
 */
async function cuttingProxy(target: URL, minBytes: number): Promise<{ url: string; cuts: () => number; close(): void }> {
  let cuts = 0;
  let connections = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const cutThis = connections++ === 0;
    let cutting = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (cutThis && cuts === 0 && chunk.length >= minBytes && !client.destroyed) {
        cuts += 1;
        cutting = true;
        // the request reached the server; its answer never reaches the client
        setTimeout(() => {
          client.destroy();
          upstream.destroy();
        }, 50);
      }
    });
    upstream.on('data', (chunk) => {
      if (!client.destroyed && !cutting) client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}${target.pathname}`, cuts: () => cuts, close: () => server.close() };
}

describe('the Gremlin target on hard values and names (real Gremlin Server)', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let gremlin: GremlinConnection;
  let plan: GraphPlan;

  before(async () => {
    db = await createScratchDatabase('gremlinvals');
    await db.query(HARD_SQL);
    const source = new (await import('../../dist/engine/connect/postgres-connection')).PostgresConnection(db.settings);
    try {
      plan = generatePlan(await introspectDatabase(source, { schemas: ['public'] }));
    } finally {
      await source.close();
    }
    gremlin = testGremlinConnection();
  });
  after(async () => {
    await db?.drop();
    await gremlin?.close();
  });
  beforeEach(() => clearGremlin(gremlin));

  async function run(options: Partial<MigrateOptions> = {}, url = gremlinUrl()) {
    const source = new (await import('../../dist/engine/connect/postgres-connection')).PostgresConnection(db.settings);
    const target = new GremlinConnection({ url });
    try {
      return await migrate(source, target, { plan, ...options });
    } finally {
      await source.close();
      await target.close();
    }
  }

  /** The id of the vertex of a table's row: its entry's label and the key's text. */
  function idOf(table: string, key: string): string {
    return `${plan.nodes.find((n) => n.table?.name === table)!.label}:${key}`;
  }

  async function vertex(id: string): Promise<Map<string, unknown>> {
    const [found] = await gremlin.run<Map<string, unknown>>(gremlin.g().V(id).valueMap(), 10_000, 'a vertex');
    assert.ok(found, `vertex ${id} exists`);
    return found;
  }

  it('stores every value with the Java type Neptune accepts, exactly', async () => {
    const result = await run();
    assert.equal(result.read.stopped, false);
    const one = await vertex(idOf('vals', '1'));
    const only = (name: string) => {
      const values = one.get(name) as unknown[];
      assert.equal(values.length, 1, `${name} holds one value`);
      return values[0];
    };
    // integers of every width: Long (GraphBinary type 0x02), exact beyond 2^53
    for (const [name, value] of [
      ['id', 1n],
      ['small', 7n],
      ['medium', 70000n],
      ['big', 9223372036854775807n],
    ] as const) {
      const stored = only(name);
      assert.ok(stored instanceof GremlinLong, `${name} is a Long`);
      assert.equal(stored.value, value);
    }
    assert.equal(only('price'), '12345678901234567890.0123456789', 'numeric is exact text');
    assert.ok(only('ratio') instanceof GremlinDouble && (only('ratio') as GremlinDouble).value === 3, 'a float without fraction is still a Double');
    assert.equal((only('real4') as GremlinDouble).value, 1.5);
    assert.equal(only('flag'), true);
    assert.ok(only('born') instanceof Date);
    assert.equal((only('born') as Date).toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal(only('seen'), '2024-02-29T23:59:59.123456Z', 'microseconds kept as ISO text');
    assert.equal(only('local'), '2024-02-29T23:59:59.5');
    assert.equal(only('at'), '23:59:59.999999');
    assert.equal(only('atz'), '10:00:00+02:00');
    assert.equal(only('span'), 'P1Y2M3DT4H5M6.789S');
    assert.equal(only('raw'), 'AP8Q', 'bytes as base64');
    assert.equal(only('spot'), 'SRID=7203;POINT(1.5 -2)');
    assert.equal(only('doc'), '{"k": [1, 2.50, "x"]}');
    assert.equal(only('uid'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    assert.deepEqual(one.get('tags'), ['b', 'a', 'b'], 'a list keeps order and duplicates (list cardinality)');
    assert.deepEqual(
      (one.get('scores') as GremlinLong[]).map((v) => v.value),
      [9007199254740993n, -1n],
    );

    const low = await vertex(idOf('vals', '-9223372036854775808'));
    assert.equal(((low.get('id') as unknown[])[0] as GremlinLong).value, -9223372036854775808n);
    assert.ok(Number.isNaN(((low.get('ratio') as unknown[])[0] as GremlinDouble).value));
    assert.ok(Object.is(((low.get('real4') as unknown[])[0] as GremlinDouble).value, -0), '-0 keeps its sign');
    assert.equal(((low.get('born') as unknown[])[0] as Date).getUTCFullYear(), -4712, '4713 BC is year -4712');
    assert.equal(low.get('tags'), undefined, 'an empty list has no element to hold');
    assert.deepEqual(low.get('note'), [''], 'the empty string is a value');
    const sparse = await vertex(idOf('vals', '2'));
    assert.deepEqual([...sparse.keys()].sort(), ['id', 'ratio'], 'NULL: no property');

    if (!testGremlin().inspectUrl) {
      console.log('      (a Gremlin Server named by GREMLIN_URL alone has no /types: the Java classes were checked through the GraphBinary type codes only)');
      return;
    }
    // on the server itself: the Java class of every stored value and id, against the types Neptune stores
    const graph = await storedGraph();
    const neptune = new Set(['java.lang.String', 'java.lang.Boolean', 'java.lang.Long', 'java.lang.Double', 'java.util.Date']);
    const classes = new Map<string, string[]>();
    for (const stored of graph.vertices) {
      assert.equal(stored.idClass, 'java.lang.String', `vertex ${stored.id}: a string id`);
      for (const property of stored.properties) {
        for (const value of property.values) {
          assert.ok(neptune.has(String(value.class)), `vertex ${stored.id} property ${property.key}: ${value.class} is no type Neptune stores`);
          classes.set(property.key, [...new Set([...(classes.get(property.key) ?? []), String(value.class)])]);
        }
      }
    }
    assert.deepEqual(classes.get('big'), ['java.lang.Long']);
    assert.deepEqual(classes.get('small'), ['java.lang.Long'], 'an int2 is a Long too (one type per property)');
    assert.deepEqual(classes.get('ratio'), ['java.lang.Double']);
    assert.deepEqual(classes.get('born'), ['java.util.Date']);
    assert.deepEqual(classes.get('scores'), ['java.lang.Long']);
    assert.deepEqual(classes.get('seen'), ['java.lang.String']);
  });

  it('ids of composite keys and names with ":" and "\\" stay apart; the relationships find them; verify passes; a re-run changes nothing', async () => {
    await run();
    const counts = await gremlinCounts(gremlin);
    const odd = plan.nodes.find((n) => n.table?.name === 'Odd:Name\\x')!;
    assert.equal(counts.nodes[odd.label], 5, 'five keys, five vertices: ("a","a11") and ("aa","11") do not collide');
    const type = plan.relationships.find((r) => r.source.table.name === 'refs')!.type;
    assert.equal(counts.relationships[type], 3, 'every non-NULL reference found its end');
    const pets = plan.relationships.find((r) => r.source.table.name === 'pet')!.type;
    assert.equal(counts.relationships[pets], 3, 'an end matched on a unique column that is not its key is found by that column (a Long)');
    const ids = (await gremlin.run<string>(gremlin.g().V().hasLabel(odd.label).id(), 10_000, 'ids')).sort();
    assert.equal(new Set(ids).size, 5);
    const source = new (await import('../../dist/engine/connect/postgres-connection')).PostgresConnection(db.settings);
    try {
      const report = await verify(source, gremlin, { plan });
      assert.equal(report.ok, true, JSON.stringify(report.entries.filter((e) => !e.ok)));
    } finally {
      await source.close();
    }
    const before = await gremlinSnapshot(gremlin);
    await run();
    assert.deepEqual(await gremlinSnapshot(gremlin), before);
  });

  it('a connection the server cuts mid-batch is retried: exact counts, no row counted twice', async () => {
    const proxy = await cuttingProxy(new URL(gremlinUrl()), 1500);
    try {
      const result = await run({ batchSize: 2 }, proxy.url);
      assert.equal(result.read.stopped, false);
      assert.ok(proxy.cuts() >= 1, 'the proxy cut a connection');
      assert.ok(result.written.retries >= 1, `retried (${result.written.retries})`);
    } finally {
      proxy.close();
    }
    const cut = await gremlinSnapshot(gremlin);
    await clearGremlin(gremlin);
    await run();
    assert.deepEqual(cut, await gremlinSnapshot(gremlin), 'the same graph as a run without the cut');
  });

  it('a value no Gremlin type holds is refused by name; the batches before it stay', async () => {
    await db.query(
      `CREATE TABLE far (id int4 PRIMARY KEY, d date); INSERT INTO far SELECT g, '2000-01-01' FROM generate_series(1, 10) g; INSERT INTO far VALUES (11, '300000-01-01')`,
    );
    try {
      const source = new (await import('../../dist/engine/connect/postgres-connection')).PostgresConnection(db.settings);
      let farPlan: GraphPlan;
      try {
        farPlan = generatePlan(await introspectDatabase(source, { schemas: ['public'] }));
      } finally {
        await source.close();
      }
      farPlan = { ...farPlan, nodes: farPlan.nodes.filter((n) => n.table?.name === 'far'), relationships: [] };
      await assert.rejects(run({ plan: farPlan, batchSize: 5 }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'WRITE_VALUE_REFUSED');
        assert.match(error.message, /entry "public\.far" batch 2: row with key \[11\], property "d": date \+300000-01-01 is beyond the range of a Date/);
        return true;
      });
      assert.equal((await gremlinCounts(gremlin)).nodes[farPlan.nodes[0].label], 10, 'the two batches before it are written');
    } finally {
      await db.query('DROP TABLE far');
    }
  });
});
