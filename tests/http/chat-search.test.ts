// Searching the conversation: by word, by day in the viewer's zone, by sender, paged.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client } from '../support/client';
import { HX, messageItem, send, type Couple } from '../support/chatHttp';
import { filePart, jpeg, upload } from '../support/uploads';
import { testClock } from '../support/clock';

const resultIds = (html: string): number[] => [...html.matchAll(/<li class="result" id="r-(\d+)">/g)].map((m) => Number(m[1]));
const moreLink = (html: string): string | null => /<li class="pager" id="more-results"><a href="([^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&') ?? null;
const q = (params: Record<string, string>) => `/chat/search?${new URLSearchParams(params)}`;

describe.each(backends())('chat search on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'srch' });

  let seq = 0;
  /** Stores a message as sent by `who` at `at` (UTC ms); returns its id. */
  async function said(c: Couple, who: 'a' | 'b', body: string, at = Date.parse('2026-05-01T03:00:00Z')): Promise<number> {
    seq += 1;
    const [id] = await app.db('messages').insert({
      couple_id: c.coupleId,
      sender_id: who === 'a' ? c.aId : c.bId,
      body,
      client_id: `search-fixture-${seq}`,
      created_at: at,
    });
    return Number(id);
  }

  async function search(client: Client, params: Record<string, string>): Promise<number[]> {
    const res = await client.get(q(params));
    expect(res.status, JSON.stringify(params)).toBe(200);
    return resultIds(res.text);
  }

  it('shows a photo or a file found by date with its thumbnail or its name, not as an empty line', async () => {
    const c = await couple('srf');
    const today = new Date(testClock.now() + 9 * 3_600_000).toISOString().slice(0, 10); // in Seoul
    await upload(c.a, [filePart('사진.jpg', await jpeg(), 'image/jpeg')]);
    await upload(c.a, [filePart('과제 설명.txt', Buffer.from('읽어 줘'), 'text/plain')]);
    const res = await c.b.get(q({ date: today }));
    expect(res.status).toBe(200);
    const results = [...res.text.matchAll(/<li class="result"[\s\S]*?<\/li>/g)].map((m) => m[0]);
    expect(results).toHaveLength(2);
    expect(results.join('')).toMatch(/<img src="\/files\/\d+\/thumb"/);
    expect(Client.visible(results.join(''))).toContain('과제 설명.txt');
    for (const result of results) expect(result).not.toMatch(/<p hx-disable><\/p>/);
  });

  it('asks for a word or a date when the form is sent with neither (only the sender, or nothing), and says nothing on a fresh page', async () => {
    const c = await couple('srblank');
    await said(c, 'b', '아무 말');
    const NEEDS = '찾을 단어나 날짜를 입력해 주세요.';
    for (const params of [{ q: '', date: '', from: 'partner' }, { q: '', date: '', from: '' }, { q: '   ', date: '', from: '' }] as Record<string, string>[]) {
      const res = await c.a.get(q(params));
      expect(res.status).toBe(200);
      expect(Client.visible(res.text), JSON.stringify(params)).toContain(NEEDS);
      expect(resultIds(res.text)).toEqual([]);
      expect(res.text).toContain(params.from === 'partner' ? '<option value="partner" selected>' : '<option value="" selected>'); // kept
    }
    const fresh = await c.a.get('/chat/search');
    expect(Client.visible(fresh.text)).not.toContain(NEEDS);
  });

  describe('by word', () => {
    it('finds a Korean word inside an unspaced sentence, marked, with a link to that moment', async () => {
      const c = await couple();
      const hit = await said(c, 'b', '오늘저녁에떡볶이먹을래?');
      await said(c, 'b', '떡은 별로야');
      const res = await c.a.get(q({ q: '떡볶이' }));
      expect(res.status).toBe(200);
      expect(resultIds(res.text)).toEqual([hit]);
      expect(res.text).toContain('오늘저녁에<mark>떡볶이</mark>먹을래?');
      expect(res.text).toContain(`href="/chat?around=${hit}#m-${hit}"`);
      expect(await search(c.a, { q: '볶이먹' })).toEqual([hit]);
      const moment = await c.a.get(`/chat?around=${hit}`);
      expect(moment.status).toBe(200);
      expect(messageItem(moment.text, hit)).toContain('오늘저녁에떡볶이먹을래?');
    });

    it('finds a Korean word with any particle: 고양이를 finds 고양이, 고양이가, 고양이랑, marked', async () => {
      const c = await couple();
      const other = await couple();
      const ids = [await said(c, 'a', '고양이 키우고 싶다'), await said(c, 'b', '고양이가 귀여워'), await said(c, 'a', '고양이랑 놀자'), await said(c, 'b', '우리 고양이를 봐')];
      await said(c, 'a', '강아지를 봐');
      await said(other, 'a', '고양이가 최고야');
      const res = await c.a.get(q({ q: '고양이를' }));
      expect(res.status).toBe(200);
      expect(resultIds(res.text)).toEqual([...ids].reverse());
      expect(res.text).toContain('<mark>고양이</mark>가 귀여워');
      expect(res.text).toContain('우리 <mark>고양이를</mark> 봐');
      expect(res.text).toContain('value="고양이를"'); // the query kept as typed
      expect(await search(c.b, { q: '고양이랑', from: 'partner' })).toEqual([ids[2], ids[0]]);
      // every word of the query, each in its dictionary form
      const walk = await said(c, 'b', '고양이랑 산책했어');
      expect(await search(c.a, { q: '고양이를 산책을' })).toEqual([walk]);
    });

    it('ignores case, and marks the text as it was written', async () => {
      const c = await couple();
      const ids = [await said(c, 'a', 'Hello World'), await said(c, 'b', 'HELLO again'), await said(c, 'a', 'say hello')];
      await said(c, 'a', 'help');
      const res = await c.a.get(q({ q: 'hElLo' }));
      expect(resultIds(res.text).sort()).toEqual([...ids].sort());
      expect(res.text).toContain('<mark>Hello</mark> World');
      expect(res.text).toContain('<mark>HELLO</mark> again');
      expect(res.text).toContain('say <mark>hello</mark>');
    });

    it('ignores case beyond ASCII too (accented and Cyrillic letters)', async () => {
      const c = await couple();
      const ecole = await said(c, 'a', 'ÉCOLE de Paris');
      const privet = await said(c, 'b', 'ПРИВЕТ!');
      expect(await search(c.a, { q: 'école' })).toEqual([ecole]);
      expect(await search(c.a, { q: 'привет' })).toEqual([privet]);
    });

    it('tells emoji apart', async () => {
      const c = await couple();
      const smile = await said(c, 'a', '좋아 😀');
      const party = await said(c, 'b', '파티 🎉');
      expect(await search(c.a, { q: '😀' })).toEqual([smile]);
      expect(await search(c.a, { q: '🎉' })).toEqual([party]);
      expect(await search(c.a, { q: '💔' })).toEqual([]);
    });

    it('takes % and _ (and \\) literally', async () => {
      const c = await couple();
      const percent = await said(c, 'a', '오늘만 할인 100% 진심');
      await said(c, 'a', '1000원 진심');
      const underscore = await said(c, 'b', 'snake_case 변수');
      await said(c, 'b', 'snakeXcase 변수');
      const backslash = await said(c, 'a', 'C:\\temp 폴더');
      await said(c, 'a', 'C:temp 폴더');
      expect(await search(c.a, { q: '%' })).toEqual([percent]);
      expect(await search(c.a, { q: '0%' })).toEqual([percent]);
      expect(await search(c.a, { q: '_' })).toEqual([underscore]);
      expect(await search(c.a, { q: 'e_c' })).toEqual([underscore]);
      expect(await search(c.a, { q: '\\' })).toEqual([backslash]);
      expect(await search(c.a, { q: ':\\t' })).toEqual([backslash]);
      const res = await c.a.get(q({ q: '100%' }));
      expect(res.text).toContain('할인 <mark>100%</mark> 진심');
    });

    it('never finds another couple’s messages, nor deleted ones', async () => {
      const c = await couple();
      const other = await couple();
      await said(other, 'a', '비밀번호는 떡볶이');
      const mine = await send(c.a, '떡볶이 지울 거야');
      await c.a.post(`/chat/messages/${mine}/delete`);
      const res = await c.a.get(q({ q: '떡볶이' }));
      expect(resultIds(res.text)).toEqual([]);
      expect(Client.visible(res.text)).toContain('검색 결과가 없어요.');
      expect(res.text).not.toContain('비밀번호는');
      expect(await search(c.b, { q: '떡볶이', before: '99999999' })).toEqual([]);
      expect(await search(c.b, { q: '비밀', from: 'partner' })).toEqual([]);
    });

    it('shows matches as text, never as markup', async () => {
      const c = await couple();
      await said(c, 'a', '<b>bold</b> & <script>x()</script>');
      const res = await c.b.get(q({ q: 'bold' }));
      expect(res.text).toContain('&lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;');
      const scripted = await c.b.get(q({ q: '<script>' }));
      expect(scripted.text).toContain('<mark>&lt;script&gt;</mark>');
      expect(scripted.text).toContain('value="&lt;script&gt;"'); // the query kept in the form
    });
  });

  describe('by day in the viewer’s zone', () => {
    const edges = {
      lastOf28: Date.parse('2026-11-28T14:59:59.999Z'), // 23:59:59.999 on the 28th in Seoul
      firstOf29: Date.parse('2026-11-28T15:00:00.000Z'), // 00:00 on the 29th in Seoul
      lastOf29: Date.parse('2026-11-29T14:59:59.999Z'),
      firstOf30: Date.parse('2026-11-29T15:00:00.000Z'),
    };

    async function edgeMessages(c: Couple) {
      const ids: Record<keyof typeof edges, number> = { lastOf28: 0, firstOf29: 0, lastOf29: 0, firstOf30: 0 };
      for (const [name, at] of Object.entries(edges) as [keyof typeof edges, number][]) ids[name] = await said(c, 'a', `경계 ${name}`, at);
      return ids;
    }

    it('finds a day’s messages from 00:00 to 23:59:59.999 in Seoul', async () => {
      const c = await couple();
      const ids = await edgeMessages(c);
      expect((await search(c.a, { date: '2026-11-29' })).sort()).toEqual([ids.firstOf29, ids.lastOf29].sort());
      expect(await search(c.a, { date: '2026-11-28' })).toEqual([ids.lastOf28]);
      expect(await search(c.a, { date: '2026-11-30' })).toEqual([ids.firstOf30]);
      expect(await search(c.a, { date: '2026-11-27' })).toEqual([]);
    });

    it('uses the zone chosen in the account settings', async () => {
      const c = await couple();
      const ids = await edgeMessages(c);
      await c.b.get('/account');
      const saved = await c.b.post('/account/settings', { language: 'ko', week_start: '0', time_zone: 'America/New_York' });
      expect(saved.status).toBe(303);
      // in New York the first three are all on the 28th / 29th at 09:59 and 10:00 in the morning
      expect((await search(c.b, { date: '2026-11-28' })).sort()).toEqual([ids.lastOf28, ids.firstOf29].sort());
      expect((await search(c.b, { date: '2026-11-29' })).sort()).toEqual([ids.lastOf29, ids.firstOf30].sort());
      expect(await search(c.a, { date: '2026-11-28' })).toEqual([ids.lastOf28]); // the partner still searches in Seoul
    });

    it('uses the zone the browser reported when the account has none', async () => {
      const c = await couple();
      const ids = await edgeMessages(c);
      const res = await c.b.get(q({ date: '2026-11-28' }), { cookie: `${c.b.cookieHeader()}; cc.tz=America/New_York` });
      expect(resultIds(res.text).sort()).toEqual([ids.lastOf28, ids.firstOf29].sort());
      const bogus = await c.b.get(q({ date: '2026-11-28' }), { cookie: `${c.b.cookieHeader()}; cc.tz=Mars/Olympus_Mons` });
      expect(resultIds(bogus.text)).toEqual([ids.lastOf28]); // an unknown zone falls back to Seoul
    });

    it('handles a 23-hour day at a daylight-saving change', async () => {
      const c = await couple();
      await c.b.get('/account');
      await c.b.post('/account/settings', { language: 'ko', week_start: '0', time_zone: 'America/New_York' });
      // 2026-03-08 in New York runs from 05:00Z to 04:00Z the next day
      const before = await said(c, 'a', '전날 밤', Date.parse('2026-03-08T04:59:59.999Z'));
      const start = await said(c, 'a', '자정', Date.parse('2026-03-08T05:00:00.000Z'));
      const end = await said(c, 'a', '밤 11시 59분', Date.parse('2026-03-09T03:59:59.999Z'));
      const next = await said(c, 'a', '다음 날', Date.parse('2026-03-09T04:00:00.000Z'));
      expect((await search(c.b, { date: '2026-03-08' })).sort()).toEqual([start, end].sort());
      expect(await search(c.b, { date: '2026-03-07' })).toEqual([before]);
      expect(await search(c.b, { date: '2026-03-09' })).toEqual([next]);
    });
  });

  describe('filters and pages', () => {
    it('filters by sender and combines word, day and sender', async () => {
      const c = await couple();
      const day = Date.parse('2026-07-10T03:00:00Z');
      const otherDay = Date.parse('2026-07-11T03:00:00Z');
      const aToday = await said(c, 'a', '커피 마시자', day);
      const bToday = await said(c, 'b', '커피 좋아', day);
      const aOther = await said(c, 'a', '커피 또?', otherDay);
      await said(c, 'b', '차 마시자', day);
      expect((await search(c.a, { q: '커피', from: 'me' })).sort()).toEqual([aToday, aOther].sort());
      expect(await search(c.a, { q: '커피', from: 'partner' })).toEqual([bToday]);
      expect(await search(c.b, { q: '커피', from: 'me' })).toEqual([bToday]);
      expect(await search(c.a, { q: '커피', date: '2026-07-10', from: 'me' })).toEqual([aToday]);
      expect((await search(c.a, { q: '커피', date: '2026-07-10' })).sort()).toEqual([aToday, bToday].sort());
      expect(await search(c.a, { q: '마시자', date: '2026-07-10', from: 'partner' })).toHaveLength(1);
      expect(await search(c.a, { q: '커피', date: '2026-07-12' })).toEqual([]);
      const page = await c.a.get(q({ q: '커피', from: 'partner' }));
      expect(Client.visible(page.text)).toContain(c.bLogin); // who said it
    });

    it('pages 20 at a time, newest first, with no result missing or repeated, filters kept', async () => {
      const c = await couple();
      const ids: number[] = [];
      for (let i = 0; i < 45; i++) {
        ids.push(await said(c, i % 3 === 0 ? 'b' : 'a', `사랑해 ${i}`, Date.parse('2026-02-14T03:00:00Z') + i * 1000));
        if (i % 10 === 0) await said(c, 'a', `다른 말 ${i}`, Date.parse('2026-02-14T03:00:00Z') + i * 1000 + 1);
      }
      const first = await c.a.get(q({ q: '사랑', date: '2026-02-14' }));
      const pages = [resultIds(first.text)];
      let link = moreLink(first.text);
      expect(link).toContain('q=%EC%82%AC%EB%9E%91');
      expect(link).toContain('date=2026-02-14');
      for (let guard = 0; link && guard < 5; guard++) {
        const next = await c.a.get(link, HX);
        expect(next.status).toBe(200);
        expect(next.text).not.toContain('<html');
        pages.push(resultIds(next.text));
        link = moreLink(next.text);
      }
      expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
      expect(pages.flat()).toEqual([...ids].reverse());
      // without JavaScript the link opens a whole page of the next results
      const noJs = await c.a.get(moreLink(first.text)!);
      expect(noJs.text).toContain('<html');
      expect(resultIds(noJs.text)).toEqual(pages[1]);
    });

    it('shows an empty form, no results, for an empty search', async () => {
      const c = await couple();
      await said(c, 'a', '아무 말');
      for (const params of [{}, { q: '' }, { q: '   ' }, { from: 'me' }] as Record<string, string>[]) {
        const res = await c.a.get(q(params));
        expect(res.status).toBe(200);
        expect(resultIds(res.text)).toEqual([]);
        expect(Client.visible(res.text)).not.toContain('검색 결과가 없어요.');
      }
    });
  });

  describe('bad input', () => {
    it.each([['2024-02-30'], ['2023-02-29'], ['2024-13-01'], ['2024-00-10'], ['2024-1-5'], ['abc'], ['0000-01-01'], ['2024-02-29T00:00']])(
      'refuses the date %s with 422 next to the field, keeping what was typed',
      async (date) => {
        const c = await couple();
        const res = await c.a.get(q({ q: '안녕', date }));
        expect(res.status).toBe(422);
        expect(res.text).toContain('<p class="field-error" id="date-error"');
        expect(res.text).toContain('올바른 날짜를 입력해 주세요.');
        expect(res.text).toContain('value="안녕"');
        expect(resultIds(res.text)).toEqual([]);
      },
    );

    it('accepts a leap day', async () => {
      const c = await couple();
      const id = await said(c, 'a', '윤일', Date.parse('2024-02-29T03:00:00Z'));
      expect(await search(c.a, { date: '2024-02-29' })).toEqual([id]);
    });

    it('refuses a word over 100 characters with 422, and takes exactly 100', async () => {
      const c = await couple();
      const res = await c.a.get(q({ q: '가'.repeat(101) }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('검색어는 100자까지 입력할 수 있어요.');
      expect((await c.a.get(q({ q: '가'.repeat(100) }))).status).toBe(200);
      expect((await c.a.get(q({ q: '😀'.repeat(100) }))).status).toBe(200);
    });

    it('refuses an unknown sender filter with 422', async () => {
      const c = await couple();
      const res = await c.a.get(q({ q: '안녕', from: 'them' }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('보낸 사람을 골라 주세요.');
    });

    it('is never a 500, whatever the query string', async () => {
      const c = await couple();
      const id = await said(c, 'a', "it's 'quoted' \"text\" -- ; drop");
      expect(await search(c.a, { q: "'quoted'" })).toEqual([id]);
      expect(await search(c.a, { q: "' OR 1=1 --" })).toEqual([]);
      const odd = [
        'q[]=a',
        'q=a&q=b',
        'q[x]=a',
        'date[]=2024-01-01',
        'date=2024-01-01&date=2024-01-02',
        'from[]=me',
        'from=me&from=partner',
        'q=a&before=abc',
        'q=a&before=-1',
        'q=a&before=0',
        'q=a&before=1e5',
        'q=a&before=99999999999999999999',
        'q=a&before[]=1',
        'q=%00',
        'q=%ZZ',
        'q=%ED%A0%80',
        'q=%F0%9F%98',
        `q=${'%25'.repeat(100)}`,
        `q=${'a'.repeat(5000)}`,
        'date=%00',
        'date=9999-99-99',
        'date=2024-02-30&q[]=1&from=x',
      ];
      for (const query of odd) {
        const res = await c.a.get(`/chat/search?${query}`);
        expect(res.status, query).toBeLessThan(500);
        const hx = await c.a.get(`/chat/search?${query}`, HX);
        expect(hx.status, `${query} (htmx)`).toBeLessThan(500);
      }
    });

    it('sends a visitor to /login', async () => {
      const visitor = new Client(app.url);
      const res = await visitor.get(q({ q: '안녕' }));
      expect(res.status).toBe(303);
      expect(res.location).toBe('/login');
    });
  });
});
