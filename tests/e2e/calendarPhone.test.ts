// The calendar on the smallest phone we promise (320×568): a plan's title breaks between
// words, never inside one ("고양/이"); the D‑day button's words fit inside it; and a tap
// on a day opens the add form for that day: with JavaScript in place (the date filled in,
// the keyboard on the title), without it as a link to the month with the form ready.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, touchPhone } from '../support/browser';
import { pairUp } from '../support/client';
import { seoulDate } from '../support/demo';
import { testClock } from '../support/clock';

const SLOW = 120_000;
const TITLE = '고양이 카페 가기';

const smallestPhone = touchPhone({ width: 320, height: 568 });

/** The words of the element's text that are split over two lines, as "고양/이". */
const brokenWords = (scope: Locator) =>
  scope.evaluate((el) => {
    const text = el.firstChild as Text;
    const tops = Array.from(text.data, (_, i) => {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const rects = Array.from(range.getClientRects() as ArrayLike<DOMRect>).filter((r) => r.width > 0);
      return rects.length ? Math.round(rects[0].top) : null;
    });
    const broken: string[] = [];
    let start = 0;
    for (const word of text.data.split(' ')) {
      const lines = tops.slice(start, start + word.length);
      const cut = lines.findIndex((top, i) => i > 0 && top !== null && lines[i - 1] !== null && top !== lines[i - 1]);
      if (cut > 0) broken.push(`${word.slice(0, cut)}/${word.slice(cut)}`);
      start += word.length + 1;
    }
    return broken;
  });

describeBrowser('the calendar on a 320 px phone', () => {
  const suite = browserSuite();
  const today = seoulDate(testClock.now());
  const month = today.slice(0, 7);
  // a day of this month that is not today (whose link is no different, but its look is)
  const day = `${month}-${today.endsWith('-20') ? '21' : '20'}`;
  let page: Page;

  beforeAll(async () => {
    const [mina] = await pairUp(suite.app.url, 'mina', 'joon');
    await mina.get('/calendar');
    expect((await mina.post('/calendar/events', { date: today, title: TITLE, month })).status).toBe(303);
    ({ page } = await suite.open(smallestPhone));
    await logIn(page, 'mina', undefined, '/chat');
    await page.goto('/calendar');
  });

  it('breaks a plan’s title between words, never inside one: 고양이, not 고양/이', async () => {
    const plan = page.locator('.cal-plan', { hasText: '고양이' });
    // A Korean font draws every syllable 1em wide: the plan's line holds a word of three,
    // whichever font the phone has (this machine may have none, and draw boxes instead).
    const line = await plan.locator('summary').evaluate((el) => {
      const s = getComputedStyle(el);
      return { width: el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight), threeSyllables: 3 * parseFloat(s.fontSize), wordBreak: s.wordBreak, overflowWrap: s.overflowWrap };
    });
    expect(line.width).toBeGreaterThanOrEqual(line.threeSyllables);
    expect([line.wordBreak, line.overflowWrap]).toEqual(['keep-all', 'anywhere']); // between words; inside one only when it cannot fit
    expect(await brokenWords(plan.locator('.cal-title'))).toEqual([]); // closed, cut to two lines
    await plan.locator('summary').tap();
    await plan.locator('details[open]').waitFor();
    expect(await brokenWords(plan.locator('.cal-title'))).toEqual([]); // open, all of it
  });

  it('fits the words of the “D‑day로 설정” button inside it, “D‑day로” on one line', async () => {
    const plan = page.locator('.cal-plan', { hasText: '고양이' });
    if (!(await plan.locator('details[open]').count())) await plan.locator('summary').tap();
    const button = plan.getByRole('button', { name: 'D\u2011day로 설정', exact: true });
    await button.waitFor();
    const fit = await button.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      const outside = Array.from(range.getClientRects() as ArrayLike<DOMRect>)
        .filter((r) => r.width > 0)
        .filter((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        .map((r) => `${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(box.left)}–${Math.round(box.right)}`);
      return { outside, overflows: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight };
    });
    expect(fit).toEqual({ outside: [], overflows: false });
    expect(await brokenWords(button)).toEqual([]);
  });

  it('opens the add form for the day a finger taps, the date filled in and the keyboard on the title', async () => {
    const before = page.url();
    await page.locator(`a[data-add-date="${day}"]`).tap();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('title');
    expect(await page.locator('#add #date').inputValue()).toBe(day);
    expect(page.url()).toBe(before); // in place: nothing loaded again
  });

  it('without JavaScript, a tap on a day is a link to the month with the add form ready for that day', { timeout: SLOW }, async () => {
    const { page: plain } = await suite.open(smallestPhone, { javaScriptEnabled: false });
    await logIn(plain, 'joon', undefined, '/chat');
    await plain.goto('/calendar');
    await Promise.all([plain.waitForURL((url) => url.searchParams.get('date') === day), plain.locator(`a[data-add-date="${day}"]`).tap()]);
    const url = new URL(plain.url());
    expect({ path: url.pathname, month: url.searchParams.get('month'), date: url.searchParams.get('date'), hash: url.hash }).toEqual({ path: '/calendar', month, date: day, hash: '#add' });
    expect(await plain.locator('#add #date').inputValue()).toBe(day);
    expect(await plain.locator('#add #title').inputValue()).toBe('');
  });
});
