// Pages on a small phone (360×740), with the demo couple's three days of chat. The chat:
// the page ends where its footer ends (nothing hidden stretches it into empty space to
// scroll into), what sits under the history (a question card, the composer, the uploader)
// and a revealed pair of answers (a card in the history)
// stays above the footer, photos and files look as they should in their bubbles, and the
// newest message stays in sight through a held send and the cards. The calendar: a plan
// with a long title in its narrow day cell.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, touchPhone } from '../support/browser';
import { newClientId } from '../support/chatHttp';
import { askDemoQuestion, DEMO, seedDemo, type Demo } from '../support/demo';
import { answerWithKeyboard, expectQuestionAsked } from '../support/questionPages';
import { filePart, upload } from '../support/uploads';
import { testClock } from '../support/clock';

const smallPhone = touchPhone({ width: 360, height: 740 });

interface Box {
  top: number;
  bottom: number;
}

/** Where the chat screen's parts are, in page coordinates, and how tall the page is. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const box = (selector: string) => {
      const r = document.querySelector(selector)!.getBoundingClientRect();
      return { top: r.top + scrollY, bottom: r.bottom + scrollY };
    };
    const history = document.querySelector('#history')!;
    return {
      page: document.documentElement.scrollHeight,
      footer: box('.footer'),
      composer: box('#composer'),
      uploader: box('#uploader'),
      historyScrolls: history.scrollHeight > history.clientHeight + 100,
    };
  });

const above = (upper: Box, lower: Box) => expect(Math.round(upper.bottom)).toBeLessThanOrEqual(Math.round(lower.top) + 1);

describeBrowser('pages on a small phone', () => {
  const suite = browserSuite();
  let demo: Demo;
  let page: Page;

  beforeAll(async () => {
    demo = await seedDemo(suite.app.url, suite.app.db);
    ({ page } = await suite.open(smallPhone));
    await page.goto('/login');
    await logIn(page, DEMO.a, undefined, '/chat');
  });

  it('ends where its footer ends, however long the history: no empty space to scroll into', async () => {
    await page.locator('#messages .msg').first().waitFor();
    const l = await layout(page);
    expect(l.historyScrolls).toBe(true); // more history than the screen holds
    expect(l.page).toBeLessThanOrEqual(Math.ceil(l.footer.bottom) + 1);
    above(l.composer, l.uploader);
    above(l.uploader, l.footer);
  });

  it('shows a photo without a bubble around it, and a long file name in at most three lines, its size below it', async () => {
    const photo = page.locator('.bubble:has(.photo)').first();
    expect(await photo.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(0, 0, 0, 0)');

    const name = '우리가 같이 다녀온 제주도 여행 사진들을 정리한 아주 아주 긴 이름의 파일_최종_정말최종_v2.txt';
    expect((await upload(demo.jiho, [{ name: 'client_id', value: newClientId() }, filePart(name, Buffer.from('여행 메모'))])).status).toBe(303);
    const file = page.locator('.file', { hasText: '우리가 같이' });
    await file.waitFor();
    const [nameBox, sizeBox, lineHeight, fullName] = await file.evaluate((el) => {
      const n = el.querySelector('.file-name')!;
      return [n.getBoundingClientRect(), el.querySelector('.file-size')!.getBoundingClientRect(), parseFloat(getComputedStyle(n).lineHeight), el.getAttribute('title')] as const;
    });
    expect(nameBox.height).toBeLessThanOrEqual(3 * lineHeight + 1);
    expect(nameBox.height).toBeGreaterThan(lineHeight); // it does wrap: the bubble is not cut to one line
    expect(sizeBox.top).toBeGreaterThanOrEqual(nameBox.bottom - 1);
    expect(fullName).toBe(name); // the whole name, for a pointer's hover
  });

  it('shows a revealed pair of answers as a card in the conversation, the composer and the uploader still above the footer', async () => {
    const question = await askDemoQuestion(demo.jiho);
    await expectQuestionAsked(page, question);
    expect(await answerWithKeyboard(page, '둘 다 좋지만 고양이!')).toBe(200);
    const open = await suite.app.db('couple_questions').where({ couple_id: demo.coupleId }).whereNull('revealed_at').first('id');
    await demo.jiho.get('/answers');
    await demo.jiho.post(`/questions/${open.id}/answer`, { answer: '강아지! 같이 산책하고 싶어', back: '/answers' });
    await page.locator(`#messages > li#qa-${open.id}`).getByText('둘 다 답했어요!').waitFor(); // (the answers stack on a screen this narrow)
    await expect.poll(() => page.locator('#question-slot').evaluate((el) => el.getBoundingClientRect().height)).toBe(0);
    const l = await layout(page);
    above(l.composer, l.uploader);
    above(l.uploader, l.footer);
    expect(l.page).toBeLessThanOrEqual(Math.ceil(l.footer.bottom) + 1);
  });

  it('still shows the newest message after a question held a send back and the cards took room from the history', async () => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 409/.test(message.text())) errors.push(message.text());
    });
    const asked = await suite.app.db('couple_questions').where({ couple_id: demo.coupleId }).pluck('question_id');
    const word = String((await suite.app.db('question_triggers').where({ lang: 'ko' }).whereNotIn('question_id', asked).orderBy('word').first('word')).word);
    await demo.jiho.get('/chat');
    expect((await demo.jiho.post('/chat/messages', { body: `${word} 얘기 해 보자`, client_id: newClientId() })).status).toBe(303);
    await page.locator('#question[open] .answer-form').waitFor();
    await page.locator('#body').fill('이것부터 말할래');
    await page.locator('#composer .answer-first').click(); // the composer's button leads to the answer while it waits
    await page.locator('#question textarea[name="answer"]:focus').waitFor();
    expect(await page.locator('#body').inputValue()).toBe('이것부터 말할래');
    await page.locator('#question textarea[name="answer"]').fill('나는 좋아!');
    await page.locator('#question .answer-form button[type="submit"]').click();
    await page.locator('#question .question-waiting').waitFor();
    const open = await suite.app.db('couple_questions').where({ couple_id: demo.coupleId }).whereNull('revealed_at').first('id');
    await demo.jiho.post(`/questions/${open.id}/answer`, { answer: '나도!', back: '/answers' });
    await page.locator(`#messages > li#qa-${open.id}`).getByText('둘 다 답했어요!').waitFor();
    await demo.jiho.get('/chat');
    expect((await demo.jiho.post('/chat/messages', { body: '그럼 이번 주말에 보자', client_id: newClientId() })).status).toBe(303);
    await page.locator('#messages > li.msg:last-child', { hasText: '그럼 이번 주말에 보자' }).waitFor();
    await expect
      .poll(() => page.locator('#history').evaluate((h) => {
        const last = h.querySelector('#messages > li.msg:last-child')!.getBoundingClientRect();
        return { atEnd: h.scrollHeight - h.scrollTop - h.clientHeight < 2, lastInSight: last.bottom <= h.getBoundingClientRect().bottom + 1 };
      }))
      .toEqual({ atEnd: true, lastInSight: true });
    expect(errors).toEqual([]); // e.g. no inline style refused by the page's CSP while htmx settles the cards
  });

  it('opens a plan with a long title in its narrow day cell: the whole title, and its buttons in whole words', async () => {
    const title = '크리스마스 마켓 구경하고 저녁은 회전초밥 먹기';
    const today = new Date(testClock.now() + 9 * 3_600_000).toISOString().slice(0, 10); // in Seoul
    await demo.jiho.get('/calendar');
    expect((await demo.jiho.post('/calendar/events', { date: today, title })).status).toBe(303);
    await page.goto('/calendar');
    const plan = page.locator('.cal-plan', { hasText: '크리스마스' });
    const summary = plan.locator('summary');
    expect(await summary.evaluate((el) => el.scrollHeight > el.clientHeight + 1)).toBe(true); // closed: cut short
    await summary.click();
    expect(await summary.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true); // open: all of it
    const lines = await plan.getByRole('button', { name: 'D\u2011day로 설정', exact: true }).evaluate((button) => {
      const range = document.createRange();
      range.selectNodeContents(button);
      return Array.from(range.getClientRects() as ArrayLike<DOMRect>).map((r) => Math.round(r.top)).filter((top, i, all) => all.indexOf(top) === i).length;
    });
    expect(lines).toBeLessThanOrEqual(2); // "D‑day로 / 설정", never "D- / day로 / 설정"
  });
});
