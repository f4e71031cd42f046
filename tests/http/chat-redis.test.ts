// Two app instances over one database and one Redis (as behind a PaaS load balancer): a
// message posted to one reaches streams held by the other, and replay works on either.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db';
import { backends } from '../support/backends';
import { HX, newCouple, send, serveInstance, type Couple, type Instance } from '../support/chatHttp';
import { PASSWORD } from '../support/client';
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

  /** POST /chat/typing as the client's page would, answered by the given instance. */
  const typingOn = (instance: Instance, client: Couple['a']) =>
    fetch(`${instance.url}/chat/typing`, { method: 'POST', headers: { cookie: client.cookieHeader(), 'X-CSRF-Token': client.csrf, 'HX-Request': 'true' } });

  it('carries "typing" to the partner on the other instance, one signal per 2 s across both, and logs nothing', async () => {
    const c = await newCouple(one.url, db, 'rdty');
    const partner = await streamOn(two, c.b.cookieHeader());
    const mine = await streamOn(two, c.a.cookieHeader());
    expect((await typingOn(one, c.a)).status).toBe(204);
    const event = await partner.waitFor((e) => e.event === 'typing');
    expect(event.id).toBeNull();
    // at once again through the other instance: counted in Redis, so not relayed
    expect((await typingOn(two, c.a)).status).toBe(204);
    const id = await send(c.a, '다 썼어');
    await partner.waitFor(isMessage(id));
    expect(partner.events.filter((e) => e.event === 'typing')).toHaveLength(1);
    expect(mine.events.filter((e) => e.event === 'typing')).toEqual([]);
    expect(partner.events.map((e) => e.id)).toEqual([null, '1']);
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

// Test files (and a hoster's staging and production) may share one Redis while each has a
// database of its own that numbers users and couples from 1: nothing of one may reach the
// other. The instances over one database share a prefix (tests/support/testApp.ts).
describe.skipIf(!redisUrl)(`two databases sharing one Redis, on ${backend.name}`, () => {
  const sides: Array<{ db: Db; drop: () => Promise<void>; app: Instance }> = [];
  const streams: SseStream[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const created = await backend.create();
      sides.push({ db: created.db, drop: created.drop, app: await serveInstance(created.db, created.url, { redisUrl }) });
    }
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    for (const side of sides) {
      await side.app.close();
      await side.drop();
    }
  });

  it('keeps who is online, and the end of a user’s sessions, to the users of each database', async () => {
    const [here, there] = sides;
    const ours = await newCouple(here.app.url, here.db, 'rdp');
    const theirs = await newCouple(there.app.url, there.db, 'rdp');
    expect([theirs.aId, theirs.bId]).toEqual([ours.aId, ours.bId]); // the same numbers, other people

    const stream = await SseStream.open(`${here.app.url}/chat/stream`, { cookie: ours.b.cookieHeader() });
    streams.push(stream);
    expect(stream.status).toBe(200);
    await expect.poll(() => here.app.app.context.hub.isOnline(ours.bId)).toBe(true);
    expect(await there.app.app.context.hub.isOnline(theirs.bId)).toBe(false);

    // their b changes the password: every session of *their* b ends, not ours
    await theirs.b.get('/account');
    const changed = await theirs.b.post('/account/password', { current_password: PASSWORD, new_password: 'another-Harbor-43', new_password_confirm: 'another-Harbor-43' });
    expect(changed.status).toBe(303);
    const id = await send(ours.a, '우리는 그대로');
    await stream.waitFor(isMessage(id));
    expect(await stream.collectFor(300)).toEqual([]);
    expect(stream.ended).toBe(false);
  });
});

