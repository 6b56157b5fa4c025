import assert from 'assert/strict';
import { helper, nodeModule, nextMessage, statusesOf, withNodeRedServer } from '../support/node-red';
import type { ScratchDatabase } from '../support/databases';
import { fixtureDatabase, introspectUrl } from '../engine/schema-fixture';
import { assertNoSecret } from '../support/secrets';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';

const postgresNode = nodeModule('pg2graph-postgres');
const schemaNode = nodeModule('pg2graph-schema');
const modules = [postgresNode, schemaNode];

interface Caught {
  code?: string;
  message: string;
}
interface Output {
  plan?: GraphPlan;
  payload?: Record<string, unknown>;
  error?: Caught;
}

describe('pg2graph-schema node', function () {
  this.timeout(30_000);
  let db: ScratchDatabase;

  before(async () => {
    // reached as a role with a known password, which the node must never show
    db = await fixtureDatabase('schemanode', 'password');
  });
  after(async () => {
    await db.drop();
  });

  withNodeRedServer();

  function flow(schemaConfig: Record<string, unknown> = {}) {
    return [
      { id: 'tab', type: 'tab', label: 'test' },
      {
        id: 'cfg',
        type: 'pg2graph-postgres',
        name: 'source',
        host: db.settings.host,
        port: db.settings.port,
        database: db.settings.database,
        sslMode: 'disable',
        poolSize: '2',
        applicationName: 'pg2graph-schema-test',
      },
      {
        id: 'schema',
        type: 'pg2graph-schema',
        z: 'tab',
        postgres: 'cfg',
        schemas: 'public, Sales',
        include: '',
        exclude: '',
        typePolicies: '',
        overrides: '',
        wires: [['out']],
        ...schemaConfig,
      },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'catcher', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper', z: 'tab' },
    ];
  }
  const credentials = () => ({ cfg: { user: db.settings.user as string, password: db.settings.password as string } });

  async function run(msg: Record<string, unknown> = { payload: 'go' }): Promise<Output> {
    const result = Promise.race<Output>([
      nextMessage<Output>(helper.getNode('out'), 20_000),
      nextMessage<{ error: Caught }>(helper.getNode('caught'), 20_000).then((m) => ({ error: m.error })),
    ]);
    helper.getNode('schema').receive(msg);
    return result;
  }

  it('emits the generated plan in msg.plan with a summary in msg.payload', async () => {
    await helper.load(modules, flow(), credentials());
    const out = await run({ payload: 'go', topic: 'kept' });
    assert.equal(out.error, undefined, out.error?.message);
    const expected = generatePlan(await introspectUrl(db.url, ['public', 'Sales']));
    assert.deepEqual(out.plan, expected);
    assert.equal((out as Record<string, unknown>).topic, 'kept', 'the rest of the message travels on');
    assert.equal(out.payload?.nodes, 18);
    assert.equal(out.payload?.relationships, 17);
    assert.deepEqual(out.payload?.staleOverrides, []);
    assert.ok(
      (out.payload?.warnings as string[]).includes(
        'public.customers: column "active_during" (tsrange) left out: pg2graph has no value rule for type tsrange; to migrate it as text set "as": "string" for it (or typePolicies {"tsrange": {"as": "string"}})',
      ),
    );
    assert.deepEqual(statusesOf('schema'), [
      { fill: 'blue', shape: 'dot', text: 'pg2graph-schema.status.introspecting' },
      { fill: 'blue', shape: 'dot', text: 'pg2graph-schema.status.probing' },
      { fill: 'green', shape: 'dot', text: 'pg2graph-schema.status.ready' },
    ]);
  });

  it('applies the overrides stored in the node, include/exclude and type policies', async () => {
    const overrides = {
      labels: { 'public.customers': 'Client' },
      types: { 'public.orders.orders_customer_id_fkey': 'PLACED_BY' },
      properties: { 'public.customers': { customer_id: 'id' } },
      excludeColumns: { 'public.customers': ['note'] },
      as: { 'public.orders': { ordered_on: 'string' } },
      excludeEntries: ['public.gone_table'],
    };
    await helper.load(
      modules,
      flow({
        schemas: 'public',
        exclude: 'audit_log, coupons',
        overrides: JSON.stringify(overrides),
        typePolicies: '{"numeric": {"as": "float"}}',
      }),
      credentials(),
    );
    const warned = new Promise<unknown[]>((resolve) => helper.getNode('schema').once('call:warn', (call: { args: unknown[] }) => resolve(call.args)));
    const out = await run();
    assert.equal(out.error, undefined, out.error?.message);
    const plan = out.plan!;
    const customers = plan.nodes.find((n) => n.id === 'public.customers')!;
    assert.equal(customers.label, 'Client');
    assert.deepEqual(customers.key, ['id']);
    assert.ok(!customers.properties.some((p) => p.column === 'note'));
    assert.equal(customers.properties.find((p) => p.column === 'credit_limit')?.as, 'float');
    const placed = plan.relationships.find((r) => r.id === 'public.orders.orders_customer_id_fkey')!;
    assert.equal(placed.type, 'PLACED_BY');
    assert.deepEqual(placed.to.match, { id: 'customer_id' });
    assert.equal(plan.nodes.find((n) => n.id === 'public.orders')?.properties.find((p) => p.column === 'ordered_on')?.as, 'string');
    assert.ok(!plan.nodes.some((n) => n.id === 'public.audit_log' || n.id === 'public.coupons'));
    assert.deepEqual(out.payload?.staleOverrides, ['excludeEntries: there is no entry "public.gone_table"']);
    assert.deepEqual(await warned, ['pg2graph-schema.warnings.staleOverrides']);
  });

  it('reads the schemas from msg.schemas when given', async () => {
    await helper.load(modules, flow(), credentials());
    const out = await run({ schemas: ['Sales'] });
    assert.deepEqual(out.plan?.source.schemas, ['Sales']);
    assert.deepEqual(
      out.plan?.nodes.map((n) => n.label),
      ['OrderLine', 'Order', 'User'],
    );
  });

  describe('bad input reaches a Catch node', () => {
    const cases: Array<{ title: string; config?: Record<string, unknown>; msg?: Record<string, unknown>; code: string; mentions: RegExp }> = [
      { title: 'an unknown schema', msg: { schemas: ['public', 'Nowhere'] }, code: 'SCHEMA_NOT_FOUND', mentions: /schema "Nowhere" not found/ },
      { title: 'an unknown configured schema', config: { schemas: 'sales' }, code: 'SCHEMA_NOT_FOUND', mentions: /"sales" not found .*"Sales"/ },
      {
        title: 'overrides that make the plan invalid',
        code: 'PLAN_INVALID',
        mentions:
          /the plan is invalid \(2 problems\):\nnodes\[\d+\]\.label: label "Order" with key \(orderId\).*\nnodes\[\d+\]\.properties\[2\]\.as: "integer" is not allowed for column "name" of type text/,
        config: { overrides: JSON.stringify({ labels: { 'Sales.orders': 'Order' }, as: { 'public.customers': { name: 'integer' } } }) },
      },
      { title: 'msg.schemas that is not a list', msg: { schemas: 'public' }, code: 'INPUT_INVALID', mentions: /pg2graph-schema\.errors\.schemasInvalid/ },
      {
        title: 'malformed type policies',
        config: { typePolicies: '{numeric' },
        code: 'SETTING_INVALID',
        mentions: /pg2graph-schema\.errors\.typePoliciesNotJson/,
      },
      { title: 'malformed overrides', config: { overrides: '{"labels": []}' }, code: 'OVERRIDES_INVALID', mentions: /labels: must be an object, got a list/ },
      { title: 'no Postgres config node', config: { postgres: '' }, code: 'CONFIG_MISSING', mentions: /pg2graph-schema\.errors\.noPostgres/ },
    ];
    for (const bad of cases) {
      it(`${bad.title}: ${bad.code}`, async () => {
        await helper.load(modules, flow(bad.config), credentials());
        const out = await run(bad.msg);
        assert.ok(out.error, 'the error reached the Catch node');
        assert.equal(out.error.code, bad.code);
        assert.match(out.error.message, bad.mentions);
        assert.deepEqual(statusesOf('schema').at(-1), { fill: 'red', shape: 'ring', text: 'pg2graph-schema.status.error' });
      });
    }
  });

  describe('preview endpoint (POST /pg2graph-schema/preview)', () => {
    it('answers with the plan, the generated plan, stale overrides, problems and the rules each column allows', async () => {
      await helper.load(modules, flow(), credentials());
      const response = await helper
        .request()
        .post('/pg2graph-schema/preview')
        .send({
          postgres: 'cfg',
          schemas: 'public',
          exclude: 'audit_log',
          overrides: { labels: { 'public.customers': 'Client', 'public.nothing': 'X' }, as: { 'public.customers': { active_during: 'string' } } },
        })
        .expect(200);
      const body = response.body;
      assert.equal(body.ok, true);
      assert.equal(body.plan.nodes.find((n: { id: string }) => n.id === 'public.customers').label, 'Client');
      assert.equal(body.generated.nodes.find((n: { id: string }) => n.id === 'public.customers').label, 'Customer');
      assert.deepEqual(body.stale, ['labels["public.nothing"]: there is no node entry "public.nothing"']);
      assert.deepEqual(body.problems, []);
      assert.deepEqual(body.allowed['public.customers'].credit_limit, ['string', 'float', 'integer']);
      assert.deepEqual(body.allowed['public.customers'].scores, ['list<integer>', 'list<float>', 'list<string>', 'string']);
      assert.deepEqual(body.allowed['public.customers'].active_during, ['string']);
      assert.deepEqual(body.allowed['public.order_details'].quantity, ['integer', 'float', 'string'], 'join-table columns too');
      assert.ok(!body.plan.nodes.some((n: { id: string }) => n.id === 'public.audit_log'));
      assertNoSecret(response.text, [db.settings.password], 'no password in the preview');
    });

    it('shows the problems of the edited plan instead of failing', async () => {
      await helper.load(modules, flow(), credentials());
      const { body } = await helper
        .request()
        .post('/pg2graph-schema/preview')
        .send({ postgres: 'cfg', schemas: 'public', overrides: { as: { 'public.orders': { ordered_on: 'integer' } } } })
        .expect(200);
      assert.equal(body.ok, true);
      assert.equal(body.problems.length, 1);
      assert.match(body.problems[0].path, /^nodes\[\d+\]\.properties\[4\]\.as$/);
    });

    it('says clearly when the Postgres config node is not deployed, or not chosen', async () => {
      await helper.load(modules, flow(), credentials());
      const notDeployed = await helper.request().post('/pg2graph-schema/preview').send({ postgres: 'not-deployed-yet', schemas: 'public' }).expect(200);
      assert.deepEqual(notDeployed.body, { ok: false, code: 'CONFIG_NOT_DEPLOYED', message: 'pg2graph-schema.errors.notDeployed' });
      const none = await helper.request().post('/pg2graph-schema/preview').send({ schemas: 'public' }).expect(200);
      assert.deepEqual(none.body, { ok: false, code: 'CONFIG_MISSING', message: 'pg2graph-schema.errors.noPostgres' });
      const wrongSchema = await helper.request().post('/pg2graph-schema/preview').send({ postgres: 'cfg', schemas: 'Nowhere' }).expect(200);
      assert.equal(wrongSchema.body.ok, false);
      assert.equal(wrongSchema.body.code, 'SCHEMA_NOT_FOUND');
    });
  });
});
