/**
 * `npm run demo -- --once` as a newcomer runs it: the sample database migrated through a real Node-RED flow
 * (example 1) into the real Neo4j, with a passing verification report printed, exit code 0.
 */
import assert from 'assert/strict';
import path from 'path';
import { execFile } from 'child_process';

const DEMO = path.resolve(__dirname, '..', '..', 'scripts', 'demo.js');

describe('npm run demo -- --once', function () {
  this.timeout(600_000);

  it('migrates the sample database through example flow 1 and prints a passing verification report', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [DEMO, '--once', '--port', '0'], { timeout: 540_000, maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: out, stderr: err });
      });
    });
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /deployed example flow "1 Migrate the sample database"/);
    assert.match(stdout, /verification PASSED: 19 entries/);
    assert.match(stdout, /ok {3}\[:STOCK\] bookshop\.stock: source 1600, graph 1600/);
    assert.match(stdout, /verification passed: every row, key and value arrived\./);
    assert.ok(!stdout.includes(process.env.NEO4J_PASSWORD as string), 'no password in the demo output');
  });
});
