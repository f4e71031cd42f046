// Questions both partners answer, over plain HTTP and the event stream: a trigger word asks
// one, chatting waits for my answer (409), answers are revealed only once both are in, a
// question never comes twice, two people acting at the same instant, log-out and restart,
// and one couple never seeing another's.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, logIn, signUp } from '../support/client';
import { HX, messageCount, newClientId, newCouple, send, sendForm, sendHx, shownMessageIds, suiteInstances, type Couple } from '../support/chatHttp';
import { isMessage, suiteStreams, type SseStream } from '../support/sse';
import { filePart, upload } from '../support/uploads';
import { answer, answerOk, answeredSidesIn, cardShows, historyItems, isAnswered, isQuestion, isRevealed, pageSide, Q, questionIdIn, revealedIdIn } from '../support/questions';

const WAITING_FOR_PARTNER = '상대의 답을 기다리고 있어요';
const WAITING_FOR_ME = '내 답을 기다리고 있어요';
const BLANK = '답을 입력해 주세요.';
const TOO_LONG = '답은 500자까지 쓸 수 있어요.';
const ALREADY = '이미 이 질문에 답했어요.';
const HELD = '답하기 전에는 메시지를 보낼 수 없어요. 쓰던 메시지는 그대로 있어요.';

describe.each(backends())('questions both partners answer on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'q' });
  const { stream } = suiteStreams();
  /** Several couples, paired one after the other. */
  async function couples(n: number, tag: string): Promise<Couple[]> {
    const out: Couple[] = [];
    for (let i = 0; i < n; i++) out.push(await couple(`${tag}${i}`));
    return out;
  }

  /** Sends a message that asks a question and returns the question's id, as the chat page shows it. */
  async function ask(c: Couple, text = '나는 운동갔다가 저녁 먹고 쉬려고!', from: Client = c.a): Promise<number> {
    await send(from, text);
    const id = questionIdIn((await c.a.get('/chat')).text);
    if (id === null) throw new Error(`“${text}” asked no question`);
    return id;
  }

  /** Both partners answer, one after the other. */
  async function answerBoth(c: Couple, id: number, a = 'a의 답', b = 'b의 답') {
    await answerOk(c.a, id, a);
    await answerOk(c.b, id, b);
  }

  const history = async (client: Client) => historyItems((await client.get('/answers')).text);

  /**
   * Sends a plain message from `client` and waits until `s` has it: the stream is then past
   * anything the earlier steps committed, so an event not seen by now never came.
   */
  async function streamCaughtUp(client: Client, s: SseStream) {
    const id = await send(client, '확인용 메시지');
    await s.waitFor(isMessage(id));
  }

  describe('asking', () => {
    it('asks exactly one question for a message with a trigger word, pushed to both partners’ streams as a card without answers', async () => {
      const c = await couple();
      const [sa, sb] = [await stream(c.a), await stream(c.b)];
      const m = await send(c.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
      for (const s of [sa, sb]) {
        const e = await s.waitFor(isQuestion(), undefined, 'a question event');
        expect(e.data).toContain('id="question"');
        expect(e.data).toContain(`<p class="question-text">${Q.exercise}</p>`);
        expect(e.data).toContain('id="question-slot" hx-swap-oob="innerHTML"');
        expect(e.data).not.toContain('answer-pair'); // nobody's answer in it
        expect(answeredSidesIn(e.data)).toEqual([]);
        expect(s.events.some(isMessage(m))).toBe(true);
      }
      expect(sa.events.filter(isQuestion())).toHaveLength(1);
      const items = await history(c.b);
      expect(items.map((i) => i.question)).toEqual([Q.exercise]);
      for (const client of [c.a, c.b]) {
        const page = (await client.get('/chat')).text;
        expect(cardShows(page)).toBe('form');
        expect(page).toContain(Q.exercise);
      }
    });

    it('asks only the first question of a message with several trigger words', async () => {
      const c = await couple();
      const s = await stream(c.b);
      await send(c.a, '고양이랑 밥 먹고 운동하러 갈래');
      await s.waitFor(isQuestion());
      await answerOk(c.a, questionIdIn((await c.a.get('/chat')).text)!, '고양이');
      await streamCaughtUp(c.a, s);
      expect(s.events.filter(isQuestion())).toHaveLength(1);
      expect((await history(c.a)).map((i) => i.question)).toEqual([Q.cats]);
    });

    it('asks nothing for a message without a trigger word', async () => {
      const c = await couple();
      const s = await stream(c.a);
      await send(c.a, '안녕 반가워!! 오늘 뭐 할 예정이야?');
      await streamCaughtUp(c.b, s);
      expect(s.events.filter(isQuestion())).toEqual([]);
      expect((await sendHx(c.b, '응 그럼!! 잠깐만!')).status).toBe(200);
      expect(await history(c.a)).toEqual([]);
      expect(Client.visible((await c.a.get('/answers')).text)).toContain('아직 나온 질문이 없어요');
    });
  });

  describe('in each partner’s language', () => {
    it('asks a partner who reads English in English, on the stream and in the 409', async () => {
      const c = await couple();
      const en = { 'accept-language': 'en' };
      const sb = await stream(c.b, { headers: en });
      await send(c.a, '길고양이 봤어');
      const e = await sb.waitFor(isQuestion());
      expect(e.data).toContain('Cats or dogs — which do you love more?');
      const res = await c.b.post('/chat/messages', { body: 'hi', client_id: newClientId() }, { ...HX, ...en });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Cats or dogs — which do you love more?');
      expect((await sendHx(c.a, '음')).text).toContain(Q.cats);
    });
  });

  describe('chatting waits for my answer', () => {
    it('answers the sender’s and the partner’s next htmx message with 409 and the question card, storing nothing', async () => {
      const c = await couple();
      const id = await ask(c);
      const before = await messageCount(app.db, c.coupleId);
      for (const client of [c.a, c.b]) {
        const res = await sendHx(client, '다음 얘기');
        expect(res.status).toBe(409);
        expect(res.text).not.toContain('<html');
        expect(res.text).toContain('id="question"');
        expect(questionIdIn(res.text)).toBe(id);
        expect(res.text).toContain(Q.exercise);
        expect(res.text).toContain(`hx-post="/questions/${id}/answer"`);
        expect(Client.visible(res.text)).toContain(HELD); // says why the message did not go
      }
      expect(await messageCount(app.db, c.coupleId)).toBe(before);
    });

    it('without JavaScript shows a page with the answer form that keeps the typed message', async () => {
      const c = await couple();
      const id = await ask(c);
      const clientId = newClientId();
      const res = await sendForm(c.b, '저녁 <뭐> 먹을래?', clientId);
      expect(res.status).toBe(409);
      expect(res.text).toContain('<html');
      expect(pageSide(res.text)).toMatch(/^[ab]$/);
      expect(cardShows(res.text)).toBe('form');
      expect(res.text).toContain(`<form class="answer-form" method="post" action="/questions/${id}/answer"`);
      expect(res.text).toContain('name="_csrf"');
      expect(res.text).toMatch(/<textarea id="kept-body" name="body"[^>]*>저녁 &lt;뭐&gt; 먹을래\?<\/textarea>/);
      expect(res.text).toContain(`<input type="hidden" name="client_id" value="${clientId}">`);
      expect(Client.visible(res.text)).toContain(Q.exercise);
      // the page says it in its own heading and hint, not twice
      expect(Client.visible(res.text)).toContain('먼저 질문에 답해 주세요');
      expect(Client.visible(res.text)).not.toContain(HELD);
    });

    it('holds back uploads too: 409 with the question, nothing stored', async () => {
      const c = await couple();
      const id = await ask(c);
      const before = await messageCount(app.db, c.coupleId);
      const parts = [
        { name: 'client_id', value: newClientId() },
        { name: 'caption', value: '사진' },
        filePart('memo.txt', Buffer.from('안녕'), 'text/plain'),
      ];
      const hx = await upload(c.b, parts, { htmx: true });
      expect(hx.status).toBe(409);
      expect(questionIdIn(hx.text)).toBe(id);
      const noJs = await upload(c.a, parts, { csrf: 'query' });
      expect(noJs.status).toBe(409);
      expect(questionIdIn(noJs.text)).toBe(id);
      expect(await messageCount(app.db, c.coupleId)).toBe(before);
      expect(Number((await app.db('files').where({ couple_id: c.coupleId }).count({ n: '*' }))[0].n)).toBe(0);
    });
  });

  describe('answering', () => {
    it.each([
      ['empty', ''],
      ['spaces and newlines', '   \n\t  '],
      ['control characters only', '\u0000\u0007\u001b'],
      ['zero-width characters only', '\u200b\u200c\u2060'],
    ])('refuses a blank answer (%s) with 422 and the form again; the question stays open', async (_name, text) => {
      const c = await couple();
      const id = await ask(c);
      const res = await answer(c.a, id, text);
      expect(res.status).toBe(422);
      expect(res.text).toContain(BLANK);
      expect(res.text).toContain('aria-invalid="true"');
      expect(res.text).toContain(`action="/questions/${id}/answer"`);
      const hx = await answer(c.a, id, text, {}, HX);
      expect(hx.status).toBe(422);
      expect(hx.text).toContain(BLANK);
      expect(hx.text).not.toContain('<html');
      expect((await sendHx(c.a, '아직 못 보내')).status).toBe(409);
    });

    it('refuses 501 characters with 422 keeping the text, and takes 500', async () => {
      const c = await couple();
      const id = await ask(c);
      const long = '가'.repeat(500) + '나';
      const res = await answer(c.a, id, long);
      expect(res.status).toBe(422);
      expect(res.text).toContain(TOO_LONG);
      expect(res.text).toContain(`>${long}</textarea>`);
      expect((await answer(c.a, id, '😀'.repeat(501))).status).toBe(422);
      expect((await sendHx(c.a, '아직')).status).toBe(409);

      expect((await answer(c.a, id, ` \n${'가'.repeat(500)}\n `)).status).toBe(303); // counted after trimming
      await answerOk(c.b, id, '응');
      expect((await history(c.a))[0].mine).toBe('가'.repeat(500));
    });

    it('takes 500 emoji as 500 characters', async () => {
      const c = await couple();
      const id = await ask(c);
      const fiveHundred = '😀'.repeat(500);
      const ok = await answer(c.a, id, fiveHundred);
      expect(ok.status).toBe(303);
      expect((await history(c.a))[0].mine).toBe(fiveHundred);
      await answerOk(c.b, id, '한'.repeat(500));
      expect((await history(c.a))[0].theirs).toBe('한'.repeat(500));
    });

    it('keeps what was typed around the answer but stores it trimmed, as text and never as markup', async () => {
      const c = await couple();
      const id = await ask(c);
      await answerOk(c.a, id, '  <b>좋아</b> & "헬스"\n매일!  ');
      await answerOk(c.b, id, '별로…');
      const page = (await c.b.get('/answers')).text;
      expect(page).toContain('&lt;b&gt;좋아&lt;/b&gt; &amp; &quot;헬스&quot;\n매일!');
      expect(page).not.toContain('<b>좋아');
      expect((await history(c.b))[0].theirs).toBe('<b>좋아</b> & "헬스"\n매일!');
    });

    it('answers 404 for another couple’s question, storing nothing', async () => {
      const c = await couple();
      const other = await couple('other');
      const id = await ask(c);
      for (const client of [other.a, other.b]) {
        expect((await answer(client, id, '남의 질문')).status).toBe(404);
        expect((await answer(client, id, '남의 질문', {}, HX)).status).toBe(404);
      }
      expect(await history(other.a)).toEqual([]);
      const mine = await history(c.a);
      expect(mine[0].waitingForMe).toBe(true);
      expect(mine[0].text).not.toContain('남의 질문');
      expect((await sendHx(c.a, '아직')).status).toBe(409);
    });

    it.each(['abc', '0', '-1', '1e3', '1.5', '99999999999999999999', '9007199254740993', '%20', '１'])('answers 404 for the question id %j', async (raw) => {
      const c = await couple();
      await ask(c);
      const res = await c.a.post(`/questions/${encodeURIComponent(raw)}/answer`, { answer: '답' });
      expect(res.status).toBe(404);
    });

    it('answers 404 for a question id that was never asked', async () => {
      const c = await couple();
      const id = await ask(c);
      expect((await answer(c.a, id + 100_000, '답')).status).toBe(404);
      expect((await answer(c.a, 2_147_483_648, '답')).status).toBe(404);
    });

    it('refuses answering twice with 409, keeping the first answer', async () => {
      const c = await couple();
      const id = await ask(c);
      await answerOk(c.a, id, '첫 번째 답');
      const again = await answer(c.a, id, '두 번째 답');
      expect(again.status).toBe(409);
      expect(Client.visible(again.text)).toContain(ALREADY);
      expect((await answer(c.a, id, '세 번째 답', {}, HX)).status).toBe(409);
      await answerOk(c.b, id, 'b의 답');
      expect((await answer(c.b, id, 'b의 두 번째 답')).status).toBe(409);
      const [item] = await history(c.b);
      expect([item.mine, item.theirs]).toEqual(['b의 답', '첫 번째 답']);
      expect(item.text).not.toContain('두 번째 답');
    });

    it('answers with htmx by returning the card for the question slot', async () => {
      const c = await couple();
      const id = await ask(c);
      const res = await answer(c.a, id, '좋아해!', {}, HX);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<html');
      expect(questionIdIn(res.text)).toBe(id);
      expect(answeredSidesIn(res.text)).toEqual([pageSide((await c.a.get('/chat')).text)]);
      const both = await answer(c.b, id, '나도!', {}, HX);
      expect(both.status).toBe(200);
      expect(both.text).toContain('data-revealed="true"');
      expect(revealedIdIn(both.text)).toBe(id);
      expect(both.text).toContain('좋아해!');
      expect(both.text).toContain('나도!');
    });
  });

  describe('when one of us has answered', () => {
    it('lets the one who answered chat on while the other still gets 409', async () => {
      const c = await couple();
      const id = await ask(c);
      const res = await answer(c.a, id, '응 좋아해');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/chat#latest');
      expect((await sendHx(c.a, '답했어!')).status).toBe(200);
      expect((await sendForm(c.a, '폼으로도')).status).toBe(303);
      const b = await sendHx(c.b, '나도 보낼래');
      expect(b.status).toBe(409);
      expect(questionIdIn(b.text)).toBe(id);
    });

    it('shows the one who answered a waiting note and the other the form, on the chat page', async () => {
      const c = await couple();
      const id = await ask(c);
      await answerOk(c.a, id, '응 좋아해');
      const pageA = (await c.a.get('/chat')).text;
      const pageB = (await c.b.get('/chat')).text;
      expect(cardShows(pageA)).toBe('waiting');
      expect(Client.visible(pageA)).toContain('상대가 답하면 둘의 답이 함께 공개돼요');
      expect(cardShows(pageB)).toBe('form');
      expect(answeredSidesIn(pageB)).toEqual([pageSide(pageA)]);
      const gated = await sendForm(c.b, '보낼래');
      expect(cardShows(gated.text)).toBe('form');
      expect(answeredSidesIn(gated.text)).toEqual([pageSide(pageA)]);
    });

    it('never shows my answer to my partner before they have answered: not on /answers, their page, their 409 or their stream', async () => {
      const c = await couple();
      const id = await ask(c);
      const [sa, sb] = [await stream(c.a), await stream(c.b)];
      const secret = '비밀스러운 나의 대답 42';
      await answerOk(c.a, id, secret);
      for (const s of [sa, sb]) {
        const e = await s.waitFor(isAnswered(id), undefined, 'an answered event');
        expect(e.data).not.toContain(secret);
        expect(e.data).not.toContain('answer-pair');
      }

      const [forA] = await history(c.a);
      expect(forA.mine).toBe(secret);
      expect(forA.waitingForPartner).toBe(true);
      expect(forA.text).toContain(WAITING_FOR_PARTNER);
      expect(forA.hasForm).toBe(false);

      const [forB] = await history(c.b);
      expect(forB.waitingForMe).toBe(true);
      expect(forB.text).toContain(WAITING_FOR_ME);
      expect(forB.hasForm).toBe(true);
      expect(forB.mine).toBe('');
      expect(forB.theirs).toBe('');

      const pages = [(await c.b.get('/answers')).text, (await c.b.get('/chat')).text, (await sendHx(c.b, 'x')).text, (await sendForm(c.b, 'x')).text];
      for (const html of pages) expect(html).not.toContain(secret);
      await streamCaughtUp(c.a, sb);
      expect(sb.raw).not.toContain(secret);
      expect(sa.raw).not.toContain(secret);
    });

    it('lets the one still owing answer from the /answers page, back to /answers', async () => {
      const c = await couple();
      const id = await ask(c);
      await answerOk(c.a, id, 'a의 답');
      await c.b.get('/answers');
      const res = await answer(c.b, id, '여기서 답할게', { back: '/answers' });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/answers');
      const [item] = await history(c.b);
      expect([item.mine, item.theirs]).toEqual(['여기서 답할게', 'a의 답']);
    });
  });

  describe('when both have answered', () => {
    it('keeps the pair of answers in the history where it came, once, when newer messages push it off the newest page', async () => {
      const c = await couple();
      const id = await ask(c);
      await answerBoth(c, id);
      const ids: number[] = [];
      for (let i = 0; i < 50; i++) ids.push(await send(c.a, `메시지 ${i}`));
      const newest = (await c.a.get('/chat')).text;
      expect(revealedIdIn(newest)).toBeNull(); // the newest page starts after it
      const order = (html: string) => [...html.matchAll(/<li class="(?:msg|qa-card)[^"]*" id="((?:m|qa)-\d+)"/g)].map((m) => m[1]);
      const older = (await c.a.get(`/chat/messages?before=${ids[0]}`, HX)).text;
      expect(order(older)).toEqual([expect.stringMatching(/^m-\d+$/), `qa-${id}`]);
      const around = (await c.a.get(`/chat?around=${ids[0]}`)).text;
      expect(order(around).filter((x) => x === `qa-${id}`)).toHaveLength(1);
      expect(order(around).indexOf(`qa-${id}`)).toBe(order(around).indexOf(`m-${ids[0]}`) - 1);
    });

    it('pushes the reveal to both streams once, with both answers', async () => {
      const c = await couple();
      const id = await ask(c);
      const [sa, sb] = [await stream(c.a), await stream(c.b)];
      await answerOk(c.b, id, '헬스 좋아해');
      await answerOk(c.a, id, '산책 정도?');
      for (const s of [sa, sb]) {
        const e = await s.waitFor(isRevealed(id), undefined, 'a revealed event');
        expect(e.data).toContain('data-revealed="true"');
        expect(e.data).toContain('<dd>헬스 좋아해</dd>');
        expect(e.data).toContain('<dd>산책 정도?</dd>');
      }
      await streamCaughtUp(c.a, sb);
      expect(sb.events.filter(isRevealed())).toHaveLength(1);
      const reloaded = (await c.a.get('/chat')).text;
      expect(cardShows(reloaded)).toBe('none'); // a reloaded page has no open question
      // and the pair of answers is in the conversation, once, where it came: after the message
      // that asked the question, before the one the stream check sent afterwards
      const order = [...reloaded.matchAll(/<li class="(?:msg|qa-card)[^"]*" id="((?:m|qa)-\d+)"/g)].map((m) => m[1]);
      expect(order.filter((x) => x.startsWith('qa-'))).toEqual([`qa-${id}`]);
      expect(order.indexOf(`qa-${id}`)).toBe(1);
      expect(order.length).toBeGreaterThan(2);
    });

    it('shows both answers side by side on /answers, mine and my partner’s', async () => {
      const c = await couple();
      const id = await ask(c);
      await answerBoth(c, id, 'a: 좋아해', 'b: 귀찮아');
      const [forA] = await history(c.a);
      const [forB] = await history(c.b);
      expect([forA.question, forA.mine, forA.theirs, forA.waitingForMe, forA.waitingForPartner]).toEqual([Q.exercise, 'a: 좋아해', 'b: 귀찮아', false, false]);
      expect([forB.question, forB.mine, forB.theirs, forB.waitingForMe, forB.waitingForPartner]).toEqual([Q.exercise, 'b: 귀찮아', 'a: 좋아해', false, false]);
      expect(forA.text).toContain(c.bLogin);
      expect(forB.text).toContain(c.aLogin);
      expect((await sendHx(c.b, '이제 대화')).status).toBe(200);
    });

    it('lists every question on /answers, newest first, each in its state', async () => {
      const c = await couple();
      const first = await ask(c, '나는 운동갔다가 저녁 먹고 쉬려고!');
      await answerBoth(c, first, '운동 a', '운동 b');
      const second = await ask(c, '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라', c.b);
      await answerBoth(c, second, '고양이 a', '강아지 b');
      const third = await ask(c, '아 나는 밥 먹으러 갔다 와야겠다!');
      await answerOk(c.b, third, '한식 b');
      const items = await history(c.a);
      expect(items.map((i) => [i.id, i.question])).toEqual([
        [third, Q.cuisine],
        [second, Q.cats],
        [first, Q.exercise],
      ]);
      expect(items.map((i) => [i.mine, i.theirs])).toEqual([
        ['', ''],
        ['고양이 a', '강아지 b'],
        ['운동 a', '운동 b'],
      ]);
      expect(items[0].waitingForMe).toBe(true);
      expect(items[0].text).not.toContain('한식 b');
      const forB = await history(c.b);
      expect(forB[0].waitingForPartner).toBe(true);
      expect(forB[0].mine).toBe('한식 b');
    });
  });

  describe('a question never comes twice', () => {
    it('never asks a question again for its word, or another of its words; another word asks its own', async () => {
      const c = await couple();
      const s = await stream(c.b);
      const id = await ask(c, '운동하는 거 좋아?');
      await answerBoth(c, id);
      for (const text of ['운동', '운동을 했어', '운동했어', '헬스하는데', 'I went to the gym']) {
        expect((await sendHx(c.a, text)).status).toBe(200);
        expect((await sendHx(c.b, text)).status).toBe(200);
      }
      await streamCaughtUp(c.a, s);
      expect(s.events.filter(isQuestion())).toHaveLength(1);
      expect((await history(c.a)).map((i) => i.question)).toEqual([Q.exercise]);

      await send(c.b, '길고양이 봤어');
      const [first, second] = await s.waitForCount(isQuestion(), 2);
      expect(questionIdIn(first.data)).toBe(id);
      expect(second.data).toContain(Q.cats);
      expect((await history(c.a)).map((i) => i.question)).toEqual([Q.cats, Q.exercise]);
    });

    it('asks nothing while a question is open; after the reveal the other word asks', async () => {
      const c = await couple();
      const s = await stream(c.a);
      const id = await ask(c);
      await answerOk(c.a, id, '좋아');
      expect((await sendHx(c.a, '고양이 좋아해?')).status).toBe(200); // a trigger word, but a question is open
      await streamCaughtUp(c.a, s);
      expect(s.events.filter(isQuestion())).toHaveLength(1);
      const gated = await sendHx(c.b, '음');
      expect(questionIdIn(gated.text)).toBe(id);
      expect((await history(c.a)).map((i) => i.question)).toEqual([Q.exercise]);

      await answerOk(c.b, id, '나도');
      await send(c.a, '고양이 좋아해?');
      const asked = await s.waitForCount(isQuestion(), 2);
      expect(asked[1].data).toContain(Q.cats);
      expect((await sendHx(c.b, '음')).status).toBe(409);
      expect((await history(c.b)).map((i) => i.question)).toEqual([Q.cats, Q.exercise]);
    });
  });

  describe('at the same instant', () => {
    it('stores both answers given at the same instant and reveals them exactly once, again and again', async () => {
      const many = await couples(4, 'race');
      const streams = await Promise.all(many.map((c) => stream(c.a)));
      for (const [round, trigger, question] of [
        [0, '운동 가자', Q.exercise],
        [1, '고양이 보러 가자', Q.cats],
        [2, '밥 먹자', Q.cuisine],
      ] as const) {
        const ids = await Promise.all(many.map((c) => ask(c, trigger)));
        const replies = await Promise.all(many.flatMap((c, i) => [answer(c.a, ids[i], `a${round}`), answer(c.b, ids[i], `b${round}`)]));
        expect(replies.map((r) => r.status)).toEqual(replies.map(() => 303));
        await Promise.all(streams.map((s, i) => s.waitFor(isRevealed(ids[i]), undefined, `reveal of round ${round}`)));
        for (const [i, c] of many.entries()) {
          const [item] = await history(c.a);
          expect([item.question, item.mine, item.theirs]).toEqual([question, `a${round}`, `b${round}`]);
          expect((await sendHx(c.b, '다음')).status).toBe(200);
          await streamCaughtUp(c.b, streams[i]);
          expect(streams[i].events.filter(isRevealed(ids[i]))).toHaveLength(1);
        }
      }
    });

    it('opens exactly one question when both partners send trigger words at the same instant', async () => {
      const many = await couples(4, 'both');
      for (let round = 0; round < 3; round++) {
        const replies = await Promise.all(many.flatMap((c) => [sendHx(c.a, '운동 가자!'), sendHx(c.b, '고양이 보러 가자!'), sendHx(c.a, '밥 먹자!')]));
        for (const r of replies) expect([200, 409]).toContain(r.status);
        for (const c of many) {
          const items = await history(c.a);
          expect(items.filter((i) => i.waitingForMe)).toHaveLength(1);
          expect(items).toHaveLength(round + 1);
          expect(new Set(items.map((i) => i.question)).size).toBe(items.length);
          const open = items[0];
          await answerBoth(c, open.id);
        }
      }
    });
  });

  describe('an open question stays open', () => {
    it('across log-out and log-in: the partner still must answer, the one who answered chats on', async () => {
      const c = await couple();
      const id = await ask(c);
      await c.b.post('/logout');
      expect((await c.b.get('/chat')).status).toBe(303);
      await answerOk(c.a, id, '로그아웃 전 답');
      expect((await sendHx(c.a, '난 계속 대화할게')).status).toBe(200);

      const b = await logIn(app.url, c.bLogin);
      const page = (await b.get('/chat')).text;
      expect(questionIdIn(page)).toBe(id);
      expect(cardShows(page)).toBe('form');
      expect((await sendHx(b, '다시 왔어')).status).toBe(409);

      await c.a.post('/logout');
      const a = await logIn(app.url, c.aLogin);
      expect(cardShows((await a.get('/chat')).text)).toBe('waiting');
      expect((await sendHx(a, '나는 보낼 수 있어')).status).toBe(200);
      await answerOk(b, id, '다시 로그인해서 답');
      expect((await history(a))[0].theirs).toBe('다시 로그인해서 답');
    });
  });

  describe('isolation between couples', () => {
    it('never shows this couple’s question to another couple: not on /answers, not in its stream, not answerable', async () => {
      const c = await couple('mine');
      const other = await couple('theirs');
      const [oa, ob] = [await stream(other.a), await stream(other.b)];
      const id = await ask(c, '어제 길고양이 봤어');
      await answerOk(c.a, id, '이건 우리만 아는 답');

      expect((await sendHx(other.a, '우리는 상관없지')).status).toBe(200);
      expect((await sendHx(other.b, '그치')).status).toBe(200);
      expect(await history(other.a)).toEqual([]);
      expect((await other.b.get('/answers')).text).not.toContain(Q.cats);
      expect(cardShows((await other.a.get('/chat')).text)).toBe('none');
      expect((await answer(other.b, id, '끼어들기')).status).toBe(404);
      await streamCaughtUp(other.a, oa);
      await streamCaughtUp(other.b, ob);
      for (const s of [oa, ob]) {
        expect(s.events.filter((e) => ['question', 'answered', 'revealed'].includes(e.event))).toEqual([]);
        expect(s.raw).not.toContain(Q.cats);
        expect(s.raw).not.toContain('이건 우리만 아는 답');
      }

      // the other couple has never had it: the same word asks them their own
      await send(other.a, '우리도 고양이 키울까?');
      const theirs = await oa.waitFor(isQuestion());
      expect(questionIdIn(theirs.data)).not.toBe(id);
      expect(theirs.data).toContain(Q.cats);
      expect((await sendHx(c.b, '아직 답 안 했어')).status).toBe(409);
      expect((await history(c.b))[0].waitingForMe).toBe(true);
    });
  });

  describe('no JavaScript: the message held back for the question', () => {
    it('sends the kept message once after answering from the 409 page, and not again for the same client_id', async () => {
      const c = await couple();
      const id = await ask(c);
      const clientId = newClientId();
      const refused = await sendForm(c.b, '답하고 나서 보낼 말', clientId);
      expect(refused.status).toBe(409);
      const kept = /<textarea id="kept-body" name="body"[^>]*>([^<]*)<\/textarea>/.exec(refused.text)?.[1];
      const keptId = /<input type="hidden" name="client_id" value="([^"]*)">/.exec(refused.text)?.[1];
      expect([kept, keptId]).toEqual(['답하고 나서 보낼 말', clientId]);
      const before = await messageCount(app.db, c.coupleId);

      const res = await answer(c.b, id, '응 좋아해', { body: kept!, client_id: keptId! });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/chat#latest');
      expect(await messageCount(app.db, c.coupleId)).toBe(before + 1);
      const page = await c.a.get('/chat');
      expect(Client.visible(page.text).split('답하고 나서 보낼 말')).toHaveLength(2);

      // a second tap of the answer form, then the same client_id from the composer
      expect((await answer(c.b, id, '응 좋아해', { body: kept!, client_id: keptId! })).status).toBe(409);
      expect((await sendForm(c.b, '답하고 나서 보낼 말', clientId)).status).toBe(303);
      expect(await messageCount(app.db, c.coupleId)).toBe(before + 1);
      const ids = shownMessageIds((await c.a.get('/chat')).text);
      expect(new Set(ids).size).toBe(ids.length);
      expect(Client.visible((await c.b.get('/chat')).text).split('답하고 나서 보낼 말')).toHaveLength(2);
    });

    it('keeps the held-back message on the page when the answer is refused (422)', async () => {
      const c = await couple();
      const id = await ask(c);
      const clientId = newClientId();
      const res = await answer(c.b, id, '  ', { body: '보류된 메시지', client_id: clientId });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/<textarea id="kept-body" name="body"[^>]*>보류된 메시지<\/textarea>/);
      expect(res.text).toContain(`value="${clientId}"`);
      expect(Client.visible((await c.a.get('/chat')).text)).not.toContain('보류된 메시지');
    });
  });

  describe('who may', () => {
    it('sends a visitor to log in (303 /login; 401 with HX-Redirect for htmx)', async () => {
      const c = await couple();
      const id = await ask(c);
      const visitor = new Client(app.url);
      const page = await visitor.get('/answers');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/login');
      await visitor.get('/login'); // a CSRF token, as a visitor's browser would have
      const post = await answer(visitor, id, '몰래 답하기');
      expect(post.status).toBe(303);
      expect(post.location).toBe('/login');
      const hx = await answer(visitor, id, '몰래 답하기', {}, HX);
      expect(hx.status).toBe(401);
      expect(hx.headers.get('hx-redirect')).toBe('/login');
      expect((await history(c.a))[0].theirs).toBe('');
      expect((await history(c.b))[0].waitingForMe).toBe(true);
    });

    it('sends someone without a partner to /pair', async () => {
      const single = await signUp(app.url, `solo_${Date.now() % 1_000_000}`);
      const res = await single.get('/answers');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/pair');
    });
  });
});

