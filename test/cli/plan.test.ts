/** `pg2graph plan` run as a child process (the built dist/cli/pg2graph.js) against the test database. */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { ScratchDatabase } from '../support/databases';
import { fixtureDatabase, introspectUrl, limitedRole } from '../engine/schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan } from '../../dist/engine/plan/types';
import { pg2graph } from '../support/cli';
import { assertNoSecret } from '../support/secrets';

describe('pg2graph plan (command line)', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let dir: string;

  before(async () => {
    // reached as a role with a known password, which the output must never show
    db = await fixtureDatabase('cli', 'password');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-plan-'));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('prints the plan JSON for the chosen schemas', async () => {
    const run = await pg2graph(['plan', '--pg', db.url, '--schema', 'public', '--schema', 'Sales']);
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as GraphPlan;
    assert.deepEqual(plan, generatePlan(await introspectUrl(db.url, ['public', 'Sales'])));
    assert.deepEqual(plan.source.schemas, ['public', 'Sales']);
    assert.equal(plan.nodes.find((n) => n.id === 'Sales.orders')?.label, 'SalesOrder');
    assert.match(run.stderr, /^\d+ warnings \(in the plan's "warnings" fields; --explain lists them\)\n$/);
    assertNoSecret(run.stdout + run.stderr, [db.settings.password], 'no password in the output');
  });

  it('reads the connection from DATABASE_URL and defaults to the public schema', async () => {
    const run = await pg2graph(['plan', '--include', 'orders', '--include', 'customers'], { DATABASE_URL: db.url });
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as GraphPlan;
    assert.deepEqual(plan.source, { schemas: ['public'], include: ['orders', 'customers'] });
    assert.deepEqual(
      plan.nodes.map((n) => n.label),
      ['Customer', 'Order'],
    );
    assert.deepEqual(
      plan.relationships.map((r) => r.type),
      ['CUSTOMER'],
    );
  });

  it('prints a readable summary with --explain', async () => {
    const run = await pg2graph(['plan', '--pg', db.url, '--schema', 'public', '--exclude', '*_log', '--explain']);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /^schemas: public\n\nnode labels \(14\):\n/);
    assert.match(out, /\n {2}Customer +key \(customerId\) +13 properties +<- public\.customers\n/);
    assert.match(out, /\n {2}Currency +key \(code\) from unique +2 properties +<- public\.currencies\n/);
    assert.match(out, /\n {2}Measurement +key \(sensorId, measuredOn\) +4 properties +<- public\.measurements\n/);
    assert.match(out, /\nrelationship types \(14\):\n/);
    assert.match(out, /\n {2}\(:Order\)-\[:ORDER_DETAIL\]->\(:Product\) +2 properties +<- join table public\.order_details\n/);
    assert.match(out, /\n {2}\(:Employee\)-\[:MANAGER\]->\(:Employee\) +<- foreign key public\.employees\.employees_manager_id_fkey\n/);
    assert.match(out, /\n {2}\(:Order\)-\[:BILLING_ADDRESS\]->\(:Address\) +<- foreign key/);
    assert.match(
      out,
      /\nwarnings \(\d+\):\n {2}- views and foreign tables are read only when an include pattern names them exactly; skipped: "public"\."big_orders"\n/,
    );
    assert.match(out, /\n {2}- public\.customers: column "active_during" \(tsrange\) left out/);
    assert.doesNotMatch(out, /AuditLog/);
  });

  it('checks a valid plan file: exit 0', async () => {
    const file = path.join(dir, 'good.json');
    fs.writeFileSync(file, (await pg2graph(['plan', '--pg', db.url, '--schema', 'public', '--schema', 'Sales'])).stdout);
    const run = await pg2graph(['plan', '--pg', db.url, '--check', file]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, `${file}: valid (18 node entries, 17 relationship entries)\n`);
  });

  it('checks a hand-edited plan file: every problem with its path, exit 1', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plan file edited by hand, into invalid shapes
    const plan = generatePlan(await introspectUrl(db.url, ['public'])) as unknown as Record<string, any>;
    const customers = plan.nodes.findIndex((n: { id: string }) => n.id === 'public.customers');
    const products = plan.nodes.findIndex((n: { id: string }) => n.id === 'public.products');
    const cards = plan.relationships.findIndex((r: { id: string }) => r.id === 'public.gift_cards.gift_cards_product_sku_fkey');
    plan.nodes[customers].properties[2].as = 'date';
    plan.nodes[products].key = ['productNo'];
    plan.nodes[products].table.name = 'productz';
    plan.relationships[cards].to.node = 'public.skus';
    const file = path.join(dir, 'edited.json');
    fs.writeFileSync(file, JSON.stringify(plan, null, 2));
    const run = await pg2graph(['plan', '--pg', db.url, '--check', file]);
    assert.equal(run.code, 1);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      `${file}: 4 problems`,
      `  nodes[${products}].key[0]: "productNo" is not a property of this entry; properties: productId, sku, title, price`,
      `  relationships[${cards}].to.node: there is no node entry "public.skus"`,
      `  nodes[${customers}].properties[2].as: "date" is not allowed for column "name" of type text; allowed: string`,
      `  nodes[${products}].table: there is no table "public"."productz" in the database "${db.name}"`,
    ]);
  });

  it("refuses a plan that uses the pack's checkpoint label, naming the path, exit 1", async () => {
    const plan = generatePlan(await introspectUrl(db.url, ['public']));
    const customers = plan.nodes.findIndex((n) => n.id === 'public.customers');
    plan.nodes[customers].label = 'Pg2GraphCheckpoint';
    const file = path.join(dir, 'reserved.json');
    fs.writeFileSync(file, JSON.stringify(plan, null, 2));
    const run = await pg2graph(['plan', '--pg', db.url, '--check', file, '--no-probe']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      `${file}: 1 problem`,
      `  nodes[${customers}].label: is reserved: "Pg2GraphCheckpoint" is the label of pg2graph's own checkpoint nodes; choose another label`,
    ]);
  });

  it('rejects a malformed plan file, saying where', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{\n  "version": 1,\n  "nodes": [\n');
    const run = await pg2graph(['plan', '--pg', db.url, '--check', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^pg2graph plan: PLAN_INVALID: ${file.replace(/[.\\/]/g, '\\$&')} is not valid JSON at line 4, column 1: `));
    const missing = await pg2graph(['plan', '--pg', db.url, '--check', path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /PLAN_NOT_FOUND: cannot read the plan file .*nope\.json/);
  });

  it('fails with SCHEMA_NOT_FOUND for an unknown schema', async () => {
    const run = await pg2graph(['plan', '--pg', db.url, '--schema', 'public', '--schema', 'Nowhere']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^pg2graph plan: SCHEMA_NOT_FOUND: schema "Nowhere" not found/);
  });

  it('flags a table the connecting role cannot read when checking a plan', async () => {
    const file = path.join(dir, 'all.json');
    fs.writeFileSync(file, (await pg2graph(['plan', '--pg', db.url, '--schema', 'public'])).stdout);
    const role = await limitedRole(db, ['orders']);
    try {
      const generated = await pg2graph(['plan', '--pg', role.url, '--schema', 'public']);
      assert.equal(generated.code, 0, generated.stderr);
      assert.ok(!(JSON.parse(generated.stdout) as GraphPlan).nodes.some((n) => n.id === 'public.orders'), 'generation leaves it out');
      const run = await pg2graph(['plan', '--pg', role.url, '--check', file]);
      assert.equal(run.code, 1);
      const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as GraphPlan;
      const orders = plan.nodes.findIndex((n) => n.id === 'public.orders');
      assert.ok(run.stdout.includes(`  nodes[${orders}].table: the current user cannot SELECT "public"."orders"`), run.stdout);
    } finally {
      await role.drop();
    }
  });
});
