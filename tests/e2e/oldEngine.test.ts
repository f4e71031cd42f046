// The chat in a browser without the newer CSS and <dialog> (Chrome < 84, iOS < 14.1 for flex
// `gap`; no :has() before Chrome 105 / iOS 15.4; `field-sizing` only in Chromium; <dialog>
// from iOS 15.4), simulated in Chromium: the stylesheet loses what such a browser would
// ignore (every `gap`, every rule with :has(), `field-sizing`), CSS.supports says no to
// field-sizing, HTMLDialogElement is gone, and a <dialog> is the unknown element it would be. What the user sees must still look intended: bubbles apart, a photo
// without a coloured bubble, a composer that grows with the lines typed, no empty preview
// box, and a tapped photo that opens.
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, newContext } from '../support/browser';
import { composer, postMessage } from '../support/chatPages';
import { newClientId } from '../support/chatHttp';
import { pairUp } from '../support/client';
import { filePart, jpeg, upload } from '../support/uploads';
import { testClock } from '../support/clock';
import { dayOf } from '../../src/time';

/** The stylesheet as an older engine applies it: without what it does not know. */
export function asOldEngine(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/[^{}]*:has\([^{]*\{[^{}]*\}/g, '') // a rule with :has() in its selector is dropped whole
    .replace(/(^|[;{\s])((row-|column-)?gap)\s*:[^;}]*;?/g, '$1')
    .replace(/field-sizing\s*:[^;}]*;?/g, '');
}

const oldPhone = async (browser: Browser, baseURL: string) => {
  const context = await newContext(browser, { baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: { width: 360, height: 740 } });
  await context.route((url) => url.pathname.endsWith('.css'), async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: asOldEngine(await res.text()) });
  });
  // the chat carries its style sheet in the page, allowed by its hash: the old engine's sheet gets its own
  await context.route('**/chat', async (route) => {
    const res = await route.fetch();
    const html = await res.text();
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    if (css === undefined) return route.fulfill({ response: res, body: html });
    const old = asOldEngine(css);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const headers = { ...res.headers(), 'content-security-policy': res.headers()['content-security-policy'].replace(hash(css), hash(old)) };
    await route.fulfill({ response: res, headers, body: html.replace(`<style>${css}</style>`, () => `<style>${old}</style>`) });
  });
  await context.addInitScript(() => {
    const supports = CSS.supports.bind(CSS);
    CSS.supports = ((...args: string[]) => !args.join(' ').includes('field-sizing') && (supports as (...a: string[]) => boolean)(...args)) as typeof CSS.supports;
    delete (window as { HTMLDialogElement?: unknown }).HTMLDialogElement;
    // <dialog> unknown: the page's preview is an element like any other, drawn as such
    document.addEventListener('DOMContentLoaded', () => {
      for (const dialog of Array.from(document.querySelectorAll('dialog'))) {
        const unknown = document.createElement('x-dialog');
        for (const { name, value } of Array.from(dialog.attributes)) unknown.setAttribute(name, value);
        unknown.append(...Array.from(dialog.childNodes));
        dialog.replaceWith(unknown);
      }
    });
  });
  return { context, page: await context.newPage() };
};

