// New messages are seen from anywhere: the 채팅 tab of every page counts my partner's
// messages I have not read (rendered by the server, kept live from the couple's stream), the
// title shows the count while the page is hidden, and the installed app's icon gets it
// through the Badging API. Two people: A sends over HTTP, B watches in Chromium at 360×740.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, SEE_TIMEOUT, touchPhone } from '../support/browser';
import { postMessage } from '../support/chatPages';
import { pairUp, type Client } from '../support/client';
import type { TestApp } from '../support/testApp';

const phone = touchPhone({ width: 360, height: 740 });

/**
 * What B's 채팅 tab says: the visible number ('' when none shows) and, to a screen reader,
 * its description (the tab's name stays 채팅, found by role and exact name).
 */
async function chatTab(page: Page): Promise<{ shown: string; said: string }> {
  const tab = page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '채팅', exact: true });
  const count = tab.locator('.tab-count');
  const shown = (await count.isVisible()) ? (await count.innerText()).trim() : '';
  const said = await tab.evaluate((a) => {
    const ids = (a.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  });
  return { shown, said };
}
const shownCount = async (page: Page) => (await chatTab(page)).shown;

/** The page believes it is hidden (another app in front), as a phone's browser tells it, or in front again. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Records what the page asks of the Badging API (the browser's own calls still run). */
function recordBadge() {
  const calls: string[] = [];
  (window as unknown as { __badge: string[] }).__badge = calls;
  const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  const set = nav.setAppBadge;
  const clear = nav.clearAppBadge;
  nav.setAppBadge = function (n?: number) {
    calls.push(`set ${n}`);
    return set ? set.call(navigator, n) : Promise.resolve();
  };
  nav.clearAppBadge = function () {
    calls.push('clear');
    return clear ? clear.call(navigator) : Promise.resolve();
  };
}
const badgeCalls = (page: Page) => page.evaluate(() => (window as unknown as { __badge: string[] }).__badge);

describeBrowser('unread messages on every page', () => {
  const suite = browserSuite();
  let app: TestApp;
  let a: Client;
  let page: Page;
  let bId = 0;

  beforeAll(async () => {
    app = suite.app;
    [a] = await pairUp(app.url, 'ur_mina', 'ur_junho');
    bId = Number((await app.db('users').where({ login_id: 'ur_junho' }).first('id')).id);
    const opened = await suite.open(phone);
    await opened.context.addInitScript(recordBadge);
    page = opened.page;
    await page.goto('/login');
    await logIn(page, 'ur_junho', undefined, '/chat');
  });

  it('counts up on the calendar’s 채팅 tab as the partner sends, without a reload', async () => {
    await page.goto('/calendar');
    expect(await chatTab(page)).toEqual({ shown: '', said: '' });
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    await postMessage(a, '응응');
    await expect.poll(() => shownCount(page), { timeout: SEE_TIMEOUT }).toBe('1');
    expect(await chatTab(page)).toEqual({ shown: '1', said: '읽지 않은 메시지 1개' });
    await postMessage(a, 'ㅋㅋㅋ');
    await expect.poll(() => shownCount(page), { timeout: SEE_TIMEOUT }).toBe('2');
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    await expect.poll(() => badgeCalls(page)).toContain('set 2');
  });

  it('shows the count on a page without a stream of its own, and keeps counting there', async () => {
    await page.goto('/answers');
    expect(await chatTab(page)).toEqual({ shown: '2', said: '읽지 않은 메시지 2개' });
    await postMessage(a, '알겠어');
    await expect.poll(() => shownCount(page), { timeout: SEE_TIMEOUT }).toBe('3');
  });

  it('is gone on every page once the chat has been read', async () => {
    await page.goto('/chat');
    await expect.poll(() => shownCount(page), { timeout: SEE_TIMEOUT }).toBe('');
    await expect.poll(async () => Number((await app.db('read_marks').where({ user_id: bId }).first('up_to'))?.up_to ?? 0)).toBeGreaterThan(0);
    await expect.poll(() => badgeCalls(page)).toContain('clear');
    for (const path of ['/calendar', '/answers', '/rank', '/account']) {
      await page.goto(path);
      expect(await chatTab(page), path).toEqual({ shown: '', said: '' });
    }
  });

  it('on the chat in front nothing counts; hidden, the title and the app icon show the count, and both go once it is seen', async () => {
    await page.goto('/chat');
    await page.locator('#messages').waitFor();
    await expect.poll(() => app.app.context.hub.isOnline(bId)).toBe(true);
    await postMessage(a, '좋아좋아');
    await page.locator('#messages li.msg', { hasText: '좋아좋아' }).waitFor();
    expect(await shownCount(page)).toBe('');
    expect(await page.title()).toBe('채팅 · 커플챗');

    await setHidden(page, true);
    await postMessage(a, 'ㅎㅎ');
    await expect.poll(() => page.title(), { timeout: SEE_TIMEOUT }).toBe('(1) 채팅 · 커플챗');
    expect(await shownCount(page)).toBe('1');
    await expect.poll(() => badgeCalls(page)).toContain('set 1');
    await postMessage(a, '그래그래');
    await expect.poll(() => page.title(), { timeout: SEE_TIMEOUT }).toBe('(2) 채팅 · 커플챗');

    const before = (await badgeCalls(page)).length;
    await setHidden(page, false);
    await expect.poll(() => page.title(), { timeout: SEE_TIMEOUT }).toBe('채팅 · 커플챗');
    await expect.poll(() => shownCount(page), { timeout: SEE_TIMEOUT }).toBe('');
    await expect.poll(async () => (await badgeCalls(page)).slice(before)).toContain('clear');
  });

  it('is in the page the server renders, for a browser without JavaScript', async () => {
    const { page: plain } = await suite.open(phone, { javaScriptEnabled: false });
    await plain.goto('/login');
    await logIn(plain, 'ur_junho', undefined, '/chat'); // the chat, which reads all there is
    await page.goto('/account'); // and the other browser's chat, which would read it, is closed
    await postMessage(a, '오케이');
    await plain.goto('/rank');
    expect(await chatTab(plain)).toEqual({ shown: '1', said: '읽지 않은 메시지 1개' });
  });
});
