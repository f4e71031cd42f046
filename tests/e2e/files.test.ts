// Issue 4's walk-through: photos and a file sent from one phone, seen, previewed and
// downloaded on the other, byte for byte.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn } from '../support/browser';
import { phoneContext } from '../support/chatPages';
import { pairUp } from '../support/client';
import type { TestApp } from '../support/testApp';

describeBrowser('photos and files in the chat', () => {
  const suite = browserSuite();
  let app: TestApp;
  let sender: Page;
  let receiver: Page;

  beforeAll(async () => {
    app = suite.app;
    await pairUp(app.url, 'photo_a', 'photo_b');
    for (const [who, name] of [['a', 'photo_a'], ['b', 'photo_b']] as const) {
      const { page } = await suite.open(phoneContext);
      await page.goto('/login');
      await logIn(page, name, undefined, '/chat');
      if (who === 'a') sender = page;
      else receiver = page;
    }
  });

  it('sends two photos and a text file; the partner sees thumbnails, previews, closes, downloads the original bytes', async () => {
    const cat = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#f5a' } }).jpeg().toBuffer();
    const dog = await sharp({ create: { width: 800, height: 1200, channels: 3, background: '#5af' } }).png().toBuffer();
    const code = Buffer.from('package main\n\nfunc main() {}\n');
    // picked is sent: there is no second button to press (only the page without JavaScript has 파일 보내기)
    expect(await sender.getByRole('button', { name: '파일 보내기' }).isVisible()).toBe(false);
    await sender.locator('#file').setInputFiles([
      { name: '고양이.jpg', mimeType: 'image/jpeg', buffer: cat },
      { name: 'dog.png', mimeType: 'image/png', buffer: dog },
      { name: '과제.go', mimeType: 'text/plain', buffer: code },
    ]);

    const photos = receiver.locator('#messages a.photo img');
    await expect.poll(() => photos.count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => receiver.locator('#messages a.file').count(), { timeout: 10_000 }).toBe(1);
    // in the order sent, the space reserved by width and height
    expect(await photos.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt))).toEqual(['고양이.jpg', 'dog.png']);
    expect(await photos.first().getAttribute('width')).toBe('480');
    expect(await photos.first().getAttribute('height')).toBe('360');
    await expect.poll(() => photos.first().evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(480);
    // the sender's page shows each once
    await expect.poll(() => sender.locator('#messages a.photo').count()).toBe(2);

    await photos.first().click();
    const dialog = receiver.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => dialog.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(1600);
    await dialog.getByRole('button', { name: '닫기' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await photos.first().click();
    const [download] = await Promise.all([receiver.waitForEvent('download'), dialog.getByRole('link', { name: '다운로드' }).click()]);
    expect(download.suggestedFilename()).toBe('고양이.jpg');
    expect(Buffer.compare(await readFile((await download.path())!), cat)).toBe(0);
    await receiver.keyboard.press('Escape');

    const [file] = await Promise.all([receiver.waitForEvent('download'), receiver.locator('#messages a.file').click()]);
    expect(file.suggestedFilename()).toBe('과제.go');
    expect(Buffer.compare(await readFile((await file.path())!), code)).toBe(0);
  });

  it('shows a progress bar while a file uploads, and cancel stops it with nothing sent', async () => {
    // the upload is held at the network edge, as on a slow phone network, until cancelled
    const held: import('playwright-core').Route[] = [];
    await sender.route('**/chat/uploads', (route) => void held.push(route));
    const before = await receiver.locator('#messages li.msg').count();
    await sender.locator('#file').setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(3 * 1024 * 1024, 7) }]);
    const progress = sender.locator('#upload-progress li');
    await expect.poll(() => progress.count()).toBe(1);
    expect(await progress.innerText()).toContain('big.bin');
    expect(await progress.locator('progress').count()).toBe(1);
    await progress.getByRole('button', { name: '취소' }).click();
    await expect.poll(() => sender.locator('#upload-progress').innerText()).toContain('보내기를 취소했어요.');
    for (const route of held) await route.abort().catch(() => undefined); // the network forgets it too
    await sender.unroute('**/chat/uploads');
    await new Promise((r) => setTimeout(r, 500));
    expect(await receiver.locator('#messages li.msg').count()).toBe(before);
    expect(await app.db('files').where({ name: 'big.bin' })).toEqual([]);
  });
});
