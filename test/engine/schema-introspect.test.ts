import assert from 'assert/strict';
import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { fixtureDatabase, introspectUrl, limitedRole } from './schema-fixture';
import { introspect } from '../../dist/engine/schema/introspect';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import type { ColumnInfo, SchemaModel, TableInfo } from '../../dist/engine/schema/model';
import { Pg2GraphError } from '../../dist/engine/core/errors';

function table(model: SchemaModel, schema: string, name: string): TableInfo {
  const found = model.tables.find((t) => t.schema === schema && t.name === name);
  assert.ok(found, `table ${schema}.${name} is in the model`);
  return found;
}

function column(t: TableInfo, name: string): ColumnInfo {
  const found = t.columns.find((c) => c.name === name);
  assert.ok(found, `column ${name} of ${t.name}`);
  return found;
}

describe('schema introspection (pg_catalog)', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let model: SchemaModel;

  before(async () => {
    db = await fixtureDatabase('introspect');
    model = await introspectUrl(db.url, ['public', 'Sales']);
  });
  after(async () => {
    await db.drop();
  });

  it('lists the tables of both schemas in schema order, then by name, with database and server version', () => {
    assert.equal(model.database, db.name);
    assert.match(model.serverVersion, /^\d+(\.\d+)?/);
    assert.deepEqual(model.schemas, ['public', 'Sales']);
    assert.deepEqual(
      model.tables.map((t) => `${t.schema}.${t.name}`),
      [
        'public.addresses',
        'public.audit_log',
        'public.big_orders',
        'public.categories',
        'public.coupons',
        'public.currencies',
        'public.customers',
        'public.employees',
        'public.gift_cards',
        'public.measurements',
        'public.order_details',
        'public.orders',
        'public.product_categories',
        'public.products',
        'public.reviews',
        'public.sensors',
        'public.shipment_events',
        'public.shipments',
        'Sales.Order Lines',
        'Sales.orders',
        'Sales.user',
      ],
    );
  });

  it('reads exact column types: domains resolved recursively, enums with labels, arrays, typmods', () => {
    const customers = table(model, 'public', 'customers');
    assert.equal(customers.kind, 'table');
    assert.equal(customers.comment, 'People who buy');
    assert.deepEqual(column(customers, 'customer_id').type, { display: 'integer', name: 'int4', schema: 'pg_catalog', oid: 23, category: 'base' });
    assert.equal(column(customers, 'customer_id').default, "nextval('customers_customer_id_seq'::regclass)");
    const email = column(customers, 'email');
    assert.equal(email.comment, 'used to log in');
    assert.equal(email.nullable, false);
    assert.equal(email.type.category, 'domain');
    assert.equal(email.type.name, 'email_address');
    assert.equal(email.type.domainBase?.name, 'text');
    const office = column(customers, 'office_email').type;
    assert.equal(office.name, 'work_email');
    assert.equal(office.domainBase?.name, 'email_address', 'a domain over a domain');
    assert.equal(office.domainBase?.domainBase?.name, 'text', '... resolves down to text');
    const balance = column(customers, 'balance').type;
    assert.equal(balance.category, 'domain');
    assert.deepEqual(balance.domainBase?.typmod, { precision: 10, scale: 2 }, 'the domain over numeric(10,2) keeps its typmod');
    assert.equal(balance.domainBase?.display, 'numeric(10,2)');
    const mood = column(customers, 'mood').type;
    assert.equal(mood.category, 'enum');
    assert.deepEqual(mood.enumLabels, ['sad', 'ok', 'happy']);
    const tags = column(customers, 'tags').type;
    assert.equal(tags.category, 'array');
    assert.equal(tags.name, '_text');
    assert.equal(tags.display, 'text[]');
    assert.equal(tags.element?.name, 'text');
    assert.equal(column(customers, 'scores').type.element?.name, 'int4');
    assert.deepEqual(column(customers, 'credit_limit').type.typmod, { precision: 12, scale: 2 });
    assert.equal(column(customers, 'credit_limit').type.display, 'numeric(12,2)');
    assert.deepEqual(column(customers, 'created_at').type.typmod, { precision: 3 });
    assert.equal(column(customers, 'created_at').type.display, 'timestamp(3) without time zone');
    assert.deepEqual(column(customers, 'note').type.typmod, { length: 40 });
    assert.equal(column(customers, 'note').type.name, 'varchar');
    assert.deepEqual(column(customers, 'code').type.typmod, { length: 5 });
    assert.equal(column(customers, 'code').type.name, 'bpchar');
    assert.equal(column(customers, 'active_during').type.category, 'range');
    assert.deepEqual(column(table(model, 'public', 'coupons'), 'valid_for').type.typmod, { precision: 3 });
  });

  it('marks generated and identity columns, nullability and positions', () => {
    const customers = table(model, 'public', 'customers');
    const generated = column(customers, 'name_upper');
    assert.equal(generated.generated, 'stored');
    assert.equal(generated.default, undefined, 'the generation expression is not a default');
    assert.equal(column(customers, 'mood').nullable, true);
    assert.deepEqual(
      customers.columns.map((c) => c.position),
      customers.columns.map((_, i) => i + 1),
    );
    const id = column(table(model, 'public', 'addresses'), 'address_id');
    assert.equal(id.identity, 'always');
    assert.equal(id.nullable, false);
    assert.equal(id.type.name, 'int8');
  });

  it('reads primary keys, unique constraints and plain unique indexes (not expression or partial ones)', () => {
    assert.deepEqual(table(model, 'public', 'order_details').primaryKey, { name: 'order_details_pkey', columns: ['order_id', 'product_id'] });
    assert.deepEqual(table(model, 'public', 'product_categories').primaryKey?.columns, ['product_id', 'category_id'], 'PK order, not column order');
    assert.deepEqual(table(model, 'public', 'customers').uniqueConstraints, [{ name: 'customers_email_key', columns: ['email'] }]);
    assert.deepEqual(table(model, 'public', 'coupons').uniqueConstraints, [{ name: 'coupons_code_idx', columns: ['code'] }]);
    const currencies = table(model, 'public', 'currencies');
    assert.equal(currencies.primaryKey, undefined);
    assert.deepEqual(currencies.uniqueConstraints, [{ name: 'currencies_code_key', columns: ['code'] }]);
    assert.equal(table(model, 'public', 'audit_log').primaryKey, undefined);
    assert.deepEqual(table(model, 'public', 'audit_log').uniqueConstraints, []);
  });

  it('reads foreign keys: composite, self-referencing, several to one table, to a UNIQUE column, across schemas', () => {
    assert.deepEqual(table(model, 'public', 'shipment_events').foreignKeys, [
      {
        name: 'shipment_events_order_id_shipment_no_fkey',
        columns: ['order_id', 'shipment_no'],
        references: { schema: 'public', name: 'shipments', columns: ['order_id', 'shipment_no'] },
        referencesKey: 'primaryKey',
      },
    ]);
    assert.deepEqual(
      table(model, 'public', 'employees').foreignKeys.map((fk) => [fk.columns, fk.references.name]),
      [[['manager_id'], 'employees']],
    );
    assert.deepEqual(
      table(model, 'public', 'orders').foreignKeys.map((fk) => `${fk.columns.join()}->${fk.references.name}`),
      ['billing_address_id->addresses', 'customer_id->customers', 'shipping_address_id->addresses'],
    );
    assert.deepEqual(table(model, 'public', 'gift_cards').foreignKeys[0].references, { schema: 'public', name: 'products', columns: ['sku'] });
    assert.equal(table(model, 'public', 'gift_cards').foreignKeys[0].referencesKey, 'unique');
    assert.deepEqual(table(model, 'Sales', 'Order Lines').foreignKeys[0].references, { schema: 'public', name: 'customers', columns: ['customer_id'] });
  });

  it('folds partitions into their partitioned table: summed row estimate, FK declared on one partition reported', () => {
    const measurements = table(model, 'public', 'measurements');
    assert.equal(measurements.kind, 'partitioned');
    assert.equal(measurements.rowEstimate, 600);
    assert.deepEqual(measurements.partitions, [
      { schema: 'public', name: 'measurements_2024' },
      { schema: 'public', name: 'measurements_2025' },
    ]);
    assert.ok(!model.tables.some((t) => t.name.startsWith('measurements_')), 'partitions are not tables of their own');
    assert.deepEqual(measurements.primaryKey?.columns, ['sensor_id', 'measured_on']);
    assert.deepEqual(measurements.foreignKeys, [
      {
        name: 'measurements_sensor_id_fkey',
        columns: ['sensor_id'],
        references: { schema: 'public', name: 'sensors', columns: ['sensor_id'] },
        referencesKey: 'primaryKey',
      },
      {
        name: 'measurements_2025_customer_fk',
        columns: ['customer_id'],
        references: { schema: 'public', name: 'customers', columns: ['customer_id'] },
        referencesKey: 'primaryKey',
        declaredOnPartition: 'measurements_2025',
        partitionLeaves: [{ schema: 'public', name: 'measurements_2025' }],
      },
    ]);
    assert.ok(
      model.notes.some(
        (n) => n.table?.name === 'measurements' && /measurements_2025_customer_fk.*declared only on partition "public"\."measurements_2025"/.test(n.message),
      ),
    );
  });

  it('gives row estimates after ANALYZE (0 for an empty table) and lists views as views', () => {
    assert.equal(table(model, 'public', 'customers').rowEstimate, 40);
    assert.equal(table(model, 'public', 'coupons').rowEstimate, 0);
    const view = table(model, 'public', 'big_orders');
    assert.equal(view.kind, 'view');
    assert.deepEqual(
      view.columns.map((c) => c.name),
      ['order_id', 'customer_id'],
    );
    assert.equal(view.primaryKey, undefined);
  });

  it('keeps names with capitals, spaces, quotes, reserved words and non-ASCII letters exactly', () => {
    const lines = table(model, 'Sales', 'Order Lines');
    assert.deepEqual(
      lines.columns.map((c) => c.name),
      ['Line ID', 'select', 'Größe', 'say "hi"', 'customerId'],
    );
    assert.deepEqual(lines.primaryKey, { name: 'Order Lines_pkey', columns: ['Line ID'] });
    assert.equal(column(lines, 'Größe').type.name, 'numeric');
    assert.equal(column(lines, 'Größe').type.typmod, undefined, 'unconstrained numeric has no typmod');
    assert.deepEqual(table(model, 'Sales', 'user').primaryKey?.columns, ['UserID']);
    assert.deepEqual(table(model, 'Sales', 'orders').foreignKeys[0].references, { schema: 'Sales', name: 'user', columns: ['UserID'] });
    assert.ok(model.tables.every((t) => t.readable === true));
  });

  it('sees one consistent picture inside a transaction through a PostgresConnection', async () => {
    const connection = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-introspect-test' });
    try {
      const again = await introspectDatabase(connection, { schemas: ['Sales'] });
      assert.deepEqual(
        again.tables.map((t) => t.name),
        ['Order Lines', 'orders', 'user'],
      );
      assert.ok(again.notes.some((n) => /references "public"\."customers", outside the chosen schemas/.test(n.message)));
    } finally {
      await connection.close();
    }
  });

  describe('bad input', () => {
    it('rejects an unknown schema with SCHEMA_NOT_FOUND naming it (names are case-sensitive)', async () => {
      await assert.rejects(introspectUrl(db.url, ['public', 'sales', 'nope']), (error: Pg2GraphError) => {
        assert.equal(error.code, 'SCHEMA_NOT_FOUND');
        assert.match(error.message, /schemas "sales", "nope" not found/);
        assert.match(error.message, /"Sales"/, 'the message lists the schemas that exist');
        return true;
      });
      await assert.rejects(introspectUrl(db.url, []), { code: 'SCHEMA_NOT_FOUND' });
    });

    it('reports SCHEMA_NOT_FOUND through introspectDatabase too (typed errors pass the translation unchanged)', async () => {
      const connection = new PostgresConnection({ ...db.settings });
      try {
        await assert.rejects(introspectDatabase(connection, { schemas: ['Nowhere'] }), { code: 'SCHEMA_NOT_FOUND' });
      } finally {
        await connection.close();
      }
    });

    it('records which tables a role without SELECT cannot read', async () => {
      const role = await limitedRole(db, ['customers']);
      try {
        const seen = await introspectUrl(role.url, ['public']);
        assert.equal(table(seen, 'public', 'customers').readable, false);
        assert.equal(table(seen, 'public', 'orders').readable, true);
        assert.deepEqual(table(seen, 'public', 'customers').primaryKey?.columns, ['customer_id'], 'pg_catalog still shows its constraints');
        assert.ok(seen.notes.some((n) => n.message === 'the current user cannot SELECT "public"."customers"'));
      } finally {
        await role.drop();
      }
    });
  });

  describe('partitions in other schemas, FKs to partitions', () => {
    let other: ScratchDatabase;
    before(async () => {
      other = await createScratchDatabase('parts');
      await other.query(`
        CREATE SCHEMA archive;
        CREATE TABLE events (id int, day date, PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
        CREATE TABLE archive.events_old PARTITION OF events FOR VALUES FROM ('2000-01-01') TO ('2020-01-01');
        CREATE TABLE events_new PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2030-01-01') PARTITION BY RANGE (day);
        CREATE TABLE events_new_a PARTITION OF events_new FOR VALUES FROM ('2020-01-01') TO ('2025-01-01');
        CREATE TABLE notes (note_id int PRIMARY KEY, event_id int, event_day date, FOREIGN KEY (event_id, event_day) REFERENCES events);
      `);
    });
    after(async () => {
      await other.drop();
    });

    it('folds nested partitions and partitions of other schemas; an FK to a partitioned table names the parent', async () => {
      const seen = await introspectUrl(other.url, ['public']);
      assert.deepEqual(
        seen.tables.map((t) => t.name),
        ['events', 'notes'],
      );
      assert.deepEqual(table(seen, 'public', 'events').partitions, [
        { schema: 'archive', name: 'events_old' },
        { schema: 'public', name: 'events_new', partitioned: true },
        { schema: 'public', name: 'events_new_a' },
      ]);
      assert.equal(table(seen, 'public', 'events').rowEstimate, -1, 'never analyzed');
      assert.deepEqual(
        table(seen, 'public', 'notes').foreignKeys.map((fk) => [fk.references.name, fk.referencesKey]),
        [['events', 'primaryKey']],
      );
      const archive = await introspectUrl(other.url, ['archive']);
      assert.deepEqual(archive.tables, []);
      assert.ok(archive.notes.some((n) => /partition "archive"\."events_old" left out/.test(n.message)));
    });
  });

  it('runs on a client that is already in a transaction (no BEGIN of its own)', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      const seen = await introspect(client, { schemas: ['Sales'] });
      assert.equal(seen.tables.length, 3);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  });
});
