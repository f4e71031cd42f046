// The 채팅 tab's unread count as the server renders it on every page of a couple (the live
// part is tests/e2e/unread.test.ts): my partner's messages after my read mark, deleted
// ones left out, never another couple's, and "99+" beyond 99.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import type { Client } from '../support/client';
import { send } from '../support/chatHttp';
import { httpSuite } from '../support/httpSuite';

const PAGE = { Accept: 'text/html,application/xhtml+xml' };

/** What the 채팅 tab of `path` says to a screen reader about unread messages ('' when nothing). */
async function unreadOn(client: Client, path = '/rank'): Promise<string> {
  const html = (await client.get(path, PAGE)).text;
  const tab = /<a class="tab" href="\/chat"[^>]*>([\s\S]*?)<\/a>/.exec(html)?.[1] ?? '';
  if (/class="tab-unread"[^>]*\shidden/.test(tab)) return '';
  // the tab keeps its name; the count is its description
  expect(html).toMatch(/<a class="tab" href="\/chat"[^>]* aria-describedby="chat-unread"/);
  return /<span class="sr-only" id="chat-unread">([^<]*)<\/span>/.exec(tab)?.[1] ?? '';
}

describe.each(backends())('the unread count on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'unrd' });

  it('counts the partner’s messages after my read mark, on every page, not my own and not deleted ones', async () => {
    const { a, b } = await couple();
    const first = await send(a, '하나');
    await send(a, '둘');
    const third = await send(a, '셋');
    await a.post(`/chat/messages/${third}/delete`);
    await send(b, '나도');
    for (const path of ['/rank', '/answers', '/calendar', '/account']) expect(await unreadOn(b, path), path).toBe('읽지 않은 메시지 2개');
    expect(await unreadOn(a)).toBe('읽지 않은 메시지 1개'); // b's, not a's own three

    expect((await b.post('/chat/read', { up_to: String(first) })).status).toBe(303);
    expect(await unreadOn(b)).toBe('읽지 않은 메시지 1개');
    expect(await unreadOn(b, '/chat')).toBe(''); // the chat shows the newest: all read, there already
    expect(await unreadOn(b)).toBe('');
  });

  it('never counts another couple’s messages', async () => {
    const ours = await couple();
    const theirs = await couple();
    await send(theirs.a, '다른 커플');
    expect(await unreadOn(ours.b)).toBe('');
    expect(await unreadOn(theirs.b)).toBe('읽지 않은 메시지 1개');
  });

  it('says 99+ beyond 99', async () => {
    const { b, aId, coupleId } = await couple();
    const rows = Array.from({ length: 120 }, (_, i) => ({ couple_id: coupleId, sender_id: aId, body: `m${i}`, client_id: `unread-${i}`, created_at: Date.now() }));
    for (let i = 0; i < rows.length; i += 40) await app.db('messages').insert(rows.slice(i, i + 40));
    const html = (await b.get('/rank', PAGE)).text;
    expect(html).toContain('<span class="tab-count">99+</span>');
    expect(await unreadOn(b)).toBe('읽지 않은 메시지 99개 넘게');
  });

  it('is left out of what is not a page (an htmx fragment)', async () => {
    const { a, b } = await couple();
    await send(a, '조각');
    expect((await b.get('/calendar', { ...PAGE, 'HX-Request': 'true' })).text).not.toContain('tab-unread');
  });
});
