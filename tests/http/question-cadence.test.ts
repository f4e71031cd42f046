// "A question time now and then": with the app's own defaults (QUESTION_GAP 3h,
// QUESTIONS_PER_DAY 3, QUESTION_QUIET_START 10m) a couple's conversation full of trigger
// words asks at most one question at a time, none in their first minutes together, none
// within 3 hours of the last, at most 3 a day; a message with several topics asks the most
// specific; words that name no topic (일, 비, 술, 연락, 엄마) never ask.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUESTION_CADENCE } from '../../src/config';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { sendHx, type Couple } from '../support/chatHttp';
import { testClock } from '../support/clock';
import { answerOk, questionIdIn } from '../support/questions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(backends())('how often questions come, on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'cad', config: { questionCadence: DEFAULT_QUESTION_CADENCE } });
  afterEach(() => testClock.reset());

  /** Sends as the page does; the question it asked (its id), or null when it asked none. */
  async function say(c: Couple, text: string): Promise<number | null> {
    const res = await sendHx(c.a, text);
    expect(res.status, text).toBe(200);
    return questionIdIn((await c.a.get('/chat')).text);
  }

  const bankKeyOf = async (questionId: number) =>
    (await app.db('couple_questions as cq').join('questions as q', 'q.id', 'cq.question_id').where('cq.id', questionId).first('q.key', 'cq.trigger_word'));

  it('asks nothing in a couple’s first 10 minutes together, then the first trigger word asks', async () => {
    const start = testClock.now();
    const c = await couple('first');
    expect(await say(c, '나는 운동갔다가 저녁 먹고 쉬려고!')).toBeNull();
    testClock.moveTo(start + 9 * MINUTE);
    expect(await say(c, '어제 길고양이 봤는데 너무 귀엽더라')).toBeNull();
    testClock.moveTo(start + 11 * MINUTE);
    const id = await say(c, '오늘 영화 볼래?');
    expect(id).not.toBeNull();
    expect((await bankKeyOf(id!)).key).toBe('movie_genre');
  });

  it('leaves 3 hours after a question before the next, and asks at most 3 in a day', async () => {
    const start = testClock.now();
    const c = await couple('gap');
    testClock.moveTo(start + 15 * MINUTE);
    const first = await say(c, '나는 운동갔다가 저녁 먹고 쉬려고!');
    expect(first).not.toBeNull();
    await answerOk(c.a, first!, '좋아해');
    await answerOk(c.b, first!, '나도');
    // a conversation full of topics, for the next three hours: no question
    for (const [minutes, text] of [[20, '어제 길고양이 봤어'], [60, '주말에 캠핑 갈래?'], [150, '치킨 먹고 싶다'], [179, '넷플릭스 볼까']] as const) {
      testClock.moveTo(start + 15 * MINUTE + minutes * MINUTE);
      expect(await say(c, text), `${minutes} min: ${text}`).toBeNull();
    }
    testClock.moveTo(start + 15 * MINUTE + 3 * HOUR + MINUTE);
    const second = await say(c, '어제 길고양이 봤어');
    expect(second).not.toBeNull();
    await answerOk(c.a, second!, '고양이');
    await answerOk(c.b, second!, '강아지');
    testClock.moveTo(start + 15 * MINUTE + 6 * HOUR + 2 * MINUTE);
    const third = await say(c, '주말에 캠핑 갈래?');
    expect(third).not.toBeNull();
    await answerOk(c.a, third!, '좋아');
    await answerOk(c.b, third!, '좋지');
    // three in this day: the fourth waits for the first to be a day old
    testClock.moveTo(start + 15 * MINUTE + 9 * HOUR + 3 * MINUTE);
    expect(await say(c, '치킨 먹고 싶다')).toBeNull();
    testClock.moveTo(start + 15 * MINUTE + 24 * HOUR + MINUTE);
    expect(await say(c, '치킨 먹고 싶다')).not.toBeNull();
    expect(Number((await app.db('couple_questions').where({ couple_id: c.coupleId }).count({ n: '*' }))[0].n)).toBe(4);
  });

  it('asks about the cat, not the weekend, at “우리 주말에 고양이 카페 갈래?”', async () => {
    const start = testClock.now();
    const c = await couple('topic');
    testClock.moveTo(start + 15 * MINUTE);
    const id = await say(c, '우리 주말에 고양이 카페 갈래?');
    expect(id).not.toBeNull();
    expect(await bankKeyOf(id!)).toMatchObject({ key: 'cats_or_dogs', trigger_word: '고양이' });
  });

  it.each(['오늘 일 너무 많았어', '비 온다 우산 챙겨', '술 한잔 할까', '이따 연락할게', '엄마랑 통화했어'])('never asks at “%s” (a word that names no topic)', async (text) => {
    const start = testClock.now();
    const c = await couple('plain');
    testClock.moveTo(start + 15 * MINUTE);
    const id = await say(c, text);
    if (id !== null) expect((await bankKeyOf(id)).trigger_word).not.toMatch(/^(일|비|술|연락|엄마)$/);
  });
});
