// Replies (reply_to beside body) and reactions (POST /chat/messages/:id/reactions), over plain HTTP.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client } from '../support/client';
import { HX, messageItem, newClientId, send } from '../support/chatHttp';
import { filePart, jpeg, upload } from '../support/uploads';
import { suiteStreams } from '../support/sse';

const reactions = (html: string, id: number) => /<div class="reactions" id="reactions-\d+"[^>]*>(.*?)<\/div>/s.exec(messageItem(html, id))?.[1] ?? null;

describe.each(backends())('replies and reactions on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'rr' });
  const { open, stream, caughtUp } = suiteStreams();

  describe('replies', () => {
    it('stores a reply and shows the quote above it for both: who, and the first line', async () => {
      const { a, b, aLogin } = await couple();
      const original = await send(a, '첫 줄 이야기\n둘째 줄');
      const res = await b.post('/chat/messages', { body: '응응 좋아', client_id: newClientId(), reply_to: String(original) });
      expect(res.status).toBe(303);
      const row = await app.db('messages').where({ body: '응응 좋아' }).first('id', 'reply_to');
      expect(Number(row.reply_to)).toBe(original);
      for (const client of [a, b]) {
        const item = messageItem((await client.get('/chat')).text, Number(row.id));
        expect(item).toContain(`<a class="quote" href="/chat?around=${original}#m-${original}" data-quote-of="${original}"`);
        expect(Client.visible(item)).toContain(`${aLogin}에게 답장`);
        expect(Client.visible(item)).toContain('첫 줄 이야기');
        expect(Client.visible(item)).not.toContain('둘째 줄');
      }
      // the writer's page marks the quote as its own; the partner's names the writer as they call them
      await b.get('/couple');
      expect((await b.post('/couple/profile', { partner_nickname: '자기' })).status).toBe(303);
      const mine = messageItem((await a.get('/chat')).text, Number(row.id));
      expect(mine).toContain('<span class="for-side-a">내 메시지에 답장</span>');
      const theirs = messageItem((await b.get('/chat')).text, Number(row.id));
      expect(theirs).toContain('<span class="for-side-b">자기에게 답장</span>');
    });

    it('answers htmx with the reply, quote and all; a photo is quoted by its thumbnail', async () => {
      const { a, b } = await couple();
      const sent = await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('beach.jpg', await jpeg(), 'image/jpeg')], { htmx: true });
      expect(sent.status).toBe(200);
      const photoMessage = Number(/id="m-(\d+)"/.exec(sent.text)![1]);
      const file = await app.db('files').where({ message_id: photoMessage }).first('id');
      const res = await b.post('/chat/messages', { body: '예쁘다', client_id: newClientId(), reply_to: String(photoMessage) }, HX);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`data-quote-of="${photoMessage}"`);
      expect(res.text).toContain(`<img class="quote-thumb" src="/files/${file.id}/thumb"`);
    });

    it('lets files answer a message too (reply_to in the upload)', async () => {
      const { a, b } = await couple();
      const original = await send(a, '사진 보내줘');
      const res = await upload(b, [{ name: 'client_id', value: newClientId() }, { name: 'reply_to', value: String(original) }, filePart('a.jpg', await jpeg(), 'image/jpeg')], { htmx: true });
      expect(res.status).toBe(200);
      expect(res.text).toContain(`data-quote-of="${original}"`);
      const gone = await send(a, '곧 지움');
      await a.post(`/chat/messages/${gone}/delete`);
      const refused = await upload(b, [{ name: 'client_id', value: newClientId() }, { name: 'reply_to', value: String(gone) }, filePart('b.jpg', await jpeg(), 'image/jpeg')], { htmx: true });
      expect(refused.status).toBe(422);
    });

    it('refuses a reply to a deleted message with 422, the text kept in the box', async () => {
      const { a, b } = await couple();
      const original = await send(a, '지워질 말');
      await a.post(`/chat/messages/${original}/delete`);
      const res = await b.post('/chat/messages', { body: '늦은 답장', client_id: newClientId(), reply_to: String(original) });
      expect(res.status).toBe(422);
      expect(res.text).toContain('>늦은 답장</textarea>');
      expect(Client.visible(res.text)).toContain('답장하려던 메시지가 삭제되어');
      expect((await b.post('/chat/messages', { body: '늦은 답장', client_id: newClientId(), reply_to: String(original) }, HX)).status).toBe(422);
      expect(await app.db('messages').where({ body: '늦은 답장' }).first()).toBeUndefined();
    });

    it('refuses another couple’s message, none, or nonsense as reply_to, and never shows it', async () => {
      const { a } = await couple();
      const other = await couple();
      const theirs = await send(other.a, '남의 비밀');
      for (const bad of [String(theirs), String(theirs + 10_000), 'abc', '-1', '1e3']) {
        const res = await a.post('/chat/messages', { body: '답장', client_id: newClientId(), reply_to: bad });
        expect(res.status).toBe(422);
        expect(res.text).not.toContain('남의 비밀');
        expect(res.text).toContain('>답장</textarea>');
      }
      expect((await a.get(`/chat?reply_to=${theirs}`)).status).toBe(404);
      expect((await a.get('/chat?reply_to=abc')).status).toBe(200); // not an id: ignored, as ?around= is
    });

    it('without JavaScript, 답장 is a link to the chat with the quote above the box and reply_to in the form', async () => {
      const { a, b } = await couple();
      const original = await send(a, '답장해 줘');
      const item = messageItem((await b.get('/chat')).text, original);
      expect(item).toContain(`href="/chat?reply_to=${original}#composer"`);
      const page = await b.get(`/chat?reply_to=${original}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<input type="hidden" name="reply_to" value="${original}">`);
      expect(/<div id="reply-preview"[^>]*>([\s\S]*?)<\/div>\s*<a class="icon-button reply-cancel"/.exec(page.text)![1]).toContain('답장해 줘');
    });

    it('shows a quote of a message deleted later as deleted, on the page and live', async () => {
      const { a, b, coupleId } = await couple();
      const original = await send(a, '취소할 말');
      const reply = await b.post('/chat/messages', { body: '알겠어', client_id: newClientId(), reply_to: String(original) }, HX).then((r) => Number(/id="m-(\d+)"/.exec(r.text)![1]));
      const seq = Number((await app.db('couples').where({ id: coupleId }).first('event_seq')).event_seq);
      const s = await stream(b, { query: `?lastEventId=${seq}` });
      await a.post(`/chat/messages/${original}/delete`);
      const event = await s.waitFor((e) => e.event === 'deleted');
      expect(event.data).toContain(`hx-swap-oob="outerHTML:.quote[data-quote-of='${original}']"`);
      expect(event.data).toContain('<a class="quote deleted"');
      const item = messageItem((await b.get('/chat')).text, reply);
      expect(item).toContain('<a class="quote deleted"');
      expect(Client.visible(item)).toContain('삭제된 메시지');
      expect(Client.visible(item)).not.toContain('취소할 말');
    });
  });

  describe('reactions', () => {
    it('toggles: a heart shows for both, another emoji replaces it, the same again takes it back', async () => {
      const { a, b } = await couple();
      const id = await send(a, '오늘 고마웠어');
      const res = await b.post(`/chat/messages/${id}/reactions`, { emoji: '❤️' });
      expect(res.status).toBe(303);
      expect(res.location).toBe(`/chat#m-${id}`);
      for (const client of [a, b]) expect(reactions((await client.get('/chat')).text, id)).toContain('❤️');
      expect(reactions((await a.get('/chat')).text, id)).toContain('data-sides="b"');

      const replaced = await b.post(`/chat/messages/${id}/reactions`, { emoji: '😂' }, HX);
      expect(replaced.status).toBe(200);
      expect(replaced.text).toMatch(new RegExp(`^<div class="reactions" id="reactions-${id}">`));
      expect(replaced.text).toContain('😂');
      expect(replaced.text).not.toContain('❤️');
      expect(await app.db('message_reactions').where({ message_id: id }).count({ n: '*' })).toEqual([{ n: 1 }]);

      await a.post(`/chat/messages/${id}/reactions`, { emoji: '😂' });
      expect(reactions((await b.get('/chat')).text, id)).toMatch(/😂.*reaction-count[^>]*>2</s);

      await b.post(`/chat/messages/${id}/reactions`, { emoji: '😂' });
      await a.post(`/chat/messages/${id}/reactions`, { emoji: '😂' });
      expect(reactions((await b.get('/chat')).text, id)).toBe('');
      expect(await app.db('message_reactions').where({ message_id: id }).first()).toBeUndefined();
    });

    it('offers each of the five as a form in the menu, and every one is accepted', async () => {
      const { a, b } = await couple();
      const id = await send(a, '반응 골라');
      const item = messageItem((await b.get('/chat')).text, id);
      const offered = [...item.matchAll(/<input type="hidden" name="emoji" value="([^"]+)">/g)].map((m) => m[1]);
      expect(offered).toEqual(['❤️', '😂', '😮', '😢', '👍']);
      expect(item).toContain(`<form method="post" action="/chat/messages/${id}/reactions"`);
      expect(item).toMatch(/name="_csrf"/);
      for (const emoji of offered) expect((await b.post(`/chat/messages/${id}/reactions`, { emoji }, HX)).text).toContain(emoji);
    });

    it('refuses an emoji not in the set with 422, and another couple’s message, a deleted one or none with 404', async () => {
      const { a, b } = await couple();
      const other = await couple();
      const id = await send(a, '반응');
      const theirs = await send(other.a, '남의 것');
      for (const emoji of ['', '🍕', 'heart', '❤️❤️', '<b>x</b>']) expect((await b.post(`/chat/messages/${id}/reactions`, { emoji })).status).toBe(422);
      expect((await a.post(`/chat/messages/${theirs}/reactions`, { emoji: '👍' })).status).toBe(404);
      expect((await a.post(`/chat/messages/${theirs}/reactions`, { emoji: '👍' }, HX)).status).toBe(404);
      for (const bad of ['0', 'abc', '99999999999999999999', String(theirs + 10_000)]) expect((await a.post(`/chat/messages/${bad}/reactions`, { emoji: '👍' })).status).toBe(404);
      await a.post(`/chat/messages/${id}/delete`);
      expect((await b.post(`/chat/messages/${id}/reactions`, { emoji: '👍' })).status).toBe(404);
      expect(await app.db('message_reactions').where({ message_id: theirs }).first()).toBeUndefined();
    });

    it('reaches the partner live, and a reconnect replays the reactions as they now are', async () => {
      const { a, b, coupleId } = await couple();
      const id = await send(a, '라이브');
      const seq = Number((await app.db('couples').where({ id: coupleId }).first('event_seq')).event_seq);
      const live = await stream(a, { query: `?lastEventId=${seq}` });
      await b.post(`/chat/messages/${id}/reactions`, { emoji: '👍' });
      const event = await live.waitFor((e) => e.event === 'reaction');
      expect(event.data).toContain(`id="reactions-${id}"`);
      expect(event.data).toContain('hx-swap-oob="outerHTML"');
      expect(event.data).toContain('👍');
      live.close();
      await b.post(`/chat/messages/${id}/reactions`, { emoji: '😮' });
      const again = await live.reconnect();
      open.push(again);
      await caughtUp(again, seq + 2);
      const replayed = again.events.filter((e) => e.event === 'reaction');
      expect(replayed).toHaveLength(1);
      expect(replayed[0].data).toContain('😮');
      expect(replayed[0].data).not.toContain('👍');
    });

    it('goes with its message when the message is deleted', async () => {
      const { a, b } = await couple();
      const id = await send(a, '지울 것');
      await b.post(`/chat/messages/${id}/reactions`, { emoji: '😢' });
      await a.post(`/chat/messages/${id}/delete`);
      expect(await app.db('message_reactions').where({ message_id: id }).first()).toBeUndefined();
      expect(messageItem((await b.get('/chat')).text, id)).not.toContain('😢');
    });
  });
});
