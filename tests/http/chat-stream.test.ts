// The chat's event stream (GET /chat/stream): connecting, live delivery to both partners and all their tabs, isolation between couples.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, signUp } from '../support/client';
import { HX, send, sendForm, sendHx } from '../support/chatHttp';
import { suiteStreams, DELIVERY_MS, isDeleted, isMessage, isRead, messageIdsIn, SseStream } from '../support/sse';
import { testClock } from '../support/clock';

describe.each(backends())('chat stream on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'str' });
  const { open, stream, caughtUp } = suiteStreams();

  describe('connecting', () => {
    it('refuses a visitor and someone without a partner with 401', async () => {
      const visitor = await SseStream.open(`${app.url}/chat/stream`);
      open.push(visitor);
      expect(visitor.status).toBe(401);
      await visitor.waitForEnd();
      const single = await signUp(app.url, `lonely_${Date.now() % 100000}`);
      const refused = await stream(single);
      expect(refused.status).toBe(401);
      expect(refused.events).toEqual([]);
      const forged = await SseStream.open(`${app.url}/chat/stream`, { cookie: 'cc.sid=forged; cc.sid.sig=forged' });
      open.push(forged);
      expect(forged.status).toBe(401);
    });

    it('refuses a stream after log-out (the session is gone)', async () => {
      const { a } = await couple();
      await a.get('/chat');
      const cookie = a.cookieHeader();
      await a.post('/logout');
      const s = await SseStream.open(`${app.url}/chat/stream`, { cookie });
      open.push(s);
      expect(s.status).toBe(401);
    });

    it('answers 405 to anything but GET', async () => {
      const { a } = await couple();
      const res = await a.request('POST', '/chat/stream', { body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(405);
    });

    it('sends its first bytes at once: ":ok" and "retry: 2000", unbuffered and uncached', async () => {
      const { a } = await couple();
      const s = await stream(a);
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(s.headers['cache-control']).toContain('no-cache');
      expect(s.headers['x-accel-buffering']).toBe('no');
      expect(s.headers['set-cookie']).toBeUndefined(); // the stream never writes the session
      await expect.poll(() => s.raw, { timeout: DELIVERY_MS }).toMatch(/^:ok\n\nretry: 2000\n/);
    });

    it('sends nothing old on a first connect', async () => {
      const { a, b } = await couple();
      await send(a, '예전 메시지 1');
      await send(a, '예전 메시지 2');
      const s = await stream(b);
      expect(await s.collectFor(300)).toEqual([]);
      const id = await send(a, '새 메시지');
      const event = await s.waitFor(isMessage(id));
      expect(event.id).toBe('3');
      expect(s.events).toHaveLength(1);
    });
  });

  describe('delivery', () => {
    it('delivers a message to the partner and to every tab of the sender, as an htmx out-of-band append', async () => {
      const { a, b } = await couple();
      const partner = await stream(b);
      const tab1 = await stream(a);
      const tab2 = await stream(a);
      expect((await sendForm(a, '잘 자, 내 꿈 꿔 💕')).status).toBe(303);
      for (const s of [partner, tab1, tab2]) {
        const event = await s.waitFor(isMessage());
        expect(event.id).toBe('1');
        expect(event.data).toMatch(/^<div hx-swap-oob="beforeend:#messages">/);
        expect(messageIdsIn(event.data)).toHaveLength(1);
        expect(Client.visible(event.data)).toContain('잘 자, 내 꿈 꿔 💕');
        expect(event.data).toMatch(/<span class="unread" id="u-\d+"/); // the "1" until read
      }
      expect(partner.events[0].data).toBe(tab1.events[0].data); // one HTML for both sides
    });

    it('brings a day separator with the first message of a new day', async () => {
      const c = await couple();
      await app.db('messages').insert({ couple_id: c.coupleId, sender_id: c.bId, body: '어제 한 말', client_id: 'yesterday-1', created_at: testClock.now() - 86_400_000 });
      const s = await stream(c.b);
      const first = await send(c.a, '오늘 첫 마디');
      const second = await send(c.a, '오늘 둘째 마디');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(testClock.now());
      const [withDay, without] = [await s.waitFor(isMessage(first)), await s.waitFor(isMessage(second))];
      expect(withDay.data).toContain(`<li class="day" data-day="${today}">`);
      expect(without.data).not.toContain('class="day"');
    });

    it('keeps line breaks in a message, and a message cannot forge stream fields', async () => {
      const { a, b } = await couple();
      const s = await stream(b);
      const id = await send(a, '첫 줄\n\nid: 999\nevent: deleted\ndata: <b>가짜</b>\n\n끝');
      const event = await s.waitFor(isMessage(id));
      expect(await s.collectFor(200)).toEqual([]);
      expect(s.events).toHaveLength(1);
      expect(event.id).toBe('1');
      expect(event.data).toContain('첫 줄\n\nid: 999\nevent: deleted\ndata: &lt;b&gt;가짜&lt;/b&gt;\n\n끝');
    });

    it('sends nothing to another couple, whose events are numbered on their own', async () => {
      const us = await couple();
      const them = await couple();
      const ours = await stream(us.b);
      const theirs = await stream(them.b);
      const theirsToo = await stream(them.a);
      const id = await send(us.a, '우리 둘만 아는 이야기');
      await ours.waitFor(isMessage(id));
      expect(await theirs.collectFor(300)).toEqual([]);
      expect(theirsToo.events).toEqual([]);
      const their = await send(them.a, '우리도');
      const event = await theirs.waitFor(isMessage(their));
      expect(event.id).toBe('1');
      expect(event.data).not.toContain('우리 둘만 아는 이야기');
      expect(await ours.collectFor(200, isMessage(their))).toEqual([]);
    });

    it('shows each partner the time in their own zone', async () => {
      const { a, b, bId } = await couple();
      await app.db('users').where({ id: bId }).update({ time_zone: 'America/Los_Angeles' });
      const seoul = await stream(a);
      const la = await stream(b);
      const id = await send(a, '지금 몇 시야?');
      const [inSeoul, inLa] = [await seoul.waitFor(isMessage(id)), await la.waitFor(isMessage(id))];
      const at = Date.parse(/datetime="([^"]+)"/.exec(inSeoul.data)![1]);
      const clock = (zone: string) => {
        const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(at));
        const minute = new Date(at).getUTCMinutes();
        return `${hour < 12 ? '오전' : '오후'} ${hour % 12 === 0 ? 12 : hour % 12}:${String(minute).padStart(2, '0')}`;
      };
      expect(inSeoul.data).toContain(`>${clock('Asia/Seoul')}</time>`);
      expect(inLa.data).toContain(`>${clock('America/Los_Angeles')}</time>`);
    });

    it('delivers a deletion to both as the tombstone replacing the message', async () => {
      const { a, b } = await couple();
      const id = await send(a, '실수로 보낸 말');
      const sa = await stream(a);
      const sb = await stream(b);
      expect((await a.post(`/chat/messages/${id}/delete`)).status).toBe(303);
      for (const s of [sa, sb]) {
        const event = await s.waitFor(isDeleted(id));
        expect(event.id).toBe('2');
        expect(event.data).toMatch(new RegExp(`^\\s*<li class="msg from-[ab] deleted" id="m-${id}"[^>]* hx-swap-oob="outerHTML">`));
        expect(event.data).toContain('삭제된 메시지입니다');
        expect(event.data).not.toContain('실수로 보낸 말');
      }
      await a.post(`/chat/messages/${id}/delete`);
      expect(await sb.collectFor(300)).toEqual([]); // deleting twice announces nothing
      expect(sb.events).toHaveLength(1);
    });

    it('speaks each partner’s own language in what it sends', async () => {
      const { a, b } = await couple();
      await b.get('/account');
      expect((await b.post('/account/settings', { language: 'en', week_start: '0', time_zone: '' })).status).toBe(303);
      const id = await send(a, 'bye');
      const ko = await stream(a);
      const en = await stream(b);
      await a.post(`/chat/messages/${id}/delete`);
      expect((await ko.waitFor(isDeleted(id))).data).toContain('삭제된 메시지입니다');
      const english = await en.waitFor(isDeleted(id));
      expect(english.data).toContain('This message was deleted');
      expect(english.data).not.toContain('삭제된');
    });

    it('takes the "1" away live on the sender’s screen when the partner reads', async () => {
      const { a, b } = await couple();
      const sender = await stream(a);
      const [m1, m2] = [await send(a, '보고 싶다'), await send(a, '언제 와?')];
      await sender.waitForCount(isMessage(), 2);
      expect((await b.post('/chat/read', { up_to: String(m2) }, HX)).status).toBe(204);
      const read = await sender.waitFor(isRead());
      expect(read.id).toBe('3');
      expect(read.data).toContain(`<span id="u-${m1}" data-oob-optional hx-swap-oob="delete"></span>`);
      expect(read.data).toContain(`<span id="u-${m2}" data-oob-optional hx-swap-oob="delete"></span>`);
      await b.post('/chat/read', { up_to: String(m2) }, HX); // nothing new read: no event
      expect(await sender.collectFor(300)).toEqual([]);
    });

    it('counts opening the chat page as reading, live for the sender', async () => {
      const { a, b, bId } = await couple();
      const sender = await stream(a);
      const id = await send(a, '읽으면 알려줘');
      await sender.waitFor(isMessage(id));
      await b.get('/chat');
      const read = await sender.waitFor(isRead(id));
      // who read up to where (for the 채팅 tab's count on every page), then the "1" that goes
      expect(read.data).toBe(`<i hidden data-reader="${bId}" data-to="${id}"></i><span id="u-${id}" data-oob-optional hx-swap-oob="delete"></span>`);
    });

    it('delivers every event exactly once, in order, while both partners send and read at the same time', async () => {
      const { a, b } = await couple();
      const sa = await stream(a);
      const sb = await stream(b);
      const first = await send(a, '시작');
      // two people typing fast, each page reporting what it has read: 8 sends and a read at once
      const sends = Array.from({ length: 8 }, (_, i) => sendHx(i % 2 ? b : a, `동시 ${i}`));
      const read = b.post('/chat/read', { up_to: String(first) }, HX);
      const replies = await Promise.all([...sends, read]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 204]);
      const ids = [first, ...replies.slice(0, 8).flatMap((r) => messageIdsIn(r.text))];
      for (const s of [sa, sb]) {
        await caughtUp(s, 10);
        expect(await s.collectFor(200)).toEqual([]);
        expect(s.events.map((e) => Number(e.id))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
        expect(s.events.filter(isRead())).toHaveLength(1);
        const delivered = s.events.filter(isMessage()).flatMap((e) => messageIdsIn(e.data));
        expect(delivered.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
      }
    });
  });
});
