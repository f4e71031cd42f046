// The app process is killed outright (SIGKILL: no shutdown code runs) in the middle of a
// burst of sends. Started again on the same database, every send it acknowledged is there
// exactly once, the event log has one event per message with no gap and no repeat, the
// phones' retries (same client_id) store each unacknowledged message once, and the app
// carries on as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db';
import { startAppChild, type AppChild } from '../support/appChild';
import { backends } from '../support/backends';
import { Client, type Reply } from '../support/client';
import { HX, newClientId, newCouple, send, type Couple } from '../support/chatHttp';
import { freePort } from '../support/mariadbServer';
import { isMessage, messageIdsIn, SseStream } from '../support/sse';

const TOTAL = 300;
const IN_FLIGHT = 8;
const KILL_AFTER = 100; // acknowledged sends
const REQUEST_MS = 20_000;

function within<T>(promise: Promise<T>, what: string, ms = REQUEST_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

interface Attempt {
  i: number;
  clientId: string;
  htmx: boolean;
  /** 200 (htmx) or 303 (plain form) received: the app said the message is stored */
  acknowledged: boolean;
  outcome: string;
}

/** One send as the composer makes it: with htmx every other time, as a plain form post otherwise. */
async function post(client: Client, i: number, clientId: string, htmx: boolean): Promise<Reply> {
  return client.post('/chat/messages', { body: `메시지 번호 ${i}`, client_id: clientId }, htmx ? HX : {});
}

const isAcknowledgement = (res: Reply, htmx: boolean) =>
  htmx ? res.status === 200 && /<li class="msg[^"]*" id="m-\d+"/.test(res.text) : res.status === 303 && res.location === '/chat#latest';

