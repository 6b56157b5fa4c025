import assert from 'assert/strict';
import { createScratchDatabase, type ScratchDatabase } from '../support/databases';
import { introspectUrl } from './schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import { applyOverrides, type PlanOverrides } from '../../dist/engine/plan/overrides';
import { parseOverrides } from '../../dist/engine/plan/overrides-check';
import { buildPlan } from '../../dist/engine/plan/build';
import { validatePlan } from '../../dist/engine/plan/validate';
import type { GraphPlan, NodeEntry, RelationshipEntry } from '../../dist/engine/plan/types';
import { Pg2GraphError } from '../../dist/engine/core/errors';

const node = (plan: GraphPlan, id: string): NodeEntry => {
  const found = plan.nodes.find((n) => n.id === id);
  assert.ok(found, `node entry ${id}`);
  return found;
};
const rel = (plan: GraphPlan, id: string): RelationshipEntry => {
  const found = plan.relationships.find((r) => r.id === id);
  assert.ok(found, `relationship entry ${id}`);
  return found;
};
const prop = (entry: NodeEntry | RelationshipEntry, column: string) => entry.properties.find((p) => p.column === column);

const OVERRIDES: PlanOverrides = {
  labels: { 'public.customers': 'Client' },
  types: { 'public.orders.orders_customer_id_fkey': 'PLACED_BY', 'public.order_items': 'CONTAINS' },
  properties: {
    'public.customers': { customer_id: 'id', email: 'mail', legacy_code: 'oldCode' },
    'public.order_items': { qty: 'quantity' },
  },
  excludeColumns: { 'public.customers': ['notes'] },
  excludeEntries: ['public.audit'],
  as: { 'public.orders': { total: 'float' }, 'public.customers': { active_during: 'string' } },
};

