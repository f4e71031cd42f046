// Limits on chatting that a couple never meets and a script does: a burst of messages
// then a steady rate per user (429 with Retry-After, the typed text kept, nothing stored),
// and at most so many open streams per user, the oldest closed to make room.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../src/limits/rules';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client } from '../support/client';
import { messageCount, newClientId, newCouple, send, sendForm, sendHx } from '../support/chatHttp';
import { answer, questionIdIn } from '../support/questions';
import { isMessage, SseStream } from '../support/sse';
import { unlimited } from '../support/limits';

const DAY_MS = 24 * 60 * 60_000;
const TOO_FAST = '메시지를 너무 빨리 보내고 있어요.';

describe('the send limit', () => {
  // the default's shape (a burst of 20 beyond a rate of 5) in windows of a day, so that
  // however slowly this machine sends, no window ends within the test
  const sendRule = { ...DEFAULT_RATE_LIMITS.send, windowMs: DAY_MS, burst: { extra: 15, windowMs: DAY_MS } };
  const { app } = httpSuite(backends()[0], { config: { rateLimits: { ...unlimited, send: sendRule } } });

  it('lets a burst of 20 through, then refuses the 21st with 429 and Retry-After, storing nothing and keeping the text', async () => {
    const { a, b, coupleId } = await newCouple(app.url, app.db, 'burst');
    for (let i = 0; i < 20; i++) await send(a, `빠른 메시지 ${i}`);

    const refused = await sendHx(a, '스물한 번째');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // the composer shows a short answer as the reason and puts the text back (static/chat/composer.js)
    expect(Client.visible(refused.text).trim()).toMatch(new RegExp(`^${TOO_FAST} \\d+초 후에 다시 보내 주세요\\.$`));

    const page = await sendForm(a, '자바스크립트 없이 <보낸> 말');
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(page.text).toMatch(/<p class="field-error" id="body-error" role="alert">메시지를 너무 빨리 보내고 있어요\./);
    expect(page.text).toContain('>자바스크립트 없이 &lt;보낸&gt; 말</textarea>');
    expect(await messageCount(app.db, coupleId)).toBe(20);

    // the partner has a limit of their own
    expect((await sendHx(b, '나는 보낼 수 있어')).status).toBe(200);
  });

  it('counts a message a question held back: over the limit the answer waits too, and all is kept', async () => {
    const c = await newCouple(app.url, app.db, 'held');
    await send(c.a, '나는 운동갔다가 저녁 먹고 쉬려고!'); // asks a question
    const id = questionIdIn((await c.b.get('/chat')).text)!;
    const clientId = newClientId();
    const before = await messageCount(app.db, c.coupleId);
    // b's sends while the question waits are refused by it (409), and count: the held one and 19 more
    expect((await sendForm(c.b, '답하고 보낼 말', clientId)).status).toBe(409);
    for (let i = 0; i < 19; i++) expect((await sendHx(c.b, `막힌 메시지 ${i}`)).status).toBe(409);

    const res = await answer(c.b, id, '응 좋아해', { body: '답하고 보낼 말', client_id: clientId });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Client.visible(res.text)).toContain(TOO_FAST);
    expect(res.text).toMatch(/<textarea id="answer-\d+" name="answer"[^>]*>응 좋아해<\/textarea>/);
    expect(res.text).toMatch(/<textarea id="kept-body" name="body"[^>]*>답하고 보낼 말<\/textarea>/);
    expect(await messageCount(app.db, c.coupleId)).toBe(before);
    expect(await app.db('answers').where({ couple_id: c.coupleId }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('the streams of one user', () => {
  const { app } = httpSuite(backends()[0], { config: { rateLimits: { ...unlimited, streamsPerUser: DEFAULT_RATE_LIMITS.streamsPerUser } } });

  it('are at most 10: the 11th ends the oldest, as the server ends a stream, and stays open itself', async () => {
    expect(DEFAULT_RATE_LIMITS.streamsPerUser).toBe(10);
    const { a, b } = await newCouple(app.url, app.db, 'streams');
    const partner = await SseStream.forClient(a);
    const streams: SseStream[] = [];
    try {
      for (let i = 0; i < 10; i++) streams.push(await SseStream.forClient(b));
      streams.push(await SseStream.forClient(b));
      await streams[0].waitForEnd();
      const id = await send(a, '모두에게');
      for (const open of [...streams.slice(1), partner]) await open.waitFor(isMessage(id));
      expect(streams.slice(1).map((s) => s.ended)).toEqual(Array(10).fill(false));
      expect(streams[0].events.filter(isMessage(id))).toEqual([]);
    } finally {
      for (const s of [...streams, partner]) s.close();
    }
  });
});
