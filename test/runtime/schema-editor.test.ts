/**
 * The pg schema edit dialog in a real browser against a real Node-RED (4.1 or 5.0): "Load from database" shows
 * the proposed model of the sample database, a label renamed there is stored as an override, deployed, and
 * the plan the node then emits carries the new label.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { nodeRedMajor } from '../support/env';
import { editorPage, launchBrowser, openDialog } from '../support/browser';
import { createSampleDatabase, type SampleDatabase } from '../support/sample';

interface Runtime {
  url: string;
  stop(): Promise<void>;
  output(): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startNodeRed } = require('../../scripts/lib/node-red-runtime') as { startNodeRed(o: Record<string, unknown>): Promise<Runtime> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const comms = require('../../scripts/lib/runtime-comms') as {
  watchRuntime(url: string, h: { onDebug?: (d: { id: string; msg: string }) => void }): Promise<{ close(): void }>;
  deployFlow(url: string, flow: unknown[]): Promise<void>;
  clickInject(url: string, id: string): Promise<void>;
};

describe(`pg schema edit dialog in a browser (Node-RED ${nodeRedMajor()})`, function () {
  this.timeout(180_000);
  let db: SampleDatabase;
  let runtime: Runtime;
  let browser: Browser;
  let page: Page;

  before(async () => {
    db = await createSampleDatabase('editor');
    runtime = await startNodeRed({ major: nodeRedMajor(), settings: { editorTheme: { tours: false } } });
    await comms.deployFlow(runtime.url, [
      { id: 'tab', type: 'tab', label: 'schema' },
      {
        id: 'pgcfg',
        type: 'pg2graph-postgres',
        name: 'sample',
        host: db.settings.host,
        port: db.settings.port,
        database: db.name,
        sslMode: 'disable',
        poolSize: '2',
        applicationName: 'pg2graph-editor',
        connectionEnv: '',
        credentials: { user: db.settings.user, password: db.settings.password },
      },
      {
        id: 'go',
        type: 'inject',
        z: 'tab',
        name: 'go',
        props: [{ p: 'payload' }],
        payload: '',
        payloadType: 'date',
        repeat: '',
        crontab: '',
        once: false,
        onceDelay: 0.1,
        topic: '',
        x: 100,
        y: 60,
        wires: [['schema']],
      },
      {
        id: 'schema',
        type: 'pg2graph-schema',
        z: 'tab',
        name: 'bookshop',
        postgres: 'pgcfg',
        schemas: 'bookshop',
        include: '',
        exclude: '',
        typePolicies: '',
        overrides: '',
        x: 280,
        y: 60,
        wires: [['plan']],
      },
      {
        id: 'plan',
        type: 'debug',
        z: 'tab',
        name: 'plan',
        active: true,
        tosidebar: true,
        console: false,
        complete: 'plan',
        targetType: 'msg',
        x: 460,
        y: 60,
        wires: [],
      },
    ]);
    browser = await launchBrowser();
    page = await editorPage(browser, runtime.url, 'pg2graph-schema', 'schema');
  });
  after(async () => {
    await browser?.close();
    await runtime?.stop();
    await db?.drop();
  });

  it('shows the proposed model, keeps a renamed label as an override, and the deployed node uses it', async () => {
    await openDialog(page, 'bookshop', '#node-input-pg2graph-schema-load', 'pg2graph-schema-dialog-failed.png');
    await page.click('#node-input-pg2graph-schema-load');
    await page.waitForSelector('#node-input-pg2graph-schema-model table.pg2graph-schema-entries', { timeout: 30_000 });
    const names = await page.$$eval('#node-input-pg2graph-schema-model input.pg2graph-schema-name', (inputs) =>
      inputs.map((i) => (i as unknown as { value: string }).value),
    );
    for (const wanted of ['Customer', 'OrderLine', 'Warehouse', 'Review', 'BOOK_AUTHOR', 'STOCK', 'REFERRED_BY', 'SHIPPING_ADDRESS']) {
      assert.ok(names.includes(wanted), `the dialog lists ${wanted} (has ${names.join(', ')})`);
    }
    const screenshot = path.join(os.tmpdir(), `pg2graph-schema-dialog-nr${nodeRedMajor()}.png`);
    await page.screenshot({ path: screenshot });
    assert.ok(fs.statSync(screenshot).size > 10_000);

    // rename the label Customer -> Client, the way a user types it
    const index = names.indexOf('Customer');
    const input = page.locator('#node-input-pg2graph-schema-model input.pg2graph-schema-name').nth(index);
    await input.fill('Client');
    await input.press('Tab');
    const overrides = await page.$eval('#node-input-overrides', (el) => (el as unknown as { value: string }).value);
    assert.deepEqual(JSON.parse(overrides).labels, { 'bookshop.customer': 'Client' });

    await page.click('#node-dialog-ok');
    await page.click('#red-ui-header-button-deploy');
    // a deploy with warnings asks for confirmation first; this flow has none, but do not hang on one
    const confirm = page.locator('#node-dialog-confirm-deploy-deploy');
    if (await confirm.isVisible({ timeout: 1_000 }).catch(() => false)) await confirm.click();
    const deadline = Date.now() + 20_000;
    let deployed: { overrides?: string } | undefined;
    while (Date.now() < deadline) {
      const flows = (await (await fetch(`${runtime.url}/flows`)).json()) as Array<{ id: string; overrides?: string }>;
      deployed = flows.find((n) => n.id === 'schema');
      if (deployed?.overrides) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(JSON.parse(deployed?.overrides || '{}').labels, { 'bookshop.customer': 'Client' }, 'the deployed node holds the override');

    let planText = '';
    const socket = await comms.watchRuntime(runtime.url, {
      onDebug: (d) => {
        if (d.id === 'plan') planText = d.msg;
      },
    });
    try {
      await comms.clickInject(runtime.url, 'go');
      const until = Date.now() + 30_000;
      while (!planText && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      socket.close();
    }
    const plan = JSON.parse(planText) as { nodes: Array<{ id: string; label: string }> };
    assert.equal(plan.nodes.find((n) => n.id === 'bookshop.customer')?.label, 'Client');
  });
});
