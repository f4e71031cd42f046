// The chat with JavaScript off: the composer is a plain form (POST → 303 → /chat), a link
// (or a reload) shows what the partner sent since, and deleting asks on a page of its own.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, logIn, pathOf, submit } from '../support/browser';
import { expectConversation, mySide, phoneContext, postMessage, shownMessages, shownTexts } from '../support/chatPages';
import { Client, pairUp } from '../support/client';
import type { TestApp } from '../support/testApp';

describeBrowser('the chat with JavaScript disabled', () => {
  let app: TestApp;
  const suite = browserSuite();
  let dahyun: Page; // in the browser, JavaScript off; side a
  let jaemin: Client; // the partner, over plain HTTP
  const expected: string[] = [];

  beforeAll(async () => {
    app = suite.app;
    [, jaemin] = await pairUp(app.url, 'dahyun', 'jaemin');
    await jaemin.get('/chat');
    ({ page: dahyun } = await suite.open(phoneContext, { javaScriptEnabled: false }));
    await logIn(dahyun, 'dahyun', undefined, '/chat');
  });

  /** Presses 보내기 and returns the status of the form's POST (the page then shows the answer). */
  async function send(page: Page, text: string): Promise<number> {
    await page.getByLabel('메시지', { exact: true }).fill(text);
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/chat/messages');
    await submit(page, '보내기');
    return (await posted).status();
  }

  it('refuses a blank message with the error under the box (422)', async () => {
    expect(await mySide(dahyun)).toBe('a');
    expect(await send(dahyun, '   ')).toBe(422);
    await expectVisibleText(dahyun.getByRole('alert').filter({ hasText: '메시지' }), '메시지를 입력해 주세요.');
    expect(await shownTexts(dahyun)).toEqual([]);
  });

  it('sends with the form: 303 back to /chat, where the message is shown on my side', async () => {
    const text = '자바스크립트 없이도\n보낼 수 있어';
    expect(await send(dahyun, text)).toBe(303);
    await expectPath(dahyun, '/chat');
    expected.push(text);
    await expectConversation(dahyun, expected);
    const [mine] = await shownMessages(dahyun);
    expect(mine).toMatchObject({ from: 'a', right: true, pending: false });
    expect(mine.time).toMatch(/\d{1,2}:\d{2}/);
    expect(await dahyun.getByLabel('메시지', { exact: true }).inputValue()).toBe('');
    // the partner has it
    expect(Client.visible((await jaemin.get('/chat')).text)).toContain('자바스크립트 없이도');
  });

  it("shows the partner's new message after a reload", async () => {
    await postMessage(jaemin, '응 잘 보여!');
    // without JavaScript nothing arrives by itself
    await dahyun.waitForTimeout(300);
    expect(await shownTexts(dahyun)).toEqual(expected);

    await dahyun.reload();
    expected.push('응 잘 보여!');
    await expectConversation(dahyun, expected);
    expect((await shownMessages(dahyun)).at(-1)).toMatchObject({ from: 'b', right: false });
  });

  it("shows the partner's new message after following 새 메시지 확인", async () => {
    await postMessage(jaemin, '새메시지확인눌러봐');
    const check = dahyun.getByRole('link', { name: '새 메시지 확인', exact: true });
    await check.click();
    await dahyun.waitForLoadState('domcontentloaded');
    expect(pathOf(dahyun)).toBe('/chat');
    expected.push('새메시지확인눌러봐');
    await expectConversation(dahyun, expected);
  });

  it('deletes my own message from its menu after a page that asks: 취소 keeps it, 삭제 deletes it; the partner sees the tombstone; theirs have no 삭제', async () => {
    const [mine] = await shownMessages(dahyun);
    const li = dahyun.locator(`#m-${mine.id}`);
    const openMenu = async () => {
      await dahyun.locator(`#m-${mine.id}`).getByLabel('메시지 메뉴').click();
      await submit(dahyun, dahyun.locator(`#m-${mine.id}`).getByRole('button', { name: '삭제', exact: true }));
      await expectPath(dahyun, `/chat/messages/${mine.id}/delete`);
    };
    // 삭제 in the menu asks on a page of its own, showing the message; nothing is deleted yet
    await openMenu();
    await expectVisibleText(dahyun, '이 메시지를 삭제할까요? 삭제하면 되돌릴 수 없어요.');
    await expectVisibleText(dahyun.locator('.delete-confirm .bubble'), '자바스크립트 없이도');
    expect(await app.db('messages').where({ id: Number(mine.id) }).first('deleted_at')).toEqual({ deleted_at: null });
    // 취소 goes back to the chat with the message kept
    await dahyun.getByRole('link', { name: '취소', exact: true }).click();
    await expectPath(dahyun, '/chat');
    await expectConversation(dahyun, expected);

    await openMenu();
    const posted = dahyun.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/chat/messages/${mine.id}/delete`);
    await submit(dahyun, dahyun.getByRole('button', { name: '삭제', exact: true }));
    expect((await posted).status()).toBe(303);
    await expectPath(dahyun, '/chat');
    expected[0] = '삭제된 메시지입니다';
    await expectConversation(dahyun, expected);
    expect(await li.innerText()).not.toContain('자바스크립트');

    const partnerPage = Client.visible((await jaemin.get('/chat')).text);
    expect(partnerPage).toContain('삭제된 메시지입니다');
    expect(partnerPage).not.toContain('자바스크립트 없이도');

    for (const theirs of await dahyun.locator('#messages > li.msg.from-b').all()) {
      // their messages' menus have 답장 and the reactions, never 삭제
      expect(await theirs.locator('form.delete').evaluate((f) => getComputedStyle(f).display)).toBe('none');
    }
  });
});
