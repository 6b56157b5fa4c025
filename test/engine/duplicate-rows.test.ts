/**
 * Tables without a key, against the real Postgres and Neo4j: every row is one node (identical rows and all-NULL
 * rows too), relationships start at each row's own node, re-runs write the same keys, and verification fails
 * whenever a row has no node of its own or a node has no row (README, Mapping rules and Verification).
 */
import assert from 'assert/strict';
import type { Driver } from 'neo4j-driver';
import { clearGraph, createScratchDatabase, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { Neo4jConnection } from '../../dist/engine/connect/neo4j-connection';
import { introspectDatabase } from '../../dist/engine/schema/introspect-database';
import { generatePlan } from '../../dist/engine/plan/generate';
import { migrate } from '../../dist/engine/migrate/migrate';
import { verify } from '../../dist/engine/verify/verify';
import { formatReport, type CheckResult, type VerificationReport } from '../../dist/engine/verify/report';
import type { GraphPlan, NodeEntry } from '../../dist/engine/plan/types';

const LOG = 'public.event_log';
const LOG_ACCOUNT = 'public.event_log.event_log_account_id_fkey';

function checkOf(report: VerificationReport, entry: string, check: string): CheckResult {
  const result = report.entries.find((e) => e.entry === entry)?.checks.find((c) => c.check === check);
  assert.ok(result, `entry ${entry} has a ${check} check`);
  return result;
}

function failing(report: VerificationReport): string[] {
  return report.entries.flatMap((e) => e.checks.filter((c) => !c.ok).map((c) => `${e.entry}/${c.check}`)).sort();
}

describe('tables without a key: every row is a node, and verification counts rows', function () {
  this.timeout(120_000);
  let db: ScratchDatabase;
  let source: PostgresConnection;
  let target: Neo4jConnection;
  let driver: Driver;
  let plan: GraphPlan;

  before(async () => {
    db = await createScratchDatabase('duprows');
    await db.query(`
      CREATE TABLE account (id int4 PRIMARY KEY, name text);
      INSERT INTO account VALUES (1, 'Ada'), (2, 'Bo');
      CREATE TABLE event_log (account_id int4 REFERENCES account (id), kind text, note text);
      INSERT INTO event_log VALUES
        (1, 'login', NULL), (1, 'login', NULL), (1, 'login', NULL),
        (2, 'login', NULL), (1, 'logout', 'bye'),
        (NULL, NULL, NULL), (NULL, NULL, NULL);
      CREATE TABLE tag (name text NOT NULL, color text);
      INSERT INTO tag VALUES ('x', 'red'), ('x', 'red'), ('y', 'red'), ('z', 'green'), ('z', 'green'), ('z', 'green');
    `);
    source = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-test-duprows' });
    target = new Neo4jConnection(neo4jSettings());
    driver = testDriver();
    plan = generatePlan(await introspectDatabase(source, { schemas: ['public'] }), { include: ['public.account', 'public.event_log'] });
  });
  after(async () => {
    if (driver) await clearGraph(driver).catch(() => undefined);
    await Promise.allSettled([source?.close(), target?.close(), driver?.close()]);
    await db?.drop();
  });
  beforeEach(() => clearGraph(driver));

  const run = (p: GraphPlan = plan) => migrate(source, target, { plan: p });
  const check = (p: GraphPlan = plan) => verify(source, target, { plan: p });

  /** Each row's content key computed by hand from Postgres' md5: "<md5>", then "<md5>:2", "<md5>:3" for identical rows. */
  async function expectedKeys(): Promise<Array<{ key: string; account: number | null }>> {
    const rows = (await db.query<{ h: string; a: number | null }>('SELECT md5(t::text) AS h, account_id AS a FROM event_log t')).rows;
    const seen = new Map<string, number>();
    return rows
      .map(({ h, a }) => {
        const n = (seen.get(h) ?? 0) + 1;
        seen.set(h, n);
        return { key: n === 1 ? h : `${h}:${n}`, account: a };
      })
      .sort((x, y) => x.key.localeCompare(y.key));
  }

  /** Every EventLog node: its key, and the account its one ACCOUNT relationship reaches (null: none). */
  async function graphLog(): Promise<Array<{ key: string; account: number | null; links: number }>> {
    const result = await driver.executeQuery(
      'MATCH (e:EventLog) OPTIONAL MATCH (e)-[r]->(a:Account) RETURN e.rowHash AS key, count(r) AS links, min(a.id) AS account ORDER BY key',
    );
    return result.records
      .map((r) => ({ key: r.get('key') as string, account: r.get('account') === null ? null : Number(r.get('account')), links: Number(r.get('links')) }))
      .sort((x, y) => x.key.localeCompare(y.key));
  }

  async function md5Of(text: string): Promise<string> {
    return (await db.query<{ h: string }>('SELECT md5($1::text) AS h', [text])).rows[0].h;
  }

  it('plans a content key, and warns that each identical row gets a number', () => {
    const log = plan.nodes.find((n) => n.id === LOG) as NodeEntry;
    assert.equal(log.keySource, 'rowContent');
    assert.deepEqual(log.key, ['rowHash']);
    assert.match(
      log.warnings[0],
      /the key is "rowHash", the md5 of the row's text, with ":2", ":3", \.\.\. for further identical rows \(every row is one node\)/,
    );
    const rel = plan.relationships.find((r) => r.id === LOG_ACCOUNT);
    assert.deepEqual(rel?.from, { node: LOG, match: { rowHash: '$rowHash' } });
  });

  it('makes every row a node (identical and all-NULL rows too), each linked from its own node; verify passes with exact counts', async () => {
    const result = await run();
    assert.equal(result.written.missingEnds, 0);
    const expected = await expectedKeys();
    assert.equal(expected.length, 7);
    const nodes = await graphLog();
    assert.deepEqual(
      nodes.map((n) => n.key),
      expected.map((e) => e.key),
    );
    const login = await md5Of('(1,login,)');
    const nothing = await md5Of('(,,)');
    assert.deepEqual(
      nodes.filter((n) => n.key.startsWith(login)).map((n) => n.key),
      [login, `${login}:2`, `${login}:3`],
    );
    assert.deepEqual(
      nodes.filter((n) => n.key.startsWith(nothing)).map((n) => [n.key, n.links]),
      [
        [nothing, 0],
        [`${nothing}:2`, 0],
      ],
    );
    // each row with an account has one relationship of its own, to its account
    assert.deepEqual(
      nodes.map((n) => [n.key, n.links, n.account]),
      expected.map((e) => [e.key, e.account === null ? 0 : 1, e.account]),
    );

    const report = await check();
    assert.equal(report.ok, true, formatReport(report));
    assert.deepEqual(checkOf(report, LOG, 'count'), { check: 'count', ok: true, expected: 7, found: 7, examples: [] });
    assert.deepEqual(checkOf(report, LOG, 'sourceDuplicates'), { check: 'sourceDuplicates', ok: true, expected: 0, found: 0, examples: [] });
    assert.equal(checkOf(report, LOG_ACCOUNT, 'count').expected, 5);
    assert.equal(checkOf(report, LOG_ACCOUNT, 'count').found, 5);
    assert.equal(checkOf(report, LOG, 'properties').found, 7);
  });

  it('re-runs write the same keys: twice more, nothing changes and verify still passes', async () => {
    await run();
    const first = await graphLog();
    for (let i = 0; i < 2; i++) {
      const again = await run();
      assert.equal(again.written.nodesCreated, 0, 'a re-run creates no node');
      assert.equal(again.written.relationshipsCreated, 0, 'a re-run creates no relationship');
      assert.deepEqual(await graphLog(), first);
    }
    assert.equal((await check()).ok, true);
  });

  it('fails verification when one of identical rows lost its node: count and the missing key', async () => {
    await run();
    const login = await md5Of('(1,login,)');
    await driver.executeQuery('MATCH (e:EventLog {rowHash: $key}) DETACH DELETE e', { key: `${login}:2` });
    const report = await check();
    assert.equal(report.ok, false);
    assert.deepEqual(failing(report), [`${LOG_ACCOUNT}/count`, `${LOG_ACCOUNT}/missing`, `${LOG}/count`, `${LOG}/missing`]);
    assert.deepEqual(checkOf(report, LOG, 'count'), { check: 'count', ok: false, expected: 7, found: 6, examples: [] });
    assert.deepEqual(checkOf(report, LOG, 'missing').examples, [{ key: { rowHash: `${login}:2` } }]);
    // the next run puts it back
    await run();
    assert.equal((await check()).ok, true);
  });

  it('names nodes whose key no row has, including malformed occurrence numbers', async () => {
    await run();
    const login = await md5Of('(1,login,)');
    const bogus = [`${login}:4`, `${login}:1`, `${login}:02`, `${login}:x`, 'not-a-hash'];
    await driver.executeQuery('UNWIND $keys AS k CREATE (:EventLog {rowHash: k})', { keys: bogus });
    const report = await check();
    assert.deepEqual(failing(report), [`${LOG}/count`, `${LOG}/unexpected`]);
    const unexpected = checkOf(report, LOG, 'unexpected');
    assert.equal(unexpected.found, 5);
    assert.deepEqual(unexpected.examples.map((e) => (e as { key: { rowHash: string } }).key.rowHash).sort(), [...bogus].sort());
  });

  it('after one of identical rows is deleted, a MERGE re-run leaves its node, and verification names it', async () => {
    await run();
    const login = await md5Of('(1,login,)');
    const nothing = await md5Of('(,,)');
    await db.query("DELETE FROM event_log WHERE ctid IN (SELECT ctid FROM event_log WHERE kind = 'login' AND account_id = 1 LIMIT 1)");
    await db.query('DELETE FROM event_log WHERE ctid IN (SELECT ctid FROM event_log WHERE account_id IS NULL LIMIT 1)');
    try {
      const result = await run();
      assert.equal(result.written.nodesCreated, 0);
      // MERGE removes nothing: the last numbers of each set of twins stay in the graph
      assert.equal((await graphLog()).length, 7);
      const report = await check();
      assert.equal(report.ok, false);
      assert.deepEqual(failing(report), [`${LOG_ACCOUNT}/count`, `${LOG_ACCOUNT}/unexpected`, `${LOG}/count`, `${LOG}/unexpected`]);
      assert.deepEqual(checkOf(report, LOG, 'count'), { check: 'count', ok: false, expected: 5, found: 7, examples: [] });
      const unexpected = checkOf(report, LOG, 'unexpected');
      assert.equal(unexpected.found, 2);
      assert.deepEqual(unexpected.examples.map((e) => (e as { key: { rowHash: string } }).key.rowHash).sort(), [`${login}:3`, `${nothing}:2`].sort());
      assert.deepEqual(checkOf(report, LOG_ACCOUNT, 'unexpected').examples, [{ from: { rowHash: `${login}:3` }, to: { id: 1 } }]);
      // deleting the nodes verification named makes the graph exact again
      await driver.executeQuery('UNWIND $keys AS k MATCH (e:EventLog {rowHash: k}) DETACH DELETE e', { keys: [`${login}:3`, `${nothing}:2`] });
      assert.equal((await check()).ok, true);
    } finally {
      await db.query("INSERT INTO event_log VALUES (1, 'login', NULL), (NULL, NULL, NULL)");
    }
  });

  it('fails verification when a key is shared by several source rows (a plan edited to a key that is not unique)', async () => {
    const generated = generatePlan(await introspectDatabase(source, { schemas: ['public'] }), { include: ['public.tag'] });
    const tag = generated.nodes[0];
    assert.equal(tag.keySource, 'rowContent');
    const edited: GraphPlan = { ...generated, nodes: [{ ...tag, key: ['name'], keySource: 'declared' }] };
    await run(edited);
    const report = await check(edited);
    assert.equal(report.ok, false);
    assert.deepEqual(failing(report), ['public.tag/count', 'public.tag/sourceDuplicates']);
    assert.deepEqual(checkOf(report, 'public.tag', 'count'), {
      check: 'count',
      ok: false,
      expected: 6,
      found: 3,
      examples: [],
      note: '6 rows, 3 distinct keys',
    });
    assert.deepEqual(checkOf(report, 'public.tag', 'sourceDuplicates'), {
      check: 'sourceDuplicates',
      ok: false,
      expected: 0,
      found: 3,
      examples: [
        { key: { name: 'x' }, count: 2 },
        { key: { name: 'z' }, count: 3 },
      ],
      note: 'keys held by more than one source row: found counts the rows beyond the first of each key',
    });
    assert.match(formatReport(report), /sourceDuplicates: expected 0, found 3 .*\n\s+- \{name: "x"\} \(2 times\)\n\s+- \{name: "z"\} \(3 times\)/);
    // the generated content key holds every row
    await clearGraph(driver);
    await run(generated);
    const fixed = await check(generated);
    assert.equal(fixed.ok, true, formatReport(fixed));
    assert.equal(checkOf(fixed, 'public.tag', 'count').found, 6);
  });
});
