/** The translator's Cypher for each construct of its first subset, and its refusals (pure logic, no database). */
import assert from 'assert/strict';
import { translateSql, type Translation } from '../../dist/engine/translate';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import { bookshopPlan } from './translate-plan';

const plan = bookshopPlan();
const cypher = async (sql: string, params?: unknown[]) => (await translateSql(sql, plan, { params })).cypher;
const lines = (...parts: string[]) => parts.join('\n');

async function refused(sql: string, code: 'TRANSLATE_UNSUPPORTED' | 'TRANSLATE_INPUT_INVALID', message: RegExp): Promise<Pg2GraphError> {
  const error = await translateSql(sql, plan).then(
    (t: Translation) => assert.fail(`translated, expected ${code}: ${t.cypher}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof Pg2GraphError, String(error));
  assert.equal(error.code, code, error.message);
  assert.match(error.message, message);
  return error;
}

describe('translate: SELECT lists', () => {
  it('columns keep their SQL output names, renamed properties come from the plan', async () => {
    const t = await translateSql('SELECT full_name, c.email AS mail, customer_id + 1 FROM customer c', plan);
    assert.equal(t.cypher, lines('MATCH (c:`Customer`)', 'RETURN c.`fullName` AS `full_name`, c.`email` AS `mail`, (c.`customerId` + 1) AS `?column?`'));
    assert.deepEqual(t.columns, ['full_name', 'mail', '?column?']);
    assert.equal(t.ordered, false);
  });

  it('* is the mapped columns in table order, with the schema written or not', async () => {
    const t = await translateSql('SELECT * FROM bookshop.author', plan);
    assert.deepEqual(t.columns, ['author_id', 'name']);
    assert.equal(t.cypher, lines('MATCH (author:`Author`)', 'RETURN author.`authorId` AS `author_id`, author.`name` AS `name`'));
  });

  it('DISTINCT, string literals, COALESCE, NULLIF, CASE', async () => {
    assert.equal(
      await cypher("SELECT DISTINCT coalesce(note, 'none'), nullif(customer_id, 3), CASE WHEN customer_id > 2 THEN 'big' ELSE 'small' END AS size FROM orders"),
      lines(
        'MATCH (orders:`Order`)',
        "RETURN DISTINCT coalesce(orders.`note`, 'none') AS `coalesce`, CASE WHEN (orders.`customerId` = 3) THEN null ELSE orders.`customerId` END AS `nullif`, CASE WHEN (orders.`customerId` > 2) THEN 'big' ELSE 'small' END AS `size`",
      ),
    );
  });

  it('a CASE named by its ELSE column, as Postgres names it', async () => {
    const t = await translateSql('SELECT CASE WHEN author_id = 1 THEN null ELSE name END FROM author', plan);
    assert.deepEqual(t.columns, ['name']);
  });

  it('refuses two output columns of one name, which Cypher cannot return', async () => {
    await refused('SELECT 1, 2 FROM author', 'TRANSLATE_UNSUPPORTED', /output column name "\?column\?" twice/);
  });
});

describe('translate: expressions', () => {
  it('string functions, ||, concat (NULLs skipped as Postgres does), integer arithmetic', async () => {
    const t = await translateSql(
      "SELECT upper(name) AS u, length(name) AS l, trim(name), name || '!' AS bang, concat(name, ' #', author_id), 7 / 2 AS half, -author_id % 3 AS m FROM author",
      plan,
    );
    assert.equal(
      t.cypher,
      lines(
        'MATCH (author:`Author`)',
        "RETURN toUpper(author.`name`) AS `u`, size(author.`name`) AS `l`, btrim(author.`name`, ' ') AS `btrim`, (author.`name` + '!') AS `bang`, (coalesce(author.`name`, '') + ' #' + coalesce(toString(author.`authorId`), '')) AS `concat`, (7 / 2) AS `half`, ((-author.`authorId`) % 3) AS `m`",
      ),
    );
    assert.deepEqual(
      t.notes.map((n) => n.code),
      ['CASE_MAPPING'],
    );
  });

  it('refuses arithmetic, sums, averages and order comparisons on numeric, kept as exact text', async () => {
    await refused(
      'SELECT total + 1 AS t FROM orders',
      'TRANSLATE_UNSUPPORTED',
      /arithmetic on orders\.total \(numeric\(12,2\)\) at character 14: numeric is exact decimal text/,
    );
    await refused('SELECT sum(total) FROM orders', 'TRANSLATE_UNSUPPORTED', /sum\(orders\.total \(numeric\(12,2\)\)\)/);
    await refused('SELECT avg(total) FROM orders', 'TRANSLATE_UNSUPPORTED', /avg\(orders\.total/);
    await refused('SELECT order_id FROM orders WHERE total > 10', 'TRANSLATE_UNSUPPORTED', /comparing orders\.total .*"10" < "9"/);
    await refused('SELECT order_id FROM orders WHERE total = 10.5', 'TRANSLATE_UNSUPPORTED', /comparing orders\.total/);
    await refused('SELECT order_id FROM orders WHERE total = $1', 'TRANSLATE_UNSUPPORTED', /comparing orders\.total/);
    await refused('SELECT order_id FROM orders ORDER BY total', 'TRANSLATE_UNSUPPORTED', /ORDER BY orders\.total/);
  });

  it('compares numeric(p,s) with a constant of exactly s decimals as the text the graph holds', async () => {
    assert.equal(
      await cypher('SELECT order_id FROM orders WHERE total = 10.50'),
      lines('MATCH (orders:`Order`)', "WHERE (orders.`total` = '10.50')", 'RETURN orders.`orderId` AS `order_id`'),
    );
  });

  it('refuses comparing enums, char(n) and text order, whose Postgres rules Cypher does not follow', async () => {
    await refused("SELECT 1 AS one FROM customer WHERE tier = 'gold'", 'TRANSLATE_UNSUPPORTED', /comparing customer\.tier \(customer_tier\)/);
    await refused("SELECT 1 AS one FROM orders WHERE country = 'DE'", 'TRANSLATE_UNSUPPORTED', /char\(n\) keeps its padding/);
    await refused("SELECT 1 AS one FROM author WHERE name < 'M'", 'TRANSLATE_UNSUPPORTED', /collation/);
    await refused("SELECT 1 AS one FROM author WHERE author_id = '5'", 'TRANSLATE_UNSUPPORTED', /comparing integer with text/);
  });

  it('refuses || between operands that are not text (Cypher would add numbers)', async () => {
    await refused('SELECT $1 || $2 AS x FROM author', 'TRANSLATE_UNSUPPORTED', /\|\| without a text operand at character 11/);
    await refused('SELECT author_id || 1 AS x FROM author', 'TRANSLATE_UNSUPPORTED', /\|\| without a text operand/);
  });

  it('refuses arithmetic with a decimal constant on integers (numeric in Postgres, a float in Cypher), not on floats', async () => {
    await refused('SELECT author_id * 1.5 AS x FROM author', 'TRANSLATE_UNSUPPORTED', /the decimal constant 1\.5/);
    const t = await translateSql('SELECT discount * 1.5 AS x FROM orders', plan);
    assert.equal(t.cypher, lines('MATCH (orders:`Order`)', 'RETURN (orders.`discount` * 1.5) AS `x`'));
    assert.deepEqual(
      t.notes.map((n) => n.code),
      ['FLOAT4_PRECISION'],
    );
  });
});

describe('translate: WHERE', () => {
  it('comparisons, AND/OR/NOT, IS [NOT] NULL, IN, NOT IN, BETWEEN, parameters', async () => {
    const u = await translateSql(
      'SELECT author_id FROM author WHERE (author_id >= $1 AND author_id <> 3 OR NOT author_id <= 2) AND name IS NOT NULL AND author_id IN (1, 2, $2) AND author_id NOT IN (9) AND author_id BETWEEN 1 AND 100',
      plan,
      { params: [1, 7] },
    );
    assert.equal(
      u.cypher,
      lines(
        'MATCH (author:`Author`)',
        'WHERE ((((author.`authorId` >= $p1) AND (author.`authorId` <> 3)) OR (NOT (author.`authorId` <= 2))) AND (author.`name` IS NOT NULL) AND (author.`authorId` IN [1, 2, $p2]) AND (NOT (author.`authorId` IN [9])) AND ((author.`authorId` >= 1) AND (author.`authorId` <= 100)))',
        'RETURN author.`authorId` AS `author_id`',
      ),
    );
    assert.deepEqual(u.parameters, { p1: 1, p2: 7 });
  });

  it('LIKE as STARTS WITH, ENDS WITH, CONTAINS, equality or an escaped regular expression; ILIKE through toLower', async () => {
    const where = async (pattern: string) => (await cypher(`SELECT 1 AS one FROM author WHERE name ${pattern}`)).split('\n')[1];
    assert.equal(await where("LIKE 'Ab%'"), "WHERE (author.`name` STARTS WITH 'Ab')");
    assert.equal(await where("LIKE '%ab'"), "WHERE (author.`name` ENDS WITH 'ab')");
    assert.equal(await where("LIKE '%a''b%'"), "WHERE (author.`name` CONTAINS 'a\\'b')");
    assert.equal(await where("LIKE 'a\\%'"), "WHERE (author.`name` = 'a%')");
    assert.equal(await where("NOT LIKE 'a_c.%'"), "WHERE (NOT (author.`name` =~ '(?s)a.c\\\\..*'))");
    assert.equal(await where("ILIKE 'AB%'"), "WHERE (toLower(author.`name`) STARTS WITH 'ab')");
    assert.equal(await where("LIKE '%'"), "WHERE (author.`name` STARTS WITH '')");
    await refused("SELECT 1 AS one FROM author WHERE name LIKE 'a' || 'b'", 'TRANSLATE_UNSUPPORTED', /LIKE with a pattern that is not a string constant/);
  });
});

describe('translate: joins', () => {
  it('an inner join along a foreign key, the ON condition written either way, in the plan direction', async () => {
    const expected = lines(
      'MATCH (c:`Customer`)',
      'MATCH (o:`Order`)-[:`CUSTOMER`]->(c:`Customer`)',
      'RETURN c.`fullName` AS `full_name`, o.`orderId` AS `order_id`',
    );
    assert.equal(await cypher('SELECT c.full_name, o.order_id FROM customer c JOIN orders o ON o.customer_id = c.customer_id'), expected);
    assert.equal(await cypher('SELECT c.full_name, o.order_id FROM customer c INNER JOIN orders o ON c.customer_id = o.customer_id'), expected);
  });

  it('a self-join along the self-reference, in both directions of writing', async () => {
    assert.equal(
      await cypher('SELECT x.full_name, r.full_name AS referrer FROM customer x JOIN customer r ON x.referred_by = r.customer_id'),
      lines('MATCH (x:`Customer`)', 'MATCH (x:`Customer`)-[:`REFERRED_BY`]->(r:`Customer`)', 'RETURN x.`fullName` AS `full_name`, r.`fullName` AS `referrer`'),
    );
    assert.equal(
      await cypher('SELECT r.full_name FROM customer x JOIN customer r ON r.referred_by = x.customer_id'),
      lines('MATCH (x:`Customer`)', 'MATCH (r:`Customer`)-[:`REFERRED_BY`]->(x:`Customer`)', 'RETURN r.`fullName` AS `full_name`'),
    );
  });

  it('two joins through a join table are one relationship with its properties', async () => {
    const expected = lines(
      'MATCH (b:`Book`)',
      'MATCH (b:`Book`)-[ba:`BOOK_AUTHOR`]->(a:`Author`)',
      'RETURN b.`title` AS `title`, a.`name` AS `name`, ba.`role` AS `role`',
    );
    assert.equal(
      await cypher('SELECT b.title, a.name, ba.role FROM book b JOIN book_author ba ON ba.isbn = b.isbn JOIN author a ON a.author_id = ba.author_id'),
      expected,
    );
    assert.equal(
      await cypher('SELECT b.title, a.name, ba.role FROM book_author ba JOIN author a ON a.author_id = ba.author_id JOIN book b ON ba.isbn = b.isbn'),
      lines('MATCH (b:`Book`)-[ba:`BOOK_AUTHOR`]->(a:`Author`)', 'RETURN b.`title` AS `title`, a.`name` AS `name`, ba.`role` AS `role`'),
    );
  });

  it('a join table alone, and joined twice: one MATCH per relationship, so both may be the same row as in SQL', async () => {
    assert.equal(
      await cypher('SELECT count(*) AS n, count(DISTINCT ba.role) AS roles FROM book_author ba'),
      lines(
        'MATCH (ba_from:`Book`)-[ba:`BOOK_AUTHOR`]->(ba_to:`Author`)',
        'WITH count(*) AS agg, count(DISTINCT ba.`role`) AS agg2',
        'RETURN agg AS `n`, agg2 AS `roles`',
      ),
    );
    assert.equal(
      await cypher('SELECT ba.author_id, ba2.role FROM book b JOIN book_author ba ON ba.isbn = b.isbn JOIN book_author ba2 ON ba2.isbn = b.isbn'),
      lines(
        'MATCH (b:`Book`)',
        'MATCH (b:`Book`)-[ba:`BOOK_AUTHOR`]->(ba_to:`Author`)',
        'MATCH (b:`Book`)-[ba2:`BOOK_AUTHOR`]->(ba2_to:`Author`)',
        'RETURN ba_to.`authorId` AS `author_id`, ba2.`role` AS `role`',
      ),
    );
  });

  it('refuses a join whose ON condition follows two foreign keys at once', async () => {
    await refused(
      'SELECT 1 AS one FROM orders o JOIN customer c ON c.customer_id = o.customer_id AND c.referred_by = o.customer_id JOIN customer d ON d.customer_id = c.referred_by AND d.referred_by = c.customer_id',
      'TRANSLATE_UNSUPPORTED',
      /matches more than one relationship/,
    );
  });

  it('LEFT JOIN is OPTIONAL MATCH, with the rest of its ON as its WHERE and the SQL WHERE after it', async () => {
    assert.equal(
      await cypher(
        "SELECT c.full_name, o.order_id FROM customer c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.note = 'x' WHERE o.order_id IS NULL",
      ),
      lines(
        'MATCH (c:`Customer`)',
        'OPTIONAL MATCH (o:`Order`)-[:`CUSTOMER`]->(c:`Customer`)',
        "WHERE (o.`note` = 'x')",
        'WITH *',
        'WHERE (o.`orderId` IS NULL)',
        'RETURN c.`fullName` AS `full_name`, o.`orderId` AS `order_id`',
      ),
    );
  });

  it('a join on columns that are no foreign key is a WHERE equality, noted as cartesian', async () => {
    const t = await translateSql('SELECT o.order_id FROM orders o JOIN customer c ON c.email = o.note', plan);
    assert.equal(t.cypher, lines('MATCH (o:`Order`)', 'MATCH (c:`Customer`)', 'WHERE (c.`email` = o.`note`)', 'RETURN o.`orderId` AS `order_id`'));
    assert.deepEqual(
      t.notes.map((n) => [n.code, n.position]),
      [['CARTESIAN_JOIN', 38]],
    );
  });

  it('refuses RIGHT / FULL joins, an inner join after a LEFT JOIN and LEFT JOIN through a join table', async () => {
    await refused(
      'SELECT 1 AS one FROM customer c RIGHT JOIN orders o ON o.customer_id = c.customer_id',
      'TRANSLATE_UNSUPPORTED',
      /RIGHT JOIN at character 44/,
    );
    await refused('SELECT 1 AS one FROM customer c FULL JOIN orders o ON o.customer_id = c.customer_id', 'TRANSLATE_UNSUPPORTED', /FULL JOIN/);
    await refused(
      'SELECT 1 AS one FROM customer c LEFT JOIN orders o ON o.customer_id = c.customer_id JOIN customer x ON x.customer_id = c.customer_id',
      'TRANSLATE_UNSUPPORTED',
      /an inner join after a LEFT JOIN/,
    );
    await refused('SELECT 1 AS one FROM book b LEFT JOIN book_author ba ON ba.isbn = b.isbn', 'TRANSLATE_UNSUPPORTED', /LEFT JOIN through a join table/);
  });
});

describe('translate: grouping and order', () => {
  it('GROUP BY with count(*), count(col), count(DISTINCT), sum (NULL over no values), avg, min, max and HAVING', async () => {
    const t = await translateSql(
      'SELECT customer_id, count(*) AS n, count(note), count(DISTINCT note) AS notes, sum(order_id), avg(order_id), min(order_id), max(order_id) FROM orders GROUP BY customer_id HAVING count(*) > 1',
      plan,
    );
    assert.equal(
      t.cypher,
      lines(
        'MATCH (orders:`Order`)',
        'WITH orders.`customerId` AS g, count(*) AS agg, count(orders.`note`) AS agg2, count(DISTINCT orders.`note`) AS agg3, CASE WHEN count(orders.`orderId`) = 0 THEN null ELSE sum(orders.`orderId`) END AS agg4, avg(orders.`orderId`) AS agg5, min(orders.`orderId`) AS agg6, max(orders.`orderId`) AS agg7',
        'WHERE (agg > 1)',
        'RETURN g AS `customer_id`, agg AS `n`, agg2 AS `count`, agg3 AS `notes`, agg4 AS `sum`, agg5 AS `avg`, agg6 AS `min`, agg7 AS `max`',
      ),
    );
    assert.deepEqual(
      t.notes.map((n) => n.code),
      ['AVG_AS_FLOAT'],
    );
  });

  it('notes sums of floats (order of additions) and of reals (single precision in Postgres)', async () => {
    const t = await translateSql('SELECT sum(discount) AS s FROM orders', plan);
    assert.deepEqual(
      t.notes.map((n) => n.code),
      ['FLOAT4_PRECISION', 'FLOAT_SUM_ORDER'],
    );
  });

  it('a column of a table whose key is grouped may be selected (functional dependency), others not', async () => {
    assert.equal(
      await cypher('SELECT c.full_name, count(*) AS n FROM customer c JOIN orders o ON o.customer_id = c.customer_id GROUP BY c.customer_id'),
      lines(
        'MATCH (c:`Customer`)',
        'MATCH (o:`Order`)-[:`CUSTOMER`]->(c:`Customer`)',
        'WITH c.`customerId` AS g, c.`fullName` AS g2, count(*) AS agg',
        'RETURN g2 AS `full_name`, agg AS `n`',
      ),
    );
    await refused(
      'SELECT o.note, count(*) AS n FROM orders o GROUP BY o.customer_id',
      'TRANSLATE_INPUT_INVALID',
      /"o\.note" must appear in the GROUP BY clause/,
    );
  });

  it('GROUP BY without aggregates is WITH DISTINCT; GROUP BY of a select item number', async () => {
    assert.equal(
      await cypher('SELECT customer_id FROM orders GROUP BY 1'),
      lines('MATCH (orders:`Order`)', 'WITH DISTINCT orders.`customerId` AS g', 'RETURN g AS `customer_id`'),
    );
  });

  it('GROUP BY an output name, unless an input column has that name (Postgres takes the input column)', async () => {
    assert.equal(
      await cypher('SELECT customer_id + 1 AS next, count(*) AS n FROM orders GROUP BY next'),
      lines('MATCH (orders:`Order`)', 'WITH (orders.`customerId` + 1) AS g, count(*) AS agg', 'RETURN g AS `next`, agg AS `n`'),
    );
    await refused(
      'SELECT note AS customer_id, count(*) AS n FROM orders GROUP BY customer_id',
      'TRANSLATE_INPUT_INVALID',
      /"orders\.note" must appear in the GROUP BY clause/,
    );
  });

  it("ORDER BY keeps Postgres' NULLS FIRST / LAST; LIMIT and OFFSET", async () => {
    const t = await translateSql('SELECT author_id AS id, name FROM author ORDER BY id DESC NULLS LAST, 2 NULLS FIRST, author_id LIMIT 10 OFFSET 5', plan);
    assert.equal(
      t.cypher,
      lines(
        'MATCH (author:`Author`)',
        'RETURN author.`authorId` AS `id`, author.`name` AS `name`',
        'ORDER BY `id` IS NULL, `id` DESC, `name` IS NULL DESC, `name`, `id`',
        'SKIP 5',
        'LIMIT 10',
      ),
    );
    assert.equal(t.ordered, true);
    assert.deepEqual(
      t.notes.map((n) => n.code),
      ['TEXT_ORDER_COLLATION'],
    );
    assert.equal(
      (await cypher('SELECT author_id FROM author ORDER BY author_id DESC NULLS FIRST, author_id NULLS LAST')).split('\n')[2],
      'ORDER BY `author_id` DESC, `author_id`',
    );
  });

  it('ORDER BY an expression not in the select list, and aggregates in ORDER BY', async () => {
    assert.equal(
      await cypher('SELECT name FROM author ORDER BY author_id + 1'),
      lines('MATCH (author:`Author`)', 'RETURN author.`name` AS `name`', 'ORDER BY (author.`authorId` + 1)'),
    );
    assert.equal(
      await cypher('SELECT customer_id FROM orders GROUP BY customer_id ORDER BY count(*) DESC'),
      lines('MATCH (orders:`Order`)', 'WITH orders.`customerId` AS g, count(*) AS agg', 'RETURN g AS `customer_id`', 'ORDER BY agg DESC'),
    );
  });
});

describe('translate: refusals and bad input', () => {
  it('refuses what it does not translate, naming the construct and its character position', async () => {
    const error = await refused(
      'SELECT name FROM author WHERE author_id IN (SELECT author_id FROM author)',
      'TRANSLATE_UNSUPPORTED',
      /a subquery at character 41/,
    );
    assert.deepEqual(error.details, { construct: 'a subquery', position: 41 });
    await refused('SELECT name FROM author UNION SELECT name FROM author', 'TRANSLATE_UNSUPPORTED', /UNION at character 38/);
    await refused('WITH RECURSIVE t AS (SELECT 1) SELECT * FROM t', 'TRANSLATE_UNSUPPORTED', /WITH RECURSIVE at character 1/);
    await refused('SELECT row_number() OVER () FROM author', 'TRANSLATE_UNSUPPORTED', /the window function row_number at character 8/);
    await refused("INSERT INTO author VALUES (1, 'x')", 'TRANSLATE_UNSUPPORTED', /INSERT at character 1/);
    await refused('UPDATE author SET name = null', 'TRANSLATE_UNSUPPORTED', /UPDATE/);
    await refused('DELETE FROM author', 'TRANSLATE_UNSUPPORTED', /DELETE/);
    await refused('SELECT abs(author_id) FROM author', 'TRANSLATE_UNSUPPORTED', /the function abs at character 8/);
    await refused('SELECT author_id::text FROM author', 'TRANSLATE_UNSUPPORTED', /a cast at character 17/);
    await refused('SELECT * FROM (SELECT 1) s', 'TRANSLATE_UNSUPPORTED', /a subquery in FROM at character 23/);
    await refused('SELECT * FROM book', 'TRANSLATE_UNSUPPORTED', /\* of book at character 8: the plan leaves out shelf/);
    await refused('SELECT DISTINCT tier FROM customer', 'TRANSLATE_UNSUPPORTED', /DISTINCT over customer\.tier/);
  });

  it('positions count characters, not bytes', async () => {
    const error = await refused("SELECT 'Zoë 🙂' AS n, abs(author_id) FROM author", 'TRANSLATE_UNSUPPORTED', /the function abs at character 22/);
    assert.equal(error.details.position, 22);
  });

  it('a parse error, several statements, unmapped tables and columns, ambiguous columns are bad input', async () => {
    const parse = await refused('SELECT FROM WHERE', 'TRANSLATE_INPUT_INVALID', /does not parse: syntax error at or near "WHERE" at character 13/);
    assert.equal(parse.details.position, 13);
    await refused('SELECT 1 AS a FROM author; SELECT 2 AS b FROM author', 'TRANSLATE_INPUT_INVALID', /2 statements/);
    await refused('SELECT 1 AS a FROM shelf', 'TRANSLATE_INPUT_INVALID', /Table "shelf" is not mapped by the plan/);
    await refused('SELECT 1 AS a FROM public.author', 'TRANSLATE_INPUT_INVALID', /Table "public\.author" is not mapped/);
    await refused('SELECT nickname FROM author', 'TRANSLATE_INPUT_INVALID', /Column "nickname" is not in any table of FROM/);
    await refused('SELECT shelf FROM book', 'TRANSLATE_INPUT_INVALID', /Column "shelf" of table "book" is not in the graph: the plan leaves it out/);
    await refused(
      'SELECT customer_id FROM customer c JOIN orders o ON o.customer_id = c.customer_id',
      'TRANSLATE_INPUT_INVALID',
      /Column reference "customer_id" is ambiguous/,
    );
  });
});

describe('translate: entries whose pattern would not find exactly their rows', () => {
  it('refuses a table whose entry migrates only the rows of its where', async () => {
    const filtered = bookshopPlan();
    filtered.nodes.find((n) => n.label === 'Author')!.where = 'author_id > 10';
    await assert.rejects(translateSql('SELECT name FROM author', filtered), (e: Pg2GraphError) => {
      assert.equal(e.code, 'TRANSLATE_UNSUPPORTED');
      assert.match(e.message, /table "author" at character 18: its entry "bookshop\.author" migrates only the rows of its where/);
      return true;
    });
  });

  it('refuses a join along a relationship whose type another entry shares between the same labels', async () => {
    const twins = bookshopPlan();
    const original = twins.relationships.find((r) => r.type === 'CUSTOMER')!;
    twins.relationships.push({ ...original, id: 'bookshop.orders.orders_payer_fkey', to: { node: 'bookshop.customer', match: { customerId: 'order_id' } } });
    await assert.rejects(translateSql('SELECT o.order_id FROM orders o JOIN customer c ON c.customer_id = o.customer_id', twins), (e: Pg2GraphError) => {
      assert.equal(e.code, 'TRANSLATE_UNSUPPORTED');
      assert.match(e.message, /"bookshop\.orders\.orders_payer_fkey" has the same type CUSTOMER between the same labels/);
      return true;
    });
  });

  it('a content-keyed table has no key to group by: its other columns stay refused outside GROUP BY', async () => {
    const contentKeyed = bookshopPlan();
    const author = contentKeyed.nodes.find((n) => n.label === 'Author')!;
    author.key = ['rowHash'];
    author.keySource = 'rowContent';
    await assert.rejects(translateSql('SELECT name, count(*) AS n FROM author GROUP BY author_id', contentKeyed), (e: Pg2GraphError) => {
      assert.equal(e.code, 'TRANSLATE_INPUT_INVALID');
      assert.match(e.message, /"author\.name" must appear in the GROUP BY clause/);
      return true;
    });
  });

  it('LIMIT and OFFSET take parameters', async () => {
    const t = await translateSql('SELECT name FROM author ORDER BY author_id LIMIT $1 OFFSET $2', plan, { params: [5, 10] });
    assert.deepEqual(t.cypher.split('\n').slice(-2), ['SKIP $p2', 'LIMIT $p1']);
    assert.deepEqual(t.parameters, { p1: 5, p2: 10 });
  });
});
