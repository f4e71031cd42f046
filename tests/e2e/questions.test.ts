// The question both partners must answer, on two phones (two Chromium contexts): a trigger
// word in the chat brings it on both, above the composer, without taking the keyboard from
// whoever is typing; the composer then leads to the answer instead of sending, one answer
// shows a waiting note, both answers show side by side, and /answers keeps them. Then the
// same with JavaScript off, where the question is a page that keeps the refused message.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, logIn, logOut, newContext, submit } from '../support/browser';
import { composer, expectConversation, focusedId, mySide, phoneContext, postMessage, shownMessages, shownTexts, typeAndSend } from '../support/chatPages';
import { Client, pairUp } from '../support/client';
import { answerWithKeyboard, cardState, expectPartnerAnswered, expectQuestionAsked, expectRevealed, expectWaitingNote, questionCard, revealedState } from '../support/questionPages';
import { answerOk } from '../support/questions';
import type { TestApp } from '../support/testApp';

const EXERCISE = '운동하는 거 좋아해?';
/** The sample conversation's line with 운동 in it. */
const TRIGGER = '나는 운동갔다가 저녁 먹고 쉬려고!';

describeBrowser('the question both partners answer', () => {
  const suite = browserSuite();
  let app: TestApp;
  beforeAll(() => {
    app = suite.app;
  });

  describe('on two phones', () => {
    let doyun: Page; // side a
    let haneul: Page; // side b
    const expected: string[] = [];
    /** what each has typed into the composer and not sent yet, because the question came first */
    const heldA = '잠깐 딴 얘기 좀 하자';
    const heldB = '이따가 다시 얘기하자';
    const answerA = '응 좋아해! 매일 아침 달리기해';
    const answerB = '나도 좋아해, 요즘은 요가 배우는 중이야';

    beforeAll(async () => {
      await pairUp(app.url, 'doyun', 'haneul');
      ({ page: doyun } = await suite.open(phoneContext));
      ({ page: haneul } = await suite.open(phoneContext));
      await logIn(doyun, 'doyun', undefined, '/chat');
      await logIn(haneul, 'haneul', undefined, '/chat');
      expect(await mySide(doyun)).toBe('a');
      expect(await mySide(haneul)).toBe('b');
    });

    it('a trigger word brings the question on both phones, above the composer: announced, the keyboard left where it was, the composer leading to the answer', async () => {
      await typeAndSend(doyun, '오늘 뭐 해?');
      expected.push('오늘 뭐 해?');
      await expectConversation(haneul, expected);
      for (const page of [doyun, haneul]) expect(await cardState(page)).toBeNull();

      await typeAndSend(haneul, TRIGGER);
      expected.push(TRIGGER);
      for (const page of [haneul, doyun]) {
        // the message itself went out, and then the question came
        await expectConversation(page, expected);
        await expectQuestionAsked(page, EXERCISE);
        const dialog = page.getByRole('dialog', { name: '질문 타임', exact: true });
        expect(await dialog.isVisible()).toBe(true);
        expect(await dialog.getByLabel('내 답', { exact: true }).inputValue()).toBe('');
        await expect.poll(() => page.locator('#question-news').textContent()).toBe(`질문이 왔어요: ${EXERCISE}`);
        // nothing covers the chat: a tap on the composer lands on the composer
        expect(
          await composer(page).evaluate((el) => {
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit === el ? 'the composer' : `${hit?.tagName}#${hit?.id}.${hit?.className} at ${r.top}-${r.bottom} of ${innerHeight}`;
          }),
        ).toBe('the composer');
        expect(await page.getByRole('link', { name: '질문에 먼저 답하기', exact: true }).isVisible()).toBe(true);
      }
      // haneul sent the trigger and is still in the composer: the question did not take her keyboard
      expect(await focusedId(haneul)).toBe('body');
      expect(await app.db('couple_questions').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    });

    it('sending before answering keeps the text in the box, sends nothing, and puts the keyboard in the answer box', async () => {
      const refused: number[] = [];
      doyun.on('response', (r) => {
        if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/chat/messages') refused.push(r.status());
      });
      await composer(doyun).click();
      await typeAndSend(doyun, heldA);

      await expect.poll(async () => (await cardState(doyun))?.answerFocused).toBe(true);
      expect(refused).toEqual([]); // not even asked: the page knows the question waits
      expect(await composer(doyun).inputValue()).toBe(heldA);
      // the text waits in the composer only: the card offers no second copy that answering would not send
      expect(await questionCard(doyun).getByLabel('답한 뒤에 보낼 메시지').count()).toBe(0);
      expect(await questionCard(doyun).locator('textarea').count()).toBe(1);
      // no bubble of it (not pending, not failed) on either phone, and nothing stored
      expect((await shownMessages(doyun)).map((m) => m.text)).toEqual(expected);
      await haneul.waitForTimeout(300);
      expect(await shownTexts(haneul)).toEqual(expected);
      expect(await app.db('messages').where({ body: heldA }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    });

    it("one answers with the keyboard: a waiting note, the chat goes on live, the other's card and half-typed answer stay", async () => {
      // haneul has begun an answer when doyun's arrives: Enter in the composer took her to the answer box
      const typedSoFar = '나도 좋아해, 요즘은';
      await haneul.keyboard.press('Enter');
      await expect.poll(async () => (await cardState(haneul))?.answerFocused).toBe(true);
      await haneul.keyboard.type(typedSoFar);

      expect(await answerWithKeyboard(doyun, answerA)).toBe(200);
      await expectWaitingNote(doyun, EXERCISE);
      await expectVisibleText(questionCard(doyun), '내 답을 저장했어요. 상대가 답하면 둘의 답이 함께 공개돼요.');

      // haneul: still the card, her words still in the box and the keyboard still there;
      // doyun's answer is not shown to her before she answers
      // (once her page has the card that says doyun answered)
      await expect
        .poll(async () => {
          const s = await cardState(haneul);
          return s && { answered: s.answered, open: s.open, modal: s.modal, formVisible: s.formVisible, answerValue: s.answerValue, answerFocused: s.answerFocused };
        })
        .toEqual({ answered: 'a', open: true, modal: false, formVisible: true, answerValue: typedSoFar, answerFocused: true });
      // and she types on where she was
      await haneul.keyboard.type(answerB.slice(typedSoFar.length));
      expect((await cardState(haneul))?.answerValue).toBe(answerB);
      expect(await haneul.locator('body').innerText()).not.toContain(answerA);

      // doyun chats on, still with the keyboard only: it is back in the composer, where the held message still is
      expect(await focusedId(doyun)).toBe('body');
      expect(await composer(doyun).inputValue()).toBe(heldA);
      await doyun.keyboard.press('Enter');
      expected.push(heldA);
      await expectConversation(doyun, expected);
      await expectConversation(haneul, expected);
      await typeAndSend(doyun, '천천히 답해도 돼');
      expected.push('천천히 답해도 돼');
      await expectConversation(haneul, expected);
      expect(await composer(doyun).inputValue()).toBe('');
      expect((await cardState(haneul))!).toMatchObject({ modal: false, answerValue: answerB, composerOwes: true });
    });

    it('the other logs out and in again, and reloads: the question still waits for her and holds her messages back', async () => {
      await logOut(haneul);
      await logIn(haneul, 'haneul', undefined, '/chat');
      await expectConversation(haneul, expected);
      await expectQuestionAsked(haneul, EXERCISE);
      await haneul.reload();
      await expectQuestionAsked(haneul, EXERCISE);

      // she writes on in the composer meanwhile; sending takes her to the answer and keeps the text
      await composer(haneul).click();
      await typeAndSend(haneul, heldB);
      await expect.poll(async () => (await cardState(haneul))?.answerFocused).toBe(true);
      expect(await composer(haneul).inputValue()).toBe(heldB);
      await doyun.waitForTimeout(300);
      expect(await shownTexts(doyun)).toEqual(expected);
    });

    it('once both answered, both phones show both answers side by side in the conversation; her held message then goes out', async () => {
      expect(await answerWithKeyboard(haneul, answerB)).toBe(200);
      // each sees their own answer first, as 나, and the other's under their ID
      expect(await expectRevealed(doyun, EXERCISE)).toEqual([{ who: '나', body: answerA }, { who: 'haneul', body: answerB }]);
      expect(await expectRevealed(haneul, EXERCISE)).toEqual([{ who: '나', body: answerB }, { who: 'doyun', body: answerA }]);
      // no modal anywhere any more: she chats on with the text she had typed, from the keyboard
      expect(await focusedId(haneul)).toBe('body');
      expect(await composer(haneul).inputValue()).toBe(heldB);
      await haneul.keyboard.press('Enter');
      expected.push(heldB);
      await expectConversation(doyun, expected);
      await expectConversation(haneul, expected);
      // the cards took room from the history on the way (his 409, his answer, the reveal):
      // it still shows the newest message, hers, in full
      for (const page of [doyun, haneul]) {
        await expect
          .poll(() => page.locator('#history').evaluate((h) => {
            const last = h.querySelector('#messages > li.msg:last-child')!.getBoundingClientRect();
            return h.scrollHeight - h.scrollTop - h.clientHeight < 2 && last.bottom <= h.getBoundingClientRect().bottom + 1;
          }))
          .toBe(true);
      }

      // the answers are part of the conversation: nothing above the composer to close, and a
      // reload shows them where they came, once
      for (const page of [doyun, haneul]) {
        expect(await cardState(page)).toBeNull();
        const before = (await revealedState(page, EXERCISE))!.order;
        await page.reload();
        await expectConversation(page, expected);
        expect((await revealedState(page, EXERCISE))!).toMatchObject({ copies: 1, order: before });
      }
    });

    it('the 질문과 답 page keeps the question with both answers', async () => {
      for (const [page, mine, theirs, partner] of [
        [doyun, answerA, answerB, 'haneul'],
        [haneul, answerB, answerA, 'doyun'],
      ] as const) {
        await page.getByRole('link', { name: '질문과 답', exact: true }).click();
        await expectPath(page, '/answers');
        const items = page.locator('.answer-list > li');
        expect(await items.count()).toBe(1);
        const item = items.first();
        expect(await item.getByRole('heading').innerText()).toBe(EXERCISE);
        const pairs = await item.locator('.answer-pair .answer').evaluateAll((els) =>
          els.map((el) => [el.querySelector('dt')!.textContent!.trim(), el.querySelector('dd')!.textContent!.trim()]),
        );
        expect(pairs).toEqual([
          ['나', mine],
          [partner, theirs],
        ]);
        await page.goto('/chat');
        expect(await cardState(page)).toBeNull();
      }
    });
  });

  describe('on a small phone (320×568), while I am typing', () => {
    it('a question my partner’s words bring never takes my keyboard: my sentence goes on in the composer, which stays in sight, one tap from the answer', async () => {
      const [junho] = await pairUp(app.url, 'junho', 'dana');
      const small = (browser: Parameters<typeof phoneContext>[0], baseURL: string) =>
        newContext(browser, { baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: { width: 320, height: 568 } }).then(async (context) => ({ context, page: await context.newPage() }));
      const { page: dana } = await suite.open(small);
      await logIn(dana, 'dana', undefined, '/chat');
      await composer(dana).click();
      await dana.keyboard.type('오늘 저녁에');
      await postMessage(junho, '영화 볼래?');
      const movie = String((await app.db('questions').where({ key: 'movie_genre' }).first('text_ko')).text_ko);
      await expectQuestionAsked(dana, movie);
      await dana.keyboard.type(' 뭐 먹을래');
      expect(await composer(dana).inputValue()).toBe('오늘 저녁에 뭐 먹을래');
      expect(await focusedId(dana)).toBe('body');
      expect((await cardState(dana))?.answerValue).toBe('');
      // the composer and its button are on screen, nothing over them
      const inSight = await dana.evaluate(() => {
        const out: string[] = [];
        for (const sel of ['#body', '#composer .answer-first']) {
          const el = document.querySelector<HTMLElement>(sel)!;
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (r.top < 0 || r.bottom > innerHeight || !(hit === el || el.contains(hit))) out.push(`${sel} at ${Math.round(r.top)}-${Math.round(r.bottom)} of ${innerHeight}`);
        }
        return out;
      });
      expect(inSight).toEqual([]);
      // one tap to the answer, and the draft waits
      await dana.getByRole('link', { name: '질문에 먼저 답하기', exact: true }).click();
      await expect.poll(async () => (await cardState(dana))?.answerFocused).toBe(true);
      expect(await composer(dana).inputValue()).toBe('오늘 저녁에 뭐 먹을래');
    });
  });

  describe.each([
    { width: 320, height: 568, a: 'bora', b: 'chan' },
    { width: 360, height: 740, a: 'eunji', b: 'gyumin' },
  ])('on two phones of $width×$height, once both answered', ({ width, height, a, b }) => {
    it('both see the pair of answers as a compact card in the conversation, the composer in view; it stays there, in order, through a reload', async () => {
      await pairUp(app.url, a, b);
      const phone = (browser: Parameters<typeof phoneContext>[0], baseURL: string) =>
        newContext(browser, { baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: { width, height } }).then(async (context) => ({ context, page: await context.newPage() }));
      const { page: pa } = await suite.open(phone);
      const { page: pb } = await suite.open(phone);
      await logIn(pa, a, undefined, '/chat');
      await logIn(pb, b, undefined, '/chat');
      const said = ['오늘 뭐 해?', '천천히 답해도 돼', '잠깐 딴 얘기 좀 하자', '이따가 다시 얘기하자'];
      for (const [i, text] of said.entries()) await typeAndSend(i % 2 ? pb : pa, text);
      await typeAndSend(pb, TRIGGER);
      said.push(TRIGGER);
      for (const page of [pa, pb]) {
        await expectConversation(page, said);
        await expectQuestionAsked(page, EXERCISE);
      }
      expect(await answerWithKeyboard(pa, '달리기 좋아해')).toBe(200);
      await expectPartnerAnswered(pb);
      expect(await answerWithKeyboard(pb, '요가 다녀')).toBe(200);

      /** What each phone shows: the card in the conversation (in sight, when it is the newest), not tall; the composer on screen with nothing over it. */
      const seen = async (page: Page, inSight = true) => {
        expect(await expectRevealed(page, EXERCISE)).toHaveLength(2);
        const state = (await revealedState(page, EXERCISE))!;
        const sight = () => page.evaluate((id) => {
          const card = document.getElementById(id)!.getBoundingClientRect();
          const history = document.getElementById('history')!.getBoundingClientRect();
          const box = document.getElementById('body')!;
          const r = box.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return {
            inHistory: card.top >= history.top - 1 && card.bottom <= history.bottom + 1 ? true : `${card.top}-${card.bottom} in ${history.top}-${history.bottom}`,
            composerOnScreen: r.top >= 0 && r.bottom <= innerHeight && hit === box,
            slotHeight: document.getElementById('question-slot')!.getBoundingClientRect().height,
          };
        }, state.id);
        await expect.poll(async () => ({ ...(await sight()), inHistory: inSight ? (await sight()).inHistory : true })).toEqual({ inHistory: true, composerOnScreen: true, slotHeight: 0 });
        expect(state.height, 'a compact card').toBeLessThan(height / 3);
        return state;
      };
      const live = await Promise.all([seen(pa), seen(pb)]);
      // where it came: right after the message that asked it, the same on both phones
      const trigger = await pb.locator('#messages > li.msg', { hasText: TRIGGER }).getAttribute('id');
      for (const state of live) expect(state.order.slice(-2)).toEqual([trigger, state.id]);
      expect(live[0].id).toBe(live[1].id);

      // the chat goes on below it, and after a reload it is still there, once, in its place
      await typeAndSend(pa, '다음엔 같이 운동하자');
      said.push('다음엔 같이 운동하자');
      for (const page of [pa, pb]) {
        await expectConversation(page, said);
        await page.reload();
        await expectConversation(page, said);
        const again = await seen(page, false); // (the newest message, below it, is what shows first)
        expect(again.order.slice(-3)).toEqual([trigger, live[0].id, expect.stringMatching(/^m-\d+$/)]);
      }
    });
  });

  describe('a card the stream brought, sent before htmx has taken it over', () => {
    it('still carries the page’s token: the answer is stored, never refused with 403', async () => {
      const [jiho] = await pairUp(app.url, 'jiho', 'yuna');
      const { page: yuna } = await suite.open(phoneContext);
      await logIn(yuna, 'yuna', undefined, '/chat');
      await postMessage(jiho, TRIGGER);
      await expectQuestionAsked(yuna, EXERCISE);
      // the card as it came over the stream (rendered once for both: no token of its own),
      // its form a plain one, as it is in the moment before htmx processes it
      await yuna.evaluate(() => {
        const form = document.querySelector<HTMLFormElement>('#question form.answer-form')!;
        const plain = form.cloneNode(true) as HTMLFormElement;
        for (const name of ['hx-post', 'hx-target', 'hx-swap']) plain.removeAttribute(name);
        form.replaceWith(plain);
      });
      expect(await yuna.locator('#question input[name="_csrf"]').count()).toBe(0);
      await yuna.getByLabel('내 답', { exact: true }).fill('그냥 평범하게 답함');
      const posted = yuna.waitForResponse((r) => r.request().method() === 'POST' && /^\/questions\/\d+\/answer$/.test(new URL(r.url()).pathname));
      await yuna.locator('#question').getByRole('button', { name: '답하기', exact: true }).click();
      expect((await posted).status()).toBe(303);
      await expectPath(yuna, '/chat');
      expect(await app.db('answers').where({ body: '그냥 평범하게 답함' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    });
  });

  describe('when my partner answers while I am about to send mine', () => {
    let seojun: Client; // the partner, over plain HTTP
    let mina: Page;

    beforeAll(async () => {
      [seojun] = await pairUp(app.url, 'seojun', 'mina');
      ({ page: mina } = await suite.open(phoneContext));
      await logIn(mina, 'mina', undefined, '/chat');
    });

    it('keeps my words and the keyboard on 답하기, so Enter still sends my answer', async () => {
      await postMessage(seojun, TRIGGER);
      await expectQuestionAsked(mina, EXERCISE);
      const id = Number(await questionCard(mina).getAttribute('data-question'));
      await mina.getByRole('link', { name: '질문에 먼저 답하기', exact: true }).click(); // one tap to the answer box
      await expect.poll(async () => (await cardState(mina))?.answerFocused).toBe(true);
      await mina.keyboard.type('산책은 좋아해');
      await mina.keyboard.press('Tab');
      const onSubmit = () => mina.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('.answer-form') !== null && document.activeElement?.textContent?.trim());
      expect(await onSubmit()).toBe('답하기');

      await answerOk(seojun, id, '헬스 다녀');
      // her page gets the card that says he answered: a new element, in the same place
      await expect.poll(async () => (await cardState(mina))?.answered).toBe('a');
      expect(await cardState(mina)).toMatchObject({ modal: false, answerValue: '산책은 좋아해', answerFocused: false });
      expect(await onSubmit()).toBe('답하기');

      const replied = mina.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/questions/${id}/answer`);
      await mina.keyboard.press('Enter');
      expect((await replied).status()).toBe(200);
      expect(await expectRevealed(mina, EXERCISE)).toEqual([{ who: '나', body: '산책은 좋아해' }, { who: 'seojun', body: '헬스 다녀' }]);
    });
  });

  describe('with JavaScript off', () => {
    let sora: Page; // in the browser, JavaScript off
    let minho: Client; // the partner, over plain HTTP
    const kept = '나중에 말해줄게';
    const answer = '좋아하는 편이야, 주로 걷기';

    beforeAll(async () => {
      [minho] = await pairUp(suite.app.url, 'minho', 'sora');
      ({ page: sora } = await suite.open(phoneContext, { javaScriptEnabled: false }));
      await logIn(sora, 'sora', undefined, '/chat');
    });

    /** Presses a button of a plain form and returns the status of the POST it made. */
    async function post(page: Page, button: string, path: RegExp): Promise<number> {
      const posted = page.waitForResponse((r) => r.request().method() === 'POST' && path.test(new URL(r.url()).pathname));
      await submit(page, button);
      return (await posted).status();
    }

    it('sending while the question waits shows the question page (409) with the message kept; answering sends it and goes back to the chat', async () => {
      await postMessage(minho, TRIGGER);
      await sora.reload();
      await expectConversation(sora, [TRIGGER]);
      // without JavaScript the card sits in the page, its form ready
      const inline = (await cardState(sora))!;
      expect(inline).toMatchObject({ open: true, modal: false, text: EXERCISE, formVisible: true, waitingVisible: false });

      await sora.getByLabel('메시지', { exact: true }).fill(kept);
      expect(await post(sora, '보내기', /^\/chat\/messages$/)).toBe(409);
      await expectVisibleText(sora.getByRole('heading', { level: 1 }), '먼저 질문에 답해 주세요');
      await expectVisibleText(sora.locator('main'), EXERCISE);
      expect(await sora.getByLabel('답한 뒤에 보낼 메시지', { exact: true }).inputValue()).toBe(kept);
      expect(await app.db('messages').where({ body: kept }).count({ n: '*' }).first()).toMatchObject({ n: 0 });

      // a blank answer (spaces only: an empty box the browser itself refuses) is refused on the same page, the message still kept
      await sora.getByLabel('내 답', { exact: true }).fill('   ');
      expect(await post(sora, '답하기', /^\/questions\/\d+\/answer$/)).toBe(422);
      await expectVisibleText(sora.getByRole('alert').filter({ hasText: '답을' }), '답을 입력해 주세요.');
      expect(await sora.getByLabel('답한 뒤에 보낼 메시지', { exact: true }).inputValue()).toBe(kept);

      await sora.getByLabel('내 답', { exact: true }).fill(answer);
      expect(await post(sora, '답하기', /^\/questions\/\d+\/answer$/)).toBe(303);
      await expectPath(sora, '/chat');
      await expectVisibleText(sora, '답을 저장했어요. 상대의 답을 기다리는 중이에요.');
      await expectConversation(sora, [TRIGGER, kept]);
      expect((await shownMessages(sora)).at(-1)).toMatchObject({ text: kept, right: true });
      expect(await sora.getByLabel('메시지', { exact: true }).inputValue()).toBe('');
      expect(await cardState(sora)).toMatchObject({ open: true, modal: false, formVisible: false, waitingVisible: true });
      expect(Client.visible((await minho.get('/chat')).text)).toContain(kept);
    });

    it('after the partner answers, the answers page shows both', async () => {
      const page = (await minho.get('/chat')).text;
      const id = /\/questions\/(\d+)\/answer/.exec(page)?.[1];
      expect(id).toBeDefined();
      expect((await minho.post(`/questions/${id}/answer`, { answer: '헬스 다녀' })).status).toBe(303);

      await sora.reload();
      expect(await cardState(sora)).toBeNull();
      // the pair of answers is in the conversation, after the message that asked it and the one the question held back
      expect(await expectRevealed(sora, EXERCISE)).toEqual([{ who: '나', body: answer }, { who: 'minho', body: '헬스 다녀' }]);
      expect((await revealedState(sora, EXERCISE))!.order.at(-1)).toMatch(/^qa-\d+$/);
      await sora.getByRole('link', { name: '질문과 답', exact: true }).click();
      await expectPath(sora, '/answers');
      const answers = await sora.locator('.answer-list > li .answer dd').allInnerTexts();
      expect(answers).toEqual([answer, '헬스 다녀']);
    });
  });
});
