import assert from 'assert/strict';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { fixtureDatabase, introspectUrl, limitedRole } from './schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import { validatePlan } from '../../dist/engine/plan/validate';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../../dist/engine/plan/types';
import type { SchemaModel } from '../../dist/engine/schema/model';

function node(plan: GraphPlan, id: string): NodeEntry {
  const found = plan.nodes.find((n) => n.id === id);
  assert.ok(found, `node entry ${id}`);
  return found;
}

function rel(plan: GraphPlan, id: string): RelationshipEntry {
  const found = plan.relationships.find((r) => r.id === id);
  assert.ok(found, `relationship entry ${id}`);
  return found;
}

describe('plan generation (mapping rules)', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let model: SchemaModel;
  let plan: GraphPlan;

  before(async () => {
    db = await fixtureDatabase('plan');
    model = await introspectUrl(db.url, ['public', 'Sales']);
    plan = generatePlan(model);
  });
  after(async () => {
    await db.drop();
  });

  it('follows the GraphPlan format with default options, and validates against the live schema', () => {
    assert.equal(plan.version, 1);
    assert.deepEqual(plan.source, { schemas: ['public', 'Sales'] });
    assert.deepEqual(plan.options, { batchSize: 5000, writeMode: 'merge' });
    assert.deepEqual(validatePlan(plan, model), { ok: true, problems: [] });
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan, 'plain JSON');
  });

  it('makes a node entry per table (join tables and views aside) with singular UpperCamel labels and keys', () => {
    const summary = plan.nodes.map((n) => `${n.id} ${n.label} (${n.key.join(',')}) ${n.keySource}`);
    assert.deepEqual(summary, [
      'public.addresses Address (addressId) primaryKey',
      'public.audit_log AuditLog (rowHash) rowContent',
      'public.categories Category (categoryId) primaryKey',
      'public.coupons Coupon (couponId) primaryKey',
      'public.currencies Currency (code) unique',
      'public.customers Customer (customerId) primaryKey',
      'public.employees Employee (employeeId) primaryKey',
      'public.gift_cards GiftCard (cardId) primaryKey',
      'public.measurements Measurement (sensorId,measuredOn) primaryKey',
      'public.orders Order (orderId) primaryKey',
      'public.products Product (productId) primaryKey',
      'public.reviews Review (reviewId) primaryKey',
      'public.sensors Sensor (sensorId) primaryKey',
      'public.shipment_events ShipmentEvent (eventId) primaryKey',
      'public.shipments Shipment (orderId,shipmentNo) primaryKey',
      'Sales.Order Lines OrderLine (lineId) primaryKey',
      'Sales.orders SalesOrder (orderId) primaryKey',
      'Sales.user User (userId) primaryKey',
    ]);
  });

  it('maps every column with its pgType and lossless value rule, policy fields included', () => {
    const customers = node(plan, 'public.customers');
    assert.deepEqual(customers.table, { schema: 'public', name: 'customers' });
    assert.deepEqual(
      customers.properties,
      [
        { column: 'customer_id', name: 'customerId', pgType: 'int4', as: 'integer' },
        { column: 'email', name: 'email', pgType: 'email_address', as: 'string' },
        { column: 'name', name: 'name', pgType: 'text', as: 'string' },
        { column: 'mood', name: 'mood', pgType: 'mood', as: 'string' },
        { column: 'tags', name: 'tags', pgType: 'text[]', as: 'list<string>', nullElements: 'error', multiDimensional: 'error' },
        { column: 'scores', name: 'scores', pgType: 'int4[]', as: 'list<integer>', nullElements: 'error', multiDimensional: 'error' },
        { column: 'credit_limit', name: 'creditLimit', pgType: 'numeric(12,2)', as: 'string' },
        { column: 'balance', name: 'balance', pgType: 'positive_amount', as: 'string' },
        { column: 'created_at', name: 'createdAt', pgType: 'timestamp(3)', as: 'localDateTime', infinity: 'string' },
        { column: 'note', name: 'note', pgType: 'varchar(40)', as: 'string' },
        { column: 'code', name: 'code', pgType: 'bpchar(5)', as: 'string', trim: false },
        { column: 'office_email', name: 'officeEmail', pgType: 'work_email', as: 'string' },
        { column: 'name_upper', name: 'nameUpper', pgType: 'text', as: 'string' },
      ],
      'the generated column is data and migrates; the tsrange column has no rule',
    );
    assert.deepEqual(customers.leftOut, [{ column: 'active_during', pgType: 'tsrange', reason: 'no value rule for type tsrange' }]);
    assert.ok(
      customers.warnings.some((w) => /column "active_during" \(tsrange\) left out.*"as": "string"/.test(w)),
      customers.warnings.join('\n'),
    );
  });

  it('turns a join table into a relationship, with its other columns as properties (and without any)', () => {
    assert.deepEqual(rel(plan, 'public.order_details'), {
      id: 'public.order_details',
      type: 'ORDER_DETAIL',
      source: { kind: 'joinTable', table: { schema: 'public', name: 'order_details' } },
      from: { node: 'public.orders', match: { orderId: 'order_id' } },
      to: { node: 'public.products', match: { productId: 'product_id' } },
      properties: [
        { column: 'quantity', name: 'quantity', pgType: 'int2', as: 'integer' },
        { column: 'unit_price', name: 'unitPrice', pgType: 'numeric(12,2)', as: 'string' },
      ],
    });
    const categories = rel(plan, 'public.product_categories');
    assert.equal(categories.type, 'PRODUCT_CATEGORY');
    assert.deepEqual(categories.from, { node: 'public.products', match: { productId: 'product_id' } }, 'from = the FK first in the PK');
    assert.deepEqual(categories.to, { node: 'public.categories', match: { categoryId: 'category_id' } });
    assert.deepEqual(categories.properties, []);
    assert.ok(!plan.nodes.some((n) => n.id === 'public.order_details' || n.id === 'public.product_categories'));
  });

  it('keeps a two-FK table with its own id as a node with two relationships', () => {
    assert.equal(node(plan, 'public.reviews').label, 'Review');
    assert.deepEqual(
      plan.relationships.filter((r) => r.source.table.name === 'reviews').map((r) => [r.type, r.from, r.to]),
      [
        ['CUSTOMER', { node: 'public.reviews', match: { reviewId: 'review_id' } }, { node: 'public.customers', match: { customerId: 'customer_id' } }],
        ['PRODUCT', { node: 'public.reviews', match: { reviewId: 'review_id' } }, { node: 'public.products', match: { productId: 'product_id' } }],
      ],
    );
  });

  it('makes each FK a relationship from the referencing row, with distinct readable types', () => {
    const types = Object.fromEntries(plan.relationships.map((r) => [r.id, r.type]));
    assert.deepEqual(types, {
      'public.audit_log.audit_log_customer_id_fkey': 'CUSTOMER',
      'public.categories.categories_parent_id_fkey': 'PARENT',
      'public.employees.employees_manager_id_fkey': 'MANAGER',
      'public.gift_cards.gift_cards_product_sku_fkey': 'PRODUCT',
      'public.measurements.measurements_sensor_id_fkey': 'SENSOR',
      'public.measurements.measurements_2025_customer_fk': 'CUSTOMER',
      'public.order_details': 'ORDER_DETAIL',
      'public.orders.orders_billing_address_id_fkey': 'BILLING_ADDRESS',
      'public.orders.orders_customer_id_fkey': 'CUSTOMER',
      'public.orders.orders_shipping_address_id_fkey': 'SHIPPING_ADDRESS',
      'public.product_categories': 'PRODUCT_CATEGORY',
      'public.reviews.reviews_customer_id_fkey': 'CUSTOMER',
      'public.reviews.reviews_product_id_fkey': 'PRODUCT',
      'public.shipment_events.shipment_events_order_id_shipment_no_fkey': 'SHIPMENT',
      'public.shipments.shipments_order_id_fkey': 'ORDER',
      'Sales.Order Lines.Order Lines_customerId_fkey': 'CUSTOMER',
      'Sales.orders.orders_user_fkey': 'USER',
    });
    const manager = rel(plan, 'public.employees.employees_manager_id_fkey');
    assert.deepEqual(manager.source, { kind: 'foreignKey', table: { schema: 'public', name: 'employees' }, constraint: 'employees_manager_id_fkey' });
    assert.deepEqual(manager.from, { node: 'public.employees', match: { employeeId: 'employee_id' } });
    assert.deepEqual(manager.to, { node: 'public.employees', match: { employeeId: 'manager_id' } }, 'self-reference');
    assert.deepEqual(rel(plan, 'public.orders.orders_billing_address_id_fkey').to, { node: 'public.addresses', match: { addressId: 'billing_address_id' } });
    assert.deepEqual(rel(plan, 'public.orders.orders_shipping_address_id_fkey').to, { node: 'public.addresses', match: { addressId: 'shipping_address_id' } });
  });

  it("matches composite keys column by column and an FK to a UNIQUE column on that column's property", () => {
    const events = rel(plan, 'public.shipment_events.shipment_events_order_id_shipment_no_fkey');
    assert.deepEqual(events.to, { node: 'public.shipments', match: { orderId: 'order_id', shipmentNo: 'shipment_no' } });
    const shipments = rel(plan, 'public.shipments.shipments_order_id_fkey');
    assert.deepEqual(shipments.from, { node: 'public.shipments', match: { orderId: 'order_id', shipmentNo: 'shipment_no' } });
    const cards = rel(plan, 'public.gift_cards.gift_cards_product_sku_fkey');
    assert.deepEqual(cards.to, { node: 'public.products', match: { sku: 'product_sku' } });
  });

  it('keys a table without PK by a NOT NULL unique constraint, else by row content, with a warning', () => {
    const currencies = node(plan, 'public.currencies');
    assert.deepEqual(currencies.key, ['code']);
    assert.match(currencies.warnings[0], /no primary key: the key is the unique constraint "currencies_code_key" \(code\)/);
    const audit = node(plan, 'public.audit_log');
    assert.deepEqual(audit.key, ['rowHash']);
    assert.equal(audit.keySource, 'rowContent');
    assert.ok(!audit.properties.some((p) => p.name === 'rowHash'));
    assert.match(audit.warnings[0], /"rowHash", the md5 of the row's text/);
    assert.deepEqual(rel(plan, 'public.audit_log.audit_log_customer_id_fkey').from, { node: 'public.audit_log', match: { rowHash: '$rowHash' } });
  });

  it('makes one entry of a partitioned table; an FK of one partition links the rows of every partition, with a warning', () => {
    const measurements = node(plan, 'public.measurements');
    assert.deepEqual(
      measurements.properties.map((p) => `${p.name}:${p.as}`),
      ['sensorId:integer', 'measuredOn:date', 'reading:float', 'customerId:integer'],
    );
    const partitionFk = rel(plan, 'public.measurements.measurements_2025_customer_fk');
    assert.equal(partitionFk.where, undefined, 'read through the parent: every partition');
    assert.deepEqual(partitionFk.source, {
      kind: 'foreignKey',
      table: { schema: 'public', name: 'measurements' },
      constraint: 'measurements_2025_customer_fk',
      constraints: ['measurements_2025_customer_fk'],
    });
    assert.deepEqual(partitionFk.warnings, [
      'declared on 1 of the 2 partitions of "public"."measurements" (not on the table itself): one relationship over the rows of every partition; partition without it: "public"."measurements_2024" (their rows are linked by value; a value with no referenced row is a missing end)',
    ]);
    // the FK of the parent itself is inherited by every partition: one entry, no filter, no warning
    const parentFk = rel(plan, 'public.measurements.measurements_sensor_id_fkey');
    assert.equal(parentFk.where, undefined);
    assert.equal(parentFk.warnings, undefined);
    assert.equal(parentFk.source.kind === 'foreignKey' && parentFk.source.constraints, undefined);
    assert.equal(plan.relationships.filter((r) => r.source.table.name === 'measurements').length, 2);
  });

  it('skips views unless an include pattern names them; then keys them by row content', () => {
    assert.ok(!plan.nodes.some((n) => n.id === 'public.big_orders'));
    assert.ok(plan.warnings?.some((w) => /skipped: "public"\."big_orders"/.test(w)));
    const named = generatePlan(model, { include: ['public.big_orders', 'orders'] });
    assert.deepEqual(
      named.nodes.map((n) => n.id),
      ['public.big_orders', 'public.orders', 'Sales.orders'],
    );
    const view = node(named, 'public.big_orders');
    assert.equal(view.keySource, 'rowContent');
    assert.match(view.warnings[0], /a view has no key/);
    assert.ok(!generatePlan(model, { include: ['public.*'] }).nodes.some((n) => n.id === 'public.big_orders'), 'a wildcard does not name a view');
  });

  it('resolves naming collisions deterministically and reports them, never merging', () => {
    assert.equal(node(plan, 'public.orders').label, 'Order');
    assert.equal(node(plan, 'Sales.orders').label, 'SalesOrder');
    assert.ok(
      plan.warnings?.includes('label "Order" of "Sales"."orders" is already the label of "public"."orders": "Sales"."orders" is labelled "SalesOrder"'),
    );
    const user = node(plan, 'Sales.user');
    assert.deepEqual(
      user.properties.map((p) => `${p.column}->${p.name}`),
      ['UserID->userId', 'group->group', 'order_id->orderId', 'OrderId->orderId2'],
    );
    assert.ok(user.warnings.some((w) => /"OrderId" would be "orderId", which is taken: named "orderId2"/.test(w)));
    assert.deepEqual(generatePlan(model), plan, 'the same model gives the same plan');
  });

  it('handles quoted, spaced, reserved-word and non-ASCII names', () => {
    const lines = node(plan, 'Sales.Order Lines');
    assert.deepEqual(lines.table, { schema: 'Sales', name: 'Order Lines' });
    assert.deepEqual(
      lines.properties.map((p) => `${p.column}->${p.name}:${p.pgType}`),
      ['Line ID->lineId:int4', 'select->select:text', 'Größe->größe:numeric', 'say "hi"->sayHi:text', 'customerId->customerId:int4'],
    );
    assert.deepEqual(rel(plan, 'Sales.Order Lines.Order Lines_customerId_fkey').to, { node: 'public.customers', match: { customerId: 'customerId' } });
    assert.deepEqual(rel(plan, 'Sales.orders.orders_user_fkey').to, { node: 'Sales.user', match: { userId: 'user' } });
  });

  it('applies options: include/exclude, batch size, write mode, naming, type policies', () => {
    const custom = generatePlan(model, {
      include: ['public.*'],
      exclude: ['*_log', 'coupons'],
      batchSize: 100,
      writeMode: 'create',
      naming: { labels: 'asIs', relationshipTypes: 'asIs', properties: 'asIs' },
      typePolicies: { numeric: { as: 'float' }, tsrange: { as: 'string' }, text: { as: 'integer' }, _int4: { nullElements: 'drop' } },
    });
    assert.deepEqual(custom.options, {
      batchSize: 100,
      writeMode: 'create',
      naming: { labels: 'asIs', relationshipTypes: 'asIs', properties: 'asIs' },
      typePolicies: { numeric: { as: 'float' }, tsrange: { as: 'string' }, text: { as: 'integer' }, _int4: { nullElements: 'drop' } },
    });
    assert.deepEqual(custom.source, { schemas: ['public', 'Sales'], include: ['public.*'], exclude: ['*_log', 'coupons'] });
    assert.ok(!custom.nodes.some((n) => ['public.audit_log', 'public.coupons'].includes(n.id) || n.id.startsWith('Sales.')));
    const customers = node(custom, 'public.customers');
    assert.equal(customers.label, 'customers');
    const byColumn = Object.fromEntries(customers.properties.map((p) => [p.column, p]));
    assert.equal(byColumn.customer_id.name, 'customer_id');
    assert.equal(byColumn.credit_limit.as, 'float');
    assert.equal(byColumn.balance.as, 'float', 'a domain follows the policy of its base type');
    assert.deepEqual(byColumn.active_during, { column: 'active_during', name: 'active_during', pgType: 'tsrange', as: 'string' });
    assert.equal(byColumn.name.as, 'string', 'a rule the type does not allow is not applied...');
    assert.ok(
      customers.warnings.some((w) => /typePolicies\["text"\]\.as "integer" is not allowed/.test(w)),
      '... and that is said',
    );
    assert.equal(byColumn.scores.nullElements, 'drop');
    assert.equal(rel(custom, 'public.orders.orders_customer_id_fkey').type, 'orders_customer_id_fkey');
    assert.equal(rel(custom, 'public.order_details').type, 'order_details');
  });

  it('leaves out FKs to tables outside the plan, with a warning on the entry', () => {
    const partial = generatePlan(model, { exclude: ['customers'] });
    assert.ok(!partial.relationships.some((r) => r.to.node === 'public.customers'));
    assert.ok(
      node(partial, 'public.orders').warnings.includes(
        'foreign key "orders_customer_id_fkey" (customer_id) -> "public"."customers" not migrated: "public"."customers" is not in the plan',
      ),
    );
    const sales = generatePlan(model, { include: ['Sales.*'] });
    assert.ok(node(sales, 'Sales.Order Lines').warnings.some((w) => /"public"\."customers" is not in the plan/.test(w)));
    assert.equal(sales.relationships.length, 1);
  });

  it('keeps a join table a node when an end is not in the plan', () => {
    const noProducts = generatePlan(model, { exclude: ['products'] });
    const details = node(noProducts, 'public.order_details');
    assert.ok(details.warnings.some((w) => /"public"\."products" is not in the plan: kept as a node/.test(w)));
  });

  describe('edge cases of the rules', () => {
    let edge: ScratchDatabase;
    let edgePlan: GraphPlan;
    before(async () => {
      edge = await createScratchDatabase('edges');
      await edge.query(`
        CREATE TABLE parts (x int, y int, name text, PRIMARY KEY (x, y));
        CREATE TABLE pairs (id int PRIMARY KEY, a1 int, a2 int, b1 int, b2 int,
          CONSTRAINT pairs_a FOREIGN KEY (a1, a2) REFERENCES parts, CONSTRAINT pairs_b FOREIGN KEY (b1, b2) REFERENCES parts);
        CREATE TABLE tags (tag_id int PRIMARY KEY);
        CREATE TABLE users (user_id int PRIMARY KEY, row_hash text);
        CREATE TABLE user_tags (user_id int REFERENCES users, tag_id int REFERENCES tags, PRIMARY KEY (user_id, tag_id));
        CREATE TABLE tag_votes (user_id int, tag_id int, vote int2, FOREIGN KEY (user_id, tag_id) REFERENCES user_tags);
        CREATE TABLE follows (follower_id int REFERENCES users, followed_id int REFERENCES users, since date, PRIMARY KEY (follower_id, followed_id));
        CREATE TABLE grants (user_id int REFERENCES users, tag_id int REFERENCES tags, granted_by int REFERENCES users, PRIMARY KEY (user_id, tag_id));
        CREATE TABLE logs (row_hash text, "rowHash" text);
      `);
      edgePlan = generatePlan(await introspectUrl(edge.url, ['public']));
    });
    after(async () => {
      await edge.drop();
    });

    it('gives the same type between the same entries a number, with a warning', () => {
      assert.deepEqual(
        edgePlan.relationships.filter((r) => r.source.table.name === 'pairs').map((r) => [r.id, r.type]),
        [
          ['public.pairs.pairs_a', 'PART'],
          ['public.pairs.pairs_b', 'PART_2'],
        ],
      );
      assert.ok(
        edgePlan.warnings?.includes(
          'relationship type "PART" of public.pairs.pairs_b is already used by public.pairs.pairs_a between the same entries: public.pairs.pairs_b is typed "PART_2"',
        ),
      );
    });

    it('keeps a join table a node when other rows reference it or it has a third FK; a self join table is a relationship', () => {
      const userTags = node(edgePlan, 'public.user_tags');
      assert.ok(userTags.warnings.some((w) => /other rows reference it: kept as a node/.test(w)));
      const grants = node(edgePlan, 'public.grants');
      assert.ok(grants.warnings.some((w) => /it has more foreign keys: kept as a node/.test(w)));
      const follows = rel(edgePlan, 'public.follows');
      assert.equal(follows.type, 'FOLLOW');
      assert.deepEqual(
        [follows.from, follows.to],
        [
          { node: 'public.users', match: { userId: 'follower_id' } },
          { node: 'public.users', match: { userId: 'followed_id' } },
        ],
      );
      assert.deepEqual(
        follows.properties.map((p) => p.name),
        ['since'],
      );
    });

    it('keeps the content key name free: a column that would be "rowHash" is renamed', () => {
      const logs = node(edgePlan, 'public.logs');
      assert.deepEqual(logs.key, ['rowHash']);
      assert.deepEqual(
        logs.properties.map((p) => `${p.column}->${p.name}`),
        ['row_hash->rowHash2', 'rowHash->rowHash3'],
      );
      assert.deepEqual(
        node(edgePlan, 'public.users').properties.map((p) => p.name),
        ['userId', 'rowHash'],
        'only content-keyed entries reserve it',
      );
    });
  });

  describe('tables the user cannot read', () => {
    it('leaves them out with a warning; naming one exactly keeps it, and validation then objects', async () => {
      const role = await limitedRole(db, ['coupons']);
      try {
        const seen = await introspectUrl(role.url, ['public']);
        const limited = generatePlan(seen);
        assert.ok(!limited.nodes.some((n) => n.id === 'public.coupons'));
        assert.ok(
          limited.warnings?.includes(
            '"public"."coupons" left out: the current user cannot SELECT it (GRANT SELECT on it, or exclude it to silence this warning)',
          ),
        );
        const named = generatePlan(seen, { include: ['public.coupons'] });
        assert.deepEqual(
          named.nodes.map((n) => n.id),
          ['public.coupons'],
        );
        assert.deepEqual(validatePlan(named, seen).problems, [
          { path: 'nodes[0].table', message: 'the current user cannot SELECT "public"."coupons": GRANT SELECT on it or leave the entry out' },
        ]);
      } finally {
        await role.drop();
      }
    });
  });
});
