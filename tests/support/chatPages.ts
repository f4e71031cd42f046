// What a person sees on the chat page, read from real Chromium: the messages in order,
// which side each sits on, and the composer. Shared by the chat e2e files.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { newContext, SEE_TIMEOUT } from './browser';
import { Client, type Reply } from './client';

/** A phone: 390×760, Korean, Seoul time. */
export async function phoneContext(
  browser: Browser,
  baseURL: string,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, {
    baseURL,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    viewport: { width: 390, height: 760 },
    ...options,
  });
  return { context, page: await context.newPage() };
}

export interface ShownMessage {
  id: string | null;
  text: string;
  /** 'a' or 'b': the sender's side, from the message's class */
  from: string;
  pending: boolean;
  failed: boolean;
  /** on the right of the list (where my own messages sit) */
  right: boolean;
  /** the <time> the user sees under the bubble, and its datetime */
  time: string;
  datetime: string | null;
  unreadVisible: boolean;
}

/** Every message bubble in the list, top to bottom, as the user sees it. */
export function shownMessages(page: Page): Promise<ShownMessage[]> {
  return page.evaluate(() => {
    const list = document.getElementById('messages')!;
    const box = list.getBoundingClientRect();
    return Array.from(list.querySelectorAll<HTMLElement>(':scope > li.msg')).map((li) => {
      const r = li.getBoundingClientRect();
      const unread = li.querySelector<HTMLElement>('.unread');
      const time = li.querySelector('time');
      return {
        id: li.getAttribute('data-id'),
        text: (li.querySelector<HTMLElement>('.text')?.innerText ?? '').trim(),
        from: /\bfrom-(a|b)\b/.exec(li.className)?.[1] ?? '?',
        pending: li.classList.contains('pending'),
        failed: li.classList.contains('failed'),
        right: box.right - r.right < r.left - box.left,
        time: time?.textContent?.trim() ?? '',
        datetime: time?.getAttribute('datetime') ?? null,
        unreadVisible: unread !== null && unread.offsetParent !== null && getComputedStyle(unread).display !== 'none',
      };
    });
  });
}

/** The texts of the stored (not pending) messages, in order. */
export async function shownTexts(page: Page): Promise<string[]> {
  return (await shownMessages(page)).filter((m) => m.id !== null).map((m) => m.text);
}

/** Waits until the page shows exactly these stored messages, in this order. */
export async function expectConversation(page: Page, texts: string[], timeout = SEE_TIMEOUT): Promise<void> {
  await expect.poll(() => shownTexts(page), { timeout }).toEqual(texts);
}

/** The side ('a' | 'b') the page says is "me". */
export async function mySide(page: Page): Promise<string> {
  const section = page.locator('section.chat');
  const side = await section.getAttribute('data-me');
  expect(await section.getAttribute('class')).toContain(`me-${side}`);
  return side ?? '?';
}

export const composer = (page: Page): Locator => page.getByLabel('메시지', { exact: true });

/** Types a message (lines joined with Shift+Enter) and sends it with Enter. */
export async function typeAndSend(page: Page, text: string): Promise<void> {
  const box = composer(page);
  const [first, ...rest] = text.split('\n');
  await box.fill(first);
  for (const line of rest) {
    await box.press('Shift+Enter');
    await page.keyboard.insertText(line);
  }
  expect(await box.inputValue()).toBe(text);
  await box.press('Enter');
}

export const focusedId = (page: Page): Promise<string | null> => page.evaluate(() => document.activeElement?.id ?? null);

/** Day separators as the user sees them, and the distinct Seoul days of the messages shown. */
export async function daysShown(page: Page): Promise<{ separators: string[]; days: string[] }> {
  return page.evaluate(() => {
    const list = document.getElementById('messages')!;
    const separators = Array.from(list.querySelectorAll<HTMLElement>(':scope > li.day')).map((d) => d.innerText.trim());
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' });
    const days = Array.from(
      new Set(Array.from(list.querySelectorAll(':scope > li.msg time')).map((t) => fmt.format(new Date(t.getAttribute('datetime')!)))),
    );
    return { separators, days };
  });
}

/** A client's chat page, so that its CSRF token is fresh; then a message with a random client_id. */
export async function postMessage(client: Client, body: string): Promise<Reply> {
  if (!client.csrf) await client.get('/chat');
  const res = await client.post('/chat/messages', { body, client_id: `e2e-${Math.random().toString(36).slice(2, 14)}` });
  if (res.status !== 303) throw new Error(`sending "${body}" failed: ${res.status}`);
  return res;
}

/**
 * A phone losing its network. context.setOffline fails every new request, but Chromium
 * keeps a connection that is already open (the event stream) alive, which a real loss of
 * signal would not: so the server side of that person's open streams is cut as well.
 */
export function networkOf(server: Server) {
  const streams = new Set<{ cookie: string; socket: Socket }>();
  server.on('request', (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/chat/stream')) return;
    const entry = { cookie: req.headers.cookie ?? '', socket: req.socket };
    streams.add(entry);
    // A stream is over when its response is (the socket may live on, kept alive for other
    // requests, after the server ended a stream or the browser replaced it).
    const over = () => streams.delete(entry);
    res.once('close', over);
    req.socket.once('close', over);
  });
  return {
    /** Goes offline; returns how many open streams of this person were cut. */
    async lose(context: BrowserContext): Promise<number> {
      await context.setOffline(true);
      const sid = (await context.cookies()).find((c) => c.name === 'cc.sid');
      if (!sid) throw new Error('not logged in');
      let cut = 0;
      for (const entry of streams) {
        if (!entry.cookie.split(/;\s*/).includes(`${sid.name}=${sid.value}`)) continue;
        entry.socket.destroy();
        streams.delete(entry);
        cut++;
      }
      return cut;
    },
    restore: (context: BrowserContext) => context.setOffline(false),
  };
}
