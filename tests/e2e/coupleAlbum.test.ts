// Issue 17 (4), 우리 앨범: B sends photos in the chat; A opens the 앨범 tab on a phone and
// finds them newest first under their months, opens one, steps to the next and back, and
// 대화에서 보기 lands on the message in the chat. Without JavaScript a tile is a page of its own.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, touchPhone } from '../support/browser';
import { pairUp, type Client } from '../support/client';
import { filePart, jpeg, upload } from '../support/uploads';

const phone = touchPhone({ width: 360, height: 740 });

const photo = async (background: string, name: string) => ({
  name,
  mimeType: 'image/jpeg',
  buffer: await sharp({ create: { width: 300 + name.length * 10, height: 200, channels: 3, background } }).jpeg().toBuffer(),
});

const tileNames = (page: Page) => page.locator('#album-grid a.album-tile img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
const monthHeadings = (page: Page) => page.locator('#album-grid h2').allTextContents();
const shownPhoto = (page: Page) => page.locator('#album-preview img').getAttribute('src');

describeBrowser('우리 앨범: the photos of the chat, by month, with a preview', () => {
  const suite = browserSuite();
  let a: Page;
  let b: Page;
  let bClient: Client;
  /** file name → its id and its message's id */
  const sent = new Map<string, { id: number; messageId: number }>();

  beforeAll(async () => {
    [, bClient] = await pairUp(suite.app.url, 'calbum_a', 'calbum_b');
    for (const who of ['a', 'b'] as const) {
      const { page } = await suite.open(phone);
      await page.goto('/login');
      await logIn(page, `calbum_${who}`, undefined, '/chat');
      if (who === 'a') a = page;
      else b = page;
    }
    // B sends three photos, one message each; the first in November
    const days = { '하나.jpg': Date.UTC(2026, 10, 20, 3), '둘.jpg': Date.UTC(2026, 11, 3, 3), '셋.jpg': Date.UTC(2026, 11, 5, 3) };
    for (const [name, background] of [['하나.jpg', '#f5a'], ['둘.jpg', '#5af'], ['셋.jpg', '#af5']] as const) {
      await b.locator('#file').setInputFiles([await photo(background, name)]);
      await b.locator(`#messages img[alt="${name}"]`).waitFor({ timeout: 10_000 });
      const row = await suite.app.db('files').where({ name }).first();
      sent.set(name, { id: Number(row.id), messageId: Number(row.message_id) });
      await suite.app.db('files').where({ id: row.id }).update({ created_at: days[name] });
    }
  });

  it('A opens the 앨범 tab and sees them newest first under their months; a tile opens the preview, steps newer and older, and 대화에서 보기 lands on the message', async () => {
    await a.getByRole('link', { name: '앨범' }).click();
    await expect.poll(() => new URL(a.url()).pathname).toBe('/album');
    expect(await tileNames(a)).toEqual(['셋.jpg', '둘.jpg', '하나.jpg']);
    expect(await monthHeadings(a)).toEqual(['2026년 12월', '2026년 11월']);
    // the page fits the phone: nothing scrolls sideways; three square tiles a row, across the page
    expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const box of await a.locator('#album-grid a.album-tile').evaluateAll((tiles) => tiles.map((t) => t.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.width).toBeGreaterThanOrEqual(95);
      expect(Math.abs(box.width - box.height)).toBeLessThanOrEqual(1);
    }

    await a.locator('#album-grid a.album-tile').first().click();
    const dialog = a.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await shownPhoto(a)).toBe(`/files/${sent.get('셋.jpg')!.id}`);
    await expect.poll(() => dialog.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(350); // the photo, not its thumbnail
    expect(await dialog.getByRole('link', { name: '이전' }).isVisible()).toBe(false); // the newest has none newer
    await dialog.getByRole('link', { name: '다음' }).click();
    await expect.poll(() => shownPhoto(a)).toBe(`/files/${sent.get('둘.jpg')!.id}`);
    await dialog.getByRole('link', { name: '이전' }).click();
    await expect.poll(() => shownPhoto(a)).toBe(`/files/${sent.get('셋.jpg')!.id}`);
    await dialog.getByRole('link', { name: '다음' }).click();
    await dialog.getByRole('link', { name: '다음' }).click();
    await expect.poll(() => shownPhoto(a)).toBe(`/files/${sent.get('하나.jpg')!.id}`);
    expect(await dialog.getByRole('link', { name: '다음' }).isVisible()).toBe(false);
    expect(await dialog.getByRole('link', { name: '다운로드' }).getAttribute('href')).toBe(`/files/${sent.get('하나.jpg')!.id}?download=1`);

    await dialog.getByRole('link', { name: '대화에서 보기' }).click();
    const { messageId } = sent.get('하나.jpg')!;
    await expect.poll(() => new URL(a.url()).pathname + new URL(a.url()).search).toBe(`/chat?around=${messageId}`);
    const message = a.locator(`#m-${messageId}`);
    await expect.poll(() => message.getAttribute('aria-current')).toBe('true');
    await expect.poll(() => message.evaluate((li) => {
      const r = li.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    })).toBe(true);
  });

  it('the chat’s own photo preview steps to the photo before and after it in the conversation', async () => {
    await b.goto('/chat');
    await b.locator('#messages a.photo img[alt="둘.jpg"]').click();
    const dialog = b.locator('dialog#preview');
    const shown = () => dialog.locator('img').getAttribute('src');
    await expect.poll(shown).toBe(`/files/${sent.get('둘.jpg')!.id}`);
    await dialog.getByRole('button', { name: '이전' }).click();
    await expect.poll(shown).toBe(`/files/${sent.get('하나.jpg')!.id}`);
    expect(await dialog.getByRole('button', { name: '이전' }).isVisible()).toBe(false); // the first photo of the chat
    await dialog.getByRole('button', { name: '다음' }).click();
    await dialog.getByRole('button', { name: '다음' }).click();
    await expect.poll(shown).toBe(`/files/${sent.get('셋.jpg')!.id}`);
    expect(await dialog.getByRole('button', { name: '다음' }).isVisible()).toBe(false);
    expect(await dialog.getByRole('link', { name: '다운로드' }).getAttribute('href')).toBe(`/files/${sent.get('셋.jpg')!.id}?download=1`);
    await b.keyboard.press('ArrowLeft');
    await expect.poll(shown).toBe(`/files/${sent.get('둘.jpg')!.id}`);
  });

  it('all six tabs, 앨범 among them, are in sight on a 320 px phone (none scrolled out of view)', async () => {
    await a.setViewportSize({ width: 320, height: 568 });
    await a.goto('/album');
    const tabs = await a.locator('nav.tabs a.tab').evaluateAll((links) => links.map((el) => ({ text: el.textContent!.trim(), ...(el.getBoundingClientRect().toJSON() as DOMRect) })));
    expect(tabs.map((t) => t.text)).toContain('앨범');
    expect(tabs).toHaveLength(6);
    for (const tab of tabs) {
      expect(tab.left, tab.text).toBeGreaterThanOrEqual(0);
      expect(tab.right, tab.text).toBeLessThanOrEqual(320);
      expect(tab.width, tab.text).toBeGreaterThanOrEqual(44);
      expect(tab.height, tab.text).toBeGreaterThanOrEqual(44);
    }
    expect(await a.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await a.setViewportSize({ width: 360, height: 740 });
  });

  it('without JavaScript a tile opens the photo’s own page, with the next one and the way back', async () => {
    const { page } = await suite.open(phone, { javaScriptEnabled: false });
    await page.goto('/login');
    await logIn(page, 'calbum_a', undefined, '/chat');
    await page.goto('/album');
    await page.locator('#album-grid a.album-tile').first().click();
    await expect.poll(() => page.url()).toContain(`/album?at=${sent.get('셋.jpg')!.id}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('셋.jpg');
    await page.getByRole('link', { name: '다음' }).click();
    await expect.poll(() => page.url()).toContain(`/album?at=${sent.get('둘.jpg')!.id}`);
    await page.getByRole('link', { name: '대화에서 보기' }).click();
    await expect.poll(() => page.url()).toContain(`/chat?around=${sent.get('둘.jpg')!.messageId}`);
  });

  it('loads older photos as A scrolls to the end of the grid, with no month heading twice', async () => {
    // 30 more photos, this month: the first page is 30, the three of before come on the next
    await bClient.get('/chat');
    for (let n = 0; n < 3; n++) {
      const parts = await Promise.all(Array.from({ length: 10 }, async (_, i) => filePart(`more-${n}-${i}.jpg`, await jpeg(40, 40), 'image/jpeg')));
      expect((await upload(bClient, [{ name: 'client_id', value: `more-${n}` }, ...parts])).status).toBe(303);
    }
    await a.goto('/album');
    expect(await a.locator('#album-grid a.album-tile').count()).toBe(30);
    await a.evaluate(() => document.querySelector('.album-more')!.scrollIntoView()); // (htmx replaces it as it comes into view)
    await expect.poll(() => a.locator('#album-grid a.album-tile').count()).toBe(33);
    expect((await tileNames(a)).slice(-3)).toEqual(['셋.jpg', '둘.jpg', '하나.jpg']);
    expect(await a.locator('.album-more').count()).toBe(0);
    const headings = await monthHeadings(a);
    expect(new Set(headings).size).toBe(headings.length);
    expect(headings[headings.length - 1]).toBe('2026년 11월');
  });
});
