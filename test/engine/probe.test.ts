/**
 * The probe (engine/probe) against the real Postgres: every kind of value a rule cannot hold is found with its
 * count and an example key, only candidate columns cost a query, an entry's where is respected, the lossless
 * policies make the plan clean, a slow table is "not probed" (a warning), and PlanRun's preflight refuses a run
 * before sending anything. Also the predicate builders on their own.
 */
import assert from 'assert/strict';
import { PostgresConnection } from '../../dist/engine/connect/postgres-connection';
import { Pg2GraphError } from '../../dist/engine/core/errors';
import { PlanRun } from '../../dist/engine/read/plan-run';
import { ReadSnapshot } from '../../dist/engine/read/snapshot';
import { probeDatabase } from '../../dist/engine/read';
import { buildPlan } from '../../dist/engine/plan/build';
import { assertValidPlan } from '../../dist/engine/plan/validate';
import { introspectDatabase } from '../../dist/engine/schema';
import type { GraphPlan } from '../../dist/engine/plan/types';
import type { SchemaModel } from '../../dist/engine/schema/model';
import type { RunControl } from '../../dist/engine/core';
import { applyProbe, mergeKeeps, problemRows, probePlan, unrepresentableError, valueChecks, type ValueProblem } from '../../dist/engine/probe';
import type { ScratchDatabase } from '../support/databases';
import { trapsDatabase } from '../support/value-traps';

/** "entry/column/kind=count@example" per problem, sorted: what the probe found, in one comparable list. */
function found(problems: ValueProblem[]): string[] {
  return problems.map((p) => `${p.entry}/${p.column}/${p.problem}=${p.count}@${p.example}`).sort();
}

const DEFAULT_PROBLEMS = [
  'public.loose/tags/nullElements=1@("{x,NULL}")',
  'public.traps/grid/multiDimensional=1@["2"]',
  'public.traps/opens/time24=1@["2"]',
  'public.traps/opens_tz/time24=1@["2"]',
  'public.traps/slots/time24=1@["2"]',
  'public.traps/stamps/infiniteElement=2@["2"]',
  'public.traps/tags/nullElements=2@["2"]',
];

