// Every kind of live update reaching the pages that hold the couple's event stream (the chat
// and the calendar), caused by the partner over plain HTTP, while one person watches both
// pages in one browser profile. An event is the same for every page: each page shows the
// parts it has a place for (a day of the month it shows, a message it has loaded) and says
// nothing about the rest — its console stays free of errors.
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectVisibleText, logIn } from '../support/browser';
import { startBreakup } from '../support/breakup';
import { phoneContext, postMessage } from '../support/chatPages';
import { pairUp, type Client } from '../support/client';
import { answerOk, Q } from '../support/questions';
import { cardState, expectRevealed, expectWaitingNote } from '../support/questionPages';
import type { TestApp } from '../support/testApp';
import { addDays, clearOfSeoulMidnight, ddayText, plansOn, seoulToday } from '../support/walkthroughPages';
import { testClock } from '../support/clock';

/** The sample conversation's line with 운동 in it: it asks both the exercise question. */
const TRIGGER = '나는 운동갔다가 저녁 먹고 쉬려고!';
/** More than a page of the chat (50): the oldest are not loaded when the chat opens. */
const EARLIER = 55;

/** What a page wrote to its console as an error, and the errors it threw. */
function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return errors;
}

describeBrowser('live updates on the pages that hold the stream', () => {
  const suite = browserSuite();
  let app: TestApp;
  let sena: Client; // side a, over HTTP in a session of her own
  let taeho: Client; // side b, the partner who causes every event
  let chat: Page; // sena's chat page
  let calendar: Page; // sena's calendar page, open beside it
  /** each page's console errors since the last check */
  const watched: Array<{ name: string; page: Page; errors: string[] }> = [];
  let senaId = 0;
  let oldestOfHis = 0; // taeho's first message: too old to be loaded on sena's chat page

  const visibleTexts = (page: Page) => page.locator('#messages > li.msg:not(.deleted) .text').allInnerTexts();
  const bannerShown = (page: Page) => page.locator('#breakup-banner').filter({ hasText: '이별이 예정되어 있어요' }).isVisible();
  const newestMessageId = async () => Number((await app.db('messages').max({ id: 'id' }).first())?.id);

  beforeAll(async () => {
    app = suite.app;
    [sena, taeho] = await pairUp(app.url, 'sena', 'taeho');
    const ids = Object.fromEntries(
      (await app.db('users').whereIn('login_id', ['sena', 'taeho']).select('id', 'login_id', 'couple_id')).map((u) => [u.login_id, u]),
    );
    const coupleId = Number(ids.sena.couple_id);
    senaId = Number(ids.sena.id);
    const at = testClock.now() - 3_600_000;
    [oldestOfHis] = (await app.db('messages').insert({ couple_id: coupleId, sender_id: ids.taeho.id, body: '오래전 얘기', client_id: 'old-b', created_at: at })).map(Number);
    for (let i = 0; i < EARLIER; i++) {
      await app.db('messages').insert({ couple_id: coupleId, sender_id: ids.sena.id, body: `예전 메시지 ${i}`, client_id: `old-a-${i}`, created_at: at + i });
    }

    const { context, page } = await suite.open(phoneContext);
    chat = page;
    calendar = await context.newPage();
    for (const [name, p] of [['chat', chat], ['calendar', calendar]] as const) watched.push({ name, page: p, errors: consoleErrorsOf(p) });
    await logIn(chat, 'sena', undefined, '/chat');
    await calendar.goto('/calendar');
    expect(await plansOn(calendar, seoulToday())).toEqual([]);
  });

  afterEach(async () => {
    // every step below ends with an update that came after the events it caused, so by now
    // each page has handled all of them; what was swapped in no longer says it was optional
    const seen: Record<string, { errors: string[]; optionalMarks: number }> = {};
    for (const { name, page, errors } of watched) {
      seen[name] = { errors: errors.splice(0), optionalMarks: await page.locator('[data-oob-optional]').count() };
    }
    expect(seen).toEqual({ chat: { errors: [], optionalMarks: 0 }, calendar: { errors: [], optionalMarks: 0 } });
  });

  it('a message, a read mark and deletions — of a message shown and of one never loaded', async () => {
    expect((await visibleTexts(chat)).length).toBe(50);
    expect(await visibleTexts(chat)).not.toContain('오래전 얘기');
    await expect.poll(() => chat.locator('#messages li.msg.from-a .unread:visible').count()).toBeGreaterThan(0);

    await postMessage(taeho, '나 지금 출발해');
    await expect.poll(() => visibleTexts(chat)).toContain('나 지금 출발해');
    const his = await newestMessageId();
    // her page, seen, reports that she has read it (and his old one it never loaded)
    await expect.poll(async () => Number((await app.db('read_marks').where({ user_id: senaId }).first('up_to'))?.up_to)).toBe(his);

    // he reads everything of hers, the 5 not loaded on her page too: every "1" goes
    expect((await taeho.post('/chat/read', { up_to: String(his) })).status).toBe(303);
    await expect.poll(() => chat.locator('#messages li.msg.from-a .unread:visible').count()).toBe(0);

    // he takes back a message she never loaded, then the one she just got
    expect((await taeho.post(`/chat/messages/${oldestOfHis}/delete`)).status).toBe(303);
    expect((await taeho.post(`/chat/messages/${his}/delete`)).status).toBe(303);
    await chat.locator(`#m-${his}.deleted`).waitFor();
    expect(await visibleTexts(chat)).not.toContain('나 지금 출발해');
  });

  it('a question asked, answered by her, and revealed by his answer', async () => {
    await postMessage(taeho, TRIGGER);
    await expect.poll(async () => (await cardState(chat))?.text).toBe(Q.exercise);
    const id = Number(await chat.locator('#question').getAttribute('data-question'));

    await answerOk(sena, id, '아침마다 달려');
    await expectWaitingNote(chat, Q.exercise);

    await answerOk(taeho, id, '헬스 다녀');
    expect(await expectRevealed(chat, Q.exercise)).toEqual([
      { who: '나', body: '아침마다 달려' },
      { who: 'taeho', body: '헬스 다녀' },
    ]);
  });

  it('plans added, one of another month, a D-day set and cleared, a plan removed', async () => {
    await clearOfSeoulMidnight(30_000); // "today" and the D-day count stay one day's
    const today = seoulToday();
    const nextYear = addDays(today, 400);
    await taeho.get('/calendar');

    expect((await taeho.post('/calendar/events', { date: today, title: '영화 보기' })).status).toBe(303);
    await expect.poll(() => plansOn(calendar, today)).toEqual(['영화 보기']);
    expect((await taeho.post('/calendar/events', { date: nextYear, title: '여행' })).status).toBe(303);

    const plan = await app.db('calendar_events').where({ title: '영화 보기' }).first('id');
    expect((await taeho.post(`/calendar/events/${plan.id}/dday`)).status).toBe(303);
    for (const page of [chat, calendar]) await expect.poll(() => ddayText(page)).toBe('D-Day 영화 보기');
    await expect.poll(() => plansOn(calendar, today)).toEqual(['영화 보기 D-day']);

    expect((await taeho.post('/calendar/dday/clear')).status).toBe(303);
    for (const page of [chat, calendar]) await expect.poll(() => ddayText(page)).toBe('');

    expect((await taeho.post(`/calendar/events/${plan.id}/delete`)).status).toBe(303);
    await expect.poll(() => plansOn(calendar, today)).toEqual([]);
  });

  it('a break-up started and cancelled: the banner comes and goes on both pages', async () => {
    expect((await startBreakup(taeho)).status).toBe(303);
    for (const page of [chat, calendar]) {
      await expect.poll(() => bannerShown(page)).toBe(true);
      await expectVisibleText(page.locator('#breakup-banner'), 'taeho 님이 이별을 신청했어요.');
    }
    expect((await taeho.post('/couple/breakup/cancel')).status).toBe(303);
    for (const page of [chat, calendar]) await expect.poll(() => page.locator('#breakup-banner').innerHTML()).toBe('');
  });
});
