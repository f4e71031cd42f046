// The chat on a slow phone network: Slow 3G (2 s round trip, 50 KB/s each way) with a CPU
// four times slower, at 360×740, emulated by Chromium itself (CDP). Prints how long a
// person waits — the chat page's first paint, until the chat is live (its event stream
// open), from the log-in form's button to a live chat — and how many requests that took.
// Timings vary with the machine, so they are printed, never asserted; what is asserted is
// what a person notices: the chat does become live, and a message sent then arrives.
//
// The figures before and after the changes it measured are in the README (Slow networks).
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, newContext, tryLogIn } from '../support/browser';
import { expectConversation, typeAndSend } from '../support/chatPages';
import { pairUp } from '../support/client';

const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50 * 1024, uploadThroughput: 50 * 1024 };
/**
 * A phone of 360×740 without a service worker: Chromium's emulation slows the page's own
 * requests but not those a service worker makes for it, which would flatter the figures.
 */
const PHONE = { viewport: { width: 360, height: 740 }, serviceWorkers: 'block' as const };
/** Slow 3G makes a person wait many seconds: these are how long a test waits for them. */
const PATIENCE = 60_000;

/**
 * Notes in the page, from its first script on, when the chat went live (`.chat.live`, set
 * when the event stream opens) and when a form was sent, in the browser's own clock
 * (timeOrigin + now: the same across a navigation).
 */
function markTimes(): void {
  const w = window as unknown as { __live?: number };
  const at = () => performance.timeOrigin + performance.now();
  document.addEventListener('submit', () => sessionStorage.setItem('submittedAt', String(at())), true);
  new MutationObserver(() => {
    if (w.__live === undefined && document.querySelector('.chat.live')) w.__live = at();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['class'] });
}

/**
 * Slows the page to Slow 3G and a 4× slower CPU, and lists the requests that went to the
 * network from then on (each paid the round trip; a redirect is one more), not those the
 * browser's cache answered.
 */
async function throttle(page: Page): Promise<{ network(): string[]; reset(): void }> {
  const cdp = await page.context().newCDPSession(page);
  const sent: { id: string; what: string }[] = [];
  const cached = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e) => sent.push({ id: e.requestId, what: `${e.request.method} ${new URL(e.request.url).pathname}` }));
  cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) cached.add(e.requestId);
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return {
    network: () => sent.filter((r) => !cached.has(r.id)).map((r) => r.what),
    reset: () => void sent.splice(0),
  };
}

const liveAt = (page: Page) => page.evaluate(() => (window as unknown as { __live?: number }).__live ?? null);