describe('probing the data for values the rules cannot hold', function () {
  this.timeout(60_000);
  let db: ScratchDatabase;
  let connection: PostgresConnection;
  let model: SchemaModel;
  /** The default plan of the public tables (no view). */
  let plan: GraphPlan;
  /** With numeric as integer and infinity "error" for dates. */
  let strict: GraphPlan;

  before(async () => {
    db = await trapsDatabase('probe');
    connection = new PostgresConnection({ ...db.settings, applicationName: 'pg2graph-probe-test' });
    model = await introspectDatabase(connection, { schemas: ['public'] });
    plan = assertValidPlan(buildPlan(model, {}).plan, model);
    strict = assertValidPlan(buildPlan(model, { typePolicies: { numeric: { as: 'integer' }, date: { infinity: 'error' } } }).plan, model);
  });
  after(async () => {
    await connection?.close();
    await db?.drop();
  });

  it('finds every kind in the default plan, with counts and an example key, one query per table with candidates', async () => {
    const result = await probeDatabase(connection, plan);
    assert.deepEqual(found(result.problems), DEFAULT_PROBLEMS);
    // traps and loose have candidate columns; codes, uses and plain have none and cost nothing
    assert.equal(result.queries, 2);
    assert.deepEqual(result.notProbed, []);
    const tags = result.problems.find((p) => p.entry === 'public.traps' && p.column === 'tags') as ValueProblem;
    assert.equal(tags.path, `nodes[${plan.nodes.findIndex((n) => n.id === 'public.traps')}].properties[1]`);
    assert.equal(tags.value, '{a,NULL}');
    assert.equal(tags.rule, 'list<string>');
    assert.deepEqual(tags.policy, { nullElements: 'error', multiDimensional: 'error' });
    assert.deepEqual(tags.keep, { nullElements: 'json' });
    assert.equal(tags.exampleIs, 'key');
    const loose = result.problems.find((p) => p.entry === 'public.loose') as ValueProblem;
    assert.equal(loose.exampleIs, 'row');
    const keeps = Object.fromEntries(result.problems.map((p) => [`${p.entry}/${p.column}`, p.keep]));
    assert.deepEqual(keeps, {
      'public.loose/tags': { nullElements: 'json' },
      'public.traps/grid': { multiDimensional: 'json' },
      'public.traps/opens': { as: 'string' },
      'public.traps/opens_tz': { as: 'string' },
      'public.traps/slots': { as: 'string' },
      'public.traps/stamps': { as: 'string' },
      'public.traps/tags': { nullElements: 'json' },
    });
  });

  it('finds infinite dates under "error" and numerics that are no 64-bit integer, also in match columns', async () => {
    const result = await probeDatabase(connection, strict);
    assert.deepEqual(
      found(result.problems),
      [
        ...DEFAULT_PROBLEMS,
        'public.codes/code/fraction=1@["2.5"]',
        'public.traps/amount/fraction=1@["2"]',
        'public.traps/amount/notANumber=1@["3"]',
        'public.traps/amount/outOfRange=1@["4"]',
        'public.traps/due/infinity=2@["2"]',
        'public.uses.uses_code_fkey/code/fraction=1@{"from":["2"],"to":["2.5"]}',
        'public.uses/code/fraction=1@["2"]',
      ].sort(),
    );
    assert.equal(result.queries, 4, 'traps, codes, uses (its node and relationship entry in one query), loose');
    const match = result.problems.find((p) => p.kind === 'relationship') as ValueProblem;
    const codes = strict.nodes.findIndex((n) => n.id === 'public.codes');
    const rel = strict.relationships.findIndex((r) => r.id === match.entry);
    // a match column is converted with the end node's key property: that is where the policy goes
    assert.equal(match.path, `nodes[${codes}].properties[0]`);
    assert.equal(match.matchPath, `relationships[${rel}].to.match.code`);
    assert.deepEqual(result.problems.find((p) => p.column === 'due')?.keep, { infinity: 'string' });
    assert.equal(result.problems.find((p) => p.problem === 'outOfRange')?.value, '73786976294838206464');
  });

  it("respects an entry's where", async () => {
    const filtered = structuredClone(strict);
    const traps = filtered.nodes.find((n) => n.id === 'public.traps')!;
    traps.where = 'id > 3';
    const result = await probeDatabase(connection, filtered, { entries: ['public.traps'] });
    assert.deepEqual(found(result.problems), ['public.traps/amount/outOfRange=1@["4"]']);
  });

  it('probes SQL entries through their query', async () => {
    const sqlPlan: GraphPlan = {
      version: 1,
      source: { schemas: ['public'] },
      options: { batchSize: 10, writeMode: 'merge' },
      nodes: [
        {
          id: 'late',
          sql: 'SELECT id, opens FROM traps WHERE id < 4;',
          label: 'Late',
          key: ['id'],
          keySource: 'declared',
          properties: [
            { column: 'id', name: 'id', pgType: 'int4', as: 'integer' },
            { column: 'opens', name: 'opens', pgType: 'time', as: 'localTime' },
          ],
          warnings: [],
        },
      ],
      relationships: [],
    };
    const result = await probeDatabase(connection, sqlPlan);
    assert.deepEqual(found(result.problems), ['late/opens/time24=1@["2"]']);
    assert.equal(result.problems[0].source, 'SQL query');
  });

  it('the policies it chooses hold every value: the adjusted plan is valid and probes clean', async () => {
    const result = await probeDatabase(connection, strict);
    const { plan: adjusted, changes } = applyProbe(strict, result);
    const valid = assertValidPlan(adjusted, model);
    const traps = valid.nodes.find((n) => n.id === 'public.traps')!;
    const property = (column: string) => traps.properties.find((p) => p.column === column)!;
    assert.deepEqual(
      { ...property('tags') },
      { column: 'tags', name: 'tags', pgType: 'text[]', as: 'list<string>', nullElements: 'json', multiDimensional: 'error' },
    );
    assert.equal(property('grid').multiDimensional, 'json');
    assert.equal(property('opens').as, 'string');
    assert.equal(property('slots').as, 'string');
    assert.equal(property('slots').nullElements, undefined, 'a list policy goes with the list rule');
    assert.equal(property('due').infinity, 'string');
    assert.equal(property('amount').as, 'string');
    assert.equal(changes.length, 11);
    const warning = traps.warnings.find((w) => w.startsWith('column "tags"'));
    assert.equal(
      warning,
      'column "tags" (text[]): probing the data found values rule "list<string>" cannot hold (2 rows of table public.traps, column "tags": ' +
        'array with NULL elements (nullElements policy is "error"), e.g. key ["2"] holding "{a,NULL}"); the plan keeps them with ' +
        '{"nullElements":"json"} (pg2graph plan --no-probe keeps the defaults)',
    );
    assert.ok(
      valid.nodes.find((n) => n.id === 'public.codes')!.warnings.some((w) => w.includes('public.uses')),
      'the match problem is named on the key',
    );
    assert.equal(strict.nodes.find((n) => n.id === 'public.traps')!.properties[1].nullElements, 'error', 'the given plan is not changed');
    const again = await probeDatabase(connection, valid);
    assert.deepEqual(again.problems, []);
  });

  it('a table whose query takes longer than probeTimeoutMs is not probed: a warning, not an error', async () => {
    const withView = assertValidPlan(buildPlan(model, { include: ['public.traps', 'public.slow_traps'] }).plan, model);
    const result = await probeDatabase(connection, withView, { timeoutMs: 100 });
    assert.deepEqual(
      result.notProbed.map((n) => [n.source, n.entries, n.timedOut, n.reason]),
      [['table public.slow_traps', ['public.slow_traps'], true, 'it did not finish within 100 ms (probeTimeoutMs)']],
    );
    // the other table was probed in the same transaction, before and after
    assert.ok(result.problems.some((p) => p.entry === 'public.traps'));
    const applied = applyProbe(withView, result);
    assert.ok(applied.plan.warnings?.some((w) => w.startsWith('table public.slow_traps (entries "public.slow_traps") was not probed')));
    // with no limit the view is probed: its content key names the row by its text
    const unlimited = await probeDatabase(connection, withView, { timeoutMs: 0, entries: ['public.slow_traps'] });
    assert.deepEqual(found(unlimited.problems), ['public.slow_traps/tags/nullElements=2@(2,"{a,NULL}")']);
  });

  it('bad probeTimeoutMs: a clear error naming the setting', async () => {
    const snapshot = await ReadSnapshot.open(connection);
    try {
      for (const bad of [-1, Number.NaN, 1.5, '10 s']) {
        await assert.rejects(
          probePlan(snapshot, plan, { timeoutMs: bad as number }),
          (error: Pg2GraphError) =>
            error.code === 'PROBE_SETTING_INVALID' && /^"probeTimeoutMs" must be an integer from 0 to 86,400,000, got /.test(error.message),
        );
      }
    } finally {
      await snapshot.close();
    }
    assert.throws(
      () => new PlanRun(connection, { plan, probeTimeoutMs: -5 }),
      (error: Pg2GraphError) => error.code === 'PROBE_SETTING_INVALID' && error.message === '"probeTimeoutMs" must be an integer from 0 to 86,400,000, got -5',
    );
  });

  it('lists the rows of an entry with such values, in key order, with their columns', async () => {
    const snapshot = await ReadSnapshot.open(connection);
    try {
      const traps = plan.nodes.find((n) => n.id === 'public.traps')!;
      const rows = await problemRows(snapshot, plan, traps, { limit: 5 });
      assert.equal(rows.count, 2);
      assert.deepEqual(
        rows.rows.map((r) => [r.example, r.columns]),
        [
          ['["2"]', ['tags', 'grid', 'opens', 'opens_tz', 'slots', 'stamps']],
          ['["3"]', ['tags', 'stamps']],
        ],
      );
      const plain = plan.nodes.find((n) => n.id === 'public.plain')!;
      assert.deepEqual((await problemRows(snapshot, plan, plain, { limit: 5 })).count, 0);
    } finally {
      await snapshot.close();
    }
  });

  describe("PlanRun's preflight", () => {
    it('refuses the run before anything is sent, listing every problem and the policy that keeps it', async () => {
      const sent: string[] = [];
      let prepared = false;
      const run = new PlanRun(connection, {
        plan: strict,
        beforeRun: async () => {
          prepared = true;
        },
      });
      const error = (await run.start({ batch: (b) => sent.push(`batch ${b.entry.id}`), control: (c: RunControl) => sent.push(c.kind) }).then(
        () => undefined,
        (e: unknown) => e,
      )) as Pg2GraphError;
      assert.equal(error?.code, 'PLAN_VALUES_UNREPRESENTABLE', String(error));
      assert.deepEqual(sent, [], 'no batch, no runStart');
      assert.equal(prepared, false, 'the target is not prepared');
      const problems = error.details.problems as ValueProblem[];
      assert.equal(problems.length, 14);
      assert.match(error.message, /^the data holds values the plan's rules cannot hold \(14 problems in 12 columns\); nothing was read or written\./);
      for (const p of problems) {
        assert.ok(error.message.includes(`entry "${p.entry}"`) && error.message.includes(`column "${p.column}"`), `${p.entry}/${p.column} named`);
      }
      assert.ok(
        error.message.includes(
          `\n  - ${problems.find((p) => p.column === 'amount' && p.problem === 'fraction')!.path}, entry "public.traps": 1 row of table public.traps, ` +
            'column "amount": numeric with a fraction cannot be an Integer, e.g. key ["2"] holding "1.5"; keep them with {"as":"string"}',
        ),
        error.message,
      );
      assert.match(
        error.message,
        /relationships\[\d+\]\.to\.match\.code \(converted by nodes\[\d+\]\.properties\[0\]\), entry "public\.uses\.uses_code_fkey": .*; keep them with \{"as":"string"\} at nodes\[\d+\]\.properties\[0\]/,
      );
    });

    it('probes only the entries the run reads; preflight: false reads every row as before', async () => {
      const clean = await new PlanRun(connection, { plan: strict, entries: ['public.plain', 'public.loose'], preflight: true })
        .start(() => undefined)
        .catch((e: Pg2GraphError) => e);
      assert.equal((clean as Pg2GraphError).code, 'PLAN_VALUES_UNREPRESENTABLE');
      assert.deepEqual(
        ((clean as Pg2GraphError).details.problems as ValueProblem[]).map((p) => p.entry),
        ['public.loose'],
      );
      const run = new PlanRun(connection, { plan: strict, entries: ['public.traps'], preflight: false });
      const rows: number[] = [];
      const result = await run.start((b) => {
        rows.push(b.rows.rows.length);
        setImmediate(() => run.acknowledge({ run: run.id, seq: b.rows.batch.seq, ok: true }));
      });
      assert.equal(result.rows, 5);
      assert.equal(result.preflight, undefined);
      const probed = new PlanRun(connection, { plan: strict, entries: ['public.plain'] });
      const ok = await probed.start((b) => setImmediate(() => probed.acknowledge({ run: probed.id, seq: b.rows.batch.seq, ok: true })));
      assert.deepEqual(ok.preflight && { queries: ok.preflight.queries, notProbed: ok.preflight.notProbed }, { queries: 0, notProbed: [] });
    });

    it('a slow table is a warning and the run goes on', async () => {
      const withView = assertValidPlan(buildPlan(model, { include: ['public.plain', 'public.slow_traps'] }).plan, model);
      const warnings: string[] = [];
      const run = new PlanRun(connection, { plan: withView, entries: ['public.slow_traps'], probeTimeoutMs: 50, onWarning: (w) => warnings.push(w) });
      const result = await run.start((b) => setImmediate(() => run.acknowledge({ run: run.id, seq: b.rows.batch.seq, ok: true })));
      assert.equal(result.rows, 5);
      assert.deepEqual(warnings, [
        'preflight: table public.slow_traps (entries "public.slow_traps") was not probed for values its rules cannot hold: it did not finish within 50 ms (probeTimeoutMs); its rows are checked as they are read',
      ]);
    });
  });

  describe('the predicate builders', () => {
    const kinds = (spec: Parameters<typeof valueChecks>[0]) => valueChecks(spec, 't."c"').map((c) => c.kind);

    it('only rules that can refuse a real value have checks', () => {
      assert.deepEqual(kinds({ pgType: 'int8', as: 'integer' }), []);
      assert.deepEqual(kinds({ pgType: 'text', as: 'string' }), []);
      assert.deepEqual(kinds({ pgType: 'numeric(12,2)', as: 'string' }), []);
      assert.deepEqual(kinds({ pgType: 'numeric(12,2)', as: 'float' }), []);
      assert.deepEqual(kinds({ pgType: 'date', as: 'date' }), [], 'infinity "string" by default');
      assert.deepEqual(kinds({ pgType: 'date', as: 'date', infinity: 'null' }), []);
      assert.deepEqual(kinds({ pgType: 'text[]', as: 'string' }), [], 'the literal text holds any array');
      assert.deepEqual(kinds({ pgType: 'int4[]', as: 'list<integer>', nullElements: 'drop', multiDimensional: 'json' }), []);
    });

    it('mirror the converter: rule, element type and policies decide', () => {
      assert.deepEqual(kinds({ pgType: 'numeric', as: 'integer' }), ['notANumber', 'fraction', 'outOfRange']);
      assert.deepEqual(kinds({ pgType: 'timestamptz', as: 'dateTime', infinity: 'error' }), ['infinity']);
      assert.deepEqual(kinds({ pgType: 'interval', as: 'duration', infinity: 'error' }), ['infinity']);
      assert.deepEqual(kinds({ pgType: 'time', as: 'localTime' }), ['time24']);
      assert.deepEqual(kinds({ pgType: 'timetz', as: 'time' }), ['time24']);
      assert.deepEqual(kinds({ pgType: 'text[]', as: 'list<string>' }), ['multiDimensional', 'nullElements']);
      assert.deepEqual(kinds({ pgType: 'numeric[]', as: 'list<integer>', nullElements: 'json', multiDimensional: 'drop' }), [
        'notANumber',
        'fraction',
        'outOfRange',
      ]);
      assert.deepEqual(kinds({ pgType: 'date[]', as: 'list<date>', nullElements: 'drop' }), ['multiDimensional', 'infiniteElement']);
      assert.deepEqual(kinds({ pgType: 'date[]', as: 'list<date>', infinity: 'null', nullElements: 'drop', multiDimensional: 'drop' }), []);
    });

    it('elements are checked only where the converter reaches them', () => {
      const [element] = valueChecks({ pgType: 'time[]', as: 'list<localTime>', multiDimensional: 'json', nullElements: 'json' }, 't."c"');
      assert.equal(element.kind, 'time24');
      // not for multi-dimensional arrays (JSON text) nor arrays with NULL elements (JSON text under "json")
      assert.match(element.predicate, /^\(coalesce\(pg_catalog\.array_ndims\(t\."c"\), 0\) <= 1 AND NOT EXISTS .* IS NULL\) AND EXISTS .*LIKE '24:%'\)\)$/);
      const dropped = valueChecks({ pgType: 'time[]', as: 'list<localTime>', multiDimensional: 'json', nullElements: 'drop' }, 't."c"');
      assert.doesNotMatch(dropped[0].predicate, /IS NULL/);
    });

    it('one policy keeps several problems of a column', () => {
      assert.deepEqual(mergeKeeps([{ nullElements: 'json' }, { multiDimensional: 'json' }]), { nullElements: 'json', multiDimensional: 'json' });
      assert.deepEqual(mergeKeeps([{ nullElements: 'json' }, { as: 'string' }]), { as: 'string' });
    });

    it('the refusal names every problem', () => {
      const error = unrepresentableError([
        {
          entry: 'e',
          kind: 'node',
          source: 'table public.t',
          column: 'c',
          property: 'c',
          path: 'nodes[0].properties[0]',
          problem: 'time24',
          reason: 'time 24:00:00, which Neo4j time types cannot hold',
          count: 3,
          example: '["1"]',
          exampleIs: 'key',
          value: '24:00:00',
          rule: 'localTime',
          policy: {},
          keep: { as: 'string' },
        },
      ]);
      assert.equal(error.code, 'PLAN_VALUES_UNREPRESENTABLE');
      assert.match(
        error.message,
        /\(1 problem in 1 column\).*\n {2}- nodes\[0\]\.properties\[0\], entry "e": 3 rows of table public\.t, column "c": time 24:00:00, which Neo4j time types cannot hold, e\.g\. key \["1"\] holding "24:00:00"; keep them with \{"as":"string"\}$/s,
      );
    });
  });
});
