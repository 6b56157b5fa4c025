/**
 * Foreign keys declared on partitions (README, Mapping rules, Partitioned tables): the same FK on several
 * partitions is one relationship entry read through the parent, the rows of the partitions without it linked
 * by value; FKs that contradict each other on the same columns stay separate entries limited to their
 * partitions; nested partitions fold to the top-level table. Introspected, planned, migrated and verified
 * against the real PostgreSQL and Neo4j.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import { validatePlan } from '../../dist/engine/plan/validate';
import { tableForeignKeys } from '../../dist/engine/plan/partition-keys';
import { migrate } from '../../dist/engine/migrate/migrate';
import { verify } from '../../dist/engine/verify/verify';
import { formatReport, type EntryReport, type VerificationReport } from '../../dist/engine/verify/report';
import type { GraphPlan, RelationshipEntry } from '../../dist/engine/plan/types';
import type { SchemaModel, TableInfo } from '../../dist/engine/schema/model';
import { cypherCount, sqlCount } from './verify-sample';
import { pg2graph } from '../support/cli';

const SCHEMA_SQL = `
CREATE TABLE customers (customer_id int PRIMARY KEY, name text);
CREATE TABLE legacy_customers (legacy_id int PRIMARY KEY, name text);
CREATE TABLE stores (store_id int PRIMARY KEY);

-- the same FK on three of four partitions (as a restored dump leaves it), one FK on the parent, and on one
-- partition a second copy of the parent's FK
CREATE TABLE payments (
  payment_id int, paid_on date, customer_id int, store_id int REFERENCES stores, amount numeric(8,2),
  PRIMARY KEY (payment_id, paid_on)
) PARTITION BY RANGE (paid_on);
CREATE TABLE payments_2020 PARTITION OF payments FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE payments_2021 PARTITION OF payments FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
CREATE TABLE payments_2022 PARTITION OF payments FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE payments_2023 PARTITION OF payments FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
ALTER TABLE payments_2020 ADD CONSTRAINT payments_2020_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE payments_2021 ADD CONSTRAINT payments_2021_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE payments_2022 ADD CONSTRAINT payments_2022_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE payments_2021 ADD CONSTRAINT payments_2021_store_copy FOREIGN KEY (store_id) REFERENCES stores;

-- FKs that differ between partitions on the same column: customers in a and c, legacy customers in b (itself
-- partitioned, the FK declared on it and inherited by its leaves)
CREATE TABLE rentals (rental_id int, region text, customer_id int, PRIMARY KEY (rental_id, region)) PARTITION BY LIST (region);
CREATE TABLE rentals_a PARTITION OF rentals FOR VALUES IN ('a');
CREATE TABLE rentals_b PARTITION OF rentals FOR VALUES IN ('b1', 'b2') PARTITION BY LIST (region);
CREATE TABLE rentals_b1 PARTITION OF rentals_b FOR VALUES IN ('b1');
CREATE TABLE rentals_b2 PARTITION OF rentals_b FOR VALUES IN ('b2');
CREATE TABLE rentals_c PARTITION OF rentals FOR VALUES IN ('c');
ALTER TABLE rentals_a ADD CONSTRAINT rentals_a_customer FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE rentals_c ADD CONSTRAINT rentals_c_customer FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE rentals_b ADD CONSTRAINT rentals_b_legacy FOREIGN KEY (customer_id) REFERENCES legacy_customers;

-- nested partitions: the FK on a leaf, on a leaf of a sub-partitioned partition, and on a sub-partitioned
-- partition (inherited by its leaves); one leaf without it
CREATE TABLE events (event_id int, year int, region text, customer_id int, PRIMARY KEY (event_id, year, region)) PARTITION BY LIST (year);
CREATE TABLE events_2020 PARTITION OF events FOR VALUES IN (2020);
CREATE TABLE events_2021 PARTITION OF events FOR VALUES IN (2021) PARTITION BY LIST (region);
CREATE TABLE events_2021_eu PARTITION OF events_2021 FOR VALUES IN ('eu');
CREATE TABLE events_2021_us PARTITION OF events_2021 FOR VALUES IN ('us');
CREATE TABLE events_2022 PARTITION OF events FOR VALUES IN (2022) PARTITION BY LIST (region);
CREATE TABLE events_2022_eu PARTITION OF events_2022 FOR VALUES IN ('eu');
CREATE TABLE events_2022_us PARTITION OF events_2022 FOR VALUES IN ('us');
ALTER TABLE events_2020 ADD CONSTRAINT events_2020_customer FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE events_2021_eu ADD CONSTRAINT events_2021_eu_customer FOREIGN KEY (customer_id) REFERENCES customers;
ALTER TABLE events_2022 ADD CONSTRAINT events_2022_customer FOREIGN KEY (customer_id) REFERENCES customers;
`;

const DATA_SQL = `
INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 10) g;
INSERT INTO legacy_customers SELECT g, 'l' || g FROM generate_series(101, 105) g;
INSERT INTO stores VALUES (1), (2);
INSERT INTO payments SELECT g, make_date(2020 + g % 3, 1 + g % 12, 1), 1 + g % 10, 1 + g % 2, g FROM generate_series(1, 30) g;
-- the partition without the FK: a customer that exists (linked by value), one that does not (a missing end), none
INSERT INTO payments VALUES (100, '2023-03-01', 4, 1, 1), (101, '2023-04-01', 999, 2, 1), (102, '2023-05-01', NULL, 1, 1);
INSERT INTO rentals VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b1', 101), (4, 'b2', 102), (5, 'b2', 103), (6, 'c', 3);
INSERT INTO events VALUES (1, 2020, 'eu', 1), (2, 2021, 'eu', 2), (3, 2021, 'us', 3), (4, 2022, 'eu', 4), (5, 2022, 'us', 5), (6, 2021, 'us', 6);
`;

const PAYMENT_CUSTOMER = 'public.payments.payments_2020_customer_id_fkey';
const PAYMENT_STORE = 'public.payments.payments_store_id_fkey';
const RENTAL_CUSTOMER = 'public.rentals.rentals_a_customer';
const RENTAL_LEGACY = 'public.rentals.rentals_b_legacy';
const EVENT_CUSTOMER = 'public.events.events_2020_customer';

function table(model: SchemaModel, name: string): TableInfo {
  const found = model.tables.find((t) => t.schema === 'public' && t.name === name);
  assert.ok(found, `table ${name}`);
  return found;
}

function rel(plan: GraphPlan, id: string): RelationshipEntry {
  const found = plan.relationships.find((r) => r.id === id);
  assert.ok(found, `relationship entry ${id} in ${plan.relationships.map((r) => r.id).join(', ')}`);
  return found;
}

function entryOf(report: VerificationReport, id: string): EntryReport {
  const found = report.entries.find((e) => e.entry === id);
  assert.ok(found, `verification entry ${id}`);
  return found;
}

describe('foreign keys declared on partitions', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let model: SchemaModel;
  let plan: GraphPlan;

  before(async () => {
    db = await createScratchDatabase('parts');
    await db.query(SCHEMA_SQL);
    await db.query(DATA_SQL);
    const source = new PostgresConnection(db.settings);
    try {
      model = await introspectDatabase(source, { schemas: ['public'] });
    } finally {
      await source.close();
    }
    plan = generatePlan(model);
  });
  after(async () => {
    await db?.drop();
  });

  describe('introspection', () => {
    it('reports each partition FK once with the leaf partitions it constrains; clones of the parent FK are not reported', () => {
      const payments = table(model, 'payments');
      assert.deepEqual(
        payments.foreignKeys.map((fk) => `${fk.name} ${fk.declaredOnPartition ?? '-'} ${(fk.partitionLeaves ?? []).map((p) => p.name).join('+')}`),
        [
          'payments_store_id_fkey - ',
          'payments_2020_customer_id_fkey payments_2020 payments_2020',
          'payments_2021_customer_id_fkey payments_2021 payments_2021',
          'payments_2021_store_copy payments_2021 payments_2021',
          'payments_2022_customer_id_fkey payments_2022 payments_2022',
        ],
      );
    });

    it('sees partitions of partitions: intermediate ones marked, an FK on one constraining every leaf below it', () => {
      const events = table(model, 'events');
      assert.deepEqual(events.partitions, [
        { schema: 'public', name: 'events_2020' },
        { schema: 'public', name: 'events_2021', partitioned: true },
        { schema: 'public', name: 'events_2021_eu' },
        { schema: 'public', name: 'events_2021_us' },
        { schema: 'public', name: 'events_2022', partitioned: true },
        { schema: 'public', name: 'events_2022_eu' },
        { schema: 'public', name: 'events_2022_us' },
      ]);
      assert.deepEqual(
        events.foreignKeys.map((fk) => [fk.name, fk.declaredOnPartition, (fk.partitionLeaves ?? []).map((p) => p.name)]),
        [
          ['events_2020_customer', 'events_2020', ['events_2020']],
          ['events_2021_eu_customer', 'events_2021_eu', ['events_2021_eu']],
          ['events_2022_customer', 'events_2022', ['events_2022_eu', 'events_2022_us']],
        ],
        'the clones of events_2022_customer on its leaves are not FKs of their own',
      );
      assert.deepEqual(
        table(model, 'rentals')
          .foreignKeys.filter((fk) => fk.name === 'rentals_b_legacy')
          .map((fk) => fk.partitionLeaves),
        [
          [
            { schema: 'public', name: 'rentals_b1' },
            { schema: 'public', name: 'rentals_b2' },
          ],
        ],
      );
    });
  });

  describe('plan', () => {
    it('validates against the live schema', () => {
      assert.deepEqual(validatePlan(plan, model), { ok: true, problems: [] });
    });

    it('folds the same FK of several partitions into one entry of one type, read through the parent, naming the partition without it', () => {
      const fromPayments = plan.relationships.filter((r) => r.source.table.name === 'payments');
      assert.deepEqual(
        fromPayments.map((r) => `${r.id} ${r.type}`),
        [`${PAYMENT_STORE} STORE`, `${PAYMENT_CUSTOMER} CUSTOMER`],
        'one entry per foreign key, no CUSTOMER_2',
      );
      const customer = rel(plan, PAYMENT_CUSTOMER);
      assert.deepEqual(customer.source, {
        kind: 'foreignKey',
        table: { schema: 'public', name: 'payments' },
        constraint: 'payments_2020_customer_id_fkey',
        constraints: ['payments_2020_customer_id_fkey', 'payments_2021_customer_id_fkey', 'payments_2022_customer_id_fkey'],
      });
      assert.equal(customer.where, undefined);
      assert.deepEqual(customer.from, { node: 'public.payments', match: { paymentId: 'payment_id', paidOn: 'paid_on' } });
      assert.deepEqual(customer.to, { node: 'public.customers', match: { customerId: 'customer_id' } });
      assert.deepEqual(customer.warnings, [
        'declared on 3 of the 4 partitions of "public"."payments" (not on the table itself): one relationship over the rows of every partition; partition without it: "public"."payments_2023" (their rows are linked by value; a value with no referenced row is a missing end)',
      ]);
    });

    it("keeps the parent's FK one entry: a copy of it declared on a partition adds nothing", () => {
      const store = rel(plan, PAYMENT_STORE);
      assert.deepEqual(store.source, { kind: 'foreignKey', table: { schema: 'public', name: 'payments' }, constraint: 'payments_store_id_fkey' });
      assert.equal(store.where, undefined);
      assert.equal(store.warnings, undefined);
    });

    it('keeps FKs that differ between partitions on the same column apart, each limited to the partitions declaring it', () => {
      const fromRentals = plan.relationships.filter((r) => r.source.table.name === 'rentals');
      assert.deepEqual(
        fromRentals.map((r) => `${r.id} ${r.type} -> ${r.to.node}`),
        [`${RENTAL_CUSTOMER} CUSTOMER -> public.customers`, `${RENTAL_LEGACY} CUSTOMER -> public.legacy_customers`],
      );
      const customer = rel(plan, RENTAL_CUSTOMER);
      assert.deepEqual(customer.source.kind === 'foreignKey' && customer.source.constraints, ['rentals_a_customer', 'rentals_c_customer']);
      assert.equal(customer.where, `tableoid IN ('"public"."rentals_a"'::regclass, '"public"."rentals_c"'::regclass)`);
      assert.match(
        customer.warnings?.[0] ?? '',
        /another foreign key on these columns \("rentals_b_legacy"\) says otherwise: only rows of "public"\."rentals_a", "public"\."rentals_c" are linked/,
      );
      // declared on a sub-partitioned partition: the rows are those of its leaves (tableoid is always a leaf)
      const legacy = rel(plan, RENTAL_LEGACY);
      assert.equal(legacy.where, `tableoid IN ('"public"."rentals_b1"'::regclass, '"public"."rentals_b2"'::regclass)`);
      assert.match(legacy.warnings?.[0] ?? '', /\("rentals_a_customer", "rentals_c_customer"\) says otherwise/);
    });

    it('folds FKs of nested partitions to the top-level table, naming the leaf without it', () => {
      const fromEvents = plan.relationships.filter((r) => r.source.table.name === 'events');
      assert.deepEqual(
        fromEvents.map((r) => r.id),
        [EVENT_CUSTOMER],
      );
      const events = fromEvents[0];
      assert.equal(events.where, undefined);
      assert.deepEqual(events.source.kind === 'foreignKey' && events.source.constraints, [
        'events_2020_customer',
        'events_2021_eu_customer',
        'events_2022_customer',
      ]);
      assert.deepEqual(events.warnings, [
        'declared on 4 of the 5 leaf partitions of "public"."events" (not on the table itself): one relationship over the rows of every partition; partition without it: "public"."events_2021_us" (their rows are linked by value; a value with no referenced row is a missing end)',
      ]);
    });

    it('keeps ids unique when partitions name their FKs alike; FKs on different columns each fold', () => {
      const base = table(model, 'payments');
      const partitions = [
        { schema: 'public', name: 'p1' },
        { schema: 'public', name: 'p2' },
        { schema: 'public', name: 'p3' },
      ];
      const fk = (name: string, column: string, references: string, partition: string) => ({
        name,
        columns: [column],
        references: { schema: 'public', name: references, columns: [column] },
        referencesKey: 'primaryKey' as const,
        declaredOnPartition: partition,
        partitionLeaves: [{ schema: 'public', name: partition }],
      });
      const synthetic: TableInfo = {
        ...base,
        partitions,
        foreignKeys: [
          fk('fk_customer', 'customer_id', 'customers', 'p1'),
          fk('fk_customer', 'customer_id', 'customers', 'p2'),
          fk('fk_store', 'store_id', 'stores', 'p2'),
          fk('fk_x', 'customer_id', 'legacy_customers', 'p2'),
        ],
      };
      assert.deepEqual(
        tableForeignKeys(synthetic).map((k) => [k.fk.name, k.constraints, k.where ?? null]),
        [
          ['fk_customer', ['fk_customer'], `tableoid IN ('"public"."p1"'::regclass, '"public"."p2"'::regclass)`],
          ['fk_store', ['fk_store'], null],
          ['fk_x', ['fk_x'], `tableoid = '"public"."p2"'::regclass`],
        ],
        'same name and signature on two partitions is one FK; customer_id -> customers (p1, p2) against legacy (p2): both filtered',
      );
      const store = tableForeignKeys(synthetic)[1];
      assert.match(store.warning ?? '', /declared on 1 of the 3 partitions .* partitions without it: "public"\."p1", "public"\."p3"/);

      const clash: TableInfo = {
        ...base,
        partitions,
        foreignKeys: [
          { ...fk('fk', 'store_id', 'stores', 'p1'), declaredOnPartition: undefined, partitionLeaves: undefined },
          fk('fk', 'customer_id', 'customers', 'p2'),
        ],
      };
      const generated = generatePlan({ ...model, tables: [...model.tables.filter((t) => t.name !== 'payments'), clash] });
      assert.deepEqual(
        generated.relationships.filter((r) => r.source.table.name === 'payments').map((r) => r.id),
        ['public.payments.fk', 'public.payments.fk_2'],
      );
    });

    it('rejects folded constraints that are malformed, unknown or a different foreign key', () => {
      const broken = structuredClone(plan);
      const at = (id: string) => broken.relationships.findIndex((r) => r.id === id);
      const source = (id: string) => broken.relationships[at(id)].source as { constraints?: unknown; constraint: string };
      source(PAYMENT_CUSTOMER).constraints = ['payments_2021_customer_id_fkey', 'payments_2021_customer_id_fkey'];
      source(PAYMENT_STORE).constraints = [];
      source(EVENT_CUSTOMER).constraints = ['events_2020_customer', 'no_such_fk', 'events_2021_eu_customer', 7];
      source(RENTAL_CUSTOMER).constraints = ['rentals_a_customer', 'rentals_b_legacy'];
      const payments = `relationships[${at(PAYMENT_CUSTOMER)}].source.constraints`;
      const store = `relationships[${at(PAYMENT_STORE)}].source.constraints`;
      const events = `relationships[${at(EVENT_CUSTOMER)}].source.constraints`;
      const rentals = `relationships[${at(RENTAL_CUSTOMER)}].source.constraints`;

      const shapeOnly = validatePlan(broken);
      assert.equal(shapeOnly.ok, false);
      const shape = shapeOnly.problems.map((p) => `${p.path}: ${p.message}`);
      assert.ok(shape.includes(`${payments}: names a constraint twice`), shape.join('\n'));
      assert.ok(shape.includes(`${payments}: must include "constraint" ("payments_2020_customer_id_fkey")`), shape.join('\n'));
      assert.ok(shape.includes(`${store}: must name at least one`), shape.join('\n'));
      assert.ok(shape.includes(`${events}[3]: must be a non-empty string, got number 7`), shape.join('\n'));

      const live = validatePlan(broken, model).problems.map((p) => `${p.path}: ${p.message}`);
      assert.ok(live.includes(`${events}[1]: there is no foreign key "no_such_fk" on "public"."events" or its partitions`), live.join('\n'));
      assert.ok(
        live.includes(
          `${rentals}[1]: foreign key "rentals_b_legacy" (customer_id) -> "public"."legacy_customers" is not the same as "constraint" "rentals_a_customer" (customer_id) -> "public"."customers": only the same foreign key (columns, referenced table and columns) folds into one entry`,
        ),
        live.join('\n'),
      );
      assert.ok(!live.some((p) => p.startsWith(`${events}[2]`)), 'a constraint that belongs there is no problem');
    });

    it('rejects constraints on a join-table entry', () => {
      const joined = structuredClone(plan);
      joined.relationships.push({
        id: 'public.link',
        type: 'LINK',
        source: { kind: 'joinTable', table: { schema: 'public', name: 'payments' }, constraints: ['x'] } as unknown as RelationshipEntry['source'],
        from: { node: 'public.customers', match: { customerId: 'customer_id' } },
        to: { node: 'public.stores', match: { storeId: 'store_id' } },
        properties: [],
      });
      const problems = validatePlan(joined).problems.map((p) => `${p.path}: ${p.message}`);
      assert.deepEqual(problems, [
        `relationships[${joined.relationships.length - 1}].source.constraints: is for foreign-key entries only ("kind": "foreignKey")`,
      ]);
    });
  });

  describe('migrated and verified', () => {
    let driver: Driver;
    let source: PostgresConnection;
    let target: Neo4jConnection;
    let written: Awaited<ReturnType<typeof migrate>>;

    before(async () => {
      driver = testDriver();
      source = new PostgresConnection(db.settings);
      target = new Neo4jConnection(neo4jSettings());
      await clearGraph(driver);
      written = await migrate(source, target, { plan });
    });
    after(async () => {
      await clearGraph(driver).catch(() => undefined);
      await Promise.allSettled([source?.close(), target?.close(), driver?.close()]);
    });

    it('links the rows of every partition, those of the partition without the FK by value; the one with no customer is a missing end', async () => {
      assert.equal(written.written.missingEnds, 1, 'payment 101 of payments_2023 references customer 999');
      const expected = await sqlCount(db, 'SELECT count(*) AS n FROM payments p JOIN customers c USING (customer_id)');
      assert.equal(expected, 31);
      assert.equal(await cypherCount(driver, 'MATCH (:Payment)-[r:CUSTOMER]->(:Customer) RETURN count(r)'), expected);
      assert.equal(await cypherCount(driver, "MATCH ()-[r]->() WHERE type(r) STARTS WITH 'CUSTOMER_' RETURN count(r)"), 0, 'one type');
      assert.equal(await cypherCount(driver, 'MATCH (:Payment {paymentId: 100})-[:CUSTOMER]->(c:Customer) RETURN c.customerId'), 4);
      assert.equal(await cypherCount(driver, 'MATCH (:Payment)-[r:STORE]->(:Store) RETURN count(r)'), 33, 'the store FK once, not twice');
    });

    it('links rentals to customers or legacy customers by the partition declaring each, and events of every leaf', async () => {
      assert.equal(await cypherCount(driver, 'MATCH (:Rental)-[r:CUSTOMER]->(:Customer) RETURN count(r)'), 3);
      assert.equal(await cypherCount(driver, 'MATCH (:Rental)-[r:CUSTOMER]->(:LegacyCustomer) RETURN count(r)'), 3);
      assert.equal(await cypherCount(driver, 'MATCH (:Event)-[r:CUSTOMER]->(:Customer) RETURN count(r)'), 6);
      assert.equal(
        await cypherCount(driver, 'MATCH (:Event {eventId: 6})-[:CUSTOMER]->(c:Customer) RETURN c.customerId'),
        6,
        'a row of the leaf without the FK',
      );
    });

    it('verification counts the rows of every partition and names the missing end; every other entry passes', async () => {
      const report = await verify(source, target, { plan });
      const failing = report.entries.filter((e) => !e.ok).map((e) => e.entry);
      assert.deepEqual(failing, [PAYMENT_CUSTOMER], formatReport(report));
      const payments = entryOf(report, PAYMENT_CUSTOMER);
      assert.equal(payments.sourceRows, 32, 'every partition, payment 102 (no customer) aside');
      assert.equal(payments.targetCount, 31);
      const missing = payments.checks.find((c) => c.check === 'missing');
      assert.equal(missing?.ok, false);
      assert.equal(missing?.found, 1);
      assert.deepEqual(missing?.examples, [
        { from: { paymentId: 101, paidOn: 'Date 2023-04-01' }, to: { customerId: 999 }, note: 'the end node does not exist' },
      ]);
      assert.equal(entryOf(report, PAYMENT_STORE).sourceRows, 33);
      assert.equal(entryOf(report, RENTAL_CUSTOMER).sourceRows, 3, 'limited to rentals_a and rentals_c');
      assert.equal(entryOf(report, RENTAL_LEGACY).sourceRows, 3, 'the leaves of rentals_b');
      assert.equal(entryOf(report, EVENT_CUSTOMER).sourceRows, 6);
    });
  });
  describe('through the command line', () => {
    let driver: Driver;
    let dir: string;

    before(() => {
      driver = testDriver();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-partitions-'));
    });
    after(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await clearGraph(driver).catch(() => undefined);
      await driver?.close();
    });

    it('pg2graph plan + migrate + verify: one relationship type, the missing end counted and named', async () => {
      await clearGraph(driver);
      const neo = neo4jSettings();
      const env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
      const planned = await pg2graph(['plan', '--schema', 'public'], env);
      assert.equal(planned.code, 0, planned.stderr);
      const planFile = path.join(dir, 'plan.json');
      fs.writeFileSync(planFile, planned.stdout);
      assert.deepEqual(JSON.parse(planned.stdout), JSON.parse(JSON.stringify(plan)), 'the same plan as the engine makes');

      // a relationship row without its end is a loss: exit 4, naming the entry and the row
      const run = await pg2graph(['migrate', '--plan', planFile], env);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stdout, /missing ends 1;/);
      assert.match(run.stderr, /public\.payments\.payments_2020_customer_id_fkey: 1, e\.g\. from \["101","2023-04-01"\] to \["999"\] \(no end node\)/);
      assert.equal(await cypherCount(driver, 'MATCH (:Payment)-[r:CUSTOMER]->(:Customer) RETURN count(r)'), 31);

      const checked = await pg2graph(['verify', '--plan', planFile], env);
      assert.equal(checked.code, 1, checked.stderr);
      assert.match(checked.stdout, new RegExp(`\\n {2}FAIL \\[:CUSTOMER\\] ${PAYMENT_CUSTOMER.replace(/\./g, '\\.')}: source 32, graph 31\\n`));
      assert.ok(checked.stdout.includes('- {paymentId: 101, paidOn: "Date 2023-04-01"} -> {customerId: 999} (the end node does not exist)'), checked.stdout);
      assert.equal((checked.stdout.match(/\n {2}FAIL /g) ?? []).length, 1, checked.stdout);
    });
  });
});
