// Two app instances over one database and one Redis (as behind a PaaS load balancer): a
// message posted to one reaches streams held by the other, and replay works on either.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db';
import { backends } from '../support/backends';
import { HX, newCouple, send, serveInstance, type Instance } from '../support/chatHttp';
import { isDeleted, isMessage, isRead, SseStream } from '../support/sse';

const redisUrl = process.env.TEST_REDIS_URL ?? null;
// MariaDB when there is one (what production runs), else a SQLite file both instances share
const backend = backends().at(-1)!;
if (!redisUrl) console.log('[skip] chat across instances: set TEST_REDIS_URL=redis://127.0.0.1:6379');

describe.skipIf(!redisUrl)(`chat across two instances with Redis on ${backend.name}`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let one: Instance;
  let two: Instance;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    const created = await backend.create();
    db = created.db;
    drop = created.drop;
    one = await serveInstance(db, created.url, { redisUrl });
    two = await serveInstance(db, created.url, { redisUrl });
  });
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await drop?.();
  });

  /** The same browser session, its stream answered by the given instance. */
  async function streamOn(instance: Instance, cookie: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const s = await SseStream.open(`${instance.url}/chat/stream`, { cookie, ...headers });
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  }

  it('delivers a message posted to one instance to a stream held by the other', async () => {
    const c = await newCouple(one.url, db, 'rds');
    const partner = await streamOn(two, c.b.cookieHeader());
    const id = await send(c.a, '다른 서버에서도 보여?');
    const event = await partner.waitFor(isMessage(id));
    expect(event.id).toBe('1');
    expect(event.data).toContain('다른 서버에서도 보여?');
  });

  it('carries deletions and read marks across, both ways', async () => {
    const c = await newCouple(one.url, db, 'rdsx');
    const onTwo = await streamOn(two, c.a.cookieHeader());
    const onOne = await streamOn(one, c.b.cookieHeader());
    const id = await send(c.a, '지울 말');
    await onOne.waitFor(isMessage(id));
    await c.b.post('/chat/read', { up_to: String(id) }, HX); // b's page, served by instance one
    await onTwo.waitFor(isRead(id));
    await c.a.post(`/chat/messages/${id}/delete`);
    await onOne.waitFor(isDeleted(id));
    await onTwo.waitFor(isDeleted(id));
  });

  it('sends each event exactly once to tabs spread over both instances', async () => {
    const c = await newCouple(one.url, db, 'rdsd');
    const tabs = [await streamOn(one, c.b.cookieHeader()), await streamOn(two, c.b.cookieHeader()), await streamOn(two, c.a.cookieHeader())];
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await send(i % 2 ? c.b : c.a, `번갈아 ${i}`));
    for (const tab of tabs) {
      await tab.waitForCount(isMessage(), 5);
      expect(await tab.collectFor(150)).toEqual([]);
      expect(tab.events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5']);
    }
  });

  it('sends nothing to another couple whose stream is on the other instance', async () => {
    const us = await newCouple(one.url, db, 'rdsu');
    const them = await newCouple(one.url, db, 'rdst');
    const ours = await streamOn(two, us.b.cookieHeader());
    const theirs = await streamOn(two, them.b.cookieHeader());
    const id = await send(us.a, '우리만');
    await ours.waitFor(isMessage(id));
    expect(await theirs.collectFor(300)).toEqual([]);
  });

  it('replays on one instance what was posted to the other while the stream was away', async () => {
    const c = await newCouple(one.url, db, 'rdsr');
    const first = await streamOn(one, c.b.cookieHeader());
    const m1 = await send(c.a, '하나');
    await first.waitFor(isMessage(m1));
    first.close();
    const m2 = await send(c.a, '둘');
    const m3 = await send(c.a, '셋');
    const back = await first.reconnect(two.url);
    streams.push(back);
    await back.waitFor(isMessage(m3));
    expect(back.events.map((e) => e.id)).toEqual(['2', '3']);
    expect(back.events.some(isMessage(m2))).toBe(true);
  });
});
