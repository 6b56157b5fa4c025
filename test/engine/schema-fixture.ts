/**
 * The test schema of the schema/plan tests: every case the mapping rules (README, Mapping rules) have a rule for, in two schemas, with names
 * that need quoting. Created in a scratch database by the tests themselves.
 */
import crypto from 'crypto';
import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase, type ScratchLogin } from '../support/databases';
import { introspect } from '../../dist/engine/schema/introspect';
import type { SchemaModel } from '../../dist/engine/schema/model';

export const FIXTURE_SQL = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%');
CREATE DOMAIN work_email AS email_address;
CREATE DOMAIN positive_amount AS numeric(10,2) CHECK (VALUE > 0);

CREATE TABLE customers (
  customer_id serial PRIMARY KEY,
  email email_address NOT NULL UNIQUE,
  name text NOT NULL,
  mood mood,
  tags text[],
  scores int4[],
  credit_limit numeric(12,2),
  balance positive_amount,
  created_at timestamp(3) NOT NULL DEFAULT now(),
  note varchar(40),
  code char(5),
  office_email work_email,
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
  active_during tsrange
);
COMMENT ON TABLE customers IS 'People who buy';
COMMENT ON COLUMN customers.email IS 'used to log in';

CREATE TABLE addresses (address_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, street text, city text);

CREATE TABLE orders (
  order_id int PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers,
  billing_address_id bigint REFERENCES addresses,
  shipping_address_id bigint REFERENCES addresses,
  ordered_on date NOT NULL
);

CREATE TABLE products (product_id int PRIMARY KEY, sku text NOT NULL UNIQUE, title text NOT NULL, price numeric(12,2));

CREATE TABLE categories (category_id int PRIMARY KEY, name text NOT NULL, parent_id int REFERENCES categories);

-- join table with attributes
CREATE TABLE order_details (
  order_id int REFERENCES orders,
  product_id int REFERENCES products,
  quantity int2 NOT NULL,
  unit_price numeric(12,2),
  PRIMARY KEY (order_id, product_id)
);

-- join table without attributes (PK in the other order than the columns)
CREATE TABLE product_categories (
  category_id int REFERENCES categories,
  product_id int REFERENCES products,
  PRIMARY KEY (product_id, category_id)
);

CREATE TABLE employees (employee_id int PRIMARY KEY, name text NOT NULL, manager_id int REFERENCES employees);

-- two foreign keys and an id of its own: stays a node
CREATE TABLE reviews (
  review_id int PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers,
  product_id int NOT NULL REFERENCES products,
  stars int2
);

-- composite primary key, and a composite foreign key to it
CREATE TABLE shipments (
  order_id int REFERENCES orders,
  shipment_no int2,
  shipped_at timestamptz,
  PRIMARY KEY (order_id, shipment_no)
);
CREATE TABLE shipment_events (
  event_id int PRIMARY KEY,
  order_id int NOT NULL,
  shipment_no int2 NOT NULL,
  status text,
  FOREIGN KEY (order_id, shipment_no) REFERENCES shipments
);

-- a foreign key to a UNIQUE column
CREATE TABLE gift_cards (card_id int PRIMARY KEY, product_sku text REFERENCES products (sku), amount numeric(12,2));

-- no primary key, with and without a unique constraint over NOT NULL columns
CREATE TABLE currencies (code char(3) NOT NULL, name text, CONSTRAINT currencies_code_key UNIQUE (code));
CREATE TABLE audit_log (happened_at timestamptz, message text, customer_id int REFERENCES customers);

-- a partitioned table: one FK on the parent, one declared on a single partition only
CREATE TABLE sensors (sensor_id int PRIMARY KEY, label text);
CREATE TABLE measurements (
  sensor_id int NOT NULL REFERENCES sensors,
  measured_on date NOT NULL,
  reading float8,
  customer_id int,
  PRIMARY KEY (sensor_id, measured_on)
) PARTITION BY RANGE (measured_on);
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE measurements_2025 ADD CONSTRAINT measurements_2025_customer_fk FOREIGN KEY (customer_id) REFERENCES customers;

-- an empty table, with unique indexes: a plain one (a key), an expression one and a partial one (not keys)
CREATE TABLE coupons (coupon_id int PRIMARY KEY, percent int2, code text NOT NULL, valid_for interval(3));
CREATE UNIQUE INDEX coupons_code_idx ON coupons (code);
CREATE UNIQUE INDEX coupons_lower_code_idx ON coupons (lower(code));
CREATE UNIQUE INDEX coupons_percent_idx ON coupons (percent) WHERE percent > 50;

-- a view
CREATE VIEW big_orders AS SELECT order_id, customer_id FROM orders WHERE order_id > 100;

-- a second schema with names that need quoting
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Order Lines" (
  "Line ID" int PRIMARY KEY,
  "select" text,
  "Größe" numeric,
  "say ""hi""" text,
  "customerId" int REFERENCES public.customers
);
CREATE TABLE "Sales"."user" ("UserID" int PRIMARY KEY, "group" text, "order_id" int, "OrderId" int);
CREATE TABLE "Sales".orders (order_id int PRIMARY KEY, "user" int REFERENCES "Sales"."user");
`;

/** Rows so that row estimates have something to count (after ANALYZE). */
export const FIXTURE_DATA_SQL = `
INSERT INTO customers (email, name) SELECT 'c' || g || '@example.com', 'customer ' || g FROM generate_series(1, 40) g;
INSERT INTO sensors VALUES (1, 'one'), (2, 'two');
INSERT INTO measurements SELECT 1 + g % 2, DATE '2024-01-01' + g, g * 1.5, NULL FROM generate_series(0, 599) g;
ANALYZE;
`;

/** A scratch database holding the fixture schema and its rows. */
export async function fixtureDatabase(prefix: string, login: ScratchLogin = 'admin'): Promise<ScratchDatabase> {
  const db = await createScratchDatabase(prefix, { login });
  await db.query(FIXTURE_SQL);
  await db.query(FIXTURE_DATA_SQL);
  return db;
}

/** Introspects through a plain client on `url` (the scratch database, or it as another role). */
export async function introspectUrl(url: string, schemas: string[]): Promise<SchemaModel> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await introspect(client, { schemas });
  } finally {
    await client.end();
  }
}

export interface LimitedRole {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A login role that may read every table of `public` except those named: the "no permission" case.
 * Roles are cluster-wide, so the name is random and drop() removes it again.
 */
export async function limitedRole(db: ScratchDatabase, without: string[]): Promise<LimitedRole> {
  const name = `pg2graph_reader_${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(9).toString('hex');
  const role = pg.escapeIdentifier(name);
  await db.queryAsAdmin(`CREATE ROLE ${role} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
  await db.queryAsAdmin(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(db.name)} TO ${role}`);
  await db.queryAsAdmin(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await db.queryAsAdmin(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  for (const table of without) await db.queryAsAdmin(`REVOKE SELECT ON ${pg.escapeIdentifier(table)} FROM ${role}`);
  const url = new URL(db.url);
  url.username = name;
  url.password = password;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await db.queryAsAdmin(`DROP OWNED BY ${role}`);
      await db.queryAsAdmin(`REVOKE ALL ON DATABASE ${pg.escapeIdentifier(db.name)} FROM ${role}`);
      await db.queryAsAdmin(`DROP ROLE ${role}`);
    },
  };
}
