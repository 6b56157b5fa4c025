/**
 * Parity of translations on the real databases: the sample database migrated into Neo4j, then each SQL query
 * run on Postgres and its translation on the graph, rows compared (as multisets, in order when the SQL has
 * ORDER BY) and the column names too. The comparison is this test's own: each value as text, integers exact.
 */
import assert from 'assert/strict';
import pg from 'pg';
import neo4j, { type Driver } from 'neo4j-driver';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { createSampleDatabase, type SampleDatabase } from '../support/sample';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate } from '../../dist/engine/migrate/migrate';
import { translateSql } from '../../dist/engine/translate';

interface ParityCase {
  name: string;
  sql: string;
  params?: number[];
  /** Columns compared as numbers to 12 significant digits (Postgres' exact avg against Cypher's float). */
  approximate?: string[];
  /** Each case must return rows, or the comparison would prove little. */
  minRows: number;
}

const CASES: ParityCase[] = [
  {
    name: 'one table, WHERE, ORDER BY',
    sql: 'SELECT customer_id, full_name, email FROM bookshop.customer WHERE customer_id <= 20 ORDER BY customer_id',
    minRows: 20,
  },
  {
    name: 'join along a foreign key, numeric projected as its exact text',
    sql: 'SELECT c.customer_id, o.order_id, o.total, o.status FROM customer c JOIN orders o ON c.customer_id = o.customer_id WHERE c.customer_id BETWEEN 10 AND 30 ORDER BY o.order_id',
    minRows: 10,
  },
  {
    name: 'join through a join table with its properties',
    sql: 'SELECT b.isbn, a.author_id, ba.role, ba.royalty_pct FROM book b JOIN book_author ba ON ba.isbn = b.isbn JOIN author a ON a.author_id = ba.author_id WHERE a.author_id < 20',
    minRows: 10,
  },
  {
    name: 'join table over a composite foreign key, written from the join table',
    sql: 'SELECT w.name, s.quantity, b.title FROM stock s JOIN warehouse w ON s.region = w.region AND w.site_no = s.site_no JOIN book b ON b.isbn = s.isbn WHERE s.quantity > 240',
    minRows: 5,
  },
  {
    name: 'LEFT JOIN along the self-reference',
    sql: 'SELECT x.customer_id, r.customer_id AS referrer, r.full_name AS referrer_name FROM customer x LEFT JOIN customer r ON x.referred_by = r.customer_id WHERE x.customer_id <= 60',
    minRows: 60,
  },
  {
    name: 'GROUP BY, count, count(col), sum, min, max, HAVING, ORDER BY an aggregate',
    sql: 'SELECT o.customer_id, count(*) AS n, count(o.note) AS notes, sum(o.shipping_address_id) AS s, min(o.order_id), max(o.billing_address_id) FROM orders o GROUP BY o.customer_id HAVING count(*) > 2 ORDER BY n DESC, o.customer_id',
    minRows: 10,
  },
  {
    name: 'LEFT JOIN with grouping: customers without orders count 0',
    sql: 'SELECT c.customer_id, c.full_name, count(o.order_id) AS orders FROM customer c LEFT JOIN orders o ON o.customer_id = c.customer_id GROUP BY c.customer_id ORDER BY orders, c.customer_id LIMIT 15',
    minRows: 15,
  },
  {
    name: 'sum over only NULLs is NULL, avg of integers',
    sql: 'SELECT sum(referred_by) AS s, count(*) AS n, avg(customer_id) AS a FROM customer WHERE customer_id < 5',
    approximate: ['a'],
    minRows: 1,
  },
  {
    name: 'LIKE prefix, suffix and pattern, string functions, || and concat with NULL',
    sql: "SELECT customer_id, lower(full_name) AS l, upper(email) AS u, length(full_name) AS len, concat(full_name, '/', referred_by) AS c, full_name || '!' AS bang, trim(' ' || full_name || ' ') AS t FROM customer WHERE full_name LIKE 'Ada%' OR full_name LIKE '%🙂' OR email LIKE 'customer1_@%'",
    minRows: 20,
  },
  { name: 'ILIKE with a count', sql: "SELECT count(*) AS n FROM customer WHERE full_name ILIKE '%lOVELACE%' AND NOT full_name LIKE '%Zo%'", minRows: 1 },
  {
    name: 'NULLS FIRST ascending',
    sql: 'SELECT customer_id, referred_by FROM customer WHERE customer_id <= 40 ORDER BY referred_by NULLS FIRST, customer_id',
    minRows: 40,
  },
  {
    name: 'NULLS LAST descending, OFFSET',
    sql: 'SELECT customer_id, referred_by FROM customer ORDER BY referred_by DESC NULLS LAST, customer_id DESC LIMIT 30 OFFSET 100',
    minRows: 30,
  },
  {
    name: 'parameters and IN',
    sql: 'SELECT author_id, name FROM author WHERE author_id IN ($1, $2, 3) OR author_id > $3 ORDER BY name',
    params: [1, 2, 145],
    minRows: 8,
  },
  {
    name: 'DISTINCT over CASE, COALESCE and NULLIF',
    sql: "SELECT DISTINCT CASE WHEN stars >= 4 THEN 'good' WHEN stars = 3 THEN 'ok' ELSE 'bad' END AS verdict, coalesce(nullif(stars, 5), 0) AS capped FROM review",
    minRows: 5,
  },
  {
    name: 'a join on columns that are no foreign key',
    sql: 'SELECT w.name, b.isbn FROM warehouse w JOIN book b ON b.page_count = w.site_no * 100 + 9',
    minRows: 1,
  },
  {
    name: 'numeric(10,2) equal to a constant of its scale',
    sql: "SELECT isbn, price FROM book WHERE price = 12.36 OR price IN (4.78, 19.94) OR title LIKE 'Volume 1:%'",
    minRows: 3,
  },
  {
    name: 'inner self-join written from the referred customer, ORDER BY text (C collation here) and an expression',
    sql: 'SELECT r.full_name AS referrer, x.customer_id FROM customer r JOIN customer x ON x.referred_by = r.customer_id ORDER BY r.full_name, x.customer_id * -1',
    minRows: 20,
  },
  {
    name: 'a column of the grouped key, ORDER BY an aggregate not selected, LIMIT as a parameter',
    sql: 'SELECT c.customer_id, c.email FROM customer c JOIN address a ON a.customer_id = c.customer_id GROUP BY c.customer_id ORDER BY count(*) DESC, c.customer_id LIMIT $1',
    params: [12],
    minRows: 12,
  },
  {
    name: 'a second FROM item filtered in WHERE, and two foreign keys to one table',
    sql: 'SELECT o.order_id, s.city AS ship_to, b.city AS bill_to FROM orders o JOIN address s ON s.address_id = o.shipping_address_id, address b WHERE b.address_id = o.billing_address_id AND o.order_id < 9000000040',
    minRows: 30,
  },
  {
    name: 'one join table joined twice: both joins may take the same row, as in SQL',
    sql: 'SELECT b.isbn, ba.author_id AS first, ba2.author_id AS second, ba2.role FROM book b JOIN book_author ba ON ba.isbn = b.isbn JOIN book_author ba2 ON ba2.isbn = b.isbn WHERE ba.author_id < 30',
    minRows: 20,
  },
];