describeBrowser('the chat on a browser without the newer CSS and <dialog>', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    const [ara] = await pairUp(suite.app.url, 'ara_old', 'bomi_old');
    for (const text of ['안녕', '뭐 해?', '그냥 있어']) await postMessage(ara, text);
    const sent = await upload(ara, [{ name: 'client_id', value: newClientId() }, filePart('노을.jpg', await jpeg(640, 480), 'image/jpeg')]);
    expect(sent.status).toBe(303);
    await postMessage(ara, '예쁘지?');
  });

  it('keeps bubbles apart, a photo without a bubble, a growing composer, no empty preview box, and a photo that opens', async () => {
    const { page } = await suite.open(oldPhone);
    await logIn(page, 'bomi_old', undefined, '/chat');
    await page.locator('#messages .photo img').waitFor();
    // the simulation holds: the stylesheet has no gap, :has() or field-sizing, and no <dialog> class
    expect(await page.evaluate(() => Array.from(document.styleSheets).flatMap((s) => Array.from(s.cssRules).map((r) => r.cssText)).join('\n'))).not.toMatch(/:has\(|field-sizing|\bgap:/);
    expect(await page.evaluate(() => 'HTMLDialogElement' in window)).toBe(false);

    // consecutive bubbles have room between them
    const gaps = await page.evaluate(() => {
      const items = Array.from(document.querySelectorAll<HTMLElement>('#messages > li.msg'));
      return items.slice(1).map((li, i) => Math.round(li.getBoundingClientRect().top - items[i].getBoundingClientRect().bottom));
    });
    expect(gaps.length).toBeGreaterThan(2);
    for (const gap of gaps) expect(gap, `spaces between bubbles: ${gaps}`).toBeGreaterThanOrEqual(4);

    // a photo alone has no coloured bubble around it
    expect(await page.locator('.bubble', { has: page.locator('.photo') }).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(0, 0, 0, 0)');

    // the composer grows with four lines typed
    const box = composer(page);
    const oneLine = (await box.boundingBox())!.height;
    await box.click();
    await page.keyboard.type('첫째 줄');
    for (const line of ['둘째 줄', '셋째 줄', '넷째 줄']) {
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type(line);
    }
    await expect.poll(async () => (await box.boundingBox())!.height).toBeGreaterThan(oneLine * 2);
    expect(await box.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1); // every line shows

    // the closed preview is nowhere on the page, and tapping the photo opens it
    expect(await page.locator('#preview').evaluate((el) => el.checkVisibility())).toBe(false);
    await page.locator('#messages .photo').click();
    await page.waitForURL(/\/files\/\d+$/);
    expect(await page.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(640);
  });
});

/**
 * The space between each flex container's neighbouring items, by the item's place in the
 * page: beside each other on one line, or one above the other.
 */
function flexSpacing(): Record<string, number> {
  const place = (el: Element): string => {
    const parts: string[] = [];
    for (let at: Element | null = el; at && at !== document.body; at = at.parentElement) parts.unshift(`${at.tagName}${Array.prototype.indexOf.call(at.parentElement!.children, at)}`);
    return parts.join('>');
  };
  const spacing: Record<string, number> = {};
  for (const box of Array.from(document.querySelectorAll('body *'))) {
    if (!getComputedStyle(box).display.includes('flex')) continue;
    const items = Array.from(box.children).filter((item) => {
      const style = getComputedStyle(item);
      const rect = item.getBoundingClientRect();
      return style.position !== 'absolute' && style.position !== 'fixed' && rect.width > 1 && rect.height > 1;
    });
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1].getBoundingClientRect(), items[i].getBoundingClientRect()];
      const oneLine = a.top < b.bottom - 1 && b.top < a.bottom - 1;
      spacing[place(items[i])] = Math.round(oneLine ? b.left - a.right : b.top - a.bottom);
    }
  }
  return spacing;
}

describeBrowser('the other pages on a browser without flex gap', () => {
  const suite = browserSuite();

  beforeAll(async () => {
    const [ara] = await pairUp(suite.app.url, 'ara_gap', 'bomi_gap');
    for (const text of ['안녕', '뭐 해?', '그냥 있어']) await postMessage(ara, text);
    // a plan today and a word left out of the ranking: their rows of controls show
    expect((await ara.post('/calendar/events', { date: dayOf(testClock.now(), 'Asia/Seoul'), title: '사과 따기' })).status).toBe(303);
    expect((await ara.post('/rank/excluded', { word: '그냥', n: '3' })).status).toBe(303);
  });

  it('keeps apart what flex gap keeps apart: buttons, icons and their labels, tabs, rows of controls', async () => {
    const pages = ['/chat', '/account', '/rank', '/calendar', '/answers', '/chat/search', '/album'];
    const spaced = async (page: import('playwright-core').Page) => {
      const all: Record<string, Record<string, number>> = {};
      for (const path of pages) {
        await page.goto(path);
        all[path] = await page.evaluate(flexSpacing);
      }
      return all;
    };
    const { page: now } = await suite.open((browser, baseURL) => newContext(browser, { baseURL, locale: 'ko-KR', viewport: { width: 360, height: 740 } }).then(async (context) => ({ context, page: await context.newPage() })));
    await logIn(now, 'bomi_gap', undefined, '/chat');
    const { page: old } = await suite.open(oldPhone);
    await logIn(old, 'bomi_gap', undefined, '/chat');
    const [modern, older] = [await spaced(now), await spaced(old)];
    const touching: string[] = [];
    for (const path of pages)
      for (const [place, space] of Object.entries(modern[path]))
        if (space >= 2 && place in older[path] && older[path][place] < 2) touching.push(`${path} ${place}: ${space} → ${older[path][place]}`);
    expect(touching).toEqual([]);
  });
});
