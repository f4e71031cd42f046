// A server restart in the middle of a conversation: streams are told to come back, and the
// new process replays from the database whatever was missed, numbering on where it left off.
import { afterEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { logIn } from '../support/client';
import { newCouple, renderedEventId, send, suiteInstances } from '../support/chatHttp';
import { isDeleted, isMessage, SseStream } from '../support/sse';

describe.each(backends())('chat across a restart on $name', (backend) => {
  const { suite, start } = suiteInstances(backend);
  const streams: SseStream[] = [];
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });

  it('tells open streams to come back soon when it stops', async () => {
    const first = await start();
    const { b } = await newCouple(first.url, suite.db, 'stop');
    const s = await SseStream.forClient(b);
    streams.push(s);
    await expect.poll(() => s.retry).toBe(2000);
    await first.close();
    await s.waitForEnd();
    expect(s.retry).toBe(1000);
  });

  it('replays on the new process what was sent while the old one was gone, then stays live', async () => {
    const first = await start();
    const c = await newCouple(first.url, suite.db, 'rst');
    const m1 = await send(c.a, '재시작 전에 보낸 말');
    const before = await SseStream.forClient(c.b, { query: '?lastEventId=0' });
    streams.push(before);
    await before.waitFor(isMessage(m1));
    await first.close();
    await before.waitForEnd();

    const second = await start();
    const a = await logIn(second.url, c.aLogin); // a's phone logs in again; b's session simply carries on
    await a.get('/chat');
    const m2 = await send(a, '서버가 다시 켜진 뒤 첫 메시지');
    const m3 = await send(a, '두 번째');
    await a.post(`/chat/messages/${m2}/delete`);

    const after = await before.reconnect(second.url);
    streams.push(after);
    expect(after.status).toBe(200);
    await after.waitFor(isDeleted(m2));
    expect(after.events.map((e) => [e.id, e.event])).toEqual([
      ['2', 'message'],
      ['3', 'message'],
      ['4', 'deleted'],
    ]);
    expect(after.events.some(isMessage(m1))).toBe(false);
    expect(after.events.some(isMessage(m3))).toBe(true);
    const m4 = await send(a, '이제 실시간');
    await after.waitFor(isMessage(m4));
    expect(after.events.filter(isMessage(m4))).toHaveLength(1);
    expect(after.events.at(-1)?.id).toBe('5');
  });

  it('resumes a page rendered before the restart from the number it shows', async () => {
    const first = await start();
    const c = await newCouple(first.url, suite.db, 'page');
    await send(c.a, '페이지에 보이는 말');
    const seq = renderedEventId((await c.b.get('/chat')).text);
    await first.close();
    const second = await start();
    const a = await logIn(second.url, c.aLogin);
    await a.get('/chat');
    const missed = await send(a, '페이지 이후의 말');
    const s = await SseStream.open(`${second.url}/chat/stream?lastEventId=${seq}`, { cookie: c.b.cookieHeader() });
    streams.push(s);
    await s.waitFor(isMessage(missed));
    expect(s.events.filter(isMessage())).toHaveLength(1);
  });
});
