// Sending messages over plain HTTP (the no-JS form and htmx): validation, idempotency, who may chat, odd input.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, signUp, type Fields } from '../support/client';
import {
  eventCount,
  HX,
  messageCount,
  messageItem,
  newClientId,
  send,
  sendForm,
  sendHx,
  shownMessageIds,
} from '../support/chatHttp';

describe.each(backends())('sending chat messages on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'snd' });

  describe('sending', () => {
    it('sends without JavaScript: 303 to the latest, and both partners see it on their page', async () => {
      const { a, b } = await couple();
      const res = await sendForm(a, '안녕! 오늘 뭐 해?');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/chat#latest');
      for (const client of [a, b]) {
        const page = await client.get('/chat');
        expect(page.status).toBe(200);
        expect(Client.visible(page.text)).toContain('안녕! 오늘 뭐 해?');
      }
    });

    it('answers htmx with the message itself, carrying the client_id the page made', async () => {
      const { a } = await couple();
      const clientId = newClientId();
      const res = await sendHx(a, '점심 먹었어?', clientId);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<html');
      expect(res.text).toMatch(new RegExp(`<li class="msg from-[ab]" id="m-\\d+" data-id="\\d+" data-client-id="${clientId}"`));
      expect(Client.visible(res.text)).toContain('점심 먹었어?');
      expect(res.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">오[전후] \d{1,2}:\d\d<\/time>/);
    });

    it('puts my messages on one side and my partner’s on the other, the same HTML for both', async () => {
      const { a, b } = await couple();
      const fromA = await send(a, '나 a');
      const fromB = await send(b, '나 b');
      const pageA = await a.get('/chat');
      const pageB = await b.get('/chat');
      const sideOf = (html: string, id: number) => /class="msg from-([ab])/.exec(messageItem(html, id))?.[1];
      expect(sideOf(pageA.text, fromA)).not.toBe(sideOf(pageA.text, fromB));
      expect(sideOf(pageA.text, fromA)).toBe(sideOf(pageB.text, fromA));
      const meA = /data-me="([ab])"/.exec(pageA.text)?.[1];
      const meB = /data-me="([ab])"/.exec(pageB.text)?.[1];
      expect(meA).toBe(sideOf(pageA.text, fromA));
      expect(meB).toBe(sideOf(pageB.text, fromB));
    });

    it('says who wrote each message to a screen reader (sight has the side): "나" on the writer’s page, the name the partner calls them on the other', async () => {
      const { a, b, aLogin, bLogin } = await couple();
      const fromA = await send(a, '누가 썼게');
      const fromB = await send(b, '나지롱');
      // the same HTML for both pages; each page shows its own side's words (.chat.me-a hides .for-side-b)
      const said = (login: string, side: 'a' | 'b') =>
        `<span class="sr-only"><span class="for-side-${side}">나:</span><span class="for-side-${side === 'a' ? 'b' : 'a'}">${login}:</span></span>`;
      for (const client of [a, b]) {
        const page = (await client.get('/chat')).text;
        expect(messageItem(page, fromA)).toContain(said(aLogin, 'a'));
        expect(messageItem(page, fromB)).toContain(said(bLogin, 'b'));
      }
      await b.get('/couple');
      expect((await b.post('/couple/profile', { partner_nickname: '자기' })).status).toBe(303);
      expect(messageItem((await b.get('/chat')).text, fromA)).toContain(said('자기', 'a'));
    });

    it('shows a message as text, never as markup', async () => {
      const { a, b } = await couple();
      const id = await send(a, '<img src=x onerror=alert(1)> & <b>굵게</b>');
      const page = await b.get('/chat');
      const item = messageItem(page.text, id);
      expect(item).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;굵게&lt;/b&gt;');
      expect(item).not.toContain('<img');
    });

    it('keeps line breaks and trims the ends', async () => {
      const { a, b } = await couple();
      const id = await send(a, '  \n첫 줄\r\n둘째 줄\n  ');
      const row = await app.db('messages').where({ id }).first();
      expect(row.body).toBe('첫 줄\n둘째 줄');
      expect(messageItem((await b.get('/chat')).text, id)).toContain('첫 줄\n둘째 줄');
    });

    it.each([
      ['empty', ''],
      ['spaces and newlines', '  \n\t \r\n '],
      ['control characters only', '\u0000\u0007\u001b'],
      ['zero-width and filler characters only', '\u200b\u200d\ufeff \u3164\u2800'],
    ])('refuses a blank message (%s) with 422 next to the field, storing nothing', async (_name, body) => {
      const { a, coupleId } = await couple();
      const res = await sendForm(a, body);
      expect(res.status).toBe(422);
      expect(res.text).toContain('<p class="field-error" id="body-error" role="alert">메시지를 입력해 주세요.</p>');
      expect(res.text).toContain('aria-invalid="true"');
      const hx = await sendHx(a, body);
      expect(hx.status).toBe(422);
      expect(hx.text).toContain('메시지를 입력해 주세요.');
      expect(await messageCount(app.db, coupleId)).toBe(0);
    });

    it('refuses over 4,000 characters with 422, keeping the text in the form', async () => {
      const { a, coupleId } = await couple();
      const long = '가나다라'.repeat(1000) + '마';
      const res = await sendForm(a, long);
      expect(res.status).toBe(422);
      expect(res.text).toContain('메시지는 4,000자까지 보낼 수 있어요.');
      expect(res.text).toContain(`>${long}</textarea>`);
      const hx = await sendHx(a, long);
      expect(hx.status).toBe(422);
      expect(hx.text).toContain('메시지는 4,000자까지 보낼 수 있어요.');
      expect(await messageCount(app.db, coupleId)).toBe(0);
    });

    it('accepts exactly 4,000 characters, counted as characters (emoji are one each)', async () => {
      const { a, b } = await couple();
      const korean = '한'.repeat(4000);
      const emoji = '😀'.repeat(4000); // 8,000 UTF-16 units, 16,000 bytes
      const k = await send(a, korean);
      const e = await send(a, emoji);
      const page = await b.get('/chat');
      expect(messageItem(page.text, k)).toContain(korean);
      expect(messageItem(page.text, e)).toContain(emoji);
    });

    it('stores one message for the same client_id sent twice (a double tap, a retry)', async () => {
      const { a, b, coupleId } = await couple();
      const clientId = newClientId();
      const first = await sendHx(a, '한 번만', clientId);
      const again = await sendHx(a, '한 번만', clientId);
      const noJs = await sendForm(a, '한 번만', clientId);
      expect([first.status, again.status, noJs.status]).toEqual([200, 200, 303]);
      expect(shownMessageIds(again.text)).toEqual(shownMessageIds(first.text));
      expect(await messageCount(app.db, coupleId)).toBe(1);
      expect(await eventCount(app.db, coupleId)).toBe(1);
      const page = await b.get('/chat');
      expect(Client.visible(page.text).split('한 번만')).toHaveLength(2);
    });

    it('stores one message when the same client_id arrives twice at the same instant', async () => {
      const { a, coupleId } = await couple();
      const clientId = newClientId();
      const replies = await Promise.all(Array.from({ length: 4 }, () => sendHx(a, '동시에', clientId)));
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(replies.map((r) => shownMessageIds(r.text)[0])).size).toBe(1);
      expect(await messageCount(app.db, coupleId)).toBe(1);
      expect(await eventCount(app.db, coupleId)).toBe(1);
    });

    it('keeps two partners’ messages apart even when their client_ids are equal', async () => {
      const { a, b, coupleId } = await couple();
      const clientId = newClientId();
      const fromA = await send(a, 'a의 말', clientId);
      const fromB = await send(b, 'b의 말', clientId);
      expect(fromA).not.toBe(fromB);
      expect(await messageCount(app.db, coupleId)).toBe(2);
    });

    it('sends each time when the client_id is missing or malformed (no dedup, no error)', async () => {
      const { a, coupleId } = await couple();
      for (const clientId of ['', 'short', 'has spaces in it!', 'x'.repeat(65), '<script>']) {
        expect((await sendForm(a, '아이디 없음', clientId)).status).toBe(303);
      }
      expect((await a.post('/chat/messages', { body: '아이디 없음' })).status).toBe(303);
      expect(await messageCount(app.db, coupleId)).toBe(6);
    });

    it('does not deduplicate across couples', async () => {
      const one = await couple();
      const two = await couple();
      const clientId = newClientId();
      await send(one.a, '같은 아이디', clientId);
      await send(two.a, '같은 아이디', clientId);
      expect(await messageCount(app.db, one.coupleId)).toBe(1);
      expect(await messageCount(app.db, two.coupleId)).toBe(1);
    });
  });

  describe('who may chat', () => {
    it('sends a visitor to /login (htmx: 401 with HX-Redirect)', async () => {
      const visitor = new Client(app.url);
      expect((await visitor.get('/chat')).location).toBe('/login');
      const hx = await visitor.get('/chat/messages?before=5', HX);
      expect(hx.status).toBe(401);
      expect(hx.headers.get('hx-redirect')).toBe('/login');
      expect((await visitor.get('/chat/search?q=a')).location).toBe('/login');
    });

    it('sends someone without a partner to /pair, storing nothing', async () => {
      const single = await signUp(app.url, `single_${Date.now() % 100000}`);
      expect((await single.get('/chat')).location).toBe('/pair');
      await single.get('/pair');
      const res = await sendForm(single, '혼잣말');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/pair');
      expect((await single.post('/chat/read', { up_to: '1' })).location).toBe('/pair');
      expect(await app.db('messages').where({ body: '혼잣말' })).toEqual([]);
    });

    it('refuses a send without the CSRF token (403)', async () => {
      const { a, coupleId } = await couple();
      const res = await a.post('/chat/messages', { body: '위조', client_id: newClientId(), _csrf: 'forged-token-forged-token-forged-' });
      expect(res.status).toBe(403);
      expect(await messageCount(app.db, coupleId)).toBe(0);
    });
  });

  describe('odd input is never a 500', () => {
    it('treats arrays and objects in the form as missing fields', async () => {
      const { a, coupleId } = await couple();
      for (const fields of [{ 'body[]': '배열' }, { body: ['하나', '둘'] }, { 'body[x]': '객체' }, { 'body[0][1]': '깊이' }] as Fields[]) {
        const res = await a.post('/chat/messages', { ...fields, client_id: newClientId() });
        expect(res.status, JSON.stringify(fields)).toBe(422);
        expect(res.text).toContain('메시지를 입력해 주세요.');
      }
      const withArrayId = await a.post('/chat/messages', { body: '아이디 배열', client_id: [newClientId(), newClientId()] });
      expect(withArrayId.status).toBe(303);
      expect(await messageCount(app.db, coupleId)).toBe(1);
    });

    it('survives malformed form bodies', async () => {
      const { a } = await couple();
      const bodies = [
        `_csrf=${a.csrf}&body=%E0%A4%A&client_id=abcdefgh12`,
        `_csrf=${a.csrf}&body=%ZZ%&client_id=abcdefgh13`,
        `_csrf=${a.csrf}&body=${'a'.repeat(70_000)}`,
        `_csrf=${a.csrf}&${'x=1&'.repeat(2000)}body=많은필드`,
        `_csrf=${a.csrf}&body=%00%01%02`,
        `_csrf=${a.csrf}&body=%ED%A0%80`, // a lone surrogate in UTF-8
      ];
      for (const body of bodies) {
        const res = await a.request('POST', '/chat/messages', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        expect(res.status, body.slice(0, 60)).toBeLessThan(500);
      }
      const json = await a.request('POST', '/chat/messages', {
        body: JSON.stringify({ body: 'json', _csrf: a.csrf }),
        headers: { 'content-type': 'application/json', 'x-csrf-token': a.csrf },
      });
      expect(json.status).toBeLessThan(500);
    });

    it('answers history requests with odd ids without an error', async () => {
      const { a } = await couple();
      const id = await send(a, '기준');
      const odd = ['', '0', '-1', 'abc', '1e3', '1.5', '99999999999999999999', '9007199254740993', '%00', `${id}&before=${id}`];
      for (const value of odd) {
        for (const param of ['before', 'after', 'around']) {
          const path = param === 'around' ? `/chat?around=${value}` : `/chat/messages?${param}=${value}`;
          for (const headers of [{}, HX]) {
            const res = await a.get(path, headers);
            expect(res.status, `${path} ${JSON.stringify(headers)}`).toBeLessThan(500);
          }
        }
      }
      for (const path of ['/chat?around[]=1', '/chat?around=1&around=2', '/chat/messages?before[x]=1', '/chat/messages?before=1&before=2']) {
        expect((await a.get(path)).status, path).toBeLessThan(500);
      }
    });
  });
});
