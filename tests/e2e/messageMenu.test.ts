// A message's actions live in its menu, not beside every bubble: on a 360×740 touch phone
// the menu opens by its button, by holding a finger on the bubble and by a right click;
// 삭제 in it asks first, and the partner sees the tombstone live. At 320×568 the open menu
// stays on screen with a 44 px 삭제.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, touchPhone } from '../support/browser';
import { expectConversation, postMessage, shownMessages } from '../support/chatPages';
import { pairUp, type Client } from '../support/client';


describeBrowser('the message menu on a phone', () => {
  const suite = browserSuite();
  let hana: Page; // side a, 360×740
  let hanaContext: BrowserContext;
  let minho: Page; // side b, the partner
  let hanaClient: Client;
  const texts = ['안녕 반가워!!', '고마워 ㅎㅎㅎ', '응응 맛있게 먹고 와!!'];

  beforeAll(async () => {
    [hanaClient] = await pairUp(suite.app.url, 'hana', 'minho');
    for (const text of texts) await postMessage(hanaClient, text);
    ({ context: hanaContext, page: hana } = await suite.open(touchPhone({ width: 360, height: 740 })));
    ({ page: minho } = await suite.open(touchPhone({ width: 360, height: 740 })));
    await logIn(hana, 'hana', undefined, '/chat');
    await logIn(minho, 'minho', undefined, '/chat');
  });

  const messageOf = async (page: Page, text: string) => page.locator(`#m-${(await shownMessages(page)).find((m) => m.text === text)!.id}`);
  const isOpen = (li: import('playwright-core').Locator) => li.locator('details.msg-menu').evaluate((d) => (d as HTMLDetailsElement).open);

  it('opens by its button (a 44 px target named 메시지 메뉴), with 삭제 in it; Escape closes it', async () => {
    await expectConversation(hana, texts);
    const li = await messageOf(hana, texts[0]);
    expect(await li.getByRole('button', { name: '삭제', exact: true }).isVisible()).toBe(false);
    const button = li.getByLabel('메시지 메뉴');
    const box = (await button.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await button.tap();
    await li.getByRole('button', { name: '삭제', exact: true }).waitFor();
    await hana.keyboard.press('Escape');
    await expect.poll(() => isOpen(li)).toBe(false);
    // the partner's phone has a menu on my messages too (답장, reactions), but no 삭제 in it
    const theirs = await messageOf(minho, texts[0]);
    await theirs.getByLabel('메시지 메뉴').tap();
    await theirs.getByRole('link', { name: '답장' }).waitFor();
    expect(await theirs.getByRole('button', { name: '삭제', exact: true }).isVisible()).toBe(false);
    await minho.keyboard.press('Escape');
  });

  it('opens by holding a finger on the bubble, and by a right click', async () => {
    const li = await messageOf(hana, texts[1]);
    const bubble = li.locator('.bubble');
    const box = (await bubble.boundingBox())!;
    const cdp = await hanaContext.newCDPSession(hana);
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
    await expect.poll(() => isOpen(li)).toBe(true);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await li.getByRole('button', { name: '삭제', exact: true }).waitFor();
    // a tap elsewhere closes it
    await hana.locator('.chat-header').tap();
    await expect.poll(() => isOpen(li)).toBe(false);

    await bubble.click({ button: 'right' });
    await expect.poll(() => isOpen(li)).toBe(true);
    // one menu at a time
    const other = await messageOf(hana, texts[2]);
    await other.getByLabel('메시지 메뉴').tap();
    await expect.poll(() => isOpen(other)).toBe(true);
    await expect.poll(() => isOpen(li)).toBe(false);
    await hana.keyboard.press('Escape');
  });

  it('삭제 asks first; 취소 keeps the message, 확인 deletes it for both phones', async () => {
    const li = await messageOf(hana, texts[2]);
    const onMinho = await messageOf(minho, texts[2]);
    await li.getByLabel('메시지 메뉴').tap();
    const remove = li.getByRole('button', { name: '삭제', exact: true });
    const asked: string[] = [];
    hana.once('dialog', (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
    await remove.tap();
    await expect.poll(() => asked).toEqual(['이 메시지를 삭제할까요? 삭제하면 되돌릴 수 없어요.']);
    expect(await li.innerText()).toContain(texts[2]);
    hana.once('dialog', (dialog) => void dialog.accept());
    await remove.tap();
    for (const shown of [li, onMinho]) await expect.poll(() => shown.innerText()).toContain('삭제된 메시지입니다');
    expect(await li.locator('.msg-menu').count()).toBe(0);
  });

  it('at 320×568 the open menu stays on the screen, its 삭제 44 px high', async () => {
    const { page } = await suite.open(touchPhone({ width: 320, height: 568 }));
    await logIn(page, 'hana', undefined, '/chat');
    for (const text of texts.slice(0, 2)) {
      const li = await messageOf(page, text);
      await li.getByLabel('메시지 메뉴').tap();
      const remove = li.getByRole('button', { name: '삭제', exact: true });
      await remove.waitFor();
      const box = (await li.locator('.msg-menu-items').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(320);
      const button = (await remove.boundingBox())!;
      expect(button.height).toBeGreaterThanOrEqual(44);
      expect(button.width).toBeGreaterThanOrEqual(44);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await page.keyboard.press('Escape');
    }
  });
});
