// Replies and reactions on two phones (360×740): 답장 from a message's menu quotes it above
// the composer and the partner sees the reply with its quote live; tapping a quote brings
// the original into view (loading the history around it when it is not loaded); reactions
// reach the other phone live both ways and the same one again takes it back; a deleted
// original shows as deleted in its quotes, live. Without JavaScript, 답장 and a reaction work
// through the menu's link and forms.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, touchPhone } from '../support/browser';
import { composer, postMessage, shownMessages } from '../support/chatPages';
import { pairUp, type Client } from '../support/client';

describeBrowser('replies and reactions on two phones', () => {
  const suite = browserSuite();
  let yuna: Page; // side a
  let jisu: Page; // side b
  let yunaClient: Client;
  let jisuClient: Client;
  const texts = ['오늘 저녁 뭐 먹을까?', '떡볶이 어때', '좋아 7시에 만나'];

  beforeAll(async () => {
    [yunaClient, jisuClient] = await pairUp(suite.app.url, 'yuna', 'jisu');
    await postMessage(yunaClient, texts[0]);
    await postMessage(jisuClient, texts[1]);
    await postMessage(yunaClient, texts[2]);
    ({ page: yuna } = await suite.open(touchPhone({ width: 360, height: 740 })));
    ({ page: jisu } = await suite.open(touchPhone({ width: 360, height: 740 })));
    await logIn(yuna, 'yuna', undefined, '/chat');
    await logIn(jisu, 'jisu', undefined, '/chat');
    for (const page of [yuna, jisu]) await page.locator('.chat.live').waitFor();
  });

  const messageOf = async (page: Page, text: string): Promise<Locator> => {
    await expect.poll(async () => (await shownMessages(page)).some((m) => m.text === text && m.id !== null)).toBe(true);
    return page.locator(`#m-${(await shownMessages(page)).find((m) => m.text === text && m.id !== null)!.id}`);
  };
  const idOf = async (li: Locator) => Number(await li.getAttribute('data-id'));
  const openMenu = async (li: Locator) => {
    await li.getByLabel('메시지 메뉴').tap();
    await li.locator('.msg-menu-items').waitFor();
  };
  const reactionsText = (li: Locator) => li.locator('.reactions').innerText().catch(() => '');

  it('the newest message’s menu, opened by its button, brings its reactions and 답장 into sight', async () => {
    const li = await messageOf(yuna, texts[2]);
    await li.getByLabel('메시지 메뉴').tap();
    const id = await idOf(li);
    const itemsInSight = () =>
      yuna.evaluate((id) => {
        const box = document.getElementById('history')!.getBoundingClientRect();
        const items = document.querySelector(`#m-${id} .msg-menu-items`)!.getBoundingClientRect();
        return items.height > 0 && items.bottom <= box.bottom + 1 && items.top >= box.top - 1;
      }, id);
    await expect.poll(itemsInSight).toBe(true);
    await yuna.keyboard.press('Escape');
    await li.locator('summary').evaluate((s) => ((s.parentElement as HTMLDetailsElement).open = false));
  });

  it('답장 from the menu quotes the message above the box; the reply reaches the partner with its quote, live', async () => {
    const original = await messageOf(yuna, texts[1]); // jisu's
    await openMenu(original);
    await original.getByRole('link', { name: '답장' }).tap();
    const preview = yuna.locator('#reply-preview');
    await preview.waitFor();
    expect(await preview.innerText()).toContain('jisu에게 답장');
    expect(await preview.innerText()).toContain(texts[1]);
    const cancel = preview.getByRole('link', { name: '답장 취소' });
    const box = (await cancel.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
    expect(await yuna.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await composer(yuna).fill('콜! 떡볶이');
    await yuna.getByRole('button', { name: '보내기' }).tap();
    await expect.poll(() => preview.isVisible()).toBe(false);
    const onJisu = await messageOf(jisu, '콜! 떡볶이');
    const quote = onJisu.locator('.quote');
    await expect.poll(() => quote.innerText()).toContain(texts[1]);
    expect(await quote.getAttribute('data-quote-of')).toBe(String(await idOf(original)));
    await expect.poll(async () => (await messageOf(yuna, '콜! 떡볶이')).locator('.quote').innerText()).toContain(texts[1]);
  });

  it('✕ and Escape take the quote away; the next message is no reply', async () => {
    const li = await messageOf(yuna, texts[2]);
    const preview = yuna.locator('#reply-preview');
    await openMenu(li);
    await li.getByRole('link', { name: '답장' }).tap();
    await preview.waitFor();
    await composer(yuna).press('Escape');
    await expect.poll(() => preview.isVisible()).toBe(false);
    await openMenu(li);
    await li.getByRole('link', { name: '답장' }).tap();
    await preview.waitFor();
    await preview.getByRole('link', { name: '답장 취소' }).tap();
    await expect.poll(() => preview.isVisible()).toBe(false);
    await composer(yuna).fill('그냥 말');
    await yuna.getByRole('button', { name: '보내기' }).tap();
    const sent = await messageOf(jisu, '그냥 말');
    expect(await sent.locator('.quote').count()).toBe(0);
  });

  it('tapping a quote brings the original into view, marked', async () => {
    const reply = await messageOf(jisu, '콜! 떡볶이');
    const original = await messageOf(jisu, texts[1]);
    await jisu.locator('#history').evaluate((h) => (h.scrollTop = h.scrollHeight));
    await reply.locator('.quote').tap();
    await expect.poll(() => original.getAttribute('class')).toContain('found');
    const originalId = await idOf(original);
    const inView = () =>
      jisu.evaluate((id) => {
        const box = document.getElementById('history')!.getBoundingClientRect();
        const r = document.getElementById(`m-${id}`)!.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      }, originalId);
    await expect.poll(inView).toBe(true);
    expect(new URL(jisu.url()).pathname + new URL(jisu.url()).search).toBe('/chat');
  });

  it('reactions reach the other phone live, both ways; the same again takes mine back', async () => {
    const onYuna = await messageOf(yuna, texts[0]);
    const onJisu = await messageOf(jisu, texts[0]);
    await openMenu(onJisu);
    const heart = onJisu.getByRole('button', { name: '❤️ 반응하기' });
    const box = (await heart.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
    await heart.tap();
    await expect.poll(() => onJisu.locator('details.msg-menu').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    for (const li of [onJisu, onYuna]) await expect.poll(() => reactionsText(li)).toContain('❤️');

    await openMenu(onYuna);
    await onYuna.getByRole('button', { name: '😂 반응하기' }).tap();
    for (const li of [onJisu, onYuna]) await expect.poll(() => reactionsText(li)).toContain('😂');

    await openMenu(onJisu);
    await onJisu.getByRole('button', { name: '❤️ 반응하기' }).tap();
    for (const li of [onJisu, onYuna]) await expect.poll(() => reactionsText(li)).not.toContain('❤️');
    expect(await reactionsText(onYuna)).toContain('😂');
  });

  it('a quote of a message deleted later shows 삭제된 메시지, live', async () => {
    const original = await messageOf(yuna, '그냥 말');
    const id = await idOf(original);
    await jisuClient.get('/chat');
    const replied = await jisuClient.post('/chat/messages', { body: '뭐가 그냥이야', client_id: `e2e-reply-${Date.now()}`, reply_to: String(id) });
    expect(replied.status).toBe(303);
    const reply = await messageOf(yuna, '뭐가 그냥이야');
    await expect.poll(() => reply.locator('.quote').innerText()).toContain('그냥 말');
    await openMenu(original);
    yuna.once('dialog', (dialog) => void dialog.accept());
    await original.getByRole('button', { name: '삭제', exact: true }).tap();
    for (const page of [yuna, jisu]) {
      const shown = page.locator(`#m-${await idOf(reply)} .quote`);
      await expect.poll(() => shown.innerText()).toContain('삭제된 메시지');
      expect(await shown.innerText()).not.toContain('그냥 말');
    }
  });

  it('without JavaScript: 답장 is a link to the chat with the quote above the box, and a reaction a form', async () => {
    const { page } = await suite.open(touchPhone({ width: 320, height: 568 }), { javaScriptEnabled: false });
    await logIn(page, 'yuna', undefined, '/chat');
    const li = await messageOf(page, texts[2]);
    const id = await idOf(li);
    await li.locator('summary').click();
    await li.getByRole('link', { name: '답장' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe(`?reply_to=${id}`);
    expect(await page.locator('#reply-preview').innerText()).toContain(texts[2]);
    await composer(page).fill('자바스크립트 없이 답장');
    await page.getByRole('button', { name: '보내기', exact: true }).click();
    const reply = await messageOf(page, '자바스크립트 없이 답장');
    expect(await reply.locator('.quote').innerText()).toContain(texts[2]);
    await expect.poll(async () => (await messageOf(jisu, '자바스크립트 없이 답장')).locator('.quote').innerText()).toContain(texts[2]);

    const target = await messageOf(page, texts[2]);
    await target.locator('summary').click();
    await target.getByRole('button', { name: '👍 반응하기' }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#m-${id}`);
    await expect.poll(async () => reactionsText(await messageOf(page, texts[2]))).toContain('👍');
    await expect.poll(async () => reactionsText(await messageOf(jisu, texts[2]))).toContain('👍');
  });
  it('a quote of a message not loaded opens the history around it', async () => {
    const first = (await suite.app.db('messages').where({ body: texts[0] }).first('id', 'couple_id', 'sender_id', 'created_at'))!;
    const rows = Array.from({ length: 60 }, (_, i) => ({ couple_id: first.couple_id, sender_id: first.sender_id, body: `채우기 ${i}`, client_id: `fill-${i}-${Date.now()}`, created_at: Number(first.created_at) + 1000 + i }));
    // stored as they are (a page reads the database), the reply last
    await suite.app.db('messages').insert([...rows, { ...rows[0], body: '그때 그 말', client_id: `old-reply-${Date.now()}`, created_at: rows[0].created_at + 100, reply_to: first.id }]);
    await jisu.goto('/chat');
    const reply = await messageOf(jisu, '그때 그 말');
    expect(await jisu.locator(`#m-${first.id}`).count()).toBe(0);
    await reply.locator('.quote').tap();
    await expect.poll(() => new URL(jisu.url()).search).toBe(`?around=${first.id}`);
    await jisu.locator(`#m-${first.id}`).waitFor();
    expect(await jisu.locator(`#m-${first.id}`).innerText()).toContain(texts[0]);
  });

});
