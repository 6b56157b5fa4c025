/**
 * Headless Chromium for editor tests: Debian's chromium (apt-get install chromium) driven by playwright-core;
 * PG2GRAPH_CHROMIUM names another binary. `npx playwright install` cannot download browsers here.
 */
import assert from 'assert/strict';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = [process.env.PG2GRAPH_CHROMIUM, ...CANDIDATES].find((p): p is string => Boolean(p && fs.existsSync(p)));
  if (!found) {
    throw new Error('the editor tests need Chromium: `apt-get install chromium` (Debian), or set PG2GRAPH_CHROMIUM to a Chromium binary');
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the editor's untyped globals, inside page.evaluate
declare const RED: any;
declare const document: { querySelector(selector: string): unknown };

/** The editor of a running Node-RED in a new page, once the pack's `type` is registered and node `id` loaded. */
export async function editorPage(browser: Browser, url: string, type: string, id: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(
    ([nodeType, nodeId]) =>
      typeof RED !== 'undefined' &&
      RED.nodes &&
      RED.nodes.getType(nodeType) &&
      Boolean(RED.nodes.node(nodeId)) &&
      document.querySelector('#red-ui-workspace-chart svg') !== null,
    [type, id],
    { timeout: 60_000 },
  );
  return page;
}

/**
 * Opens a node's edit dialog as a user does, double-clicking the node labelled `label` (again, if the editor was
 * still busy), until `visible` shows; fails with a screenshot in the temp folder otherwise.
 */
export async function openDialog(page: Page, label: string, visible: string, screenshot: string): Promise<void> {
  const dialog = page.locator(visible);
  for (let attempt = 0; attempt < 5 && !(await dialog.isVisible()); attempt++) {
    await page.locator('#red-ui-workspace-chart g.red-ui-flow-node', { hasText: label }).dblclick();
    await dialog.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  }
  if (!(await dialog.isVisible())) {
    await page.screenshot({ path: path.join(os.tmpdir(), screenshot) });
    assert.fail(`the edit dialog of ${label} did not open (screenshot ${screenshot} in the temp folder)`);
  }
}
