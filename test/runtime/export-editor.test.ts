/**
 * The graph export edit dialog in a real browser against a real Node-RED (4.1 or 5.0): a node without a
 * directory is marked invalid, the format list is every export format with its catalog text, the array
 * delimiter shows for neo4j-admin only, and a directory typed in makes the node valid.
 */
import assert from 'assert/strict';
import type { Browser, Page } from 'playwright-core';
import { nodeRedMajor } from '../support/env';
import { editorPage, launchBrowser, openDialog } from '../support/browser';
import { lookup } from '../support/catalog';
import { comms, startNodeRed, type Runtime } from '../support/runtime';
import { EXPORT_FORMATS } from '../../dist/engine/write';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the editor's untyped globals, inside page.evaluate
declare const RED: any;

describe(`graph export edit dialog in a browser (Node-RED ${nodeRedMajor()})`, function () {
  this.timeout(180_000);
  let runtime: Runtime;
  let browser: Browser;
  let page: Page;

  before(async () => {
    runtime = await startNodeRed({ major: nodeRedMajor(), settings: { editorTheme: { tours: false } } });
    await comms.deployFlow(runtime.url, [
      { id: 'tab', type: 'tab', label: 'export' },
      { id: 'exp', type: 'pg2graph-export', z: 'tab', name: 'to files', dir: '', format: 'neo4j-admin', x: 200, y: 80, wires: [[], []] },
    ]);
    browser = await launchBrowser();
    page = await editorPage(browser, runtime.url, 'pg2graph-export', 'exp');
  });
  after(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  const valid = () => page.evaluate(() => RED.nodes.node('exp').valid as boolean);

  it('marks a node without a directory invalid, offers every format, shows the delimiter for neo4j-admin only', async () => {
    assert.equal(await valid(), false, 'no directory: the node is invalid');
    await openDialog(page, 'to files', '#node-input-format', 'pg2graph-export-dialog-failed.png');
    const select = page.locator('#node-input-format');
    const options = await page.$$eval('#node-input-format option', (list) =>
      list.map((o) => ({ value: (o as unknown as { value: string }).value, text: (o as unknown as { textContent: string }).textContent })),
    );
    assert.deepEqual(
      options.map((o) => o.value),
      [...EXPORT_FORMATS],
    );
    for (const option of options) assert.ok(option.text.includes(lookup('pg2graph-export', `format.${option.value}`)), option.text);
    assert.equal(await select.inputValue(), 'neo4j-admin');
    assert.equal(await page.locator('#node-input-arrayDelimiter').isVisible(), true, 'neo4j-admin: the delimiter shows');
    await select.selectOption('jsonl');
    assert.equal(await page.locator('#node-input-arrayDelimiter').isVisible(), false, 'jsonl: no delimiter');

    await page.locator('#node-input-dir').fill('exports/bookshop');
    await page.click('#node-dialog-ok');
    assert.equal(await valid(), true, 'a directory typed in: valid');
    const node = await page.evaluate(() => ({ dir: RED.nodes.node('exp').dir as string, format: RED.nodes.node('exp').format as string }));
    assert.deepEqual(node, { dir: 'exports/bookshop', format: 'jsonl' });
  });
});
