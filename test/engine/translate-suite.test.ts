/**
 * Query suites of real-world-style SQL exercises (test/fixtures/suites) over two fixture databases of the shape
 * of common public samples (membership/booking, orders/products), each migrated into the real Neo4j, run with
 * the check on both sides: no query may answer differently, every equal answer has rows (or is meant to have
 * none), every refusal names its construct. The shares are printed. Then index advice on the migrated graph.
 */
import assert from 'assert/strict';
import fs from 'fs';
import type { Driver } from 'neo4j-driver';
import { clearGraph, neo4jSettings, testDriver } from '../support/databases';
import { createFixtureDatabase, type FixtureDatabase, type SuiteFixture } from '../support/suite-fixtures';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { migrate } from '../../dist/engine/migrate/migrate';
import {
  createIndexStatement,
  explainCypher,
  indexedProperties,
  parseSuite,
  runSuite,
  translateSql,
  unindexed,
  type SuiteReport,
} from '../../dist/engine/translate';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The suite's own claims about its answers, checked on a report. */
function assertSound(report: SuiteReport): void {
  const wrong = report.results.filter((r) => r.status === 'different');
  assert.equal(
    report.totals.different,
    0,
    `no query answers differently: ${wrong.map((r) => `#${r.index} ${r.name}: ${r.differences?.join('; ')}`).join(' | ')}`,
  );
  const unchecked = report.results.filter((r) => r.status === 'failed' || r.status === 'invalid' || r.status === 'translated');
  assert.deepEqual(
    unchecked.map((r) => `#${r.index} ${r.name}: ${r.status} ${r.message ?? ''}`),
    [],
    'every query is checked or refused',
  );
  for (const r of report.results) {
    if (r.status === 'equal') {
      if (r.expectEmpty) assert.equal(r.sourceRows, 0, `#${r.index} ${r.name} is meant to return no rows`);
      else assert.ok((r.sourceRows ?? 0) > 0, `#${r.index} ${r.name} returns rows (an empty answer proves little)`);
      assert.equal(r.graphRows, r.sourceRows);
    }
    if (r.status === 'refused') {
      assert.ok(r.construct && r.construct !== 'undefined', `#${r.index} ${r.name} names the construct it refuses`);
      assert.equal(r.code, 'TRANSLATE_UNSUPPORTED');
      assert.ok(r.message?.startsWith(`Cannot translate ${r.construct}`), r.message);
    }
  }
  assert.equal(report.totals.equal + report.totals.refused, report.totals.queries);
}

function printShares(fixture: string, report: SuiteReport): void {
  const { queries, equal, refused, different, shares } = report.totals;
  console.log(
    `      ${fixture}: ${queries} queries: translated with parity ${equal} (${percent(shares.parity)}), refused ${refused} (${percent(shares.refused)}), ` +
      `wrong ${different} (${percent(shares.wrong)})`,
  );
  console.log(`      refused constructs: ${report.refusedConstructs.map((c) => `${c.construct} ×${c.count}`).join(', ')}`);
}

