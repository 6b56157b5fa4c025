/**
 * Values no rule can hold, through the command line against the real PostgreSQL and Neo4j: `pg2graph plan`
 * chooses lossless policies (and --no-probe keeps the defaults), `plan --check` lists what the data holds,
 * `migrate` refuses a plan that cannot hold its data before writing anything (no node, constraint or
 * checkpoint), the probed plan migrates whole, and `verify` names the rows a plan's rules cannot hold.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Driver } from 'neo4j-driver';
import { clearGraph, neo4jSettings, testDriver, type ScratchDatabase } from '../support/databases';
import { checkpoints } from '../support/graph-counts';
import { pg2graph } from '../support/cli';
import { trapsDatabase, TRAP_ROWS } from '../support/value-traps';
import { introspectUrl } from '../engine/schema-fixture';
import { generatePlan } from '../../dist/engine/plan/generate';
import type { GraphPlan, NodeEntry } from '../../dist/engine/plan/types';
import type { VerificationReport } from '../../dist/engine/verify/report';

const TRAPS = 'public.traps';

function entry(plan: GraphPlan, id: string): NodeEntry {
  return plan.nodes.find((n) => n.id === id) as NodeEntry;
}

function property(plan: GraphPlan, id: string, column: string) {
  return entry(plan, id).properties.find((p) => p.column === column)!;
}

describe('values no rule can hold (command line)', function () {
  this.timeout(180_000);
  let db: ScratchDatabase;
  let driver: Driver;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  /** `pg2graph plan` (probed), `plan --no-probe` (the defaults) and the defaults with amount as integer and due under infinity "error". */
  let probed: GraphPlan;
  let defaults: GraphPlan;
  const files = { probed: '', defaults: '', strict: '' };

  before(async () => {
    db = await trapsDatabase('cliprobe');
    driver = testDriver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-probe-'));
    const neo = neo4jSettings();
    env = { DATABASE_URL: db.url, NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password };
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
    await driver?.close();
  });

  describe('pg2graph plan', () => {
    it('probes the data and gives each column a policy that holds its values, with a warning naming table, column, count and key', async () => {
      const run = await pg2graph(['plan'], env);
      assert.equal(run.code, 0, run.stderr);
      probed = JSON.parse(run.stdout) as GraphPlan;
      files.probed = path.join(dir, 'probed.json');
      fs.writeFileSync(files.probed, run.stdout);
      assert.equal(property(probed, TRAPS, 'tags').nullElements, 'json');
      assert.equal(property(probed, TRAPS, 'grid').multiDimensional, 'json');
      assert.equal(property(probed, TRAPS, 'opens').as, 'string');
      assert.equal(property(probed, TRAPS, 'opens_tz').as, 'string');
      assert.equal(property(probed, TRAPS, 'slots').as, 'string');
      assert.equal(property(probed, TRAPS, 'stamps').as, 'string');
      assert.equal(property(probed, 'public.loose', 'tags').nullElements, 'json');
      assert.equal(property(probed, TRAPS, 'due').as, 'date', 'columns every value of which fits keep their rule');
      assert.equal(property(probed, TRAPS, 'amount').as, 'string');
      assert.ok(
        entry(probed, TRAPS).warnings.includes(
          'column "opens" (time): probing the data found values rule "localTime" cannot hold (1 row of table public.traps, column "opens": ' +
            'time 24:00:00, which Neo4j time types cannot hold, e.g. key ["2"] holding "24:00:00"); the plan keeps them with {"as":"string"} ' +
            '(pg2graph plan --no-probe keeps the defaults)',
        ),
        entry(probed, TRAPS).warnings.join('\n'),
      );
      assert.ok(entry(probed, 'public.loose').warnings.some((w) => w.includes('e.g. row ("{x,NULL}")')));
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('probe: '));
      assert.deepEqual(lines, [
        'probe: entry "public.loose", column "tags": values its rule cannot hold, kept with {"nullElements":"json"}',
        'probe: entry "public.traps", column "tags": values its rule cannot hold, kept with {"nullElements":"json"}',
        'probe: entry "public.traps", column "grid": values its rule cannot hold, kept with {"multiDimensional":"json"}',
        'probe: entry "public.traps", column "opens": values its rule cannot hold, kept with {"as":"string"}',
        'probe: entry "public.traps", column "opens_tz": values its rule cannot hold, kept with {"as":"string"}',
        'probe: entry "public.traps", column "slots": values its rule cannot hold, kept with {"as":"string"}',
        'probe: entry "public.traps", column "stamps": values its rule cannot hold, kept with {"as":"string"}',
      ]);
    });

    it('--no-probe keeps the default policies: the plan the generator makes', async () => {
      const run = await pg2graph(['plan', '--no-probe'], env);
      assert.equal(run.code, 0, run.stderr);
      defaults = JSON.parse(run.stdout) as GraphPlan;
      assert.deepEqual(defaults, generatePlan(await introspectUrl(db.url, ['public'])));
      assert.equal(property(defaults, TRAPS, 'tags').nullElements, 'error');
      assert.equal(property(defaults, TRAPS, 'opens').as, 'localTime');
      assert.doesNotMatch(run.stderr, /probe:/);
      files.defaults = path.join(dir, 'defaults.json');
      fs.writeFileSync(files.defaults, run.stdout);
      const strict = structuredClone(defaults);
      Object.assign(property(strict, TRAPS, 'amount'), { as: 'integer' });
      Object.assign(property(strict, TRAPS, 'due'), { infinity: 'error' });
      files.strict = path.join(dir, 'strict.json');
      fs.writeFileSync(files.strict, JSON.stringify(strict, null, 2));
    });

    it('--check lists every value the plan cannot hold with the plan path of its property: exit 1', async () => {
      const run = await pg2graph(['plan', '--check', files.strict], env);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const [first, ...lines] = run.stdout.trimEnd().split('\n');
      assert.equal(first, `${files.strict}: the data holds values the plan's rules cannot hold (11 problems; a run would refuse to start)`);
      const traps = defaults.nodes.findIndex((n) => n.id === TRAPS);
      const at = (column: string) => `nodes[${traps}].properties[${entry(defaults, TRAPS).properties.findIndex((p) => p.column === column)}]`;
      assert.deepEqual(
        lines.map((l) => l.replace(/: .*/, '')).sort(),
        [
          `  ${at('amount')}, entry "${TRAPS}"`,
          `  ${at('amount')}, entry "${TRAPS}"`,
          `  ${at('amount')}, entry "${TRAPS}"`,
          `  ${at('due')}, entry "${TRAPS}"`,
          `  ${at('grid')}, entry "${TRAPS}"`,
          `  ${at('opens')}, entry "${TRAPS}"`,
          `  ${at('opens_tz')}, entry "${TRAPS}"`,
          `  ${at('slots')}, entry "${TRAPS}"`,
          `  ${at('stamps')}, entry "${TRAPS}"`,
          `  ${at('tags')}, entry "${TRAPS}"`,
          `  nodes[${defaults.nodes.findIndex((n) => n.id === 'public.loose')}].properties[0], entry "public.loose"`,
        ].sort(),
      );
      assert.ok(
        lines.includes(
          `  ${at('due')}, entry "${TRAPS}": 2 rows of table public.traps, column "due": infinite value (infinity policy is "error"), e.g. key ["2"] holding "infinity"; keep them with {"infinity":"string"}`,
        ),
        run.stdout,
      );
    });

    it('--check passes the probed plan, and with --no-probe looks only at the plan and the schema', async () => {
      const good = await pg2graph(['plan', '--check', files.probed], env);
      assert.equal(good.code, 0, good.stdout + good.stderr);
      assert.match(good.stdout, /: valid \(5 node entries, 1 relationship entries\)\n$/);
      const unprobed = await pg2graph(['plan', '--check', files.strict, '--no-probe'], env);
      assert.equal(unprobed.code, 0, unprobed.stdout + unprobed.stderr);
    });

    it('a bad --probe-timeout-ms is a clear error naming the flag', async () => {
      for (const bad of ['-1', 'abc', '1.5']) {
        const run = await pg2graph(['plan', `--probe-timeout-ms=${bad}`], env);
        assert.equal(run.code, 1);
        assert.equal(run.stderr, `pg2graph plan: PROBE_SETTING_INVALID: "--probe-timeout-ms" must be an integer from 0 to 86,400,000, got "${bad}"\n`);
      }
      const migrate = await pg2graph(['migrate', '--plan', files.probed, '--probe-timeout-ms=-1'], env);
      assert.equal(migrate.code, 1);
      assert.match(migrate.stderr, /^pg2graph migrate: PROBE_SETTING_INVALID: "--probe-timeout-ms" must be an integer/);
    });
  });

  describe('pg2graph migrate and verify', () => {
    beforeEach(() => clearGraph(driver));

    async function graphIsEmpty(): Promise<void> {
      const nodes = await driver.executeQuery('MATCH (n) RETURN count(n) AS n');
      assert.equal(Number(nodes.records[0].get('n')), 0, 'no node');
      const constraints = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN count(*) AS n');
      assert.equal(Number(constraints.records[0].get('n')), 0, 'no constraint');
      const indexes = await driver.executeQuery("SHOW INDEXES YIELD type WHERE type <> 'LOOKUP' RETURN count(*) AS n");
      assert.equal(Number(indexes.records[0].get('n')), 0, 'no index');
      assert.deepEqual(await checkpoints(driver), { nodes: 0, batches: 0, complete: 0 }, 'no checkpoint');
    }

    it('refuses a plan whose rules cannot hold the data, listing every problem at once, and writes nothing', async () => {
      const run = await pg2graph(['migrate', '--plan', files.strict], env);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.equal(run.stdout, '');
      const [head, ...lines] = run.stderr.trimEnd().split('\n');
      assert.match(
        head,
        /^pg2graph migrate: PLAN_VALUES_UNREPRESENTABLE: the data holds values the plan's rules cannot hold \(11 problems in 9 columns\); nothing was read or written\./,
      );
      assert.equal(lines.length, 11, run.stderr);
      for (const [column, kind] of [
        ['tags', 'array with NULL elements'],
        ['grid', 'multi-dimensional array'],
        ['opens', 'time 24:00:00'],
        ['opens_tz', 'time 24:00:00'],
        ['slots', 'time 24:00:00, which Neo4j time types cannot hold (an element)'],
        ['stamps', 'infinite value inside a typed list'],
        ['due', 'infinite value (infinity policy is "error")'],
        ['amount', 'numeric with a fraction'],
        ['amount', 'numeric NaN or Infinity'],
        ['amount', 'integer outside the 64-bit range'],
      ]) {
        assert.ok(
          lines.some(
            (l) => l.includes(`column "${column}": ${kind}`) && / keep them with \{"(as|nullElements|multiDimensional|infinity)":"(string|json)"\}$/.test(l),
          ),
          `${column}: ${kind}\n${run.stderr}`,
        );
      }
      assert.ok(lines.some((l) => l.includes('entry "public.loose"') && l.includes('e.g. row ("{x,NULL}")')));
      await graphIsEmpty();
    });

    it('the probed plan migrates every row, and verification passes', async () => {
      const run = await pg2graph(['migrate', '--plan', files.probed, '--json'], env);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout);
      assert.equal(
        summary.written.nodesCreated,
        Object.values(TRAP_ROWS).reduce((a, b) => a + b, 0),
      );
      assert.equal(summary.read.preflight.queries, 2);
      const stored = await driver.executeQuery('MATCH (t:Trap {id: 2}) RETURN t.tags AS tags, t.grid AS grid, t.opens AS opens');
      assert.deepEqual(stored.records[0].toObject(), { tags: '["a",null]', grid: '[[1,2],[3,4]]', opens: '24:00:00' });
      const verify = await pg2graph(['verify', '--plan', files.probed, '--json'], env);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      const report = JSON.parse(verify.stdout) as VerificationReport;
      for (const e of report.entries)
        assert.deepEqual(
          e.checks.find((c) => c.check === 'unrepresentable'),
          { check: 'unrepresentable', ok: true, expected: 0, found: 0, examples: [] },
        );
    });

    it('verify names the source rows whose values their rule cannot hold, with their keys', async () => {
      assert.equal((await pg2graph(['migrate', '--plan', files.probed], env)).code, 0);
      const run = await pg2graph(['verify', '--plan', files.defaults, '--json'], env);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const report = JSON.parse(run.stdout) as VerificationReport;
      const traps = report.entries.find((e) => e.entry === TRAPS)!;
      const check = traps.checks.find((c) => c.check === 'unrepresentable')!;
      assert.equal(check.ok, false);
      assert.equal(check.found, 2);
      assert.deepEqual(check.examples, [
        { key: { id: '2' }, note: '"tags", "grid", "opens", "opens_tz", "slots", "stamps": a value its rule cannot hold' },
        { key: { id: '3' }, note: '"tags", "stamps": a value its rule cannot hold' },
      ]);
      const loose = report.entries.find((e) => e.entry === 'public.loose')!.checks.find((c) => c.check === 'unrepresentable')!;
      assert.deepEqual([loose.found, loose.examples], [1, ['row ("{x,NULL}") ("tags": a value its rule cannot hold)']]);
      // entries whose rules hold every value are verified as usual
      const plain = report.entries.find((e) => e.entry === 'public.plain')!;
      assert.equal(plain.ok, true);
      assert.deepEqual(
        plain.checks.map((c) => c.check),
        ['count', 'missing', 'unexpected', 'duplicates', 'sourceDuplicates', 'properties', 'unrepresentable'],
      );
      const text = await pg2graph(['verify', '--plan', files.defaults], env);
      assert.match(
        text.stdout,
        /\n {9}unrepresentable: expected 0, found 2 \(source rows holding a value the plan's rules cannot hold[^\n]*\)\n {11}- \{id: "2"\} \("tags", /,
      );
    });
  });
});
