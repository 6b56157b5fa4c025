-- pg2graph sample database: a small online bookshop, in schema "bookshop".
-- Deterministic: every load produces exactly the same rows (no random(), no now()).
-- It covers the cases a migration must get right: a composite primary key, a composite foreign key,
-- a self-reference, a join table with attributes, two foreign keys to one table, a table without a
-- primary key, enums, numeric, timestamptz with microseconds, a BC date, jsonb, arrays, point, char(n),
-- text with quotes, backslashes, newlines and emoji.

DROP SCHEMA IF EXISTS bookshop CASCADE;
CREATE SCHEMA bookshop;
SET search_path = bookshop;

CREATE TYPE customer_tier AS ENUM ('bronze', 'silver', 'gold');
CREATE TYPE order_status AS ENUM ('placed', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE TABLE customer (
  customer_id  integer PRIMARY KEY,
  email        text NOT NULL UNIQUE,
  full_name    text NOT NULL,
  tier         customer_tier NOT NULL,
  referred_by  integer REFERENCES customer (customer_id),         -- self-reference
  signed_up_at timestamptz NOT NULL,
  tags         text[] NOT NULL DEFAULT '{}',
  preferences  jsonb
);
COMMENT ON TABLE customer IS 'People who buy books; some were referred by another customer.';

CREATE TABLE address (
  address_id  integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customer,
  street      text NOT NULL,
  city        text NOT NULL,
  country     char(2) NOT NULL,
  location    point
);

CREATE TABLE author (
  author_id integer PRIMARY KEY,
  name      text NOT NULL,
  born      date
);

CREATE TABLE book (
  isbn       text PRIMARY KEY,                                   -- natural text key
  title      text NOT NULL,
  price      numeric(10,2) NOT NULL,
  published  date,
  genres     text[] NOT NULL,
  page_count int2,
  details    jsonb
);

CREATE TABLE book_author (                                       -- join table with attributes
  isbn        text REFERENCES book,
  author_id   integer REFERENCES author,
  role        text NOT NULL DEFAULT 'author',
  royalty_pct numeric(5,2),
  PRIMARY KEY (isbn, author_id)
);

CREATE TABLE warehouse (                                         -- composite primary key
  region  char(2),
  site_no int2,
  name    text NOT NULL,
  opened  date NOT NULL,
  PRIMARY KEY (region, site_no)
);

CREATE TABLE stock (                                             -- join table over a composite FK
  region     char(2),
  site_no    int2,
  isbn       text REFERENCES book,
  quantity   integer NOT NULL,
  counted_at timestamptz NOT NULL,
  PRIMARY KEY (region, site_no, isbn),
  FOREIGN KEY (region, site_no) REFERENCES warehouse
);

CREATE TABLE orders (
  order_id            bigint PRIMARY KEY,
  customer_id         integer NOT NULL REFERENCES customer,
  status              order_status NOT NULL,
  ordered_at          timestamptz NOT NULL,
  shipping_address_id integer REFERENCES address,                 -- two FKs to one table
  billing_address_id  integer REFERENCES address,
  total               numeric(12,2) NOT NULL,
  note                text
);

CREATE TABLE order_line (                                        -- its PK holds an FK column: stays a node
  order_id   bigint REFERENCES orders,
  line_no    int2,
  isbn       text NOT NULL REFERENCES book,
  quantity   int2 NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  discount   real NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE review (                                            -- no primary key
  customer_id integer NOT NULL REFERENCES customer,
  isbn        text NOT NULL REFERENCES book,
  stars       int2 NOT NULL CHECK (stars BETWEEN 1 AND 5),
  body        text,
  written_at  timestamptz NOT NULL
);

-- ---------------------------------------------------------------- data

INSERT INTO customer (customer_id, email, full_name, tier, referred_by, signed_up_at, tags, preferences)
SELECT i,
       format('customer%s@example.com', i),
       (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','Ken','Margaret','Tim','Zoë','Ørjan'])[1 + i % 12]
         || ' ' ||
       (ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','Thompson','Hamilton','O''Brien','Nuñez','Smith 🙂'])[1 + (i * 7) % 12],
       (ARRAY['bronze','silver','gold'])[1 + (i * 13) % 3]::customer_tier,
       CASE WHEN i > 10 AND i % 4 = 0 THEN 1 + (i * 31) % (i - 1) END,
       timestamptz '2023-01-01 08:00:00+00' + i * interval '13 hours 17 minutes 3.141593 seconds',
       CASE i % 5 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['newsletter'] WHEN 2 THEN ARRAY['newsletter','vip']
                  WHEN 3 THEN ARRAY['said "hi"', 'back\slash'] ELSE ARRAY['multi
line'] END,
       CASE WHEN i % 3 = 0 THEN NULL
            ELSE jsonb_build_object('language', (ARRAY['en','de','fr','es'])[1 + i % 4], 'giftWrap', i % 2 = 0,
                                    'budget', (i * 17 % 500) + 0.25) END
FROM generate_series(1, 600) AS i;

INSERT INTO address (address_id, customer_id, street, city, country, location)
SELECT i,
       1 + (i * 7) % 600,
       format('%s %s Street', i, (ARRAY['Main','Elm','Oak','Pine','Maple'])[1 + i % 5]),
       (ARRAY['Berlin','Lyon','Porto','Kraków','Malmö','Cork'])[1 + i % 6],
       (ARRAY['DE','FR','PT','PL','SE','IE'])[1 + i % 6],
       CASE WHEN i % 10 = 0 THEN NULL ELSE point(((i * 37) % 3600) / 10.0 - 180, ((i * 11) % 1700) / 10.0 - 85) END
FROM generate_series(1, 900) AS i;

INSERT INTO author (author_id, name, born)
SELECT i,
       format('Author %s %s', i, (ARRAY['Åsa','Bjørn','Chloé','Dmitri','Eun-ji','Farah'])[1 + i % 6]),
       CASE WHEN i = 1 THEN date '0750-01-01 BC'
            WHEN i % 9 = 0 THEN NULL
            ELSE date '1900-01-01' + (i * 241) % 36000 END
FROM generate_series(1, 150) AS i;

INSERT INTO book (isbn, title, price, published, genres, page_count, details)
SELECT format('978-%s', lpad((1000000 + i * 7919)::text, 10, '0')),
       format('Volume %s: %s', i, (ARRAY['Graphs','Relations','Keys','Joins','Nodes','Edges','Queries','Indexes'])[1 + i % 8]),
       ((i * 379) % 9000 + 99) / 100.0,
       CASE WHEN i % 17 = 0 THEN NULL ELSE date '1950-01-01' + (i * 53) % 27000 END,
       CASE i % 4 WHEN 0 THEN ARRAY['fiction','classic'] WHEN 1 THEN ARRAY['science','graphs']
                  WHEN 2 THEN ARRAY['history','maps'] ELSE ARRAY['poetry'] END,
       (100 + (i * 29) % 900)::int2,
       jsonb_build_object('edition', 1 + i % 3, 'languages', jsonb_build_array('en', CASE WHEN i % 2 = 0 THEN 'de' ELSE 'fr' END),
                          'dimensions', jsonb_build_object('heightMm', 180 + i % 40, 'widthMm', 110 + i % 20))
FROM generate_series(1, 400) AS i;

INSERT INTO book_author (isbn, author_id, role, royalty_pct)
SELECT b.isbn, 1 + (b.n * 13) % 150, 'author', 10.00 + (b.n % 7) * 0.25
FROM (SELECT isbn, row_number() OVER (ORDER BY isbn) AS n FROM book) AS b
UNION ALL
SELECT b.isbn, 1 + (b.n * 29 + 5) % 150, CASE WHEN b.n % 2 = 0 THEN 'translator' ELSE 'illustrator' END, NULL
FROM (SELECT isbn, row_number() OVER (ORDER BY isbn) AS n FROM book) AS b
WHERE b.n % 3 = 0 AND (b.n * 29 + 5) % 150 <> (b.n * 13) % 150;

INSERT INTO warehouse (region, site_no, name, opened)
VALUES ('EU', 1, 'Rotterdam', '2015-03-01'), ('EU', 2, 'Leipzig', '2018-09-15'),
       ('US', 1, 'Reno', '2012-06-30'), ('US', 2, 'Memphis', '2016-11-11'),
       ('AP', 1, 'Osaka', '2020-02-29'), ('AP', 2, 'Perth', '2021-07-04');

INSERT INTO stock (region, site_no, isbn, quantity, counted_at)
SELECT w.region, w.site_no, b.isbn, (b.n * 7 + w.site_no * 3) % 250,
       timestamptz '2025-06-01 00:00:00.000001+00' + (b.n * 61 + w.site_no) * interval '1 minute 0.5 seconds'
FROM warehouse AS w
JOIN (SELECT isbn, row_number() OVER (ORDER BY isbn) AS n FROM book) AS b
  ON (b.n + ascii(w.region) + w.site_no) % 3 <> 0;

INSERT INTO orders (order_id, customer_id, status, ordered_at, shipping_address_id, billing_address_id, total, note)
SELECT 9000000000 + i,
       1 + (i * 17) % 600,
       (ARRAY['placed','paid','shipped','delivered','cancelled'])[1 + (i * 3) % 5]::order_status,
       timestamptz '2024-02-29 23:59:59.999999+00' + i * interval '3 hours 7 minutes 11.000001 seconds',
       CASE WHEN i % 8 = 0 THEN NULL ELSE 1 + (i * 7) % 900 END,
       1 + (i * 11) % 900,
       0,
       CASE WHEN i % 25 = 0 THEN 'Leave at the door, "please"' WHEN i % 40 = 1 THEN '' END
FROM generate_series(1, 1500) AS i;

INSERT INTO order_line (order_id, line_no, isbn, quantity, unit_price, discount)
SELECT o.order_id, l.line_no,
       (SELECT isbn FROM book ORDER BY isbn OFFSET ((o.order_id - 9000000000) * 7 + l.line_no * 13) % 400 LIMIT 1),
       (1 + (o.order_id + l.line_no) % 4)::int2,
       ((o.order_id * 379 + l.line_no) % 9000 + 99) / 100.0,
       CASE WHEN l.line_no = 2 THEN 0.1 WHEN l.line_no = 3 THEN 0.333 ELSE 0 END
FROM orders AS o
CROSS JOIN LATERAL generate_series(1, 1 + ((o.order_id - 9000000000) * 5) % 4) AS l(line_no);

UPDATE orders AS o
SET total = t.sum
FROM (SELECT order_id, sum(quantity * unit_price) AS sum FROM order_line GROUP BY order_id) AS t
WHERE t.order_id = o.order_id;

INSERT INTO review (customer_id, isbn, stars, body, written_at)
SELECT 1 + (i * 19) % 600,
       (SELECT isbn FROM book ORDER BY isbn OFFSET (i * 31) % 400 LIMIT 1),
       (1 + (i * 7) % 5)::int2,
       CASE WHEN i % 6 = 0 THEN NULL ELSE format('Review %s: %s', i, (ARRAY['Loved it ❤️','Too long','It''s "fine"','Back\slash story','Line one
Line two'])[1 + i % 5]) END,
       timestamptz '2024-05-01 12:00:00+00' + i * interval '5 hours 0.000123 seconds'
FROM generate_series(1, 800) AS i;

ANALYZE;
