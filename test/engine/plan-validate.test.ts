import assert from 'assert/strict';
import type { ScratchDatabase } from '../support/databases';
import { fixtureDatabase, introspectUrl } from './schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import { assertValidPlan, validatePlan } from '../../dist/engine/plan/validate';
import { loadPlan, parsePlanText } from '../../dist/engine/plan/load';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { SchemaModel } from '../../dist/engine/schema/model';
import { Pg2GraphError } from '../../dist/engine/core/errors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan copy the tests break in arbitrary places
type Editable = Record<string, any>;

describe('plan validation', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let model: SchemaModel;
  let plan: GraphPlan;

  before(async () => {
    db = await fixtureDatabase('validate');
    model = await introspectUrl(db.url, ['public', 'Sales']);
    plan = generatePlan(model);
  });
  after(async () => {
    await db.drop();
  });

  /** A copy of the generated plan to edit by hand, with helpers to find entries by id. */
  function edited(): { plan: Editable; node(id: string): number; rel(id: string): number } {
    const copy = JSON.parse(JSON.stringify(plan)) as Editable;
    return {
      plan: copy,
      node: (id) => copy.nodes.findIndex((n: Editable) => n.id === id),
      rel: (id) => copy.relationships.findIndex((r: Editable) => r.id === id),
    };
  }

  it('accepts the generated plan, alone and against the live schema', () => {
    assert.deepEqual(validatePlan(plan), { ok: true, problems: [] });
    assert.deepEqual(validatePlan(plan, model), { ok: true, problems: [] });
    assert.equal(assertValidPlan(plan, model), plan);
  });

  it("refuses the pack's own names: the checkpoint label (as label or extra label) and Neptune's ~ property names", () => {
    const e = edited();
    const p = e.plan;
    const customers = e.node('public.customers');
    const products = e.node('public.products');
    p.nodes[customers].label = 'Pg2GraphCheckpoint';
    p.nodes[products].labels = ['Item', 'Pg2GraphCheckpoint'];
    p.nodes[products].properties[0].name = '~id';
    p.nodes[products].computed = [{ name: '~label', expression: '"x"' }];
    const { ok, problems } = validatePlan(p);
    assert.equal(ok, false);
    const at = (path: string) => problems.find((problem) => problem.path === path)?.message ?? '';
    assert.match(at(`nodes[${customers}].label`), /is reserved: "Pg2GraphCheckpoint" is the label of pg2graph's own checkpoint nodes/);
    assert.match(at(`nodes[${products}].labels[1]`), /is reserved: "Pg2GraphCheckpoint"/);
    assert.match(at(`nodes[${products}].properties[0].name`), /is reserved: "~id": names starting with "~" are Neptune's own/);
    assert.match(at(`nodes[${products}].computed[0].name`), /is reserved: "~label"/);
    assert.throws(
      () => assertValidPlan(p),
      (error: Pg2GraphError) => error.code === 'PLAN_INVALID' && /Pg2GraphCheckpoint/.test(error.message),
    );
    // names that merely look alike are fine
    const fine = edited();
    fine.plan.nodes[customers].label = 'Pg2GraphCheckpoints';
    const title = fine.plan.nodes[products].properties.findIndex((property: Editable) => property.name === 'title');
    fine.plan.nodes[products].properties[title].name = 'title~';
    assert.deepEqual(validatePlan(fine.plan).problems, []);
  });

  it('names every mistake of a hand-edited plan by its JSON path', () => {
    const e = edited();
    const p = e.plan;
    const customers = e.node('public.customers');
    const products = e.node('public.products');
    const orders = e.node('public.orders');
    const salesOrders = e.node('Sales.orders');
    const sensors = e.node('public.sensors');
    const coupons = e.node('public.coupons');
    const cards = e.rel('public.gift_cards.gift_cards_product_sku_fkey');
    const manager = e.rel('public.employees.employees_manager_id_fkey');
    p.version = 2;
    p.options.batchSize = 0;
    p.options.writeMode = 'upsert';
    p.nodes[customers].properties[2].as = 'integer'; // name text -> integer: not allowed for text
    p.nodes[customers].properties[3].as = 'bigint'; // not a value rule at all
    p.nodes[customers].properties[4].column = 'no_such_column';
    p.nodes[products].key = ['productId', 'nope'];
    p.nodes[orders].table.name = 'gone_orders';
    p.nodes[salesOrders].label = 'Order'; // same label and key as public.orders
    p.nodes[sensors].id = 'public.addresses'; // a duplicate id (and the sensors entry is gone for relationships)
    p.nodes[coupons].properties[1].name = '';
    p.relationships[cards].to.match = { skuu: 'product_sku' };
    p.relationships[manager].to.node = 'public.nobody';
    p.relationships[e.rel('public.order_details')].from.match.orderId = 'order_number';
    p.relationships[e.rel('public.reviews.reviews_product_id_fkey')].source.constraint = 'no_such_fkey';
    delete p.relationships[e.rel('public.shipments.shipments_order_id_fkey')].type;

    const { ok, problems } = validatePlan(p, model);
    assert.equal(ok, false);
    const byPath = Object.fromEntries(problems.map((x) => [x.path, x.message]));
    const expected: Record<string, RegExp> = {
      version: /must be 1 .* got number 2/,
      'options.batchSize': /whole number of at least 1, got number 0/,
      'options.writeMode': /must be one of "merge", "create", got string "upsert"/,
      [`nodes[${customers}].properties[3].as`]: /string "bigint" is not a value rule/,
      [`nodes[${products}].key[1]`]: /"nope" is not a property of this entry; properties: productId, sku, title, price/,
      [`nodes[${salesOrders}].label`]: new RegExp(
        `label "Order" with key \\(orderId\\) is also the label and key of nodes\\[${orders}\\]: their nodes would merge`,
      ),
      [`nodes[${sensors}].id`]: /"public.addresses" is already the id of another node entry/,
      [`nodes[${coupons}].properties[1].name`]: /must be a non-empty string, got string ""/,
      [`relationships[${e.rel('public.measurements.measurements_sensor_id_fkey')}].to.node`]: /there is no node entry "public.sensors"/,
      [`relationships[${cards}].to.match.skuu`]: /"skuu" is not a property of node entry "public.products"/,
      [`relationships[${manager}].to.node`]: /there is no node entry "public.nobody"/,
      [`relationships[${e.rel('public.shipments.shipments_order_id_fkey')}].type`]: /must be a non-empty string, got nothing/,
      // against the live schema
      [`nodes[${customers}].properties[2].as`]: /"integer" is not allowed for column "name" of type text; allowed: string/,
      [`nodes[${customers}].properties[4].column`]: /there is no column "no_such_column" in "public"."customers"/,
      [`nodes[${orders}].table`]: /there is no table "public"."gone_orders" in the database/,
      [`relationships[${e.rel('public.order_details')}].from.match.orderId`]: /there is no column "order_number" in "public"."order_details"/,
      [`relationships[${e.rel('public.reviews.reviews_product_id_fkey')}].source.constraint`]: /there is no foreign key "no_such_fkey" on "public"."reviews"/,
    };
    assert.deepEqual(Object.keys(byPath).sort(), Object.keys(expected).sort(), problems.map((x) => `${x.path}: ${x.message}`).join('\n'));
    for (const [path, message] of Object.entries(expected)) assert.match(byPath[path], message, path);

    const alone = validatePlan(p);
    assert.ok(!alone.problems.some((x) => /there is no (column|table|foreign key)/.test(x.message)), 'without a model only the plan itself is checked');
    assert.throws(
      () => assertValidPlan(p, model),
      (error: Pg2GraphError) => {
        assert.equal(error.code, 'PLAN_INVALID');
        assert.match(error.message, /^the plan is invalid \(17 problems\):\n/);
        for (const path of Object.keys(expected)) assert.ok(error.message.includes(`\n${path}: `), `message names ${path}`);
        assert.equal((error.details.problems as unknown[]).length, 17);
        return true;
      },
    );
  });

  it('checks the type of every field of the format', () => {
    const { problems } = validatePlan({
      version: 1,
      source: { schemas: [] },
      options: { batchSize: 10.5, writeMode: 'merge', naming: { labels: 'snake' }, typePolicies: { numeric: { as: 'list<flatten>', trim: 'yes' } } },
      nodes: [
        { id: 'a', label: 'A', key: [], properties: 'none' },
        {
          id: 'b',
          table: { schema: 'public' },
          sql: 'SELECT 1',
          label: 'B',
          key: ['x'],
          keySource: 'guess',
          properties: [
            { column: 'x', name: 'x', pgType: 'int4', as: 'integer', nullElements: 'keep' },
            { column: 'y', name: 'x', pgType: 'int4', as: 'integer' },
          ],
          computed: [{ name: 'z', expression: '$sum(' }],
        },
        'not an entry',
      ],
      relationships: [
        {
          id: 'r',
          type: 'R',
          source: { kind: 'view', table: { schema: 's', name: 't' } },
          from: { node: 'b', match: {} },
          to: { node: 'b', match: { x: 1 } },
          properties: [],
        },
      ],
    });
    const paths = problems.map((p) => p.path);
    assert.deepEqual(
      paths,
      [
        'source.schemas',
        'options.batchSize',
        'options.naming.labels',
        'options.typePolicies.numeric.as',
        'options.typePolicies.numeric.trim',
        'nodes[0]',
        'nodes[0].properties',
        'nodes[0].key',
        'nodes[1]',
        'nodes[1].table.name',
        'nodes[1].keySource',
        'nodes[1].properties[0].nullElements',
        'nodes[1].properties[1].name',
        'nodes[1].computed[0].expression',
        'nodes[2]',
        'relationships[0].source.kind',
        'relationships[0].from.match',
        'relationships[0].to.match.x',
      ],
      problems.map((p) => `${p.path}: ${p.message}`).join('\n'),
    );
    const message = (path: string) => problems.find((p) => p.path === path)?.message;
    assert.match(message('nodes[0]')!, /needs a "table" .* or an "sql"/);
    assert.match(message('nodes[1]')!, /has both "table" and "sql"/);
    assert.match(message('nodes[1].computed[0].expression')!, /is not valid JSONata/);
    assert.match(message('nodes[1].properties[1].name')!, /"x" is already the name of nodes\[1\]\.properties\[0\]/);
    assert.match(message('relationships[0].to.match.x')!, /must name a column of the source table, got number 1/);
    assert.deepEqual(validatePlan(null).problems, [{ path: '(plan)', message: 'must be an object, got null' }]);
  });

  it('accepts a content key only with keySource rowContent', () => {
    const e = edited();
    const audit = e.node('public.audit_log');
    delete e.plan.nodes[audit].keySource;
    const fromAudit = e.rel('public.audit_log.audit_log_customer_id_fkey');
    const { problems } = validatePlan(e.plan);
    assert.deepEqual(
      problems.map((p) => p.path),
      [`nodes[${audit}].key[0]`, `relationships[${fromAudit}].from.match.rowHash`],
    );
    assert.match(problems[0].message, /needs "keySource": "rowContent"/);
  });

  it('quotes path segments that are not identifiers', () => {
    const e = edited();
    const lines = e.rel('Sales.Order Lines.Order Lines_customerId_fkey');
    e.plan.relationships[lines].from.match = { 'line id': 'Line ID' };
    assert.deepEqual(
      validatePlan(e.plan).problems.map((p) => p.path),
      [`relationships[${lines}].from.match["line id"]`],
    );
  });

  describe('loadPlan', () => {
    it('parses and validates plan text', () => {
      const loaded = loadPlan(JSON.stringify(plan), model);
      assert.deepEqual(loaded, plan);
      assert.deepEqual(parsePlanText('\uFEFF{"version": 1}'), { version: 1 }, 'a byte order mark is fine');
    });

    it('says where malformed JSON breaks (line and column)', () => {
      const text = '{\n  "version": 1,\n  "nodes": [\n    { "id": "a", }\n  ]\n}';
      assert.throws(
        () => loadPlan(text, undefined, 'plan.json'),
        (error: Pg2GraphError) => {
          assert.equal(error.code, 'PLAN_INVALID');
          assert.match(error.message, /^plan\.json is not valid JSON at line 4, column 18: /);
          assert.deepEqual(error.details, { line: 4, column: 18 });
          return true;
        },
      );
      assert.throws(() => loadPlan(''), /the plan is not valid JSON at line 1, column 1/);
      assert.throws(() => loadPlan('{"version": 1'), /at line 1, column 14/);
    });

    it('rejects valid JSON that is not a valid plan, naming the paths', () => {
      assert.throws(
        () => loadPlan('{"version": 1, "nodes": []}'),
        (error: Pg2GraphError) => {
          assert.equal(error.code, 'PLAN_INVALID');
          assert.match(error.message, /\nsource: must be an object, got nothing/);
          assert.match(error.message, /\noptions: must be an object, got nothing/);
          assert.match(error.message, /\nrelationships: must be a list, got nothing/);
          return true;
        },
      );
    });
  });
});
