// Every page, as a phone shows it, checked by axe-core (no serious or critical violation;
// everything axe finds is printed for the record) and for its outline: one h1, the page's
// language, header / main / footer, a name on every control. In Korean, and some pages in
// English and in dark mode. Then the chat with the keyboard only: sending, answering the
// question that pops up, and opening and closing a photo.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockingViolations, focused, outline, phone, tabTo } from '../support/a11y';
import { browserSuite, describeBrowser, SEE_TIMEOUT } from '../support/browser';
import { networkOf } from '../support/chatPages';
import { PASSWORD } from '../support/client';
import { askDemoQuestion, DEMO, seedDemo, seedSingles, type Demo } from '../support/demo';
import { answerWithKeyboard, cardState, expectQuestionAsked, expectRevealed, expectWaitingNote } from '../support/questionPages';
import { monthGrid } from '../../src/calendar/dates';
import { dayOf } from '../../src/time';
import { testClock } from '../support/clock';

const SLOW = 120_000;

async function logIn(page: Page, loginId: string, landing: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#login_id').fill(loginId);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === landing), page.locator('form[action="/login"] button[type="submit"]').click()]);
}

/**
 * A month whose grid shows days of the months before and after it, from this month on:
 * what the calendar shows depends on the date the suite runs (February 2026 has none),
 * so each run checks one that has them, whatever today is.
 */
function monthWithOtherDays(): string {
  const [year, month] = dayOf(testClock.now(), 'Asia/Seoul').split('-').map(Number);
  for (let i = 0; ; i++) {
    const m = { year: year + Math.floor((month - 1 + i) / 12), month: ((month - 1 + i) % 12) + 1 };
    const days = monthGrid(m, 0).flat();
    const key = `${m.year}-${String(m.month).padStart(2, '0')}`;
    if (!days[0].startsWith(key) && !days[days.length - 1].startsWith(key)) return key;
  }
}

/** The page passes axe (nothing serious or critical) and has a sound outline. */
async function expectAccessible(page: Page, label: string, lang: 'ko' | 'en' = 'ko'): Promise<void> {
  expect(await blockingViolations(page, label), `${label}: serious or critical axe violations`).toEqual([]);
  const o = await outline(page);
  expect({ ...o, label }).toEqual({ lang, h1: 1, banner: 1, main: 1, contentinfo: 1, unlabelled: [], label });
}

