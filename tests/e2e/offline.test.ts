// Installed on a phone and the network gone: the service worker has kept this build's
// scripts, styles and icons and the offline page (never a chat page), so opening the app
// shows the offline page instead of the browser's error, and the chat once it is back.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, logIn } from '../support/browser';
import { phoneContext } from '../support/chatPages';
import { pairUp } from '../support/client';

describeBrowser('offline, with the service worker', () => {
  const suite = browserSuite();
  let page: Page;
  let setOffline: (offline: boolean) => Promise<void>;
  const loginA = `offl_${Date.now() % 100_000}_a`;

  beforeAll(async () => {
    await pairUp(suite.app.url, loginA, `offl_${Date.now() % 100_000}_b`);
    const opened = await suite.open(phoneContext);
    page = opened.page;
    setOffline = (offline) => opened.context.setOffline(offline);
    await logIn(page, loginA, undefined, '/chat');
  });

  it('takes control after the first visit and keeps only static files and the offline page', async () => {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    const kept = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      const offline = await (await caches.match('/offline'))?.text();
      return { names, urls, offline: offline ?? '' };
    });
    expect(kept.names).toHaveLength(1);
    expect(kept.names[0]).toMatch(/^cc-shell-[0-9a-f]{12}$/);
    expect(kept.urls).toContain('/offline');
    expect(kept.urls.some((u) => /^\/static\/couple\.bundle\.[0-9a-f]{12}\.js$/.test(u))).toBe(true); // htmx is in it (the chat carries its own)
    for (const url of kept.urls) expect(url === '/offline' || url.startsWith('/static/'), url).toBe(true);
    // kept as a visitor sees it: no name, no token of this session
    expect(kept.offline).toContain('지금은 오프라인이에요');
    expect(kept.offline).not.toContain(loginA);
  });

  it('shows the offline page without a network, and the chat again once it is back', async () => {
    await setOffline(true);
    await page.goto('/chat').catch(() => undefined);
    await expectVisibleText(page, '지금은 오프라인이에요');
    // the page still has its look: the style sheet came from the cache
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).not.toBe('');
    await setOffline(false);
    await page.goto('/chat');
    await expectPath(page, '/chat');
    await expect.poll(() => page.locator('#composer').count()).toBe(1);
  });
});
