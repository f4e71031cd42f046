// "입력 중…" over HTTP (POST /chat/typing): the partner's streams hear it, mine do not; it is
// ephemeral (no event id, nothing in the log or the database, nothing replayed after a
// reconnect) and throttled to one relayed signal per person every 2 s.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { eventCount, HX, send } from '../support/chatHttp';
import { Client, signUp } from '../support/client';
import { changes, snapshot } from '../support/dbSnapshot';
import { httpSuite } from '../support/httpSuite';
import { isMessage, suiteStreams, type SseEvent } from '../support/sse';

const isTyping = (e: SseEvent) => e.event === 'typing';

describe.each(backends())('typing signal on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'typ' });
  const { stream } = suiteStreams();

  it('reaches every stream of my partner at once, none of mine, and answers 204 with nothing', async () => {
    const { a, b } = await couple();
    const [partnerTab1, partnerTab2, myOtherTab] = [await stream(b), await stream(b), await stream(a)];
    const res = await a.post('/chat/typing', {}, HX);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const tab of [partnerTab1, partnerTab2]) {
      const event = await tab.waitFor(isTyping);
      expect(event.id, 'not an event of the log: no id').toBeNull();
    }
    // my own tab hears my next message but never my typing
    const id = await send(a, '다 썼다');
    await myOtherTab.waitFor(isMessage(id));
    expect(myOtherTab.events.filter(isTyping)).toEqual([]);
  });

  it('says "stopped" when I cleared the box (stopped=1), to my partner only, still nothing stored', async () => {
    const { a, b } = await couple();
    const partner = await stream(b);
    const mine = await stream(a);
    expect((await a.post('/chat/typing', {}, HX)).status).toBe(204);
    await partner.waitFor((e) => isTyping(e) && e.data === 'typing');
    expect((await a.post('/chat/typing', { stopped: '1' }, HX)).status).toBe(204);
    const stopped = await partner.waitFor((e) => isTyping(e) && e.data === 'stopped');
    expect(stopped.id).toBeNull();
    // anything else is a plain signal, never a 4xx or 500
    expect((await b.post('/chat/typing', { stopped: 'yes please' }, HX)).status).toBe(204);
    await mine.waitFor((e) => isTyping(e) && e.data === 'typing');
    expect(mine.events.filter((e) => isTyping(e) && e.data === 'stopped')).toEqual([]);
  });

  it('works without htmx too (a plain post answers 204)', async () => {
    const { a, b } = await couple();
    const partner = await stream(b);
    expect((await a.post('/chat/typing')).status).toBe(204);
    await partner.waitFor(isTyping);
  });

  it('stores nothing: the log and the database stay as they were, and a reconnect replays nothing of it', async () => {
    const { a, b, coupleId } = await couple();
    const first = await send(a, '처음 말');
    const mine = await stream(a, { lastEventId: 0 });
    await mine.waitFor(isMessage(first));
    const events = await eventCount(app.db, coupleId);
    const before = await snapshot(app.db);
    expect((await b.post('/chat/typing', {}, HX)).status).toBe(204);
    await mine.waitFor(isTyping);
    expect(changes(before, await snapshot(app.db))).toEqual([]);
    expect(await eventCount(app.db, coupleId)).toBe(events);
    // the typing event did not move the id a browser resumes from
    expect(mine.lastEventId).toBe(String(events));
    const again = await mine.reconnect();
    const second = await send(b, '다음 말');
    await again.waitFor(isMessage(second));
    expect(again.events.filter(isTyping), 'nothing of the typing is replayed').toEqual([]);
    expect(again.events.map((e) => e.id)).toEqual([String(events + 1)]);
  });

  it('relays at most one signal every 2 s per person; the extra posts still answer 204', async () => {
    const { a, b } = await couple();
    const partner = await stream(b);
    const start = Date.now();
    for (let i = 0; i < 5; i++) expect((await a.post('/chat/typing', {}, HX)).status).toBe(204);
    await partner.waitFor(isTyping);
    // b's own signal is b's to spend: it is not eaten by a's
    const mine = await stream(a);
    expect((await b.post('/chat/typing', {}, HX)).status).toBe(204);
    await mine.waitFor(isTyping);
    // a's next signal gets through once 2 s have passed since the first, not before
    await expect
      .poll(
        async () => {
          await a.post('/chat/typing', {}, HX);
          return partner.events.filter(isTyping).length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1_900);
  });

  it('sends a visitor to log-in and a single user to /pair, never a 500', async () => {
    const visitor = new Client(app.url);
    await visitor.get('/login');
    const anon = await visitor.post('/chat/typing', {}, HX);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('hx-redirect')).toBe('/login');
    expect((await visitor.post('/chat/typing')).location).toBe('/login');
    const single = await signUp(app.url, `typ_single_${Date.now() % 100000}`);
    await single.get('/pair');
    expect((await single.post('/chat/typing')).location).toBe('/pair');
    const { a } = await couple();
    expect((await a.post('/chat/typing', { _csrf: 'forged' })).status).toBe(403);
  });
});
