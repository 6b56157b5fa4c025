/**
 * runGraphQuery against the real Neo4j: values of every kind written with the driver come back as plain
 * JavaScript under the documented rules; parameters arrive as the types the rule names; errors are typed; a
 * query longer than its timeout ends within the bound. And the comparison of result sets on a real
 * migration: the same question asked of Postgres and of the graph answers "equal", a planted difference is named.
 */
import assert from 'assert/strict';
import net from 'net';
import neo4j, { type Driver } from 'neo4j-driver';
import pg from 'pg';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate } from '../../dist/engine/migrate/migrate';
import { compareResultSets } from '../../dist/engine/query/compare-results';
import { runGraphQuery } from '../../dist/engine/query/run-graph-query';
import type { PropertyMapping } from '../../dist/engine/plan/types';
import { clearGraph, eventually, neo4jSettings, testDriver } from '../support/databases';
import { createSampleDatabase, type SampleDatabase } from '../support/sample';

const LABEL = 'GraphQueryValues';

describe('runGraphQuery (engine) on the real Neo4j', function () {
  this.timeout(60_000);
  let driver: Driver;
  let connection: Neo4jConnection;

  before(async () => {
    driver = testDriver();
    connection = new Neo4jConnection(neo4jSettings());
    const { DateTime, LocalDateTime, Date: GraphDate, Time, LocalTime, Duration, Point } = neo4j.types;
    await driver.executeQuery(`MATCH (n:${LABEL}) DETACH DELETE n`);
    await driver.executeQuery(`CREATE (n:${LABEL} $props) CREATE (n)-[:HAS {weight: $weight}]->(:${LABEL} {id: 2})`, {
      weight: neo4j.int(3),
      props: {
        id: neo4j.int(1),
        max: neo4j.int('9223372036854775807'),
        min: neo4j.int('-9223372036854775808'),
        beyond: neo4j.int('9007199254740993'),
        safe: neo4j.int('9007199254740991'),
        float: 1.5,
        negativeZero: -0,
        nan: NaN,
        text: 'Grüße "quoted"',
        flag: false,
        at: new DateTime(2024, 2, 29, 23, 59, 59, 123456789, 5 * 3600 + 30 * 60),
        utc: new DateTime(2024, 1, 2, 3, 4, 5, 120000, 0),
        zoned: new DateTime(2024, 7, 1, 12, 0, 0, 1, undefined, 'Europe/Berlin'),
        local: new LocalDateTime(2024, 1, 2, 3, 4, 5, 999999999),
        day: new GraphDate(-43, 3, 15),
        time: new Time(23, 59, 59, 999999000, -(3 * 3600 + 30 * 60)),
        localTime: new LocalTime(0, 0, 0, 1),
        duration: new Duration(14, -3, 3723, 500000000),
        flat: new Point(7203, 1.5, -2),
        globe: new Point(4979, 13.4, 52.5, 34),
        ints: [neo4j.int(1), neo4j.int('9007199254740993')],
        words: ['a', ''],
        bytes: new Int8Array([-34, -83, -66, -17]),
      },
    });
  });

  after(async () => {
    await driver?.executeQuery(`MATCH (n:${LABEL}) DETACH DELETE n`);
    await connection?.close();
    await driver?.close();
  });

  it('returns every kind of value as plain JavaScript, columns in the order of RETURN', async () => {
    const result = await runGraphQuery(
      connection,
      `MATCH (n:${LABEL} {id: 1}) RETURN n.max AS max, n.min AS min, n.beyond AS beyond, n.safe AS safe, n.float AS float,
         n.negativeZero AS negativeZero, n.nan AS nan, n.text AS text, n.flag AS flag, n.at AS at, n.utc AS utc, n.zoned AS zoned,
         n.local AS local, n.day AS day, n.time AS time, n.localTime AS localTime, n.duration AS duration, n.flat AS flat,
         n.globe AS globe, n.ints AS ints, n.words AS words, n.bytes AS bytes, n.absent AS absent, null AS nothing,
         {safe: n.safe, days: [n.day, null], inner: {beyond: n.beyond}} AS map`,
      {},
    );
    assert.deepEqual(result.columns, [
      'max',
      'min',
      'beyond',
      'safe',
      'float',
      'negativeZero',
      'nan',
      'text',
      'flag',
      'at',
      'utc',
      'zoned',
      'local',
      'day',
      'time',
      'localTime',
      'duration',
      'flat',
      'globe',
      'ints',
      'words',
      'bytes',
      'absent',
      'nothing',
      'map',
    ]);
    assert.equal(result.rows.length, 1);
    const row = result.rows[0];
    assert.ok(Object.is(row.negativeZero, -0), 'a Float -0 stays -0');
    assert.ok(Number.isNaN(row.nan));
    assert.deepEqual(
      { ...row, negativeZero: 'checked', nan: 'checked' },
      {
        max: '9223372036854775807',
        min: '-9223372036854775808',
        beyond: '9007199254740993',
        safe: 9007199254740991,
        float: 1.5,
        negativeZero: 'checked',
        nan: 'checked',
        text: 'Grüße "quoted"',
        flag: false,
        at: '2024-02-29T23:59:59.123456789+05:30',
        utc: '2024-01-02T03:04:05.000120000Z',
        zoned: '2024-07-01T12:00:00.000000001+02:00[Europe/Berlin]',
        local: '2024-01-02T03:04:05.999999999',
        day: '-000043-03-15',
        time: '23:59:59.999999000-03:30',
        localTime: '00:00:00.000000001',
        duration: 'P1Y2M-3DT1H2M3.500000000S',
        flat: { srid: 7203, x: 1.5, y: -2 },
        globe: { srid: 4979, x: 13.4, y: 52.5, z: 34 },
        ints: [1, '9007199254740993'],
        words: ['a', ''],
        bytes: 'deadbeef',
        absent: null,
        nothing: null,
        map: { safe: 9007199254740991, days: ['-000043-03-15', null], inner: { beyond: '9007199254740993' } },
      },
    );
  });

  it('returns nodes, relationships and paths as plain objects', async () => {
    const result = await runGraphQuery(connection, `MATCH p = (a:${LABEL} {id: 1})-[r:HAS]->(b) RETURN b, r, p`, {});
    const [row] = result.rows;
    assert.deepEqual(row.b, { labels: [LABEL], properties: { id: 2 } });
    assert.deepEqual(row.r, { type: 'HAS', properties: { weight: 3 } });
    const path = row.p as { nodes: Array<{ properties: { id: number } }>; relationships: unknown[] };
    assert.deepEqual(
      path.nodes.map((n) => n.properties.id),
      [1, 2],
    );
    assert.deepEqual(path.relationships, [{ type: 'HAS', properties: { weight: 3 } }]);
  });

  it('sends parameters as the types the rule names', async () => {
    const result = await runGraphQuery(
      connection,
      `RETURN valueType($n) AS n, valueType($f) AS f, valueType($whole) AS whole, valueType($huge) AS huge, valueType($big) AS big,
         valueType($at) AS at, valueType($list) AS list, valueType($map) AS map, valueType($none) AS none, $big + 1 AS next, $at AS atText,
         $map.inner[0] AS inner`,
      {
        n: 41,
        f: 0.5,
        whole: 2.0,
        huge: 2 ** 60,
        big: 9007199254740993n,
        at: new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 5)),
        list: [1, 2],
        map: { inner: [7] },
        none: null,
      },
    );
    assert.deepEqual(result.rows, [
      {
        n: 'INTEGER NOT NULL',
        f: 'FLOAT NOT NULL',
        whole: 'INTEGER NOT NULL',
        huge: 'FLOAT NOT NULL',
        big: 'INTEGER NOT NULL',
        at: 'ZONED DATETIME NOT NULL',
        list: 'LIST<INTEGER NOT NULL> NOT NULL',
        map: 'MAP NOT NULL',
        none: 'NULL',
        next: '9007199254740994',
        atText: '2024-02-29T12:00:00.005000000Z',
        inner: 7,
      },
    ]);
  });

  it('names the columns of a result without rows', async () => {
    assert.deepEqual(await runGraphQuery(connection, `MATCH (n:${LABEL} {id: -1}) RETURN n.id AS id, 1 AS one`, {}), { columns: ['id', 'one'], rows: [] });
  });

  it('refuses a syntax error, a write and a failing query with QUERY_FAILED and the server text, never the password', async () => {
    const password = neo4jSettings().password ?? '';
    const failing = async (cypher: string, neo4jCode: RegExp) => {
      const error = (await runGraphQuery(connection, cypher, {}).then(
        () => assert.fail(`${cypher} should fail`),
        (e: unknown) => e,
      )) as { code: string; message: string; details: { neo4jCode?: string } };
      assert.equal(error.code, 'QUERY_FAILED', error.message);
      assert.match(String(error.details.neo4jCode), neo4jCode);
      assert.match(error.message, /^graph query failed: Neo4j at /);
      if (password) assert.ok(!error.message.includes(password));
      return error;
    };
    const syntax = await failing('MATCH (n RETURN n', /SyntaxError/);
    assert.match(syntax.message, /Invalid input/);
    await failing(`CREATE (:${LABEL} {id: 99})`, /AccessMode|Forbidden|WriteOnReadOnlyAccessDbException|Security/);
    await failing('RETURN 1 / 0 AS x', /ArithmeticError/);
    const written = await driver.executeQuery(`MATCH (n:${LABEL} {id: 99}) RETURN count(n) AS n`);
    assert.equal(Number(written.records[0].get('n')), 0, 'the read transaction wrote nothing');
  });

  it('refuses a parameter with no Cypher value, naming it, and empty Cypher, before sending anything', async () => {
    await assert.rejects(runGraphQuery(connection, 'RETURN $p AS p', { p: { when: [new Map()] } }), {
      code: 'QUERY_INPUT_INVALID',
      message: 'graph query parameter "p.when[0]" is an object of class Map, which has no Cypher value',
    });
    await assert.rejects(runGraphQuery(connection, '  ', {}), { code: 'QUERY_INPUT_INVALID' });
    await assert.rejects(runGraphQuery(connection, 'RETURN 1', {}, { timeoutMs: 0 }), { code: 'QUERY_INPUT_INVALID', message: /timeoutMs/ });
  });

  it('ends a query that exceeds its timeout within the bound, and the server ends its transaction', async () => {
    const started = Date.now();
    await assert.rejects(runGraphQuery(connection, 'UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n', {}, { timeoutMs: 300 }), {
      code: 'QUERY_TIMEOUT',
      message: /within its timeout of 300 ms/,
    });
    const took = Date.now() - started;
    // the bound: the timeout and the client's grace after it (2 s), with a second for the machine
    assert.ok(took < 300 + 2000 + 1000, `ended after ${took} ms`);
    const running = await driver.executeQuery(
      "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'range(1, 100000000)' AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n",
    );
    assert.equal(Number(running.records[0].get('n')), 0, 'no transaction of the query is left running');
    assert.deepEqual((await runGraphQuery(connection, 'RETURN 1 AS ok', {})).rows, [{ ok: 1 }], 'the connection still works');
  });

  it('ends within the bound on a port that accepts and never answers (a frozen server)', async () => {
    const sockets = new Set<net.Socket>();
    const hole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const { port } = hole.address() as net.AddressInfo;
    const frozen = new Neo4jConnection({ uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: 'not-used-here' });
    try {
      const started = Date.now();
      await assert.rejects(runGraphQuery(frozen, 'RETURN 1 AS one', {}, { timeoutMs: 500 }), {
        code: 'QUERY_TIMEOUT',
        message: new RegExp(`127\\.0\\.0\\.1:${port}`),
      });
      const took = Date.now() - started;
      // the bound: the timeout and the client's grace after it (2 s), with a second for the machine
      assert.ok(took < 500 + 2000 + 1000, `ended after ${took} ms`);
      assert.ok(sockets.size >= 1, 'the query reached the port');
    } finally {
      for (const socket of sockets) socket.destroy();
      await frozen.close().catch(() => undefined);
      await new Promise((resolve) => hole.close(resolve));
    }
  });

  it('ends at once when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(
      runGraphQuery(
        connection,
        'UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n',
        {},
        { signal: controller.signal, timeoutMs: 20_000 },
      ),
      {
        code: 'QUERY_CANCELLED',
      },
    );
    const left = await eventually(
      async () => {
        const running = await driver.executeQuery(
          "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'range(1, 100000000)' AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n",
        );
        return Number(running.records[0].get('n'));
      },
      (n) => n === 0,
    );
    assert.equal(left, 0, 'the cancelled query does not go on running on the server');
  });
});

