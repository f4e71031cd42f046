// Small things on a phone (issue 15): a message opened from search is marked and in sight
// below the header; Enter on a touch phone is a new line (the send button sends) while a
// physical keyboard's Enter sends; the one who started a break-up reads "I", live too; and
// the time-zone choice on the account page fits a 320 px screen, in Korean and English.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectPath, logIn, newContext, submit } from '../support/browser';
import { composer } from '../support/chatPages';
import { newCouple, type Couple } from '../support/chatHttp';
import { startBreakup } from '../support/breakup';
import { signUp } from '../support/client';

const TOUCH_PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const SMALL_PHONE: BrowserContextOptions = { viewport: { width: 320, height: 568 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

const device = (options: BrowserContextOptions) => async (browser: Browser, baseURL: string) => {
  const context = await newContext(browser, { baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul', ...options });
  return { context, page: await context.newPage() };
};

describeBrowser('details on a phone', () => {
  const suite = browserSuite();
  let c: Couple;
  let seq = 0;

  /** Stores a message as sent by `who`, a minute after the one before; returns its id. */
  async function said(who: 'a' | 'b', body: string): Promise<number> {
    seq += 1;
    const [id] = await suite.app.db('messages').insert({
      couple_id: c.coupleId,
      sender_id: who === 'a' ? c.aId : c.bId,
      body,
      client_id: `phone-details-${seq}`,
      created_at: Date.parse('2026-05-01T03:00:00Z') + seq * 60_000,
    });
    return Number(id);
  }

  const bodies = async () => (await suite.app.db('messages').where({ couple_id: c.coupleId }).orderBy('id').select('body')).map((r) => String(r.body));

  async function openAs(options: BrowserContextOptions, who: 'a' | 'b' | string, landing = '/chat'): Promise<Page> {
    const { page } = await suite.open(device(options));
    await logIn(page, who === 'a' ? c.aLogin : who === 'b' ? c.bLogin : who, undefined, landing);
    return page;
  }

  beforeAll(async () => {
    c = await newCouple(suite.app.url, suite.app.db, 'phone');
  });

  it('opens a search result in the chat marked, in sight below the header, even a message taller than the screen (360×740)', async () => {
    for (let i = 0; i < 30; i++) await said(i % 2 ? 'a' : 'b', `그냥 하는 말 ${i}`);
    const short = await said('b', '고양이랑 산책했어');
    const tall = await said('a', ['우리 고양이가 오늘 한 일:', ...Array.from({ length: 40 }, (_, i) => `${i + 1}. 창밖 보기`)].join('\n'));
    for (let i = 0; i < 30; i++) await said(i % 2 ? 'a' : 'b', `또 하는 말 ${i}`);

    const page = await openAs(TOUCH_PHONE, 'a');
    await page.goto('/chat/search');
    await page.getByLabel('단어', { exact: true }).fill('고양이를');
    await submit(page, page.locator('main').getByRole('button', { name: '검색', exact: true }));
    const results = page.locator('#results > li.result');
    expect(await results.count()).toBe(2);

    for (const [id, index] of [[short, 1], [tall, 0]] as const) {
      if (index === 0) await page.goBack();
      await results.nth(index).getByRole('link', { name: '대화에서 보기', exact: true }).click();
      await expectPath(page, '/chat');
      expect(new URL(page.url()).searchParams.get('around')).toBe(String(id));
      const target = page.locator(`#m-${id}`);
      // marked: for the eye (a ring around the bubble) and for a screen reader
      expect(await target.getAttribute('aria-current')).toBe('true');
      expect(await target.getAttribute('class')).toContain('found');
      expect(await target.locator('.bubble').evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe('none');
      expect(await page.locator('#messages [aria-current]').count()).toBe(1);
      // in sight: the header where it was, and the message (its start, when it is taller
      // than the box) inside the history's visible part with room above it
      await expect
        .poll(
          () =>
            target.evaluate((li) => {
              const history = document.getElementById('history')!.getBoundingClientRect();
              const header = document.querySelector('.chat-header')!.getBoundingClientRect();
              const topbar = document.querySelector('.topbar')!.getBoundingClientRect();
              const r = li.getBoundingClientRect();
              const visibleBottom = Math.min(r.bottom, history.bottom, window.innerHeight);
              return {
                pageAtTop: window.scrollY === 0 && topbar.top >= 0 && header.top >= topbar.bottom - 1,
                belowHeader: r.top >= header.bottom && r.top >= history.top,
                startShown: r.top < history.bottom - 40 && visibleBottom - r.top >= 40,
                wholeIfItFits: r.height > history.height || (r.bottom <= history.bottom + 1 && r.bottom <= window.innerHeight),
              };
            }),
          { message: `message ${id} in sight` },
        )
        .toEqual({ pageAtTop: true, belowHeader: true, startShown: true, wholeIfItFits: true });
    }
  });

  it('on a touch phone Enter is a new line and nothing is sent; the send button sends the lines (360×740)', async () => {
    const page = await openAs(TOUCH_PHONE, 'a');
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    const before = await bodies();
    const box = composer(page);
    await box.fill('내일 뭐 해?');
    await box.press('Enter');
    await page.keyboard.insertText('저녁 같이 먹자');
    expect(await box.inputValue()).toBe('내일 뭐 해?\n저녁 같이 먹자');
    expect(await page.locator('#messages li.msg.pending').count()).toBe(0);
    await page.locator('#composer').getByRole('button', { name: '보내기', exact: true }).click();
    await page.locator('#messages li.msg:not(.pending)', { hasText: '저녁 같이 먹자' }).waitFor();
    // the one message, both lines: Enter sent nothing on its own
    await expect.poll(bodies).toEqual([...before, '내일 뭐 해?\n저녁 같이 먹자']);
    expect(await box.inputValue()).toBe('');
  });

  it('with a physical keyboard Enter sends and Shift+Enter is a new line', async () => {
    const page = await openAs(DESKTOP, 'b');
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(false);
    const before = await bodies();
    const box = composer(page);
    await box.fill('좋아');
    await box.press('Shift+Enter');
    await page.keyboard.insertText('일곱 시?');
    expect(await box.inputValue()).toBe('좋아\n일곱 시?');
    await box.press('Enter');
    await expect.poll(bodies).toEqual([...before, '좋아\n일곱 시?']);
    expect(await box.inputValue()).toBe('');
  });

  for (const [lang, label, autoStart] of [
    ['ko', '시간대', '자동'],
    ['en', 'Time zone', 'Automatic'],
  ] as const) {
    it(`shows the time-zone choice whole on a 320 px screen, with no sideways scrolling (${lang})`, async () => {
      const loginId = `tz_${lang}_${Date.now() % 100_000}`;
      await signUp(suite.app.url, loginId);
      const page = await openAs(SMALL_PHONE, loginId, '/pair');
      if (lang === 'en') {
        await page.goto('/account');
        await submit(page, page.locator('footer').getByRole('button', { name: 'English' }));
      }
      for (const zone of ['', 'America/Argentina/Rio_Gallegos']) {
        await page.goto('/account');
        const select = page.getByLabel(label, { exact: true });
        await select.selectOption(zone);
        if (zone === '') expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0].textContent)).toContain(autoStart);
        const fit = await select.evaluate((s: HTMLSelectElement) => {
          // the chosen option's text as the select draws it, against the room it has inside
          const probe = document.createElement('span');
          const style = getComputedStyle(s);
          probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font:${style.font};letter-spacing:${style.letterSpacing}`;
          probe.textContent = s.selectedOptions[0].textContent;
          document.body.appendChild(probe);
          const text = probe.getBoundingClientRect().width;
          probe.remove();
          const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // the arrow
          const card = s.closest('.card')!.getBoundingClientRect();
          const box = s.getBoundingClientRect();
          return {
            textFits: text <= room,
            scrolls: s.scrollWidth > s.clientWidth,
            insideCard: box.left >= card.left && box.right <= card.right,
            pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
          };
        });
        expect(fit, `${lang} ${zone || 'automatic'}`).toEqual({ textFits: true, scrolls: false, insideCard: true, pageScrollsSideways: false });
      }
    });
  }

  it('tells the one who started a break-up "내가 이별을 신청했어요", live on an open chat page, and the partner their ID', async () => {
    const mine = await openAs(TOUCH_PHONE, 'a');
    const theirs = await openAs(TOUCH_PHONE, 'b');
    // the chat pages are connected to their streams before the break-up starts
    for (const page of [mine, theirs]) await page.locator('#history').waitFor();
    await mine.waitForFunction(() => document.querySelector('.chat')?.getAttribute('hx-ext')?.includes('sse'));
    expect((await startBreakup(c.a)).status).toBe(303);
    const bannerOf = (page: Page) => page.locator('#breakup-banner');
    await bannerOf(mine).getByText('내가 이별을 신청했어요.', { exact: true }).waitFor({ state: 'visible' });
    await bannerOf(theirs).getByText(`${c.aLogin} 님이 이별을 신청했어요.`, { exact: true }).waitFor({ state: 'visible' });
    expect(await bannerOf(mine).innerText()).not.toContain(c.aLogin);
    expect(await bannerOf(theirs).innerText()).not.toContain('내가');
    // and so after a reload, rendered by the server
    await mine.reload();
    expect(await bannerOf(mine).innerText()).toContain('내가 이별을 신청했어요.');
    expect(await bannerOf(mine).innerText()).not.toContain(c.aLogin);
    expect((await c.a.post('/couple/breakup/cancel')).status).toBe(303);
  });
});
