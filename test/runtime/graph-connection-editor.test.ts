/**
 * The graph connection's edit dialog in a real browser against a real Node-RED (4.1 or 5.0), opened as a user
 * does from graph write's dialog: a connection saved before the protocol setting existed opens as Bolt; switching
 * to Gremlin shows the traversal source and hides what only Bolt has; a Bolt URI under Gremlin is marked
 * invalid; the Test connection button answers from the real Gremlin Server, for a good and a bad traversal
 * source; the saved node keeps protocol, endpoint and traversal source.
 */
import assert from 'assert/strict';
import type { Browser, Page } from 'playwright-core';
import { nodeRedMajor, testGremlin } from '../support/env';
import { editorPage, launchBrowser, openDialog } from '../support/browser';
import { lookup } from '../support/catalog';
import { comms, startNodeRed, type Runtime } from '../support/runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the editor's untyped globals, inside page.evaluate
declare const RED: any;

describe(`graph connection edit dialog in a browser (Node-RED ${nodeRedMajor()})`, function () {
  this.timeout(180_000);
  let runtime: Runtime;
  let browser: Browser;
  let page: Page;

  before(async () => {
    runtime = await startNodeRed({ major: nodeRedMajor(), settings: { editorTheme: { tours: false } } });
    await comms.deployFlow(runtime.url, [
      { id: 'tab', type: 'tab', label: 'graph' },
      // as saved before the protocol setting existed: no protocol, no traversal source
      { id: 'graphcfg', type: 'pg2graph-neo4j', name: 'the graph', uri: 'bolt://127.0.0.1:7687', database: '', dialect: 'neo4j', tls: 'uri' },
      { id: 'writer', type: 'pg2graph-write', z: 'tab', name: 'writer', neo4j: 'graphcfg', mode: 'merge', x: 200, y: 80, wires: [[], []] },
    ]);
    browser = await launchBrowser();
    page = await editorPage(browser, runtime.url, 'pg2graph-neo4j', 'graphcfg');
  });
  after(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  const shown = (selector: string) => page.locator(selector).isVisible();
  const testResult = () => page.locator('#node-config-pg2graph-neo4j-test-result');

  async function pressTest(): Promise<string> {
    await testResult().evaluate((element) => {
      (element as unknown as { textContent: string }).textContent = '';
    });
    await page.click('#node-config-pg2graph-neo4j-test');
    const running = lookup('pg2graph-neo4j', 'test.running');
    await page.waitForFunction(
      (text) => {
        const value = (globalThis as unknown as { $: (s: string) => { text(): string } }).$('#node-config-pg2graph-neo4j-test-result').text();
        return value !== '' && value !== text;
      },
      running,
      { timeout: 20_000 },
    );
    return testResult().innerText();
  }

  it('opens an old connection as Bolt, switches to Gremlin, tests it against the real server and saves it', async () => {
    await openDialog(page, 'writer', '#node-input-neo4j', 'pg2graph-write-dialog-failed.png');
    // the pencil beside the config node's select (Node-RED 4 and 5 name it so)
    await page.click('#node-input-btn-neo4j-edit');
    const protocol = page.locator('#node-config-input-protocol');
    await protocol.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await protocol.inputValue(), 'bolt', 'a connection without the setting is Bolt');
    assert.equal(await shown('#node-config-input-database'), true);
    assert.equal(await shown('#node-config-input-dialect'), true);
    assert.equal(await shown('#node-config-input-traversalSource'), false);

    await protocol.selectOption('gremlin');
    assert.equal(await shown('#node-config-input-traversalSource'), true, 'Gremlin: the traversal source shows');
    assert.equal(await shown('#node-config-input-database'), false, 'Gremlin: no database');
    assert.equal(await shown('#node-config-input-dialect'), false, 'Gremlin: no dialect');
    assert.equal(await page.locator('#node-config-input-uri').inputValue(), 'ws://127.0.0.1:8182/gremlin', "the Bolt default became Gremlin's");
    const tlsChoices = await page.$$eval('#node-config-input-tls option', (list) =>
      list.filter((o) => !(o as unknown as { hidden: boolean }).hidden).map((o) => (o as unknown as { value: string }).value),
    );
    assert.deepEqual(tlsChoices, ['uri', 'any'], 'Gremlin: TLS follows the scheme, or any certificate');

    await page.locator('#node-config-input-uri').fill('bolt://127.0.0.1:7687');
    await page.locator('#node-config-input-uri').dispatchEvent('change');
    assert.equal(await page.locator('#node-config-input-uri.input-error').count(), 1, 'a Bolt URI under Gremlin is marked invalid');

    const { url } = testGremlin();
    await page.locator('#node-config-input-uri').fill(url);
    await page.locator('#node-config-input-uri').dispatchEvent('change');
    assert.equal(await page.locator('#node-config-input-uri.input-error').count(), 0, 'the ws:// endpoint is valid');

    await page.locator('#node-config-input-traversalSource').fill('nope');
    const refused = await pressTest();
    assert.ok(refused.startsWith(lookup('pg2graph-neo4j', 'test.failed').replace('__message__', '')), refused);
    assert.match(refused, /no traversal source "nope"/);

    await page.locator('#node-config-input-traversalSource').fill('g');
    const answered = await pressTest();
    assert.equal(answered, lookup('pg2graph-neo4j', 'test.ok').replace('__server__', `Gremlin ${url} (traversal source g)`));

    await page.click('#node-config-dialog-ok');
    await page.click('#node-dialog-ok');
    const saved = await page.evaluate(() => {
      const node = RED.nodes.node('graphcfg');
      return { protocol: node.protocol as string, uri: node.uri as string, traversalSource: node.traversalSource as string, valid: node.valid as boolean };
    });
    assert.deepEqual(saved, { protocol: 'gremlin', uri: url, traversalSource: 'g', valid: true });
  });
});
