// Deletes that can be taken back, on 360×740 phones: a calendar plan deleted shows
// "삭제했어요 · 되돌리기", and 되돌리기 brings it back as it was (its D-day too) on both
// partners' calendars, live; without JavaScript the same through plain pages. A word put
// back into the ranking can be left out again the same way.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/dates';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, logIn, touchPhone } from '../support/browser';
import { postMessage } from '../support/chatPages';
import { pairUp, type Client } from '../support/client';
import { seoulDate } from '../support/demo';
import { testClock } from '../support/clock';

const phone = touchPhone({ width: 360, height: 740 });

describeBrowser('taking a delete back', () => {
  const suite = browserSuite();
  const today = seoulDate(testClock.now());
  const date = addDays(today, 9);
  const month = `/calendar?month=${date.slice(0, 7)}`;
  let sora: Page;
  let jun: Page;
  let soraClient: Client;

  beforeAll(async () => {
    [soraClient] = await pairUp(suite.app.url, 'sora', 'junho');
    ({ page: sora } = await suite.open(phone));
    ({ page: jun } = await suite.open(phone));
    await logIn(sora, 'sora', undefined, '/chat');
    await logIn(jun, 'junho', undefined, '/chat');
  });

  const plansOn = (page: Page) => page.locator(`#day-${date} .cal-title`).allInnerTexts();
  const ddayOf = (page: Page) => page.locator('#dday').innerText();

  /** Adds a plan over HTTP and makes it the D-day; returns its id. */
  async function ddayPlan(title: string): Promise<number> {
    await soraClient.get(month);
    expect((await soraClient.post('/calendar/events', { date, title })).status).toBe(303);
    const row = await suite.app.db('calendar_events').where({ title }).first('id');
    expect((await soraClient.post(`/calendar/events/${row.id}/dday`)).status).toBe(303);
    return Number(row.id);
  }

  it('deletes a plan that was the D-day, then 되돌리기 brings it back as it was, on both phones', async () => {
    await ddayPlan('제주 여행');
    for (const page of [sora, jun]) {
      await page.goto(month);
      await expect.poll(() => plansOn(page)).toEqual(['제주 여행']);
      expect(await ddayOf(page)).toBe('D-9 제주 여행');
    }
    await sora.locator(`#day-${date} summary`).tap();
    await sora.locator(`#day-${date}`).getByRole('button', { name: '삭제', exact: true }).tap();
    const notice = sora.locator('.undo-notice');
    await expectVisibleText(notice, '삭제했어요 · 되돌리기');
    // gone on both phones, live on the partner's
    for (const page of [sora, jun]) {
      await expect.poll(() => plansOn(page)).toEqual([]);
      await expect.poll(() => ddayOf(page)).toBe('');
    }
    await notice.getByRole('button', { name: '되돌리기', exact: true }).tap();
    for (const page of [sora, jun]) {
      await expect.poll(() => plansOn(page)).toEqual(['제주 여행']);
      await expect.poll(() => ddayOf(page)).toBe('D-9 제주 여행');
    }
    await expectVisibleText(sora, '일정을 되돌렸어요.');
  });

  it('without JavaScript: the page after a delete offers 되돌리기, which brings the plan back', async () => {
    const id = await ddayPlan('불꽃놀이');
    const { page } = await suite.open(phone, { javaScriptEnabled: false });
    await logIn(page, 'sora', undefined, '/chat');
    await page.goto(month);
    await page.locator(`#day-${date} li`, { hasText: '불꽃놀이' }).locator('summary').tap();
    await page.locator(`#day-${date} li`, { hasText: '불꽃놀이' }).getByRole('button', { name: '삭제', exact: true }).tap();
    await expectVisibleText(page.locator('.undo-notice'), '삭제했어요 · 되돌리기');
    await expect.poll(() => plansOn(page)).toEqual(['제주 여행']);
    await page.locator('.undo-notice').getByRole('button', { name: '되돌리기', exact: true }).tap();
    await expectPath(page, '/calendar');
    await expect.poll(() => plansOn(page)).toEqual(['제주 여행', '불꽃놀이']);
    expect(await ddayOf(page)).toBe('D-9 불꽃놀이');
    expect((await suite.app.db('calendar_events').where({ id }).first('deleted_at')).deleted_at).toBeNull();
  });

  it('puts a left-out word back into the ranking, then 되돌리기 leaves it out again', async () => {
    await postMessage(soraClient, '구름 구름 구름 앗');
    await soraClient.get('/rank');
    await soraClient.post('/rank/excluded', { word: '구름', n: '5' });
    await sora.goto('/rank');
    const excluded = sora.locator('.excluded-list');
    await expectVisibleText(excluded, '구름');
    await sora.getByRole('button', { name: '‘구름’ 다시 순위에 넣기', exact: true }).tap();
    const notice = sora.locator('.undo-notice');
    await expectVisibleText(notice, '‘구름’ 단어를 다시 순위에 넣었어요. · 되돌리기');
    await expect.poll(() => sora.locator('.rank-column.mine .rank-word').allInnerTexts()).toEqual(['구름', '앗']);
    await notice.getByRole('button', { name: '되돌리기', exact: true }).tap();
    await expect.poll(() => sora.locator('.rank-column.mine .rank-word').allInnerTexts()).toEqual(['앗']);
    await expectVisibleText(sora.locator('.excluded-list'), '구름');
    await jun.goto('/rank');
    await expect.poll(() => jun.locator('.rank-column.theirs .rank-word').allInnerTexts()).toEqual(['앗']);
  });
});
