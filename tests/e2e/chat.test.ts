// Two partners chatting on two phones (two Chromium contexts), as in the sample
// conversation of the original walk-through: live delivery, sides, times, day separators,
// question time in between (a trigger word asks both a question), the unread "1", deleting,
// losing the network and coming back, older history, search.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, logIn, submit } from '../support/browser';
import { composer, daysShown, expectConversation, focusedId, mySide, networkOf, phoneContext, postMessage, shownMessages, shownTexts, typeAndSend } from '../support/chatPages';
import { pairUp } from '../support/client';
import { answerWithKeyboard, cardState, expectPartnerAnswered, expectQuestionAsked, expectRevealed, expectWaitingNote } from '../support/questionPages';
import type { TestApp } from '../support/testApp';

/** The SSE extension reconnects with a growing delay; a person would wait this long. */
const RECONNECT_TIMEOUT = 15_000;

// From seed/original-project.md ("1 : 안녕 내 이름은 최윤석이야" …); 'a' is ID 1, 'b' is ID 2.
const SAMPLE: Array<['a' | 'b', string]> = [
  ['a', '안녕 내 이름은 최윤석이야'],
  ['a', '나는 컴퓨터공학과에 재학 중이야'],
  ['b', '안녕 반가워!!'],
  ['a', '오늘 뭐 할 예정이야?'],
  ['b', '나는 운동갔다가 저녁 먹고 쉬려고!'],
  ['a', '대단하다 운동하는 거 너무 귀찮아\n어떤 운동 하러가?'],
  ['b', '나는 헬스하는데 그래도 일주일에 네다섯번은 가는 것 같아'],
  ['b', '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라'],
  ['a', '그러니까 ㅠㅜ'],
  ['a', '아 나는 밥 먹으러 갔다 와야겠다!'],
  ['b', '응응 맛있게 먹고 와!!'],
  ['a', '아 근데 혹시 과제 코드 보내줄 수 있어?'],
  ['b', '응 그럼!! 잠깐만!'],
  ['a', '고마워 ㅎㅎㅎ'],
  ['b', '다음주말에같이떡볶이먹으러갈래?'],
];

/**
 * "중간중간 질문 타임 생기게 하기": the sample lines with a trigger word in them, the question
 * each pops up on both phones (one at a time, each once: 운동 again or 헬스 asks nothing new),
 * and what each partner answers before they chat on.
 */
const QUESTION_TIME: Record<string, { question: string; a: string; b: string }> = {
  '나는 운동갔다가 저녁 먹고 쉬려고!': {
    question: '운동하는 거 좋아해?',
    a: '솔직히 별로… 근데 같이 하면 할 수 있을 듯',
    b: '완전 좋아해! 일주일에 네다섯 번은 가',
  },
  '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라': {
    question: '고양이랑 강아지 중에 누굴 더 좋아해?',
    a: '강아지! 같이 산책하고 싶어',
    b: '고양이! 보이면 못 지나쳐',
  },
  '아 나는 밥 먹으러 갔다 와야겠다!': {
    question: '한식 / 중식 / 양식 / 일식 중에 뭘 제일 좋아해?',
    a: '한식! 국밥 최고',
    b: '일식, 초밥이면 다 좋아',
  },
  '아 근데 혹시 과제 코드 보내줄 수 있어?': {
    question: '과제는 미리미리 하는 편이야, 마감 직전에 몰아서 하는 편이야?',
    a: '마감 직전에 몰아서… 반성 중',
    b: '미리미리 하는 편!',
  },
};