describe('compareResultSets on a real migration (Postgres and the graph asked the same)', function () {
  this.timeout(120_000);
  let db: SampleDatabase;
  let driver: Driver;
  let connection: Neo4jConnection;

  const SQL = `SELECT b.isbn, b.title, b.price, b.published, b.page_count, b.genres, count(ba.author_id) AS authors
                 FROM bookshop.book b LEFT JOIN bookshop.book_author ba ON ba.isbn = b.isbn
                GROUP BY b.isbn ORDER BY b.isbn`;
  /** The same question in Cypher, over the property names the plan gave the columns. */
  let CYPHER: string;
  let bookProperty: (column: string) => PropertyMapping;

  before(async () => {
    db = await createSampleDatabase('gquery');
    driver = testDriver();
    await clearGraph(driver);
    connection = new Neo4jConnection(neo4jSettings());
    const book = db.plan.nodes.find((entry) => entry.id === 'bookshop.book');
    assert.ok(book, 'the plan maps bookshop.book');
    bookProperty = (column) => {
      const found = book.properties.find((p) => p.column === column);
      assert.ok(found, `the plan maps book.${column}`);
      return found;
    };
    const returned = ['isbn', 'title', 'price', 'published', 'page_count', 'genres'].map((c) => `b.\`${bookProperty(c).name}\` AS ${c}`);
    CYPHER = `MATCH (b:${book.label}) OPTIONAL MATCH (b)-[w]-(:Author) RETURN ${returned.join(', ')}, count(w) AS authors ORDER BY isbn`;
    const source = db.connection();
    try {
      await migrate(source, connection, { plan: db.plan });
    } finally {
      await source.close();
    }
  });
  after(async () => {
    await connection?.close();
    await driver?.close();
    await db?.drop();
  });

  it('finds the answers equal: pg default parsings (loose) and Postgres texts with their types (exact)', async () => {
    const graph = await runGraphQuery(connection, CYPHER, {});
    assert.ok(graph.rows.length > 3, 'the sample has books');
    const parsed = await db.query(SQL);
    const columns = parsed.fields.map((f) => f.name);
    assert.deepEqual(compareResultSets({ columns, rows: parsed.rows as Record<string, unknown>[] }, graph, { ordered: true }), {
      equal: true,
      differences: [],
    });

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'UTC'; SET extra_float_digits = 3");
      const texts = await client.query({ text: SQL, rowMode: 'array', types: { getTypeParser: () => (value: string) => value } });
      // the plan's own properties (type, rule and policies) for the book's columns; count(*) is an int8
      const types = [...['isbn', 'title', 'price', 'published', 'page_count', 'genres'].map(bookProperty), 'int8'];
      assert.deepEqual(compareResultSets({ columns, types, rows: texts.rows as unknown[][] }, graph, { ordered: true }), { equal: true, differences: [] });
    } finally {
      await client.end();
    }
  });

  it('names a planted difference by row and column, and rows the graph lacks', async () => {
    const parsed = await db.query(SQL);
    const columns = parsed.fields.map((f) => f.name);
    const rows = parsed.rows as Array<Record<string, unknown>>;
    const third = rows[2];
    const price = `\`${bookProperty('price').name}\``;
    const match = `MATCH (b {\`${bookProperty('isbn').name}\`: $isbn})`;
    await driver.executeQuery(`${match} SET b.${price} = toFloat(b.${price})`, { isbn: third.isbn });
    try {
      const graph = await runGraphQuery(connection, CYPHER, {});
      const result = compareResultSets({ columns, rows }, graph, { ordered: true });
      assert.equal(result.equal, false);
      assert.deepEqual(
        result.differences.map((d) => d.message),
        [`row 3 column price: source "${String(third.price)}", graph ${Number(third.price)}`],
      );
      const fewer = await runGraphQuery(connection, `${CYPHER.replace('ORDER BY isbn', 'ORDER BY isbn SKIP 1')}`, {});
      const missing = compareResultSets({ columns, rows }, fewer, { ordered: true });
      assert.deepEqual(
        missing.differences.map((d) => d.kind),
        ['count', 'value', 'onlyInSource'],
      );
      assert.match(missing.differences[2].message, new RegExp(`^1 row only in the source, e\\.g\\. row 1 \\(isbn "${String(rows[0].isbn)}"`));
    } finally {
      await driver.executeQuery(`${match} SET b.${price} = $price`, { isbn: third.isbn, price: third.price });
    }
  });
});
