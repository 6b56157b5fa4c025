/**
 * `npm run bench -- --smoke` in CI, so that the benchmark cannot rot: every contender runs on its smoke
 * workloads (the Neo4j ones on all three, the Gremlin road's on pgbench-smoke and sample) and builds the same
 * graph, and the table, the targets and the JSON file come out; a contender or workload it does not know is
 * refused by name before anything starts.
 */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';

const ROOT = path.resolve(__dirname, '..', '..');
const BENCH = path.join(ROOT, 'scripts', 'bench', 'run.js');
const CONTENDERS = ['baseline', 'nodered', 'cli', 'perrow', 'offline'];
const GREMLIN_CONTENDERS = ['gremlin-baseline', 'gremlin'];
const WORKLOADS = ['pgbench-smoke', 'sample', 'wide-smoke'];
const GREMLIN_WORKLOADS = ['pgbench-smoke', 'sample'];

interface BenchResult {
  workload: string;
  contender: string;
  rows: number;
  nodes: number;
  relationships: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  ratio?: number;
}

function bench(args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BENCH, ...args], { cwd: ROOT, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: out, stderr: err });
    });
  });
}

describe('npm run bench -- --smoke', function () {
  this.timeout(900_000);

  it('runs the five Neo4j contenders on every smoke workload and the two Gremlin ones on theirs; the full migrations of each kind of graph (the offline road included) build the same graph', async () => {
    const { code, stdout, stderr } = await bench(['--smoke'], 840_000);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /workload\s+contender\s+rows\s+nodes\s+rels\s+seconds\s+rows\/s/);
    assert.match(stdout, /Node-RED flow at [\d.]+x the baseline's rows\/s \(target >= 0\.9x\)/);
    assert.match(stdout, /offline road to a loaded graph in [\d.]+ s, [\d.]+ of the Node-RED flow's/);
    assert.match(stdout, /the export alone at \d+ rows\/s \(target >= 150,000\)/);
    for (const workload of GREMLIN_WORKLOADS) {
      assert.match(stdout, new RegExp(`${workload}: Gremlin road at [\\d.]+x the hand-written Gremlin baseline's rows/s \\(target >= 0\\.9x\\)`));
    }
    const file = /JSON: (\S+)/.exec(stdout)?.[1];
    assert.ok(file, `no JSON file named in:\n${stdout}`);
    const report = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { smoke: boolean; results: BenchResult[] };
    fs.rmSync(path.join(ROOT, file));
    assert.equal(report.smoke, true);
    for (const workload of WORKLOADS) {
      const byContender = new Map(report.results.filter((r) => r.workload === workload).map((r) => [r.contender, r]));
      const expected = GREMLIN_WORKLOADS.includes(workload) ? [...CONTENDERS, ...GREMLIN_CONTENDERS] : CONTENDERS;
      assert.deepEqual([...byContender.keys()].sort(), [...expected].sort(), workload);
      for (const r of byContender.values()) {
        assert.ok(r.rows > 0 && r.seconds > 0 && r.rowsPerSecond > 0 && r.peakRssMb > 0, `${workload}/${r.contender}: ${JSON.stringify(r)}`);
      }
      const [baseline, nodered, cli, offline] = ['baseline', 'nodered', 'cli', 'offline'].map((c) => byContender.get(c) as BenchResult);
      for (const r of [nodered, cli, offline]) {
        assert.deepEqual(
          [r.rows, r.nodes, r.relationships],
          [baseline.rows, baseline.nodes, baseline.relationships],
          `${workload}/${r.contender} against the baseline`,
        );
        assert.ok(r.ratio !== undefined && r.ratio > 0, `${workload}/${r.contender} has a ratio to the baseline`);
      }
      assert.ok(baseline.nodes > 0, `${workload}: the baseline wrote nodes`);
      assert.ok(byContender.get('perrow')!.nodes > 0 && byContender.get('perrow')!.nodes <= baseline.nodes, `${workload}: the per-row slice wrote nodes`);
      if (!GREMLIN_WORKLOADS.includes(workload)) continue;
      const [handWritten, road] = GREMLIN_CONTENDERS.map((c) => byContender.get(c) as BenchResult);
      assert.deepEqual(
        [road.rows, road.nodes, road.relationships],
        [handWritten.rows, handWritten.nodes, handWritten.relationships],
        `${workload}/gremlin against gremlin-baseline`,
      );
      // the same plan makes the same graph on either target
      assert.deepEqual([road.nodes, road.relationships], [baseline.nodes, baseline.relationships], `${workload}/gremlin against the Neo4j baseline`);
      assert.ok(road.ratio !== undefined && road.ratio > 0, `${workload}/gremlin has a ratio to gremlin-baseline`);
      assert.equal(handWritten.ratio, 1, `${workload}/gremlin-baseline is its own base`);
    }
  });

  it('refuses a contender or workload it does not know, naming the ones it has, before starting anything', async () => {
    const contender = await bench(['--smoke', '--contenders=cli,migrate'], 60_000);
    assert.notEqual(contender.code, 0, contender.stderr);
    assert.match(contender.stderr, /unknown contender "migrate"; the contenders are nodered, cli, baseline, perrow, offline, gremlin, gremlin-baseline/);
    assert.doesNotMatch(contender.stderr, /TypeError|starting a throwaway/);
    const workload = await bench(['--smoke', '--workloads=sample,pgbench-2'], 60_000);
    assert.notEqual(workload.code, 0, workload.stderr);
    assert.match(workload.stderr, /unknown workload "pgbench-2"; the workloads are pgbench-1, pgbench-10, sample, wide, pgbench-smoke, wide-smoke/);
  });
});
