// "입력 중…" on two phones (two Chromium profiles): while one partner types, the other sees
// it; it goes the moment the message arrives, and by itself about 5 s after the typing
// stopped. The one who types never sees it on their own page.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectVisibleText, logIn } from '../support/browser';
import { composer, phoneContext } from '../support/chatPages';
import { pairUp } from '../support/client';

const indicator = (page: Page) => page.locator('#typing');
const indicatorText = (page: Page) => indicator(page).innerText();

describeBrowser('typing indicator', () => {
  const suite = browserSuite();
  let mina: Page;
  let joon: Page;

  beforeAll(async () => {
    await pairUp(suite.app.url, 'mina', 'joon');
    mina = (await suite.open(phoneContext)).page;
    joon = (await suite.open(phoneContext)).page;
    await logIn(mina, 'mina', undefined, '/chat');
    await logIn(joon, 'joon', undefined, '/chat');
    // both streams open (the page marks itself live)
    for (const page of [mina, joon]) await page.locator('.chat.live').waitFor();
  });

  it('shows 입력 중… to the partner while I type, and takes it away when my message arrives', async () => {
    expect(await indicator(joon).getAttribute('role')).toBe('status');
    await composer(mina).pressSequentially('안녕 뭐 해');
    await expect.poll(() => indicatorText(joon), { timeout: 10_000 }).toBe('입력 중…');
    expect(await indicatorText(mina), 'not on my own page').toBe('');

    await composer(mina).press('Enter');
    await expectVisibleText(joon.locator('#messages'), '안녕 뭐 해');
    // gone with the message itself, not seconds later
    expect(await indicatorText(joon)).toBe('');
  });

  it('takes it away by itself about 5 s after the typing stopped', async () => {
    await composer(joon).pressSequentially('나는 지금');
    await expect.poll(() => indicatorText(mina), { timeout: 10_000 }).toBe('입력 중…');
    const shownAt = Date.now();
    await expect.poll(() => indicatorText(mina), { timeout: 10_000, interval: 250 }).toBe('');
    expect(Date.now() - shownAt, 'it stays a while first').toBeGreaterThan(3_000);
    expect(await composer(joon).inputValue(), 'nothing was sent').toBe('나는 지금');
  });

  it('takes it away at once when the box is cleared, not 5 s later', async () => {
    // mina's page on a clock of its own (running as the real one until paused)
    await mina.clock.install();
    await mina.reload();
    await mina.locator('.chat.live').waitFor();
    await composer(joon).pressSequentially(' 음 그러니까'); // after the words left from before
    await expect.poll(() => indicatorText(mina), { timeout: 10_000 }).toBe('입력 중…');
    // her page's timers stand still from here (the 5 s one too): only joon's "cleared" can take it away
    await mina.clock.pauseAt(Date.now() + 500);
    await composer(joon).fill('');
    await composer(joon).dispatchEvent('input');
    await expect.poll(() => indicatorText(mina), { timeout: 10_000 }).toBe('');
  });
});