/** A value as comparable text: integers exact (Postgres' int8 and numeric arrive as text), NULL as NULL. */
function cell(value: unknown, approximate: boolean): string {
  if (value === null || value === undefined) return 'NULL';
  if (neo4j.isInt(value)) return value.toString();
  if (approximate) return Number(value).toPrecision(12);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  assert.fail(`a value of a type this comparison does not know: ${Object.prototype.toString.call(value)}`);
}

describe('translate: parity on the migrated sample database', function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let driver: Driver;
  let client: pg.Client;

  before(async () => {
    db = await createSampleDatabase('translate');
    driver = testDriver();
    await clearGraph(driver);
    const source = db.connection();
    const target = new Neo4jConnection(neo4jSettings());
    await migrate(source, target, { plan: db.plan });
    await Promise.all([source.close(), target.close()]);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('SET search_path = bookshop');
  });
  after(async () => {
    await client?.end();
    await db?.drop();
    await driver?.close();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const translation = await translateSql(c.sql, db.plan, { params: c.params });
      const sqlRows = await client.query({ text: c.sql, values: c.params, rowMode: 'array' });
      assert.deepEqual(
        translation.columns,
        sqlRows.fields.map((f) => f.name),
        'the column names are Postgres own',
      );
      const session = driver.session();
      const graph = await session
        .run(translation.cypher, Object.fromEntries(Object.entries(translation.parameters).map(([k, v]) => [k, typeof v === 'number' ? neo4j.int(v) : v])))
        .finally(() => session.close());
      const text = (row: unknown[]) => JSON.stringify(row.map((v, i) => cell(v, !!c.approximate?.includes(translation.columns[i]))));
      const fromSql = (sqlRows.rows as unknown[][]).map(text);
      const fromGraph = graph.records.map((r) => text(translation.columns.map((name) => r.get(name))));
      assert.ok(fromSql.length >= c.minRows, `the SQL returns at least ${c.minRows} rows (${fromSql.length})`);
      assert.equal(translation.ordered, c.sql.includes('ORDER BY'));
      if (translation.ordered) assert.deepEqual(fromGraph, fromSql, translation.cypher);
      else assert.deepEqual([...fromGraph].sort(), [...fromSql].sort(), translation.cypher);
    });
  }
});
