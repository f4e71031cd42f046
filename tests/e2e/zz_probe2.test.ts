import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { backends } from '../support/backends';
import { describeBrowser, launchBrowser, personContext, signUp } from '../support/browser';
import { startTestApp, type TestApp } from '../support/testApp';
describeBrowser('probe', () => {
  let app: TestApp; let browser: Browser;
  beforeAll(async () => { app = await startTestApp(backends()[0]); browser = await launchBrowser(); });
  afterAll(async () => { await browser.close(); await app.close(); });
  it('config', async () => {
    const { page } = await personContext(browser, app.url);
    page.on('console', (m) => console.log('console:', m.text()));
    await signUp(page, 'alice');
    console.log(await page.evaluate(() => JSON.stringify({ v: (window as any).htmx?.version, rh: (window as any).htmx?.config.responseHandling, meta: document.querySelector('meta[name=htmx-config]')?.getAttribute('content') })));
  });
});
