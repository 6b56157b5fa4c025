/**
 * A real database's traps, migrated whole: a log table without any key holding identical and all-NULL rows, a
 * partitioned table (one partition sub-partitioned) whose foreign key is declared on some partitions only, and
 * columns holding values no default rule can hold (NULL array elements, a 2-D array, time 24:00, infinite dates).
 * Through `pg2graph plan` + `migrate` + `verify`, and through example flow 1 unchanged in a real Node-RED: no
 * abort, no rejected row, and verification passes with every entry's graph count equal to its source rows.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { nodeRedMajor } from '../support/env';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { graphCounts } from '../support/graph-counts';
import { pg2graph } from '../support/cli';
import { byName, comms, DebugLog, example, startNodeRed, type Runtime } from '../support/runtime';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { VerificationReport } from '../../dist/engine/verify/report';

// the schema example flow 1 migrates is "bookshop": the traps are put there
const TRAPS = `
  CREATE SCHEMA bookshop;
  SET search_path = bookshop;
  CREATE TABLE customers (id int PRIMARY KEY, name text);
  INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 10) g;
  CREATE TABLE audit_log (customer_id int REFERENCES customers, action text, tags text[]);
  INSERT INTO audit_log VALUES (1, 'login', '{a,b}'), (1, 'login', '{a,b}'), (1, 'login', '{a,b}'), (2, 'logout', NULL),
    (NULL, NULL, NULL), (NULL, NULL, NULL), (3, 'tag', '{x,NULL}');
  CREATE TABLE payments (id int, customer_id int NOT NULL, paid date, amount numeric(10,2), PRIMARY KEY (id, paid)) PARTITION BY RANGE (paid);
  CREATE TABLE payments_2022 PARTITION OF payments FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
  CREATE TABLE payments_2023 PARTITION OF payments FOR VALUES FROM ('2023-01-01') TO ('2024-01-01') PARTITION BY RANGE (paid);
  CREATE TABLE payments_2023a PARTITION OF payments_2023 FOR VALUES FROM ('2023-01-01') TO ('2023-07-01');
  CREATE TABLE payments_2023b PARTITION OF payments_2023 FOR VALUES FROM ('2023-07-01') TO ('2024-01-01');
  CREATE TABLE payments_2024 PARTITION OF payments FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  ALTER TABLE payments_2022 ADD CONSTRAINT payments_2022_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers;
  ALTER TABLE payments_2023 ADD CONSTRAINT payments_2023_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers;
  INSERT INTO payments SELECT g, g % 10 + 1, date '2022-01-01' + g * 3, g * 1.25 FROM generate_series(1, 300) g;
  CREATE TABLE readings (id int PRIMARY KEY, grid int4[], opens time, slots time[], due date, samples float8[]);
  INSERT INTO readings VALUES (1, '{{1,2},{3,4}}', '24:00', '{24:00,10:00}', 'infinity', '{1.5,NULL}'),
    (2, '{1,2}', '10:00', '{10:00}', '2020-02-29', '{2.5}'), (3, NULL, NULL, NULL, '-infinity', '{}');
`;
const SOURCE_ROWS: Record<string, number> = {
  'bookshop.customers': 10,
  'bookshop.audit_log': 7,
  'bookshop.payments': 300,
  'bookshop.readings': 3,
};

/** Every node entry's count check: the graph holds exactly as many nodes as the source has rows. */
function assertCounts(report: VerificationReport): void {
  assert.equal(report.ok, true, JSON.stringify(report.entries.filter((e) => !e.ok)));
  for (const [entry, rows] of Object.entries(SOURCE_ROWS)) {
    const reported = report.entries.find((e) => e.entry === entry);
    assert.ok(reported, `verification covers ${entry}`);
    const count = reported.checks.find((c) => c.check === 'count');
    assert.deepEqual([reported.sourceRows, count?.expected, count?.found], [rows, rows, rows], entry);
  }
}

