// A phone that comes back online catches up in batches of REPLAY_BATCH events. The catch-up
// reads the database a fixed number of times per batch, whatever the batch holds
// (messages, files, deletions, read marks, questions, plans, a break-up), instead of a
// query per message, per read mark and per question.
import { describe, expect, it } from 'vitest';
import { REPLAY_BATCH } from '../../src/realtime/hub';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { eventCount, newCouple, send, type Couple } from '../support/chatHttp';
import { PASSWORD } from '../support/client';
import { filePart, jpeg, upload } from '../support/uploads';
import { suiteStreams } from '../support/sse';

describe.each(backends())('a catch-up of a busy day on $name', (backend) => {
  const { app } = httpSuite(backend);
  const { stream, caughtUp } = suiteStreams();

  /** Every query the app runs while `step` does its work. */
  async function queriesDuring(step: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listen = (q: { sql: string }) => seen.push(q.sql);
    app.db.on('query', listen);
    try {
      await step();
    } finally {
      app.db.removeListener('query', listen);
    }
    return seen;
  }

  /** `count` events of everything a couple does, in a realistic mix. */
  async function busyDay(c: Couple, count: number): Promise<void> {
    const start = await eventCount(app.db, c.coupleId);
    for (let i = start; (await eventCount(app.db, c.coupleId)) - start < count; i++) {
      const step = i % 10;
      if (step < 5 && i % 50 === 3) {
        // a question comes up, and both answer it
        await send(c.a, `${['운동', '고양이', '영화', '여행', '커피', '음악', '바다', '요리'][Math.floor(i / 50) % 8]} 얘기`);
        const asked = await app.db('couple_questions').where({ couple_id: c.coupleId }).whereNull('revealed_at').first('id');
        for (const who of [c.a, c.b]) await who.post(`/questions/${asked.id}/answer`, { answer: `답 ${i}` });
      } else if (step < 5) {
        const id = await send(step % 2 ? c.b : c.a, `zq ${i} xv`);
        if (step === 4) await c.a.post(`/chat/messages/${id}/delete`);
      } else if (step === 5) await c.b.post('/chat/read', { up_to: String(1e9) });
      else if (step === 6) await c.a.post('/chat/read', { up_to: String(1e9) });
      else if (step === 7) await upload(c.a, [{ name: 'client_id', value: `f${i}` }, i % 20 === 7 ? filePart(`photo${i}.jpg`, await jpeg(), 'image/jpeg') : filePart(`note${i}.txt`, Buffer.from(`file ${i}`), 'text/plain')]);
      else if (step === 8) await c.b.post('/calendar/events', { date: '2027-05-05', title: `plan ${i}` });
      else if (step === 9 && i % 40 === 9) {
        await c.a.post('/couple/breakup', { password: PASSWORD });
        await c.a.post('/couple/breakup/cancel');
      }
    }
  }

  /** The queries of a phone catching up from the start of the couple's log. */
  async function catchUpQueries(c: Couple): Promise<number> {
    const last = await eventCount(app.db, c.coupleId);
    const queries = await queriesDuring(async () => {
      const s = await stream(c.b, { lastEventId: 0 });
      await caughtUp(s, last);
      s.close();
    });
    console.log(`catch-up of ${last} events on ${backend.name}: ${queries.length} queries`);
    return queries.length;
  }

  // a busy day is some 500 requests through the real app: on a loaded machine that takes a while
  it('reads the database a fixed number of times per batch, whatever the events are', { timeout: 180_000 }, async () => {
    const c = await newCouple(app.url, app.db, 'rq');
    await busyDay(c, 100);
    // at most 9 per batch: the events, the messages, their files, the read marks, the questions
    // and their answers, the days' plans and the D-day (and the couple once); 180 for 200 events
    // of such a day before the reads were batched, a query per message, per read mark and per question
    const one = await catchUpQueries(c);
    expect(one).toBeLessThanOrEqual(Math.ceil(100 / REPLAY_BATCH + 1) * 9);
    await busyDay(c, 100);
    expect(await catchUpQueries(c)).toBeLessThanOrEqual(2 * one); // twice the batches: twice the reads at most, not 100 more
  });
});
