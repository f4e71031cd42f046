// The chat's event stream after a gap: replay by Last-Event-ID (header or the page's ?lastEventId=), exactly once.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { renderedEventId, send } from '../support/chatHttp';
import { suiteStreams, hasText, isDeleted, isMessage, messageIdsIn, SseStream } from '../support/sse';

describe.each(backends())('chat stream replay on $name', (backend) => {
  const { couple } = httpSuite(backend, { tag: 'rpl' });
  const { open, stream, caughtUp } = suiteStreams();

  describe('replay', () => {
    it('replays what was missed after a reconnect with Last-Event-ID, then stays live', async () => {
      const { a, b } = await couple();
      const m1 = await send(a, '첫 번째');
      const before = await stream(b, { query: `?lastEventId=0` });
      await before.waitFor(isMessage(m1));
      before.close(); // the subway tunnel
      const m2 = await send(a, '두 번째');
      const m3 = await send(a, '세 번째');
      await a.post(`/chat/messages/${m2}/delete`);
      const after = await before.reconnect();
      open.push(after);
      await caughtUp(after, 4);
      expect(after.events.map((e) => [e.id, e.event])).toEqual([
        ['2', 'message'],
        ['3', 'message'],
        ['4', 'deleted'],
      ]);
      expect(after.events.flatMap((e) => messageIdsIn(e.data))).toEqual([m2, m3, m2]);
      expect(after.events.some(isMessage(m1))).toBe(false);
      const m4 = await send(a, '네 번째');
      await after.waitFor(isMessage(m4));
      expect((await after.collectFor(200)).length + after.events.length).toBe(4);
    });

    it('covers the gap between rendering the page and connecting (?lastEventId= from the page)', async () => {
      const { a, b } = await couple();
      await send(a, '페이지에 있는 메시지');
      const page = await b.get('/chat');
      const seq = renderedEventId(page.text);
      const gap = await send(a, '그 사이에 온 메시지');
      const s = await stream(b, { query: `?lastEventId=${seq}` });
      const event = await s.waitFor(isMessage(gap));
      expect(Number(event.id)).toBeGreaterThan(seq);
      expect(s.events.filter(isMessage())).toHaveLength(1);
    });

    it('lets the larger of the header and the page’s number win', async () => {
      const { a, b } = await couple();
      const ids = [await send(a, '하나'), await send(a, '둘'), await send(a, '셋')];
      const headerWins = await stream(b, { query: '?lastEventId=1', lastEventId: 2 });
      const queryWins = await stream(b, { query: '?lastEventId=2', lastEventId: 1 });
      for (const s of [headerWins, queryWins]) {
        await caughtUp(s, 3);
        expect(s.events.map((e) => e.id)).toEqual(['3']);
        expect(messageIdsIn(s.events[0].data)).toEqual([ids[2]]);
      }
    });

    it('replays a gap longer than one batch completely and in order', async () => {
      const { a, b } = await couple();
      const s0 = await stream(b);
      s0.close();
      const ids: number[] = [];
      for (let i = 0; i < 210; i++) ids.push(await send(a, `밀린 메시지 ${i}`));
      const s = await stream(b, { lastEventId: 0 });
      await s.waitForCount(isMessage(), 210, 10_000);
      expect(s.events.map((e) => Number(e.id))).toEqual(Array.from({ length: 210 }, (_, i) => i + 1));
      expect(new Set(s.events.flatMap((e) => messageIdsIn(e.data)))).toEqual(new Set(ids));
    });

    it("a long replay does not keep the app to itself: the partner's delete, sent once it has begun, is served before it ends", async () => {
      const { a, b } = await couple();
      const total = 400;
      const ids: number[] = [];
      let started = 0;
      const sender = async () => {
        while (started < total) {
          started++;
          ids.push(await send(a, `긴 공백 동안의 메시지 ${started}`));
        }
      };
      await Promise.all(Array.from({ length: 4 }, sender));
      const last = Math.max(...ids);

      const long = await stream(b, { lastEventId: 0 });
      // the replay has begun: a deletes the newest message while it is still going out
      const deleted = await a.post(`/chat/messages/${last}/delete`, {}, { 'HX-Request': 'true' });
      expect(deleted.status).toBe(200);
      await long.waitFor(isDeleted(last), 20_000);
      await long.waitForCount(isMessage(), total, 20_000);
      // The delete was served while the replay was still going out, so the replay shows the
      // message already deleted. Had the replay kept the process to itself (as it did on
      // SQLite: every other request and stream waited), it would show the text, and the
      // deletion only as an event after it.
      const shown = long.events.find(isMessage(last))!;
      expect(shown.data).toContain('tombstone');
    }, 120_000);

    it('brings a claim beyond the log back to what exists, so later events still arrive', async () => {
      const { a, b } = await couple();
      await send(a, '하나');
      const s = await stream(b, { lastEventId: 1_000_000 });
      expect(await s.collectFor(200)).toEqual([]);
      const id = await send(a, '둘');
      expect((await s.waitFor(isMessage(id))).id).toBe('2');
    });

    it('treats a malformed Last-Event-ID as none: nothing old, live delivery still works', async () => {
      const { a, b } = await couple();
      await send(a, '옛날 얘기');
      const values = ['abc', '-1', '1e3', '1.5', ' 1', '99999999999999999999', '0x10', ''];
      const streams: [string, SseStream][] = [];
      for (const value of values) {
        streams.push([`header ${JSON.stringify(value)}`, await stream(b, { lastEventId: value })]);
        streams.push([`query ${JSON.stringify(value)}`, await stream(b, { query: `?lastEventId=${encodeURIComponent(value)}` })]);
      }
      for (const [name, s] of streams) expect(s.status, name).toBe(200);
      const id = await send(a, '지금 얘기');
      for (const [name, s] of streams) {
        await s.waitFor(isMessage(id));
        expect(s.events.map((e) => e.id), name).toEqual(['2']);
      }
    });

    it('survives repeated and bracketed ?lastEventId parameters', async () => {
      const { a, b } = await couple();
      await send(a, '옛날');
      for (const query of ['?lastEventId=0&lastEventId=1', '?lastEventId[]=0', '?lastEventId[a]=0', '?lastEventId=%00', '?lastEventId=%ZZ']) {
        const s = await stream(b, { query });
        expect(s.status, query).toBe(200);
      }
      const id = await send(a, '새로');
      for (const s of open.slice(-5)) {
        await s.waitFor(isMessage(id));
        expect(s.events.filter(hasText('옛날'))).toEqual([]);
      }
    });

    it('keeps a partner’s stream when one of their tabs closes', async () => {
      const { a, b } = await couple();
      const keep = await stream(b);
      const closing = await stream(b);
      closing.close();
      await new Promise((r) => setTimeout(r, 100));
      const id = await send(a, '남은 탭으로');
      await keep.waitFor(isMessage(id));
      // every stream of the couple gone, then back: a fresh channel works too
      keep.close();
      await new Promise((r) => setTimeout(r, 100));
      const again = await stream(b, { lastEventId: 1 });
      const next = await send(a, '다시 연결');
      await again.waitFor(isMessage(next));
      expect(again.events.map((e) => e.id)).toEqual(['2']);
    });
  });
});