describe.each(backends())('SIGKILL of the app in the middle of a burst of sends on $name', (backend) => {
  let db: Db;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let port: number;
  let app: AppChild | undefined;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    ({ db, url: databaseUrl, drop } = await backend.create());
    port = await freePort();
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    try {
      await app?.stop();
    } finally {
      await drop();
    }
  });

  async function start(): Promise<AppChild> {
    // 300 sends from two phones in seconds: far beyond the send limit, on purpose
    app = await startAppChild(databaseUrl, port, {}, { unlimited: true });
    return app;
  }

  async function stored(coupleId: number) {
    const rows = await db('messages').where({ couple_id: coupleId }).select('id', 'sender_id', 'client_id');
    const byClientId = new Map<string, number>();
    for (const r of rows) byClientId.set(String(r.client_id), (byClientId.get(String(r.client_id)) ?? 0) + 1);
    return { ids: rows.map((r) => Number(r.id)).sort((x, y) => x - y), byClientId };
  }

  /** One 'message' event per stored message, none of a message that is not there, numbers 1..event_seq each once. */
  async function expectEventLogMatches(coupleId: number, messageIds: number[]) {
    const events = await db('events').where({ couple_id: coupleId }).orderBy('seq').select('seq', 'type', 'payload');
    const [{ event_seq }] = await db('couples').where({ id: coupleId }).select('event_seq');
    expect(events.map((e) => Number(e.seq))).toEqual(Array.from({ length: Number(event_seq) }, (_, i) => i + 1));
    const messageEvents = events.filter((e) => e.type === 'message').map((e) => Number(JSON.parse(e.payload).id));
    expect(messageEvents.length).toBe(new Set(messageEvents).size);
    expect([...messageEvents].sort((x, y) => x - y)).toEqual(messageIds);
  }

  it(
    'keeps every acknowledged message exactly once, a gapless event log, and idempotent retries',
    async () => {
      const first = await start();
      const c: Couple = await newCouple(first.base, db, 'kill');
      const before = await send(c.a, '메시지 번호 0');
      const senderOf = (i: number) => (i % 3 === 0 ? c.b : c.a);

      // The phones keep sending through the kill (those sends fail at once): 300 in all, 8 at a time.
      const attempts: Attempt[] = [];
      let next = 1;
      let acked = 0;
      let killAt = 0;
      const worker = async () => {
        while (next <= TOTAL) {
          const i = next++;
          const attempt: Attempt = { i, clientId: `burst-${i}-${newClientId()}`, htmx: i % 2 === 0, acknowledged: false, outcome: 'not answered' };
          attempts.push(attempt);
          try {
            const res = await within(post(senderOf(i), i, attempt.clientId, attempt.htmx), `send ${i}`);
            attempt.acknowledged = isAcknowledgement(res, attempt.htmx);
            attempt.outcome = `${res.status} ${attempt.acknowledged ? '' : Client.visible(res.text).slice(0, 120)}`;
            if (attempt.acknowledged && ++acked === KILL_AFTER) {
              // a moment later, so that the kill falls anywhere in the handling of the sends in flight
              killAt = i;
              setTimeout(() => first.kill(), Math.floor(Math.random() * 20));
            }
          } catch (err) {
            attempt.outcome = (err as Error).message;
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const exit = await first.exited;
      expect(exit.signal).toBe('SIGKILL');
      expect(killAt).toBeGreaterThan(0);
      expect(attempts).toHaveLength(TOTAL);

      const acknowledged = attempts.filter((a) => a.acknowledged);
      const unacknowledged = attempts.filter((a) => !a.acknowledged);
      // whatever was answered before the kill was a success: a failure would be a bug of its own
      const answeredBadly = unacknowledged.filter((a) => /^\d{3} /.test(a.outcome));
      expect(answeredBadly.map((a) => `${a.i}: ${a.outcome}`)).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(unacknowledged.length).toBeGreaterThan(0); // the kill did cut the burst short

      // started again on the same database (and port: the phones keep their cookies)
      const second = await start();

      let { ids, byClientId } = await stored(c.coupleId);
      for (const a of acknowledged) expect(byClientId.get(a.clientId), `acknowledged send ${a.i}`).toBe(1);
      for (const a of unacknowledged) expect(byClientId.get(a.clientId) ?? 0, `cut-short send ${a.i}`).toBeLessThanOrEqual(1);
      expect([...byClientId.values()].every((n) => n === 1)).toBe(true);
      const committedAnyway = unacknowledged.filter((a) => byClientId.has(a.clientId)).length;
      const cutShort = unacknowledged.filter((a) => a.i <= killAt + IN_FLIGHT).length;
      console.log(`[${backend.name}] SIGKILL after ${acknowledged.length} of ${TOTAL} sends were acknowledged; ${unacknowledged.length} were not (${cutShort} around the kill), ${committedAnyway} of those had been stored`);
      expect(ids.length).toBe(1 + acknowledged.length + committedAnyway);
      await expectEventLogMatches(c.coupleId, ids);

      // the phones retry what was not acknowledged, with the same client_id
      for (const a of unacknowledged) {
        const res = await within(post(senderOf(a.i), a.i, a.clientId, a.htmx), `retry ${a.i}`);
        expect(isAcknowledgement(res, a.htmx), `retry ${a.i}: ${res.status}`).toBe(true);
      }
      // retried once more (a double tap on retry), nothing changes
      for (const a of unacknowledged.slice(0, 20)) {
        const res = await within(post(senderOf(a.i), a.i, a.clientId, a.htmx), `retry ${a.i} again`);
        expect(isAcknowledgement(res, a.htmx)).toBe(true);
      }

      ({ ids, byClientId } = await stored(c.coupleId));
      expect(attempts).toHaveLength(TOTAL);
      for (const a of attempts) expect(byClientId.get(a.clientId), `send ${a.i}`).toBe(1);
      expect(ids.length).toBe(TOTAL + 1);
      await expectEventLogMatches(c.coupleId, ids);
      expect(Number((await db('couple_questions').where({ couple_id: c.coupleId }).count({ n: '*' }))[0].n), 'a message text asked a question').toBe(0);

      // a phone catching up from the start gets every message once, in order
      const replay = await within(SseStream.forClient(c.b, { query: '?lastEventId=0' }), 'GET /chat/stream');
      streams.push(replay);
      expect(replay.status).toBe(200);
      const replayed = await replay.waitForCount(isMessage(), TOTAL + 1, 20_000);
      await replay.collectFor(300);
      expect(replay.events.map((e) => Number(e.id))).toEqual(Array.from({ length: replay.events.length }, (_, i) => i + 1));
      expect(replayed.flatMap((e) => messageIdsIn(e.data))).toEqual(ids);
      expect(replayed[0].data).toContain(`id="m-${before}"`);

      // and the app works as before: a new message is shown and delivered live, once
      const live = await within(SseStream.forClient(c.b), 'GET /chat/stream');
      streams.push(live);
      const after = await within(send(c.a, '재시작 뒤 메시지'), 'send');
      await live.waitFor(isMessage(after));
      await replay.waitFor(isMessage(after));
      expect(live.events.filter(isMessage(after))).toHaveLength(1);
      const page = await within(c.b.get('/chat'), 'GET /chat');
      expect(page.status).toBe(200);
      expect(page.text).toContain(`id="m-${after}"`);
      await expectEventLogMatches(c.coupleId, (await stored(c.coupleId)).ids);
      expect(second.output()).not.toMatch(/error on /);
    },
    180_000,
  );
});