/** Loads the fixture and migrates it into the emptied graph with the real engine. */
async function migrated(fixture: SuiteFixture, driver: Driver): Promise<FixtureDatabase> {
  const db = await createFixtureDatabase(fixture);
  await clearGraph(driver);
  const source = db.connection();
  const target = new Neo4jConnection(neo4jSettings());
  try {
    await migrate(source, target, { plan: db.plan });
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
  return db;
}

for (const fixture of ['membership', 'orders'] as const) {
  describe(`translate: the ${fixture} query suite on the migrated fixture`, function () {
    this.timeout(300_000);
    let db: FixtureDatabase;
    let driver: Driver;

    before(async () => {
      driver = testDriver();
      db = await migrated(fixture, driver);
    });
    after(async () => {
      await db?.drop();
      await driver?.close();
    });

    it('every query is equal on both sides or refused by name; none answers differently', async () => {
      const entries = parseSuite(fs.readFileSync(db.suiteFile, 'utf8'), db.suiteFile);
      assert.ok(entries.length >= (fixture === 'membership' ? 50 : 25), `the suite has its queries (${entries.length})`);
      const source = db.connection();
      const graph = new Neo4jConnection(neo4jSettings());
      try {
        const report = await runSuite(entries, db.plan, { check: { source, graph } });
        printShares(fixture, report);
        assertSound(report);
        // what the translator covers today on this suite: a floor, so a regression shows
        assert.ok(report.totals.equal >= (fixture === 'membership' ? 30 : 22), `translated with parity: ${report.totals.equal}`);
      } finally {
        await Promise.all([source.close(), graph.close()]);
      }
    });

    if (fixture !== 'membership') return;

    it('an approximate column the SQL does not return fails its check, naming the column', async () => {
      const source = db.connection();
      const graph = new Neo4jConnection(neo4jSettings());
      try {
        const report = await runSuite([{ name: 'avg', sql: 'SELECT avg(slots) AS a FROM cd.bookings', approximate: ['average'] }], db.plan, {
          check: { source, graph },
        });
        assert.equal(report.results[0].status, 'failed');
        assert.match(report.results[0].message ?? '', /approximate column "average" is not a column of the SQL's result \(a\)/);
        assert.equal(report.totals.failed, 1);
        assert.equal(report.totals.shares.wrong, 0);
      } finally {
        await Promise.all([source.close(), graph.close()]);
      }
    });

    it('index advice: the filtered properties without an index, covered once the advised index exists; EXPLAIN shows it used', async () => {
      const sql = "SELECT memid, firstname FROM cd.members WHERE surname = 'Moreau' AND memid > 0 ORDER BY zipcode";
      const translation = await translateSql(sql, db.plan);
      assert.deepEqual(translation.filters, [
        { label: 'Member', property: 'surname', clause: 'where' },
        { label: 'Member', property: 'memid', clause: 'where' },
        { label: 'Member', property: 'zipcode', clause: 'order' },
      ]);
      const graph = new Neo4jConnection(neo4jSettings());
      try {
        const before = await indexedProperties(graph);
        assert.ok(
          before.some((i) => i.label === 'Member' && i.property === 'memid'),
          'the key is covered by the migration uniqueness constraint',
        );
        const missing = unindexed(translation.filters, before);
        assert.deepEqual(missing, [
          { label: 'Member', property: 'surname' },
          { label: 'Member', property: 'zipcode' },
        ]);
        assert.equal(createIndexStatement(missing[0]), 'CREATE INDEX IF NOT EXISTS FOR (n:`Member`) ON (n.`surname`)');
        assert.equal(createIndexStatement({ label: 'a`b', property: 'c d' }), 'CREATE INDEX IF NOT EXISTS FOR (n:`a``b`) ON (n.`c d`)');
        const scan = await explainCypher(graph, translation.cypher, translation.parameters);
        assert.equal(scan[0].operator, 'ProduceResults');
        const session = driver.session();
        try {
          await session.run(createIndexStatement(missing[0]));
          await session.run(createIndexStatement(missing[0])); // IF NOT EXISTS: running it again is harmless
          await session.run('CALL db.awaitIndexes(60)');
        } finally {
          await session.close();
        }
        assert.deepEqual(unindexed(translation.filters, await indexedProperties(graph)), [{ label: 'Member', property: 'zipcode' }]);
        const bySurname = await translateSql("SELECT memid FROM cd.members WHERE surname = 'Moreau'", db.plan);
        const seek = await explainCypher(graph, bySurname.cypher, bySurname.parameters);
        assert.ok(
          seek.some((op) => /NodeIndexSeek/.test(op.operator) && /surname/.test(op.details ?? '')),
          `the plan seeks the new index: ${seek.map((op) => op.operator).join(', ')}`,
        );
      } finally {
        await graph.close();
      }
    });
  });
}

describe('translate: suite files that are bad input', () => {
  const bad: Array<{ text: string; mentions: RegExp }> = [
    { text: '{ "sql": "SELECT 1" }', mentions: /must be a JSON array/ },
    { text: '[{ "sql": "SELECT 1" },', mentions: /is not JSON/ },
    { text: '[{ "sql": "SELECT 1" }, "SELECT 2"]', mentions: /entry 1: must be an object/ },
    { text: '[{ "name": "first", "sql": "SELECT 1" }, { "name": "second" }]', mentions: /entry 1 \("second"\): field "sql" must be a non-empty string/ },
    { text: '[{ "sql": "  " }]', mentions: /entry 0: field "sql"/ },
    { text: '[{ "sql": "SELECT $1", "params": 7 }]', mentions: /entry 0: field "params" must be an array/ },
    { text: '[{ "sql": "SELECT 1", "name": 3 }]', mentions: /entry 0: field "name"/ },
    { text: '[{ "sql": "SELECT 1", "expectEmpty": "yes" }]', mentions: /entry 0: field "expectEmpty" must be true or false/ },
    { text: '[{ "sql": "SELECT 1", "approximate": "avg" }]', mentions: /entry 0: field "approximate" must be an array of output column names/ },
    { text: '[{ "name": "typo", "sql": "SELECT 1", "param": [1] }]', mentions: /entry 0 \("typo"\): has the unknown field "param"/ },
  ];
  for (const { text, mentions } of bad) {
    it(`refuses ${text}`, () => {
      assert.throws(
        () => parseSuite(text, 'suite.json'),
        (error: Error & { code?: string; details?: Record<string, unknown> }) => {
          assert.equal(error.code, 'TRANSLATE_INPUT_INVALID');
          assert.match(error.message, /^Query suite suite\.json/);
          assert.match(error.message, mentions);
          return true;
        },
      );
    });
  }
  it('names the entry and the field in the details', () => {
    assert.throws(
      () => parseSuite('[{ "sql": "SELECT 1" }, { "sql": 5 }]', 's.json'),
      (error: { details?: Record<string, unknown> }) => {
        assert.deepEqual(error.details, { file: 's.json', entry: 1, field: 'sql' });
        return true;
      },
    );
  });
});