describe(`a schema of traps, migrated whole (command line, and example flow 1 in Node-RED ${nodeRedMajor()})`, function () {
  this.timeout(240_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let plan: GraphPlan;
  let cliGraph: Awaited<ReturnType<typeof graphCounts>>;

  before(async () => {
    db = await createScratchDatabase('traps');
    await db.query(TRAPS);
    driver = testDriver();
    await clearGraph(driver);
    const neo = neo4jSettings();
    env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-traps-'));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    // its constraints would stand in the way of later suites on a shared Neo4j
    if (driver) await clearGraph(driver);
    await driver?.close();
    await db?.drop();
  });

  it('pg2graph plan + migrate + verify: no abort, no reject, every row a node, one relationship type per foreign key', async () => {
    const made = await pg2graph(['plan', '--schema', 'bookshop'], env);
    assert.equal(made.code, 0, made.stderr);
    plan = JSON.parse(made.stdout) as GraphPlan;
    const planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(planFile, made.stdout);
    assert.deepEqual(
      plan.relationships.filter((r) => r.source.table.name === 'payments').map((r) => r.type),
      ['CUSTOMER'],
      'the partitions’ foreign keys fold into one relationship type',
    );

    // the probe chose policies that hold every value, and said so
    const policy = (table: string, column: string) => {
      const entry = plan.nodes.find((n) => n.id === `bookshop.${table}`);
      const p = entry?.properties.find((x) => x.column === column);
      return { as: p?.as, nullElements: p?.nullElements, multiDimensional: p?.multiDimensional };
    };
    assert.equal(policy('audit_log', 'tags').nullElements, 'json');
    assert.equal(policy('readings', 'grid').multiDimensional, 'json');
    assert.equal(policy('readings', 'opens').as, 'string');
    assert.equal(policy('readings', 'slots').as, 'string');
    assert.equal(policy('readings', 'samples').nullElements, 'json');
    assert.match(made.stderr, /readings/);

    const run = await pg2graph(['migrate', '--plan', planFile, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.read.rejected, 0);
    assert.equal(summary.written.missingEnds, 0);

    const verified = await pg2graph(['verify', '--plan', planFile, '--json'], env);
    assert.equal(verified.code, 0, verified.stdout);
    assertCounts(JSON.parse(verified.stdout) as VerificationReport);
    cliGraph = await graphCounts(driver);
    assert.equal(
      cliGraph.relationships.CUSTOMER,
      300 + 5,
      'every payment (of every partition) and every audit row with a customer, identical ones each from its own node',
    );
  });

  describe('example flow 1, unchanged', () => {
    let runtime: Runtime | undefined;
    let socket: { close(): void } | undefined;
    const debugs = new DebugLog(() => runtime);

    before(async () => {
      const neo = neo4jSettings();
      runtime = await startNodeRed({
        major: nodeRedMajor(),
        settings: { debugMaxLength: 200_000 },
        env: { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password },
      });
      socket = await comms.watchRuntime(runtime.url, { onDebug: (d) => debugs.add(d) });
    });
    after(async () => {
      socket?.close();
      await runtime?.stop();
    });

    it('migrates it into the same graph, rejects nothing, and its verification passes', async () => {
      await clearGraph(driver);
      const flow = example('1 Migrate the sample database');
      await comms.deployFlow(runtime!.url, flow);
      const report = debugs.next(byName(flow, 'verification report').id);
      await comms.clickInject(runtime!.url, byName(flow, 'start migration').id);
      assertCounts(JSON.parse(await report) as VerificationReport);
      const rejectedId = byName(flow, 'rejected rows').id;
      const errorsId = byName(flow, 'errors').id;
      assert.deepEqual(
        debugs.messages.filter((d) => d.id === rejectedId || d.id === errorsId),
        [],
        'no rejected row and no error',
      );
      assert.deepEqual(await graphCounts(driver), cliGraph);
    });
  });
});