describeBrowser('chatting on two phones', () => {
  let app: TestApp;
  const suite = browserSuite();
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let yoonseok: Page; // side a (ID 1)
  let seoyeon: Page; // side b (ID 2)
  /** What both should see, in order. */
  const expected: string[] = [];

  let network: ReturnType<typeof networkOf>;
  const pageOf = (side: 'a' | 'b') => (side === 'a' ? yoonseok : seoyeon);

  beforeAll(async () => {
    app = suite.app;
    network = networkOf(app.server);
    await pairUp(app.url, 'yoonseok', 'seoyeon');
    ({ context: ctxA, page: yoonseok } = await suite.open(phoneContext));
    ({ context: ctxB, page: seoyeon } = await suite.open(phoneContext));
    await logIn(yoonseok, 'yoonseok', undefined, '/chat');
    await logIn(seoyeon, 'seoyeon', undefined, '/chat');
  });

  it('a conversation like the sample: each message live on the other phone, in order, on its side, with its time', async () => {
    expect(await mySide(yoonseok)).toBe('a');
    expect(await mySide(seoyeon)).toBe('b');
    await expectVisibleText(yoonseok, '아직 대화가 없어요.');
    // Nothing below reloads either page: a marker set now must still be there at the end.
    for (const page of [yoonseok, seoyeon]) await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    for (const [side, text] of SAMPLE) {
      const sender = pageOf(side);
      const partnerSide = side === 'a' ? 'b' : 'a';
      const partner = pageOf(partnerSide);
      await typeAndSend(sender, text);
      expected.push(text);
      // Both phones show it, after everything before it; the sender can type on at once.
      await expectConversation(sender, expected);
      await expectConversation(partner, expected);
      expect(await composer(sender).inputValue()).toBe('');
      const asked = QUESTION_TIME[text];
      if (!asked) {
        expect(await focusedId(sender)).toBe('body');
        continue;
      }
      // Question time: it pops up on both phones; the sender answers first, then the partner,
      // and both see both answers before closing them and chatting on.
      for (const page of [sender, partner]) await expectQuestionAsked(page, asked.question);
      expect(await answerWithKeyboard(sender, asked[side])).toBe(200);
      await expectWaitingNote(sender, asked.question);
      await expectPartnerAnswered(partner);
      expect(await answerWithKeyboard(partner, asked[partnerSide])).toBe(200);
      for (const [page, me, partnerLogin] of [[yoonseok, 'a', 'seoyeon'], [seoyeon, 'b', 'yoonseok']] as const) {
        expect(await expectRevealed(page, asked.question)).toEqual([
          { who: '나', body: asked[me] },
          { who: partnerLogin, body: asked[me === 'a' ? 'b' : 'a'] },
        ]);
        expect(await focusedId(page)).toBe('body');
      }
    }
    // every question asked was answered by both, and none is left open
    const questions = await app.db('couple_questions').select('revealed_at');
    expect(questions).toHaveLength(Object.keys(QUESTION_TIME).length);
    expect(questions.filter((q) => q.revealed_at === null)).toEqual([]);
    for (const page of [yoonseok, seoyeon]) expect((await cardState(page))?.open ?? false).toBe(false);

    for (const [page, me] of [[yoonseok, 'a'], [seoyeon, 'b']] as const) {
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      const shown = await shownMessages(page);
      expect(shown.map((m) => m.from)).toEqual(SAMPLE.map(([side]) => side));
      for (const m of shown) {
        // mine on the right, my partner's on the left
        expect(m.right, `"${m.text}" on ${me}'s phone`).toBe(m.from === me);
        expect(m.time).toMatch(/\d{1,2}:\d{2}/);
        expect(Number.isNaN(Date.parse(m.datetime ?? ''))).toBe(false);
      }
      // the multi-line message keeps its line break
      expect(shown[5].text).toBe('대단하다 운동하는 거 너무 귀찮아\n어떤 운동 하러가?');
      // one day separator per day, the first one above the first message
      const { separators, days } = await daysShown(page);
      expect(separators).toHaveLength(days.length);
      expect(separators.length).toBeGreaterThan(0);
      expect(await page.locator('#messages > li').first().evaluate((li) => li.className)).toContain('day');
      expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);
    }

    // Both pages are open and seen: every "1" is gone on both phones.
    for (const page of [yoonseok, seoyeon]) {
      await expect.poll(async () => (await shownMessages(page)).filter((m) => m.unreadVisible).map((m) => m.text)).toEqual([]);
    }
  }, 120_000);

  it('shows "1" beside my message until my partner\'s page has seen it, then it disappears live', async () => {
    await seoyeon.goto('/account');
    await typeAndSend(yoonseok, '지금 뭐해?');
    expected.push('지금 뭐해?');
    await expectConversation(yoonseok, expected);
    const mine = yoonseok.locator('#messages > li.msg').last();
    await expect.poll(() => mine.locator('.unread').isVisible()).toBe(true);
    expect(await mine.locator('.unread').innerText()).toBe('1');

    await seoyeon.goto('/chat');
    await expectConversation(seoyeon, expected);
    // On the partner's phone a "1" never shows beside the other's messages.
    expect((await shownMessages(seoyeon)).filter((m) => m.unreadVisible)).toEqual([]);
    await expect.poll(() => mine.locator('.unread').isVisible()).toBe(false);
    expect((await shownMessages(yoonseok)).filter((m) => m.unreadVisible)).toEqual([]);
  });

  it('deleting my own message from its menu asks first, then shows "삭제된 메시지입니다" on both phones; the partner\'s messages have no 삭제', async () => {
    const text = '오늘 뭐 할 예정이야?';
    const id = (await shownMessages(yoonseok)).find((m) => m.text === text)!.id!;
    const onA = yoonseok.locator(`#m-${id}`);
    const onB = seoyeon.locator(`#m-${id}`);
    // the partner's menu on it has 답장 and the reactions, never 삭제
    expect(await onB.locator('form.delete').evaluate((f) => getComputedStyle(f).display)).toBe('none');
    // 삭제 lives in the message's menu, not beside every bubble
    const remove = onA.getByRole('button', { name: '삭제', exact: true });
    expect(await remove.isVisible()).toBe(false);
    await onA.getByLabel('메시지 메뉴').click();
    await remove.waitFor();
    // 삭제 asks; 취소 keeps the message
    const asked: string[] = [];
    yoonseok.once('dialog', (dialog) => void (asked.push(dialog.message()), dialog.dismiss()));
    await remove.click();
    await expect.poll(() => asked).toEqual(['이 메시지를 삭제할까요? 삭제하면 되돌릴 수 없어요.']);
    await yoonseok.waitForTimeout(300);
    expect(await onA.innerText()).toContain(text);
    expect(await suite.app.db('messages').where({ id }).first('deleted_at')).toEqual({ deleted_at: null });
    yoonseok.once('dialog', (dialog) => void dialog.accept());
    await remove.click();

    for (const li of [onA, onB]) {
      await expect.poll(() => li.innerText(), { timeout: 5_000 }).toContain('삭제된 메시지입니다');
      expect(await li.innerText()).not.toContain(text);
      expect(await li.locator('.msg-menu').count()).toBe(0);
    }
    expected[expected.indexOf(text)] = '삭제된 메시지입니다';
    for (const page of [yoonseok, seoyeon]) await expectConversation(page, expected);

    // Each phone offers 삭제 only on its own messages (the menu, with 답장 and the reactions, on all).
    for (const [page, me] of [[yoonseok, 'a'], [seoyeon, 'b']] as const) {
      const theirs = page.locator(`#messages > li.msg.from-${me === 'a' ? 'b' : 'a'}`);
      const mineLive = page.locator(`#messages > li.msg.from-${me}:not(.deleted)`);
      expect(await theirs.count()).toBeGreaterThan(0);
      for (const li of await theirs.all()) {
        if ((await li.getAttribute('class'))!.includes('deleted')) continue; // a tombstone has no menu
        expect(await li.getByLabel('메시지 메뉴').isVisible()).toBe(true);
        expect(await li.locator('form.delete').evaluate((f) => getComputedStyle(f).display)).toBe('none');
      }
      for (const li of await mineLive.all()) expect(await li.getByLabel('메시지 메뉴').isVisible()).toBe(true);
    }
  });

  it('a phone that was offline shows every message it missed exactly once, in order, when it is back', async () => {
    // (no trigger word in these: 지하철 or 연락 would stop the chat for a question)
    const missed = ['이제 출발할게', '도착하면 말해줘!', '조심히 와\n늦어도 괜찮아', '보고 싶다'];
    expect(await network.lose(ctxB)).toBe(1);
    await expectVisibleText(seoyeon.getByRole('status'), '연결이 끊겼어요. 다시 연결하는 중…');
    for (const text of missed) {
      await typeAndSend(yoonseok, text);
      expected.push(text);
      await expectConversation(yoonseok, expected);
    }
    // Offline for a few seconds (the stream's reconnects fail meanwhile): nothing new reaches
    // that phone, and the sender sees "1" beside each message.
    await seoyeon.waitForTimeout(2_500);
    expect(await shownTexts(seoyeon)).toEqual(expected.slice(0, -missed.length));
    expect((await shownMessages(yoonseok)).filter((m) => m.unreadVisible).map((m) => m.text)).toEqual(missed);

    await network.restore(ctxB);
    await expectConversation(seoyeon, expected, RECONNECT_TIMEOUT);
    await seoyeon.getByRole('status').filter({ hasText: '연결이 끊겼어요' }).waitFor({ state: 'hidden' });
    const ids = (await shownMessages(seoyeon)).map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // seen now: the "1"s go on the sender's phone
    await expect.poll(async () => (await shownMessages(yoonseok)).filter((m) => m.unreadVisible)).toEqual([]);
    // and it is live again
    await typeAndSend(yoonseok, '왔어?');
    expected.push('왔어?');
    await expectConversation(seoyeon, expected);
  }, 30_000);

  it('a message sent while offline shows as failed with 다시 보내기; back online, the retry sends it once', async () => {
    const text = '터널이라 잘 안 터져';
    await network.lose(ctxA);
    await typeAndSend(yoonseok, text);
    const failed = yoonseok.locator('#messages > li.msg.failed').filter({ hasText: text });
    await failed.waitFor({ state: 'visible' });
    expect(await failed.innerText()).toContain('보내지 못했어요.');
    expect(await focusedId(yoonseok)).toBe('body');
    await seoyeon.waitForTimeout(300);
    expect(await shownTexts(seoyeon)).not.toContain(text);

    await network.restore(ctxA);
    // a slow network: the retried send shows as pending while it is on its way
    await yoonseok.route('**/chat/messages', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    await failed.getByRole('button', { name: '다시 보내기', exact: true }).click();
    const pending = yoonseok.locator('#messages > li.msg.pending').filter({ hasText: text });
    await pending.waitFor({ state: 'visible' });
    expect(await pending.innerText()).toContain('보내는 중…');
    await pending.waitFor({ state: 'detached' });
    await yoonseok.unroute('**/chat/messages');
    expected.push(text);
    await expectConversation(seoyeon, expected);
    // The partner answers: once that arrives, the sender's stream has caught up too.
    await typeAndSend(seoyeon, '응 천천히 와');
    expected.push('응 천천히 와');
    await expectConversation(yoonseok, expected, RECONNECT_TIMEOUT);
    const shown = await shownMessages(yoonseok);
    expect(shown.filter((m) => m.pending || m.failed)).toEqual([]);
    expect(shown.filter((m) => m.text === text)).toHaveLength(1);
    expect(await app.db('messages').where({ body: text }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  }, 30_000);

  it('finds a word inside an unspaced sentence, highlights it, and opens the chat at that message', async () => {
    await yoonseok.getByRole('link', { name: '검색', exact: true }).click();
    await expectPath(yoonseok, '/chat/search');
    await yoonseok.getByLabel('단어', { exact: true }).fill('떡볶이');
    await submit(yoonseok, yoonseok.locator('main').getByRole('button', { name: '검색', exact: true }));

    let results = yoonseok.locator('#results > li.result');
    expect(await results.count()).toBe(1);
    expect(await results.first().locator('p').innerText()).toBe('다음주말에같이떡볶이먹으러갈래?');
    expect(await results.first().locator('mark').allInnerTexts()).toEqual(['떡볶이']);

    // While yoonseok is on the search page, seoyeon writes; he finds it there and opens it.
    const news = '내일은비가온다니까우산꼭챙겨';
    await typeAndSend(seoyeon, news);
    expected.push(news);
    await expectConversation(seoyeon, expected);
    const unread = seoyeon.locator('#messages > li.msg').last().locator('.unread');
    await expect.poll(() => unread.isVisible()).toBe(true);
    await yoonseok.getByLabel('단어', { exact: true }).fill('우산');
    await submit(yoonseok, yoonseok.locator('main').getByRole('button', { name: '검색', exact: true }));
    results = yoonseok.locator('#results > li.result');
    expect(await results.count()).toBe(1);
    expect(await results.first().locator('p').innerText()).toBe(news);
    expect(await results.first().locator('mark').allInnerTexts()).toEqual(['우산']);
    const refused: string[] = [];
    yoonseok.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });

    await results.first().getByRole('link', { name: '대화에서 보기', exact: true }).click();
    await expectPath(yoonseok, '/chat');
    const url = new URL(yoonseok.url());
    const id = url.searchParams.get('around');
    expect(id).toMatch(/^\d+$/);
    expect(url.hash).toBe(`#m-${id}`);
    const target = yoonseok.locator(`#m-${id}`);
    expect(await target.innerText()).toContain(news);
    // scrolled to it: the message sits inside the visible part of the history, and the
    // page itself stays at its top (the chat's header in sight)
    await expect
      .poll(() =>
        target.evaluate((li) => {
          const box = document.getElementById('history')!.getBoundingClientRect();
          const r = li.getBoundingClientRect();
          const header = document.getElementById('chat-title')!.getBoundingClientRect();
          return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight && header.top >= 0;
        }),
      )
      .toBe(true);
    const shown = await shownMessages(yoonseok);
    expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);
    expect(shown.at(-1)?.text).toBe(news);

    // His phone has now shown her message (the page reports what it has seen): nothing it
    // sent was refused, and the "1" beside the message goes on her phone.
    await yoonseok.waitForTimeout(500);
    expect(refused, 'requests the chat page opened from search made').toEqual([]);
    await expect.poll(() => unread.isVisible(), { message: 'the "1" after the partner opened the message from search' }).toBe(false);
  });

  it('a second couple with 120 messages: the newest 50 first, older ones load while scrolling up, none twice', async () => {
    const [histA, histB] = await pairUp(app.url, 'minsu', 'jiyeon');
    await histA.get('/chat');
    await histB.get('/chat');
    const all = Array.from({ length: 120 }, (_, i) => `기록 ${i + 1}번째 메시지`);
    for (const [i, text] of all.entries()) await postMessage(i % 2 === 0 ? histA : histB, text);

    const { page } = await suite.open(phoneContext);
    await logIn(page, 'minsu', undefined, '/chat');
    await expectConversation(page, all.slice(-50));
    expect(await page.locator('#older').count()).toBe(1);
    expect(await page.locator('#older a').getAttribute('hx-trigger')).toBe('intersect once');

    // Scrolling to the top (again and again, as a thumb does) loads the pages before, down to the very first message.
    await expect
      .poll(
        async () => {
          await page.locator('#history').evaluate((h) => h.scrollTo({ top: 0 }));
          return (await shownTexts(page)).length;
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(120);
    await expectConversation(page, all);
    expect(await page.locator('#older').count()).toBe(0);
    const shown = await shownMessages(page);
    expect(new Set(shown.map((m) => m.id)).size).toBe(120);
    expect(shown.map((m) => m.right)).toEqual(all.map((_, i) => i % 2 === 0));
    const { separators, days } = await daysShown(page);
    expect(separators).toHaveLength(days.length);

    // A reload starts again from the newest 50.
    await page.reload();
    await expectConversation(page, all.slice(-50));
    // and the open chat is still live for this couple
    await postMessage(histB, '새로 온 메시지');
    await expectConversation(page, [...all.slice(-50), '새로 온 메시지']);
  }, 30_000);
});