describeBrowser('accessibility of every page', () => {
  const suite = browserSuite();
  let demo: Demo;
  beforeAll(async () => {
    demo = await seedDemo(suite.app.url, suite.app.db);
    await seedSingles(suite.app.url);
  });

  it('the pages before logging in: log-in, sign-up with its errors, offline, not found', { timeout: SLOW }, async () => {
    for (const [lang, scheme] of [['ko', 'light'], ['en', 'light'], ['ko', 'dark']] as const) {
      const { page } = await suite.open(phone({ lang, scheme }));
      const tag = `${lang} ${scheme}`;
      await page.goto('/login');
      await expectAccessible(page, `/login (${tag})`, lang);
      if (lang === 'en' || scheme === 'dark') continue;

      await page.goto('/signup');
      await page.locator('#login_id').fill('A!');
      await page.locator('#password').fill('short');
      await page.locator('#password_confirm').fill('other');
      await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('form[action="/signup"] button[type="submit"]').click()]);
      await page.locator('.field-error').first().waitFor();
      // each error is tied to its field, so a screen reader reads it with the field
      for (const id of ['login_id', 'password']) {
        const described = (await page.locator(`#${id}`).getAttribute('aria-describedby')) ?? '';
        expect(described.split(' '), `#${id} is described by its error`).toContain(`${id}-error`);
        expect(await page.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');
      }
      // and the keyboard is on the first field in error
      expect((await focused(page)).id).toBe('login_id');
      await expectAccessible(page, '/signup with errors');

      await page.goto('/offline');
      await expectAccessible(page, '/offline');
      await page.goto('/no-such-page');
      await expectAccessible(page, '404');
    }
  });

  it('pairing, with a request sent and one received', { timeout: SLOW }, async () => {
    const { page } = await suite.open(phone());
    await logIn(page, 'sora', '/pair');
    await expectAccessible(page, '/pair');
    expect(await page.getByRole('region', { name: '받은 신청' }).getByRole('listitem').count()).toBe(1);
  });

  describe('a couple three days in', () => {
    let page: Page;
    let network: ReturnType<typeof networkOf>;
    beforeAll(async () => {
      network = networkOf(suite.app.server); // before the page opens its stream, so that it can be cut
      ({ page } = await suite.open(phone()));
      await logIn(page, DEMO.a, '/chat');
    });

    it('the chat: photos, a file, read marks, day separators; then with the offline banner', { timeout: SLOW }, async () => {
      expect(await page.locator('#messages a.photo').count()).toBe(2);
      expect(await page.locator('#messages a.file').count()).toBe(1);
      expect(await page.locator('#messages > li.day').count()).toBe(3);
      expect(await page.locator('#messages .unread:visible').count()).toBe(2);
      await expectAccessible(page, '/chat');

      // the network goes: the banner says so, politely, and the page still passes
      expect(await network.lose(page.context())).toBeGreaterThan(0);
      try {
        const banner = page.locator('#connection');
        await banner.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await banner.getAttribute('role')).toBe('status');
        await expectAccessible(page, '/chat offline');
      } finally {
        await network.restore(page.context());
      }
      await page.locator('#connection').waitFor({ state: 'hidden', timeout: 15_000 });
    });

    it('the photo preview', { timeout: SLOW }, async () => {
      await page.locator('#messages a.photo').first().click();
      const dialog = page.locator('dialog#preview');
      await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      await expectAccessible(page, '/chat photo preview');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    });

    it('the album, its preview and a photo’s own page', { timeout: SLOW }, async () => {
      await page.goto('/album');
      expect(await page.locator('#album-grid a.album-tile').count()).toBe(2);
      await expectAccessible(page, '/album');
      await page.locator('#album-grid a.album-tile').first().click();
      const dialog = page.locator('dialog#album-preview');
      await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      await expectAccessible(page, '/album preview');
      await page.keyboard.press('Escape');
      await page.goto((await page.locator('#album-grid a.album-tile').first().getAttribute('href'))!);
      await expectAccessible(page, '/album?at=');
    });

    it('search with results, the questions and answers, the word ranking, the calendar, the account, not found', { timeout: SLOW }, async () => {
      await page.goto('/chat/search?q=' + encodeURIComponent('주말'));
      expect(await page.locator('#results > li.result').count()).toBeGreaterThan(0);
      await expectAccessible(page, '/chat/search');
      await page.goto('/answers');
      expect(await page.locator('.answer-list > li').count()).toBeGreaterThan(0);
      await expectAccessible(page, '/answers');
      await page.goto('/rank');
      await expectAccessible(page, '/rank');
      await page.goto('/calendar');
      expect(await page.locator('#dday a').innerText()).toContain('D-');
      await expectAccessible(page, '/calendar');
      const month = monthWithOtherDays();
      await page.goto(`/calendar?month=${month}`);
      expect(await page.locator('.cal-day.is-other').count()).toBeGreaterThan(0);
      await expectAccessible(page, `/calendar?month=${month}`);
      await page.goto('/account');
      await expectAccessible(page, '/account');
      // a message's menu open, and the page that asks before deleting (without JavaScript's way there)
      await page.goto('/chat');
      // my own newest message's menu (the partner's have no 삭제)
      const menu = page.locator('.msg-menu:visible', { has: page.locator('form.delete') }).last();
      await menu.locator('summary').click();
      await menu.locator('.msg-menu-items button').first().waitFor();
      await expectAccessible(page, '/chat with a message menu open');
      await page.goto((await menu.locator('form.delete').getAttribute('action'))!);
      await expectAccessible(page, '/chat/messages/:id/delete');
      // a plan deleted: "삭제했어요 · 되돌리기", then put back
      await page.goto('/calendar');
      const plan = page.locator('.cal-plan').first();
      await plan.locator('summary').click();
      await plan.getByRole('button', { name: '삭제', exact: true }).click();
      await page.locator('.undo-notice').waitFor();
      await expectAccessible(page, '/calendar after a delete');
      await page.locator('.undo-notice button').click();
      await page.locator('.undo-notice').waitFor({ state: 'detached' });
      await page.goto('/files/999999');
      await expectAccessible(page, '404 while logged in');
    });

    it('an action that cannot reach the server says so in the alert region, and the next one that goes through clears it', async () => {
      await page.goto('/calendar');
      const region = page.locator('#htmx-error');
      expect(await region.getAttribute('role')).toBe('alert');
      await page.locator('#title').fill('산책');
      await page.context().setOffline(true);
      try {
        await page.getByRole('button', { name: '추가하기', exact: true }).click();
        await expect.poll(() => region.innerText()).toBe('서버에 연결하지 못했어요. 인터넷 연결을 확인한 뒤 다시 시도해 주세요.');
      } finally {
        await page.context().setOffline(false);
      }
      await page.getByRole('button', { name: '추가하기', exact: true }).click();
      await expect.poll(() => region.innerText()).toBe('');
      expect(await page.locator('.cal-plans').getByText('산책').count()).toBe(1);
    });

    it('in English, and in dark mode', { timeout: SLOW }, async () => {
      for (const [lang, scheme] of [['en', 'light'], ['ko', 'dark'], ['en', 'dark']] as const) {
        const { page: other } = await suite.open(phone({ lang, scheme }));
        await logIn(other, DEMO.a, '/chat');
        const paths = lang === 'en' && scheme === 'dark' ? ['/chat'] : ['/chat', '/answers', '/rank', '/calendar', `/calendar?month=${monthWithOtherDays()}`, '/account', '/couple'];
        for (const path of paths) {
          if (path !== '/chat') await other.goto(path);
          await expectAccessible(other, `${path} (${lang} ${scheme})`, lang);
        }
        await other.context().close();
      }
    });
  });

  describe('with the keyboard only', () => {
    let page: Page;
    beforeAll(async () => {
      ({ page } = await suite.open(phone()));
      await logIn(page, DEMO.a, '/chat');
    });

    it('sends a message: Tab to the composer, type, Enter', async () => {
      const presses = await tabTo(page, () => document.activeElement?.id === 'body');
      expect(presses).toBeGreaterThan(1);
      await page.keyboard.type('키보드로만 보내는 메시지');
      await page.keyboard.press('Enter');
      const last = page.locator('#messages > li.msg').last();
      await expect.poll(() => last.getAttribute('data-id')).not.toBeNull();
      expect(await last.locator('.text').innerText()).toBe('키보드로만 보내는 메시지');
      expect(await page.locator('#body').inputValue()).toBe('');
      expect((await focused(page)).id).toBe('body');
    });

    it('opens a photo with Enter and closes it with Escape and with its close button; the focus returns to the photo', async () => {
      await page.reload(); // Tab from the top of the page
      await tabTo(page, () => document.activeElement?.matches('#messages a.photo') ?? false);
      const photo = (await focused(page)).href;
      expect(photo).toMatch(/^\/files\/\d+$/);
      const dialog = page.locator('dialog#preview');
      const isOpen = () => dialog.evaluate((d) => (d as HTMLDialogElement).open);

      await page.keyboard.press('Enter');
      await expect.poll(isOpen).toBe(true);
      expect(await dialog.locator('img').getAttribute('src')).toBe(photo);
      expect(await focused(page)).toMatchObject({ inDialog: 'preview', text: '닫기' });
      await page.keyboard.press('Escape');
      await expect.poll(isOpen).toBe(false);
      expect(await focused(page)).toMatchObject({ tag: 'a', href: photo });

      await page.keyboard.press('Enter');
      await expect.poll(isOpen).toBe(true);
      // the close button has the focus: Enter presses it
      await page.keyboard.press('Enter');
      await expect.poll(isOpen).toBe(false);
      expect(await focused(page)).toMatchObject({ tag: 'a', href: photo });
    });

    it('the question pops up with the keyboard in it; answered with Tab and Enter, the focus goes back to the composer', { timeout: SLOW }, async () => {
      const question = await askDemoQuestion(demo.jiho);
      await expectQuestionAsked(page, question);
      await expectAccessible(page, '/chat question modal');

      // meanwhile, a plain form post (as without JavaScript) is answered with the question's own page (409)
      const { page: plain } = await suite.open(phone());
      await logIn(plain, DEMO.a, '/chat');
      const [refused] = await Promise.all([
        plain.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/chat/messages'),
        plain.evaluate(() => {
          const form = document.getElementById('composer') as HTMLFormElement;
          (form.elements.namedItem('body') as HTMLTextAreaElement).value = '잠깐만!';
          setTimeout(() => form.submit(), 0); // the form's own post, past the page's script
        }),
      ]);
      expect(refused.status()).toBe(409);
      await plain.waitForURL((url) => url.pathname === '/chat/messages');
      await plain.waitForLoadState('load');
      await expectAccessible(plain, '409 question page');
      await plain.context().close();

      expect(await answerWithKeyboard(page, '둘 다 좋지만 고양이!')).toBe(200);
      await expectWaitingNote(page, question);
      await expect.poll(async () => (await focused(page)).id, { timeout: SEE_TIMEOUT }).toBe('body');

      // the partner answers: both answers show as a card of the conversation, in the history above the composer
      const open = await suite.app.db('couple_questions').where({ couple_id: demo.coupleId }).whereNull('revealed_at').first('id');
      await demo.jiho.get('/answers');
      expect((await demo.jiho.post(`/questions/${open.id}/answer`, { answer: '강아지! 산책 같이 하고 싶어', back: '/answers' })).status).toBe(303);
      await expectRevealed(page, question);
      // (the keyboard walked the history earlier, so it stays where the reader left it: scrolled to, the card shows above the composer)
      await page.locator(`#messages > li#qa-${open.id}`).scrollIntoViewIfNeeded();
      const [card, composerBox] = await Promise.all([
        page.locator(`#messages > li#qa-${open.id}`).boundingBox(),
        page.locator('#composer').boundingBox(),
      ]);
      expect(card!.y + card!.height, 'the card ends above the composer').toBeLessThanOrEqual(composerBox!.y + 1);
      expect(card!.y + card!.height, 'the card is on the screen').toBeLessThanOrEqual(844);
      expect(await cardState(page)).toBeNull();
      await expectAccessible(page, '/chat revealed question');
    });
  });

  it('the break-up: the account page and the chat with its banner', { timeout: SLOW }, async () => {
    const { page } = await suite.open(phone());
    await logIn(page, DEMO.a, '/chat');
    await page.goto('/account');
    await page.locator('#breakup_password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.locator('#breakup button[type="submit"]').click()]);
    await page.locator('#breakup-banner h2').waitFor();
    await expectAccessible(page, '/account with the break-up banner');
    await page.goto('/chat');
    await page.locator('#breakup-banner h2').waitFor();
    await expectAccessible(page, '/chat with the break-up banner');
  });
});
