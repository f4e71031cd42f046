// Issue 15: several photos picked at once go as one message, a bubble holding a grid of
// thumbnails (like KakaoTalk's photo bundle), for both partners, live and after a reload;
// without JavaScript the form's multiple file input posts them all as one message too.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, submit, touchPhone } from '../support/browser';
import { pairUp } from '../support/client';

/** A touch phone of 360×740, Korean, Seoul time. */
const smallPhone = touchPhone({ width: 360, height: 740 });

const photo = async (background: string, name: string, width = 600, height = 400) => ({
  name,
  mimeType: name.endsWith('.png') ? 'image/png' : 'image/jpeg',
  buffer: await (name.endsWith('.png') ? sharp({ create: { width, height, channels: 3, background } }).png() : sharp({ create: { width, height, channels: 3, background } }).jpeg()).toBuffer(),
});

/** The albums on the page: for each, the message's id and its thumbnails' alt texts. */
const albumsOn = (page: Page) =>
  page.locator('#messages li.msg .album').evaluateAll((albums) =>
    albums.map((album) => ({
      id: album.closest('li.msg')!.id,
      photos: Array.from(album.querySelectorAll('a.photo img')).map((img) => (img as HTMLImageElement).alt),
    })),
  );

describeBrowser('several photos at once: one bubble, an album', () => {
  const suite = browserSuite();
  let sender: Page;
  let receiver: Page;

  beforeAll(async () => {
    await pairUp(suite.app.url, 'album_a', 'album_b');
    for (const [who, name] of [['a', 'album_a'], ['b', 'album_b']] as const) {
      const { page } = await suite.open(smallPhone);
      await page.goto('/login');
      await logIn(page, name, undefined, '/chat');
      if (who === 'a') sender = page;
      else receiver = page;
    }
  });

  it('3 photos picked at once: the partner sees one bubble with 3 thumbnails live, and after a reload; a tap opens the preview with its download', async () => {
    const before = await receiver.locator('#messages li.msg').count();
    const picked = [await photo('#f5a', '바다.jpg'), await photo('#5af', '하늘.png', 400, 600), await photo('#af5', '숲.jpg')];
    await sender.locator('#file').setInputFiles(picked);

    const names = picked.map((p) => p.name);
    await expect.poll(() => albumsOn(receiver), { timeout: 10_000 }).toEqual([{ id: expect.stringMatching(/^m-\d+$/), photos: names }]);
    expect(await receiver.locator('#messages li.msg').count()).toBe(before + 1); // one message, not three
    // the sender's own page has it once as well
    await expect.poll(() => albumsOn(sender), { timeout: 10_000 }).toEqual(await albumsOn(receiver));
    expect(await sender.locator('#messages li.msg').count()).toBe(before + 1);
    // a grid: three tiles side by side in one row, square, each big enough to tap
    const tiles = await receiver.locator('#messages .album a.photo').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().toJSON() as DOMRect));
    expect(new Set(tiles.map((r) => Math.round(r.top))).size).toBe(1);
    for (const r of tiles) {
      expect(Math.abs(r.width - r.height)).toBeLessThanOrEqual(1);
      expect(r.width).toBeGreaterThanOrEqual(44);
    }
    await expect.poll(() => receiver.locator('#messages .album img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);

    await receiver.reload();
    await expect.poll(() => albumsOn(receiver)).toEqual([{ id: expect.stringMatching(/^m-\d+$/), photos: names }]);
    // on a 320 px phone too, each tile stays a comfortable tap target
    await receiver.setViewportSize({ width: 320, height: 568 });
    const small = await receiver.locator('#messages .album a.photo').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().width));
    expect(Math.min(...small)).toBeGreaterThanOrEqual(44);
    await receiver.setViewportSize({ width: 360, height: 740 });

    await receiver.locator('#messages .album a.photo').nth(1).click();
    const dialog = receiver.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => dialog.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(400); // the original, not the thumbnail
    const [download] = await Promise.all([receiver.waitForEvent('download'), dialog.getByRole('link', { name: '다운로드' }).click()]);
    expect(download.suggestedFilename()).toBe('하늘.png');
  });

  it('an album uploads with one progress bar naming the first photo and how many more; cancel stops all of it', async () => {
    const held: import('playwright-core').Route[] = [];
    await sender.route('**/chat/uploads', (route) => void held.push(route));
    const before = await receiver.locator('#messages li.msg').count();
    await sender.locator('#file').setInputFiles([await photo('#111', '첫째.jpg'), await photo('#222', '둘째.jpg'), await photo('#333', '셋째.jpg')]);
    const progress = sender.locator('#upload-progress li');
    await expect.poll(() => progress.count()).toBe(1);
    expect(await progress.innerText()).toContain('첫째.jpg 외 2개');
    expect(await progress.locator('progress').count()).toBe(1);
    await expect.poll(() => held.length).toBe(1); // one request for the three
    await progress.getByRole('button', { name: '취소' }).click();
    await expect.poll(() => sender.locator('#upload-progress').innerText()).toContain('보내기를 취소했어요.');
    for (const route of held) await route.abort().catch(() => undefined);
    await sender.unroute('**/chat/uploads');
    expect(await receiver.locator('#messages li.msg').count()).toBe(before);
    expect(await suite.app.db('files').whereIn('name', ['첫째.jpg', '둘째.jpg', '셋째.jpg'])).toEqual([]);
  });

  it('12 photos picked at once go as two albums, 10 and 2, in the order picked', async () => {
    const picked = await Promise.all(Array.from({ length: 12 }, (_, i) => photo(`#${(i * 20 + 16).toString(16).padStart(2, '0')}8888`, `p${String(i + 1).padStart(2, '0')}.jpg`, 64, 48)));
    const albums = (await albumsOn(receiver)).length;
    await sender.locator('#file').setInputFiles(picked);
    const names = picked.map((p) => p.name);
    await expect.poll(async () => (await albumsOn(receiver)).slice(albums).map((a) => a.photos), { timeout: 15_000 }).toEqual([names.slice(0, 10), names.slice(10)]);
  });

  it('without JavaScript, the form posts several picked files as one message', async () => {
    const { page } = await suite.open(smallPhone, { javaScriptEnabled: false });
    await page.goto('/login');
    await logIn(page, 'album_a', undefined, '/chat');
    const albums = (await albumsOn(page)).length;
    const picked = [await photo('#123', '하나.jpg'), await photo('#456', '둘.jpg')];
    await page.locator('#file').setInputFiles(picked);
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/chat/uploads');
    await submit(page, '파일 보내기');
    expect((await posted).status()).toBe(303);
    await expect.poll(async () => (await albumsOn(page)).slice(albums).map((a) => a.photos)).toEqual([['하나.jpg', '둘.jpg']]);
    // and the partner, live
    await expect.poll(async () => (await albumsOn(receiver)).map((a) => a.photos).at(-1), { timeout: 10_000 }).toEqual(['하나.jpg', '둘.jpg']);
  });
});