describe.each(backends())('an open question across processes on $name', (backend) => {
  const { suite, start } = suiteInstances(backend);

  it('holds on two instances side by side: asked through one, it holds sends through the other; answered through both, both let them through', async () => {
    // each process remembers a couple's questions between sends; this shows it never trusts a memory the other made stale
    const two = await start({ ownPool: true });
    const one = await start();
    const c = await newCouple(one.url, suite.db, 'twoinst');
    const a2 = await logIn(two.url, c.aLogin);
    const b2 = await logIn(two.url, c.bLogin);
    for (const client of [a2, b2]) await client.get('/chat'); // the page's form token
    expect((await sendHx(a2, '둘째 서버에서 안녕')).status).toBe(200);
    expect((await sendHx(c.b, '첫째 서버에서 안녕')).status).toBe(200);

    await send(c.a, '운동 끝나고 연락할게'); // through one
    const id = questionIdIn((await c.a.get('/chat')).text);
    expect(id).not.toBeNull();
    expect((await sendHx(b2, '둘째 서버로 보내 봄')).status).toBe(409);
    expect((await sendHx(a2, '나도 둘째 서버로')).status).toBe(409);

    await answerOk(c.a, id!, '첫째 서버에서 답함');
    expect((await sendHx(a2, '답했으니 보낼 수 있어')).status).toBe(200);
    await answerOk(b2, id!, '둘째 서버에서 답함');
    expect((await sendHx(c.b, '첫째 서버로 이제 보냄')).status).toBe(200);
    expect((await sendHx(a2, '운동 또 가야지')).status).toBe(200); // had already, on either instance
    expect((await sendHx(c.a, '운동화 샀어')).status).toBe(200);
    expect(historyItems((await b2.get('/answers')).text)).toHaveLength(1);
  });

  it('read marks, plans, uploads and deletions in between never carry a memory past a question asked on the other instance', async () => {
    // a process moves its memory of a couple's questions on over events that don't touch
    // them; this shows it does so only from the event just before, never over a gap
    const two = await start({ ownPool: true });
    const one = await start();
    const c = await newCouple(one.url, suite.db, 'inbetween');
    const b2 = await logIn(two.url, c.bLogin);
    await b2.get('/chat');
    const mine = await send(c.a, '첫째 서버에서 그냥 인사'); // one remembers the couple's questions
    const theirs = await send(b2, '주말에 운동 같이 갈래?'); // asked through two
    const id = questionIdIn((await b2.get('/chat')).text);
    expect(id).not.toBeNull();
    const ok = (status: number) => expect([200, 204, 303]).toContain(status);
    ok((await c.a.post('/chat/read', { up_to: String(theirs) })).status);
    ok((await c.a.post('/calendar/events', { date: '2026-12-24', title: '크리스마스 이브' })).status);
    ok((await c.a.post(`/chat/messages/${mine}/delete`, {})).status);
    const sent = await sendHx(c.a, '첫째 서버로 다시');
    expect(sent.status).toBe(409);
    expect(questionIdIn(sent.text)).toBe(id);
    expect((await upload(c.a, [{ name: 'client_id', value: newClientId() }, filePart('memo.txt', Buffer.from('메모'))])).status).toBe(409);

    // on one instance too: the one who answered chats on through read marks and plans, the other still waits
    await answerOk(c.a, id!, '좋아, 가자');
    ok((await c.b.post('/chat/read', { up_to: String(await send(c.a, '답했어')) })).status);
    ok((await c.b.post('/calendar/events', { date: '2026-12-26', title: '운동 가는 날' })).status);
    expect((await sendHx(c.b, '나도 보낼래')).status).toBe(409);
    expect((await sendHx(c.a, '나는 보낼 수 있지')).status).toBe(200);
    await answerOk(b2, id!, '나도 좋아');
    expect((await sendHx(c.b, '이제 보낼 수 있어')).status).toBe(200);
    expect(await messageCount(suite.db, c.coupleId)).toBe(5);
  });

  it('is still open on the new process: asked once, both still owe their answers, then revealed', async () => {
    const first = await start();
    const c = await newCouple(first.url, suite.db, 'restart');
    await send(c.a, '운동 끝나고 연락할게');
    const id = questionIdIn((await c.a.get('/chat')).text);
    expect(id).not.toBeNull();
    await answerOk(c.a, id!, '재시작 전에 답함');
    await first.close();

    const second = await start();
    const a = await logIn(second.url, c.aLogin);
    const b = await logIn(second.url, c.bLogin);
    const pageB = (await b.get('/chat')).text;
    expect(questionIdIn(pageB)).toBe(id);
    expect(cardShows(pageB)).toBe('form');
    expect(cardShows((await a.get('/chat')).text)).toBe('waiting');
    expect((await sendHx(b, '재시작 뒤')).status).toBe(409);
    expect((await sendHx(a, '나는 보낼 수 있어')).status).toBe(200);
    expect((await sendHx(a, '운동 또 가야지')).status).toBe(200); // not asked again, nor a second one
    expect(historyItems((await a.get('/answers')).text)).toHaveLength(1);

    await answerOk(b, id!, '재시작 뒤에 답함');
    const [item] = historyItems((await b.get('/answers')).text);
    expect([item.mine, item.theirs]).toEqual(['재시작 뒤에 답함', '재시작 전에 답함']);
    expect((await sendHx(b, '이제 보낼 수 있다')).status).toBe(200);
  });
});
