// The README's pictures: the main pages on a small phone (360×740), in Korean, with the demo
// couple's three days of chat. Written to docs/screenshots/ only with UPDATE_SCREENSHOTS=1;
// otherwise to a temporary folder, so that an ordinary test run leaves the repository as it was.
//   UPDATE_SCREENSHOTS=1 CHROME_PATH=/usr/bin/chromium npx vitest run tests/e2e/screenshots.test.ts
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phone } from '../support/a11y';
import { browserSuite, describeBrowser } from '../support/browser';
import { PASSWORD } from '../support/client';
import { askDemoQuestion, DEMO, seedDemo, type Demo } from '../support/demo';
import { answerWithKeyboard, expectQuestionAsked, expectRevealed } from '../support/questionPages';

const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const DOCS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

async function logIn(page: Page, loginId: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#login_id').fill(loginId);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/chat'), page.locator('form[action="/login"] button[type="submit"]').click()]);
}

/** Waits until what is on the screen is drawn: fonts, and every picture in sight loaded. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForFunction(() =>
    Array.from(document.images).every((img) => {
      const r = img.getBoundingClientRect();
      const inSight = r.bottom > 0 && r.top < innerHeight && r.width > 0;
      return !inSight || (img.complete && img.naturalWidth > 0);
    }),
  );
}

describeBrowser('screenshots for the README', () => {
  const suite = browserSuite();
  const dir = UPDATE ? DOCS : mkdtempSync(join(tmpdir(), 'cc-shots-'));
  const taken: string[] = [];
  let demo: Demo;
  let page: Page;
  const SCREEN = { width: 360, height: 740 };

  async function shoot(name: string, on: Page = page): Promise<void> {
    await settled(on);
    const path = join(dir, `${name}.png`);
    await on.screenshot({ path, animations: 'disabled', caret: 'hide' });
    taken.push(path);
  }

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    demo = await seedDemo(suite.app.url, suite.app.db);
    ({ page } = await suite.open(phone({ viewport: SCREEN })));
  });
  afterAll(() => {
    if (!UPDATE) rmSync(dir, { recursive: true, force: true });
  });

  it('the log-in page', async () => {
    await page.goto('/login');
    await shoot('login');
  });

  describe('a couple three days in', () => {
    beforeAll(async () => {
      await logIn(page, DEMO.a);
    });

    it('the chat, with photos, a file and read marks; and in dark mode', async () => {
      await shoot('chat');
      const { page: dark } = await suite.open(phone({ scheme: 'dark', viewport: SCREEN }));
      await logIn(dark, DEMO.a);
      await shoot('chat-dark', dark);
      await dark.context().close();
    });

    it('questions and answers, the word ranking, the calendar, the account', async () => {
      for (const path of ['answers', 'rank', 'calendar', 'account']) {
        await page.goto(`/${path}`);
        await shoot(path);
      }
    });

    it('a reply with reactions, our profile with its 사귄 날 and names, and our album', async () => {
      const newest = (await suite.app.db('messages').where({ couple_id: demo.coupleId }).orderBy('id', 'desc').first('id', 'sender_id'))!;
      await demo.jiho.get('/chat');
      expect((await demo.jiho.post(`/chat/messages/${newest.id}/reactions`, { emoji: '❤️' })).status).toBe(303);
      expect((await demo.jiho.post('/chat/messages', { body: '응 그때 거기 또 가자', client_id: 'shot-reply-0001', reply_to: String(newest.id) })).status).toBe(303);
      await demo.haeun.get('/couple');
      expect((await demo.haeun.post('/couple/profile', { partner_nickname: '지호', started_on: '2025-05-05', birthday: '1997-03-14' })).status).toBe(303);
      await demo.jiho.get('/couple');
      expect((await demo.jiho.post('/couple/profile', { partner_nickname: '하은이', started_on: '2025-05-05', birthday: '1996-11-02' })).status).toBe(303);
      await page.goto('/chat');
      await page.locator('.reactions .reaction').first().waitFor();
      await shoot('chat-reply');
      for (const path of ['couple', 'album']) {
        await page.goto(`/${path}`);
        await shoot(path);
      }
    });

    it('a question that pops up, and both answers once both have answered', async () => {
      await page.goto('/chat');
      const question = await askDemoQuestion(demo.jiho);
      await expectQuestionAsked(page, question);
      await page.keyboard.type('둘 다 좋지만 고양이!');
      await shoot('question');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      expect(await answerWithKeyboard(page, '둘 다 좋지만 고양이!')).toBe(200);
      const open = await suite.app.db('couple_questions').where({ couple_id: demo.coupleId }).whereNull('revealed_at').first('id');
      await demo.jiho.get('/answers');
      await demo.jiho.post(`/questions/${open.id}/answer`, { answer: '강아지! 같이 산책하고 싶어', back: '/answers' });
      await expectRevealed(page, question);
      await page.locator('#body').evaluate((el) => (el as HTMLElement).blur());
      await shoot('question-revealed');
    });
  });

  it('wrote phone-sized PNGs', () => {
    expect(taken.length).toBe(12);
    for (const path of taken) {
      const png = readFileSync(path);
      expect(png.subarray(1, 4).toString('latin1'), path).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], path).toEqual([SCREEN.width, SCREEN.height]);
    }
  });
});
