// The chat page and its history: the latest page, older pages, a jump to a message, days.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client } from '../support/client';
import { HX, messageItem, renderedEventId, send, shownMessageIds, type Couple } from '../support/chatHttp';

describe.each(backends())('chat history on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'hist' });

  /** `n` stored messages, alternating senders, a minute apart; returns their ids, oldest first. */
  async function history(c: Couple, n: number, start = Date.parse('2026-03-01T00:00:00Z')): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const [id] = await app.db('messages').insert({
        couple_id: c.coupleId,
        sender_id: i % 2 === 0 ? c.aId : c.bId,
        body: `기록 ${i + 1}번`,
        client_id: `hist-${c.coupleId}-${i}`,
        created_at: start + i * 60_000,
      });
      ids.push(Number(id));
    }
    return ids;
  }

  it('opens on the newest 50 messages, oldest first, with a link to older ones', async () => {
    const c = await couple();
    const ids = await history(c, 60);
    const page = await c.a.get('/chat');
    expect(page.status).toBe(200);
    expect(shownMessageIds(page.text)).toEqual(ids.slice(10));
    expect(page.text).toContain(`href="/chat/messages?before=${ids[10]}"`);
    expect(Client.visible(page.text)).toContain('이전 메시지 보기');
    // without JavaScript (or until the live script has its stream open) a link reloads the page for new messages
    const refresh = /<p class="refresh" id="refresh"><a href="(\/chat[^"#]*)#latest">새 메시지 확인<\/a>/.exec(page.text);
    expect(refresh).not.toBeNull();
    expect((await c.a.get(refresh![1].replace(/&amp;/g, '&'))).status).toBe(200);
  });

  it('loads older messages as a fragment for htmx, and as a page without JavaScript', async () => {
    const c = await couple();
    const ids = await history(c, 60);
    const hx = await c.a.get(`/chat/messages?before=${ids[10]}`, HX);
    expect(hx.status).toBe(200);
    expect(hx.text).not.toContain('<html');
    expect(shownMessageIds(hx.text)).toEqual(ids.slice(0, 10));
    expect(hx.text).not.toContain('이전 메시지 보기'); // nothing older left
    const plain = await c.a.get(`/chat/messages?before=${ids[10]}`);
    expect(plain.status).toBe(200);
    expect(plain.text).toContain('<html');
    expect(shownMessageIds(plain.text)).toContain(ids[9]);
    expect(Client.visible(plain.text)).toContain('최신 대화로 돌아가기');
  });

  it('pages through a long history with no message missing or repeated', async () => {
    const c = await couple();
    const ids = await history(c, 130);
    const seen = shownMessageIds((await c.b.get('/chat')).text);
    for (let guard = 0; guard < 10 && seen[0] !== ids[0]; guard++) {
      seen.unshift(...shownMessageIds((await c.b.get(`/chat/messages?before=${seen[0]}`, HX)).text));
    }
    expect(seen).toEqual(ids);
  });

  it('opens the history around a message (from a search result), with a way back to the latest', async () => {
    const c = await couple();
    const ids = await history(c, 120);
    const target = ids[40];
    const page = await c.b.get(`/chat?around=${target}`);
    expect(page.status).toBe(200);
    const shown = shownMessageIds(page.text);
    expect(shown).toContain(target);
    expect(shown).toContain(ids[39]);
    expect(shown).toContain(ids[41]);
    expect(shown).not.toContain(ids[119]);
    expect(Client.visible(page.text)).toContain('지난 대화');
    expect(page.text).toContain(`href="/chat/messages?after=${shown.at(-1)}"`);
    expect(page.text).not.toContain('sse-connect="'); // a page of history does not stream
    const newer = await c.b.get(`/chat/messages?after=${shown.at(-1)}`, HX);
    expect(shownMessageIds(newer.text)[0]).toBe(ids[ids.indexOf(shown.at(-1)!) + 1]);
  });

  it('answers 404 for a message of another couple, or none, in ?around=', async () => {
    const c = await couple();
    const other = await couple();
    const theirs = await send(other.a, '우리끼리 비밀');
    const res = await c.a.get(`/chat?around=${theirs}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('우리끼리 비밀');
    expect((await c.a.get(`/chat?around=${theirs + 100_000}`)).status).toBe(404);
  });

  it('never shows another couple’s messages in an older or newer page', async () => {
    const c = await couple();
    const other = await couple();
    const mine = await history(c, 3);
    await history(other, 3);
    const theirs = await send(other.b, '다른 커플 최신');
    const older = await c.a.get(`/chat/messages?before=${theirs + 1}`, HX);
    expect(shownMessageIds(older.text)).toEqual(mine);
    const newer = await c.a.get(`/chat/messages?after=1`, HX);
    expect(shownMessageIds(newer.text)).toEqual(mine);
    expect(older.text + newer.text).not.toContain('다른 커플');
  });

  it('puts a day separator where the day changes in Seoul, and shows Seoul times', async () => {
    const c = await couple();
    const last28 = Date.parse('2026-11-28T14:59:59.999Z');
    const first29 = Date.parse('2026-11-28T15:00:00.000Z');
    for (const [i, at] of [last28, first29, first29 + 3_600_000].entries()) {
      await app.db('messages').insert({ couple_id: c.coupleId, sender_id: c.aId, body: `경계 ${i}`, client_id: `edge-${c.coupleId}-${i}`, created_at: at });
    }
    const page = (await c.b.get('/chat')).text;
    expect([...page.matchAll(/<li class="day" data-day="([\d-]+)">/g)].map((m) => m[1])).toEqual(['2026-11-28', '2026-11-29']);
    expect(Client.visible(page)).toContain('2026년 11월 28일 토요일');
    expect(Client.visible(page)).toContain('2026년 11월 29일 일요일');
    expect([...page.matchAll(/<time [^>]*>([^<]+)<\/time>/g)].map((m) => m[1])).toEqual(['오후 11:59', '오전 12:00', '오전 1:00']);
  });

  it('shows days and times in the viewer’s own zone when the account sets one', async () => {
    const c = await couple();
    await app.db('users').where({ id: c.bId }).update({ time_zone: 'America/New_York' });
    for (const [i, at] of [Date.parse('2026-11-28T14:59:59.999Z'), Date.parse('2026-11-28T15:00:00.000Z')].entries()) {
      await app.db('messages').insert({ couple_id: c.coupleId, sender_id: c.aId, body: `뉴욕 ${i}`, client_id: `ny-${c.coupleId}-${i}`, created_at: at });
    }
    const page = (await c.b.get('/chat')).text;
    expect([...page.matchAll(/data-day="([\d-]+)"/g)].map((m) => m[1])).toEqual(['2026-11-28']);
    expect([...page.matchAll(/<time [^>]*>([^<]+)<\/time>/g)].map((m) => m[1])).toEqual(['오전 9:59', '오전 10:00']);
  });

  it('renders the newest event number for the stream to resume from', async () => {
    const c = await couple();
    expect(renderedEventId((await c.a.get('/chat')).text)).toBe(0);
    await send(c.a, '하나');
    await send(c.a, '둘');
    // b opening the chat reads both (one more event), and the page already counts it
    const page = (await c.b.get('/chat')).text;
    expect(renderedEventId(page)).toBeGreaterThanOrEqual(2);
    expect(renderedEventId((await c.a.get('/chat')).text)).toBe(3);
  });

  it('shows the empty state to a new couple', async () => {
    const c = await couple();
    const page = await c.a.get('/chat');
    expect(Client.visible(page.text)).toContain('아직 대화가 없어요. 첫 인사를 건네 보세요!');
    expect(Client.visible(page.text)).toContain(`${c.bLogin} 님과의 대화`);
    expect(messageItem(page.text, 1)).toBe('');
  });
});
