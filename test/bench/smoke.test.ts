/**
 * `npm run bench -- --smoke` in CI, so that the benchmark cannot rot: every contender runs on every smoke
 * workload and builds the same graph, and the table, the targets and the JSON file come out.
 */
import assert from 'assert/strict';
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';

const ROOT = path.resolve(__dirname, '..', '..');
const BENCH = path.join(ROOT, 'scripts', 'bench', 'run.js');
const CONTENDERS = ['baseline', 'nodered', 'cli', 'perrow', 'offline'];
const WORKLOADS = ['pgbench-smoke', 'sample', 'wide-smoke'];

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

describe('npm run bench -- --smoke', function () {
  this.timeout(900_000);

  it('runs all five contenders on every smoke workload; the four full migrations (the offline road included) build the same graph', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BENCH, '--smoke'], { cwd: ROOT, timeout: 840_000, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: out, stderr: err });
      });
    });
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /workload\s+contender\s+rows\s+nodes\s+rels\s+seconds\s+rows\/s/);
    assert.match(stdout, /Node-RED flow at [\d.]+x the baseline's rows\/s \(target >= 0\.9x\)/);
    assert.match(stdout, /offline road to a loaded graph in [\d.]+ s, [\d.]+ of the Node-RED flow's/);
    assert.match(stdout, /the export alone at \d+ rows\/s \(target >= 150,000\)/);
    const file = /JSON: (\S+)/.exec(stdout)?.[1];
    assert.ok(file, `no JSON file named in:\n${stdout}`);
    const report = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { smoke: boolean; results: BenchResult[] };
    fs.rmSync(path.join(ROOT, file));
    assert.equal(report.smoke, true);
    for (const workload of WORKLOADS) {
      const byContender = new Map(report.results.filter((r) => r.workload === workload).map((r) => [r.contender, r]));
      assert.deepEqual([...byContender.keys()].sort(), [...CONTENDERS].sort(), workload);
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
    }
  });
});
