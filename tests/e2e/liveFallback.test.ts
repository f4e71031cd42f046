// When the chat's live script cannot run (an old browser that cannot parse it, a download
// that failed), the page is the no-JavaScript page and says how to get new messages; when
// it runs, that link goes once the stream is open.
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn } from '../support/browser';
import { phoneContext } from '../support/chatPages';
import { pairUp } from '../support/client';

describeBrowser('the chat without its live script', () => {
  const suite = browserSuite();
  const tag = Date.now() % 100_000;
  const [loginA, loginB] = [`live_${tag}_a`, `live_${tag}_b`];

  beforeAll(async () => {
    await pairUp(suite.app.url, loginA, loginB);
  });

  it('offers 새 메시지 확인 when the chat script fails to run, and the link brings the partner’s new message', async () => {
    const { page, context } = await suite.open(phoneContext);
    // the page carries its script: it fails as on a browser that cannot run it (htmx cannot be defined)
    await context.addInitScript(() => {
      Object.defineProperty(window, 'htmx', {
        get: () => undefined,
        set: () => {
          throw new Error('this browser cannot run the chat’s script');
        },
      });
    });
    await logIn(page, loginA, undefined, '/chat');
    const link = page.getByRole('link', { name: '새 메시지 확인', exact: true });
    await link.waitFor({ state: 'visible' });
    const partner = (await suite.open(phoneContext)).page;
    await logIn(partner, loginB, undefined, '/chat');
    await partner.locator('#body').fill('새로고침하면 보여?');
    await partner.locator('#body').press('Enter');
    await partner.locator('#messages li.msg', { hasText: '새로고침하면 보여?' }).waitFor();
    await link.click();
    await page.locator('#messages li.msg', { hasText: '새로고침하면 보여?' }).waitFor();
  });

  it('puts the link away once the stream is open', async () => {
    const { page } = await suite.open(phoneContext);
    await logIn(page, loginB, undefined, '/chat');
    await page.locator('.chat.live').waitFor({ state: 'attached' });
    expect(await page.getByRole('link', { name: '새 메시지 확인', exact: true }).isVisible()).toBe(false);
  });
});