describeBrowser('the chat on Slow 3G with a 4× slower CPU', () => {
  const suite = browserSuite();
  const figures: Record<string, number> = {};
  const listed: string[] = [];

  beforeAll(async () => {
    await pairUp(suite.app.url, 'slow_sora', 'slow_minho');
  });

  it('opens the chat page cold and goes live; a message sent then reaches the partner', async () => {
    // the partner, on a fast network, sends after the slow phone is live
    const { page: minho } = await suite.open();
    await logIn(minho, 'slow_minho', undefined, '/chat');

    // logged in beforehand (fast), then a fresh profile with only the session cookie: an empty cache
    const { page: warmup, context: first } = await suite.open();
    await logIn(warmup, 'slow_sora', undefined, '/chat');
    const cookies = await first.cookies();
    const context = await newContext(first.browser()!, { baseURL: suite.app.url, locale: 'ko-KR', timezoneId: 'Asia/Seoul', ...PHONE });
    await context.addCookies(cookies);
    await context.addInitScript(markTimes);
    const sora = await context.newPage();
    const requests = await throttle(sora);

    await sora.goto('/chat', { waitUntil: 'commit', timeout: PATIENCE });
    await sora.locator('.chat.live').waitFor({ timeout: PATIENCE });
    const times = await sora.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0] ?? performance.getEntriesByType('paint')[0];
      return { paint: paint ? paint.startTime : null, origin: performance.timeOrigin };
    });
    const live = await liveAt(sora);
    figures['first paint of /chat (ms)'] = Math.round(times.paint ?? NaN);
    figures['chat live (ms)'] = Math.round((live ?? NaN) - times.origin);
    figures['requests until live'] = requests.network().length;
    listed.push(`/chat, cold, until live: ${requests.network().join(', ')}`);

    // the same phone again, its cache warm (scripts and styles are kept for good by their hashed names)
    requests.reset();
    await sora.goto('/chat', { waitUntil: 'commit', timeout: PATIENCE });
    await sora.locator('.chat.live').waitFor({ timeout: PATIENCE });
    const again = await sora.evaluate(() => ({ paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, origin: performance.timeOrigin }));
    figures['first paint of /chat again (ms)'] = Math.round(again.paint);
    figures['chat live again (ms)'] = Math.round((await liveAt(sora))! - again.origin);
    figures['requests until live again'] = requests.network().length;
    listed.push(`/chat again, until live: ${requests.network().join(', ')}`);

    await typeAndSend(minho, '느린 폰에도 왔어?');
    await expectConversation(sora, ['느린 폰에도 왔어?'], PATIENCE);
    await context.close();
  }, 120_000);

  it('logs in on the log-in page and lands in a live chat', async () => {
    const { page: sora } = await suite.open((browser, baseURL) =>
      newContext(browser, { baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul', ...PHONE }).then(async (context) => {
        await context.addInitScript(markTimes);
        return { context, page: await context.newPage() };
      }),
    );
    const requests = await throttle(sora);
    sora.context().setDefaultTimeout(PATIENCE);
    sora.context().setDefaultNavigationTimeout(PATIENCE);
    await sora.goto('/login', { timeout: PATIENCE });
    // as while a person types an ID and a password: what the page fetches meanwhile is done
    await sora.waitForLoadState('networkidle', { timeout: PATIENCE });
    requests.reset();
    await tryLogIn(sora, 'slow_sora', 'violet-Harbor-42');
    await sora.locator('.chat.live').waitFor({ timeout: PATIENCE });
    const submittedAt = Number(await sora.evaluate(() => sessionStorage.getItem('submittedAt')));
    figures['log-in → live chat (ms)'] = Math.round((await liveAt(sora))! - submittedAt);
    figures['requests log-in → live'] = requests.network().length;
    listed.push(`log-in → live: ${requests.network().join(', ')}`);
    expect(submittedAt).toBeGreaterThan(0);

    console.log('Slow 3G (2 s RTT, 50 KB/s) + 4× CPU, 360×740, cold cache:');
    console.table(figures);
    console.log(listed.join('\n'));
  }, 120_000);
});

describeBrowser('the chat’s stream, opened before the page’s script has arrived', () => {
  const suite = browserSuite();

  it('is asked for while the page, its script last, is still on its way; once the script runs the chat is live, and what the partner sent meanwhile shows once', async () => {
    await pairUp(suite.app.url, 'early_sora', 'early_minho');
    const { page: minho } = await suite.open();
    await logIn(minho, 'early_minho', undefined, '/chat');
    const { page: sora, context } = await suite.open();
    await logIn(sora, 'early_sora', undefined, '/chat');

    // little latency and little bandwidth: the page takes seconds to arrive, the stream's answer a moment
    const cdp = await context.newCDPSession(sora);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 16 * 1024, uploadThroughput: 16 * 1024 });
    let scriptRan = false;
    sora.once('domcontentloaded', () => (scriptRan = true)); // the page's script runs before it
    const streamAsked = sora.waitForRequest((r) => new URL(r.url()).pathname === '/chat/stream');
    await sora.goto('/chat', { waitUntil: 'commit' });
    await streamAsked;
    expect(scriptRan).toBe(false);
    await typeAndSend(minho, '스크립트보다 먼저 보낸 말');
    await sora.locator('.chat.live').waitFor({ state: 'attached', timeout: PATIENCE });
    expect(scriptRan).toBe(true);
    await expectConversation(sora, ['스크립트보다 먼저 보낸 말']);
    await typeAndSend(minho, '그다음 말');
    await expectConversation(sora, ['스크립트보다 먼저 보낸 말', '그다음 말']);
  }, 120_000);
});
