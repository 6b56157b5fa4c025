/**
 * Headless Chromium for editor tests: Debian's chromium (apt-get install chromium) driven by playwright-core;
 * PG2GRAPH_CHROMIUM names another binary. `npx playwright install` cannot download browsers here.
 */
import fs from 'fs';
import { chromium, type Browser } from 'playwright-core';

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