describe('plan overrides', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;

  before(async () => {
    db = await createScratchDatabase('overrides');
    await db.query(`
      CREATE TABLE customers (customer_id int PRIMARY KEY, email text UNIQUE, notes text, legacy_code text, active_during tsrange);
      CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int REFERENCES customers, total numeric(12,2), placed_at date);
      CREATE TABLE products (product_id int PRIMARY KEY, name text);
      CREATE TABLE order_items (order_id int REFERENCES orders, product_id int REFERENCES products, qty int2, PRIMARY KEY (order_id, product_id));
      CREATE TABLE audit (at timestamptz, what text);
      CREATE TABLE coupons (code text PRIMARY KEY, customer_email text REFERENCES customers (email));
    `);
  });
  after(async () => {
    await db.drop();
  });

  it('applies renames, exclusions and rules, and keeps keys and matches in step with renamed properties', async () => {
    const model = await introspectUrl(db.url, ['public']);
    const generated = generatePlan(model);
    const before = JSON.stringify(generated);
    const { plan, stale } = applyOverrides(generated, OVERRIDES);
    assert.equal(JSON.stringify(generated), before, 'the generated plan is left as it was');
    assert.deepEqual(stale, []);
    const customers = node(plan, 'public.customers');
    assert.equal(customers.label, 'Client');
    assert.deepEqual(customers.key, ['id']);
    assert.deepEqual(
      customers.properties.map((p) => `${p.column}->${p.name}:${p.as}`),
      ['customer_id->id:integer', 'email->mail:string', 'legacy_code->oldCode:string', 'active_during->activeDuring:string'],
      'notes excluded; the tsrange column brought back as text',
    );
    assert.deepEqual(customers.leftOut, [{ column: 'notes', pgType: 'text', reason: 'excluded by an override' }]);
    assert.deepEqual(rel(plan, 'public.orders.orders_customer_id_fkey'), {
      ...rel(generated, 'public.orders.orders_customer_id_fkey'),
      type: 'PLACED_BY',
      to: { node: 'public.customers', match: { id: 'customer_id' } },
    });
    assert.deepEqual(
      rel(plan, 'public.coupons.coupons_customer_email_fkey').to,
      { node: 'public.customers', match: { mail: 'customer_email' } },
      'an FK to the renamed unique property follows',
    );
    assert.equal(rel(plan, 'public.order_items').type, 'CONTAINS');
    assert.equal(prop(rel(plan, 'public.order_items'), 'qty')?.name, 'quantity');
    assert.deepEqual(prop(node(plan, 'public.orders'), 'total'), { column: 'total', name: 'total', pgType: 'numeric(12,2)', as: 'float' });
    assert.ok(!plan.nodes.some((n) => n.id === 'public.audit'));
    assert.deepEqual(validatePlan(plan, model), { ok: true, problems: [] });
  });

  it('survives regeneration after the schema gained and lost columns and tables; what no longer matches is stale', async () => {
    await db.query(`
      ALTER TABLE customers DROP COLUMN legacy_code;
      ALTER TABLE customers ADD COLUMN phone text;
      DROP TABLE audit;
      CREATE TABLE invoices (invoice_id int PRIMARY KEY, customer_id int REFERENCES customers, amount numeric(12,2));
    `);
    const model = await introspectUrl(db.url, ['public']);
    const built = buildPlan(model, {}, OVERRIDES);
    assert.deepEqual(built.stale, [
      'properties["public.customers"].legacy_code: entry "public.customers" has no column "legacy_code"',
      'excludeEntries: there is no entry "public.audit"',
    ]);
    assert.deepEqual(built.problems, []);
    const customers = node(built.plan, 'public.customers');
    assert.equal(customers.label, 'Client');
    assert.deepEqual(
      customers.properties.map((p) => `${p.column}->${p.name}`),
      ['customer_id->id', 'email->mail', 'phone->phone', 'active_during->activeDuring'],
      'a column brought back by an override comes last',
    );
    assert.deepEqual(
      rel(built.plan, 'public.invoices.invoices_customer_id_fkey').to,
      { node: 'public.customers', match: { id: 'customer_id' } },
      'a new table links to the renamed key',
    );
    assert.equal(rel(built.plan, 'public.orders.orders_customer_id_fkey').type, 'PLACED_BY');
    assert.equal(prop(node(built.plan, 'public.orders'), 'total')?.as, 'float');
    assert.equal(node(built.generated, 'public.customers').label, 'Customer', 'the generated plan is returned as well');
  });

  it('brings columns back by type policy and changes rules by type', async () => {
    const model = await introspectUrl(db.url, ['public']);
    const { plan, stale } = buildPlan(model, {}, { typePolicies: { numeric: { as: 'float' }, tsrange: { as: 'string' }, date: { infinity: 'null' } } });
    assert.deepEqual(stale, []);
    assert.equal(prop(node(plan, 'public.orders'), 'total')?.as, 'float');
    assert.equal(prop(node(plan, 'public.invoices'), 'amount')?.as, 'float');
    assert.deepEqual(prop(node(plan, 'public.orders'), 'placed_at'), { column: 'placed_at', name: 'placedAt', pgType: 'date', as: 'date', infinity: 'null' });
    assert.deepEqual(prop(node(plan, 'public.customers'), 'active_during'), { column: 'active_during', name: 'activeDuring', pgType: 'tsrange', as: 'string' });
    assert.deepEqual(plan.options.typePolicies, { numeric: { as: 'float' }, tsrange: { as: 'string' }, date: { infinity: 'null' } });

    const generated = generatePlan(model);
    const applied = applyOverrides(generated, { typePolicies: { numeric: { as: 'float' } }, as: { 'public.orders': { placed_at: 'string' } } });
    assert.equal(prop(node(applied.plan, 'public.orders'), 'total')?.as, 'float', 'without a model, by the pgType');
    assert.deepEqual(
      prop(node(applied.plan, 'public.orders'), 'placed_at'),
      { column: 'placed_at', name: 'placedAt', pgType: 'date', as: 'string' },
      'a text rule drops the infinity policy',
    );
  });

  it('keeps key columns in, drops relationships of excluded node entries, and reports both', async () => {
    const model = await introspectUrl(db.url, ['public']);
    const { plan, stale } = buildPlan(model, {}, { excludeColumns: { 'public.orders': ['order_id', 'nope'] }, excludeEntries: ['public.products'] });
    assert.deepEqual(stale, ['excludeColumns["public.orders"]: "nope": entry "public.orders" has no column "nope"']);
    assert.ok(prop(node(plan, 'public.orders'), 'order_id'));
    assert.ok(plan.warnings?.includes('excludeColumns["public.orders"]: "order_id": column "order_id" is part of the key of public.orders and stays in'));
    assert.ok(!plan.relationships.some((r) => r.id === 'public.order_items'));
    assert.ok(plan.warnings?.includes('relationship entry public.order_items (ORDER_ITEM) left out: its node entry public.products is excluded'));
  });

  it('lets validation name the mistakes overrides introduce', async () => {
    const model = await introspectUrl(db.url, ['public']);
    const { problems, plan } = buildPlan(
      model,
      {},
      {
        properties: { 'public.customers': { email: 'customerId' } },
        labels: { 'public.products': 'Order' },
        as: { 'public.orders': { placed_at: 'integer' } },
      },
    );
    const orders = plan.nodes.findIndex((n) => n.id === 'public.orders');
    const customers = plan.nodes.findIndex((n) => n.id === 'public.customers');
    assert.deepEqual(
      problems.map((p) => p.path),
      [`nodes[${customers}].properties[1].name`, `nodes[${orders}].properties[3].as`],
    );
    assert.match(problems[1].message, /"integer" is not allowed for column "placed_at" of type date; allowed: date, string/);
    assert.equal(plan.nodes.find((n) => n.id === 'public.products')?.label, 'Order', 'another label with another key is no merge');
  });

  it('checks the shape of stored overrides (object or JSON text)', () => {
    assert.deepEqual(parseOverrides(''), {});
    assert.deepEqual(parseOverrides(undefined), {});
    assert.deepEqual(parseOverrides('{"labels":{"a.b":"X"}}'), { labels: { 'a.b': 'X' } });
    assert.throws(
      () => parseOverrides('{"labels":'),
      (error: Pg2GraphError) => error.code === 'OVERRIDES_INVALID' && /not valid JSON/.test(error.message),
    );
    assert.throws(
      () => parseOverrides({ labels: { 'a.b': '' }, as: { 'a.b': { c: 'bigint' } }, excludeEntries: 'a.b', excludeColumns: { 'a.b': 'c' }, properties: [] }),
      (error: Pg2GraphError) => {
        assert.equal(error.code, 'OVERRIDES_INVALID');
        assert.deepEqual(
          (error.details.problems as Array<{ path: string }>).map((p) => p.path),
          ['labels["a.b"]', 'properties', 'as["a.b"].c', 'excludeEntries', 'excludeColumns["a.b"]'],
        );
        return true;
      },
    );
  });
});
