// Deleting my own messages, and read marks (the KakaoTalk-style "1"), over plain HTTP.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client } from '../support/client';
import { eventCount, HX, messageItem, send } from '../support/chatHttp';
import { filePart, upload } from '../support/uploads';

describe.each(backends())('deleting and reading messages on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'delr' });

  describe('deleting', () => {
    it('deletes my own message: both see "삭제된 메시지입니다" and the text is gone for good', async () => {
      const { a, b } = await couple();
      const id = await send(a, '지울 메시지');
      const res = await a.post(`/chat/messages/${id}/delete`);
      expect(res.status).toBe(303);
      expect(res.location).toBe(`/chat#m-${id}`);
      for (const client of [a, b]) {
        const item = messageItem((await client.get('/chat')).text, id);
        expect(item).toContain('삭제된 메시지입니다');
        expect(item).not.toContain('지울 메시지');
        expect(item).not.toContain('/delete'); // no delete button on a tombstone
        expect(item).not.toContain('class="unread"');
      }
      expect((await app.db('messages').where({ id }).first()).body).toBe('');
    });

    it('answers htmx with the tombstone in place of the message', async () => {
      const { a } = await couple();
      const id = await send(a, '곧 사라짐');
      const res = await a.post(`/chat/messages/${id}/delete`, {}, HX);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(new RegExp(`<li class="msg from-[ab] deleted" id="m-${id}"`));
      expect(res.text).toContain('삭제된 메시지입니다');
      expect(res.text).not.toContain('곧 사라짐');
    });

    it('is harmless twice', async () => {
      const { a, coupleId } = await couple();
      const id = await send(a, '두 번 삭제');
      expect((await a.post(`/chat/messages/${id}/delete`)).status).toBe(303);
      const events = await eventCount(app.db, coupleId);
      expect((await a.post(`/chat/messages/${id}/delete`)).status).toBe(303);
      expect((await a.post(`/chat/messages/${id}/delete`, {}, HX)).status).toBe(200);
      expect(await eventCount(app.db, coupleId)).toBe(events);
    });

    it('answers 404 for my partner’s message, another couple’s, or none', async () => {
      const { a, b } = await couple();
      const other = await couple();
      const mine = await send(a, '내 메시지');
      const theirs = await send(other.a, '남의 메시지');
      expect((await b.post(`/chat/messages/${mine}/delete`)).status).toBe(404);
      expect((await a.post(`/chat/messages/${theirs}/delete`)).status).toBe(404);
      expect((await a.post(`/chat/messages/${theirs}/delete`, {}, HX)).status).toBe(404);
      for (const bad of ['0', '-1', 'abc', '1e3', '99999999999999999999', '9007199254740993', String(theirs + 1000)]) {
        expect((await a.post(`/chat/messages/${bad}/delete`)).status).toBe(404);
      }
      expect(Client.visible((await b.get('/chat')).text)).toContain('내 메시지');
      expect(Client.visible((await other.b.get('/chat')).text)).toContain('남의 메시지');
    });
  });

  describe('deleting without JavaScript: a page that asks first', () => {
    it('offers 삭제 as a GET form to a page showing the message, with 삭제 (POST) and 취소; nothing is deleted by it', async () => {
      const { a, b } = await couple();
      const id = await send(a, '정말 지울까');
      const item = messageItem((await a.get('/chat')).text, id);
      expect(item).toContain(`<form class="delete" method="get" action="/chat/messages/${id}/delete" hx-post="/chat/messages/${id}/delete"`);
      expect(item).toContain('aria-label="메시지 메뉴"');
      const page = await a.get(`/chat/messages/${id}/delete`);
      expect(page.status).toBe(200);
      const shown = Client.visible(page.text);
      expect(shown).toContain('이 메시지를 삭제할까요?');
      expect(shown).toContain('정말 지울까');
      expect(page.text).toMatch(new RegExp(`<form method="post" action="/chat/messages/${id}/delete" class="actions">\\s*<input type="hidden" name="_csrf" value="[^"]+">`));
      expect(page.text).toContain(`<a class="button" href="/chat#m-${id}">취소</a>`);
      expect((await app.db('messages').where({ id }).first('deleted_at')).deleted_at).toBeNull();
      expect(Client.visible((await b.get('/chat')).text)).toContain('정말 지울까');
      // its form deletes
      expect((await a.post(`/chat/messages/${id}/delete`)).status).toBe(303);
      expect((await a.get(`/chat/messages/${id}/delete`)).status).toBe(404);
    });

    it('shows the file of the message it asks about (a file sent with a few words)', async () => {
      const { a } = await couple();
      expect((await upload(a, [filePart('우리 여행 계획.txt', Buffer.from('제주도 3박 4일')), { name: 'body', value: '계획표야' }])).status).toBe(303);
      const row = await app.db('messages').where({ body: '계획표야' }).first('id');
      const page = await a.get(`/chat/messages/${row.id}/delete`);
      expect(page.status).toBe(200);
      expect(Client.visible(page.text)).toContain('우리 여행 계획.txt');
      expect(Client.visible(page.text)).toContain('계획표야');
    });

    it('answers 404 for my partner’s message, another couple’s, a deleted one or none; a visitor goes to log-in', async () => {
      const { a, b } = await couple();
      const other = await couple();
      const mine = await send(a, '내 것');
      const theirs = await send(other.a, '남의 것');
      expect((await b.get(`/chat/messages/${mine}/delete`)).status).toBe(404);
      expect((await a.get(`/chat/messages/${theirs}/delete`)).status).toBe(404);
      for (const bad of ['0', '-1', 'abc', '1e3', '99999999999999999999', String(theirs + 1000)]) {
        expect((await a.get(`/chat/messages/${bad}/delete`)).status).toBe(404);
      }
      const visitor = new Client(app.url);
      const res = await visitor.get(`/chat/messages/${mine}/delete`);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/login');
    });
  });

  describe('read marks', () => {
    const hasBadge = (html: string, id: number) => html.includes(`<span class="unread" id="u-${id}"`);

    it('shows "1" on my message until my partner opens the chat', async () => {
      const { a, b } = await couple();
      const id = await send(a, '읽었어?');
      expect(hasBadge((await a.get('/chat')).text, id)).toBe(true);
      expect(hasBadge((await b.get('/chat')).text, id)).toBe(true); // the same HTML, shown only to me by CSS
      expect(hasBadge((await a.get('/chat')).text, id)).toBe(false);
    });

    it('moves the mark with POST /chat/read: 204 for htmx, 303 without', async () => {
      const { a, b } = await couple();
      const [m1, m2, m3] = [await send(a, '하나'), await send(a, '둘'), await send(a, '셋')];
      const hx = await b.post('/chat/read', { up_to: String(m2) }, HX);
      expect(hx.status).toBe(204);
      const page = (await a.get('/chat')).text;
      expect([hasBadge(page, m1), hasBadge(page, m2), hasBadge(page, m3)]).toEqual([false, false, true]);
      const plain = await b.post('/chat/read', { up_to: String(m3) });
      expect(plain.status).toBe(303);
      expect(plain.location).toBe('/chat');
      expect(hasBadge((await a.get('/chat')).text, m3)).toBe(false);
    });

    it('never moves the mark back', async () => {
      const { a, b, bId } = await couple();
      const [m1, m2] = [await send(a, '먼저'), await send(a, '나중')];
      await b.post('/chat/read', { up_to: String(m2) }, HX);
      expect((await b.post('/chat/read', { up_to: String(m1) }, HX)).status).toBe(204);
      const page = (await a.get('/chat')).text;
      expect(hasBadge(page, m1) || hasBadge(page, m2)).toBe(false);
      expect(Number((await app.db('read_marks').where({ user_id: bId }).first()).up_to)).toBe(m2);
    });

    it('clamps the mark to messages that exist: a later message is still unread', async () => {
      const { a, b } = await couple();
      const m1 = await send(a, '지금까지');
      await b.post('/chat/read', { up_to: String(m1 + 1_000_000) }, HX);
      const m2 = await send(a, '이건 아직');
      const page = (await a.get('/chat')).text;
      expect(hasBadge(page, m1)).toBe(false);
      expect(hasBadge(page, m2)).toBe(true);
    });

    it('reading covers only my partner’s messages, never my own', async () => {
      const { a, b } = await couple();
      const fromA = await send(a, 'a가 보냄');
      const fromB = await send(b, 'b가 보냄');
      await b.post('/chat/read', { up_to: String(fromB) }, HX);
      const page = (await b.get('/chat/messages?before=' + (fromB + 1), HX)).text;
      expect(hasBadge(page, fromA)).toBe(false);
      expect(hasBadge(page, fromB)).toBe(true);
    });

    it('refuses odd up_to values with 422 and a clear message, moving nothing', async () => {
      const { a, b } = await couple();
      const id = await send(a, '그대로');
      const odd: Record<string, string | string[]>[] = [
        {},
        { up_to: '' },
        { up_to: '0' },
        { up_to: '-5' },
        { up_to: 'abc' },
        { up_to: '1e9' },
        { up_to: '1.5' },
        { up_to: '99999999999999999999' },
        { up_to: [String(id), String(id)] },
        { 'up_to[]': String(id) },
        { 'up_to[x]': String(id) },
      ];
      for (const fields of odd) {
        const res = await b.post('/chat/read', fields, HX);
        expect(res.status, JSON.stringify(fields)).toBe(422);
        expect(res.text).toContain('읽음으로 표시할 메시지가 아니에요.');
        expect((await b.post('/chat/read', fields)).status, JSON.stringify(fields)).toBe(422);
      }
      expect(hasBadge((await a.get('/chat')).text, id)).toBe(true);
    });
  });
});
