// Web Push over HTTP: storing and removing a browser's subscription (and refusing bad
// ones), the previews switch, and delivery to a push service this test runs itself, whose
// payloads are decrypted here as a browser would (RFC 8291): who is told what, when, and
// what happens to a subscription the push service says is gone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type Koa from 'koa';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { HX, newCouple, send, sendForm, serveInstance, type Couple, type Instance } from '../support/chatHttp';
import { Client, logIn, signUp } from '../support/client';
import { PushService, verifyVapid, type Device } from '../support/pushService';
import { MAX_DEVICES } from '../../src/push/subscriptions';
import { Q } from '../support/questions';
import { suiteStreams, SseStream } from '../support/sse';
import { filePart, png, upload } from '../support/uploads';

/** Posts a device's subscription as push.js does (htmx header: 204). */
const subscribe = (client: Client, device: Device, headers: Record<string, string> = HX) => client.post('/push/subscriptions', device.fields, headers);

describe.each(backends())('Web Push on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'psh' });
  let service: PushService;
  const { stream } = suiteStreams();
  beforeAll(async () => {
    service = await PushService.start();
  });
  // after hooks run last-registered first: this one before the suite's app closes
  afterAll(async () => {
    await app.app.context.push.idle();
    await service.close();
  });

  const rowsOf = (userId: number) => app.db('push_subscriptions').where({ user_id: userId }).orderBy('id').select();
  /** Every notification the app started has been delivered or given up on. */
  const settled = (koa: Koa = app.app) => koa.context.push.idle();

  /** A couple where b has one subscribed device. */
  async function coupleWithDevice(tag = 'pshd'): Promise<Couple & { device: Device }> {
    const c = await couple(tag);
    const device = service.device();
    expect((await subscribe(c.b, device)).status).toBe(204);
    return { ...c, device };
  }

  describe('subscriptions', () => {
    it('gives the VAPID public key to a logged-in user as text, and sends others to log in', async () => {
      const c = await couple();
      const res = await c.a.get('/push/key');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.text).toBe(app.app.context.deps.config.vapid.publicKey);
      const anonymous = await new Client(app.url).get('/push/key');
      expect(anonymous.status).toBe(303);
      expect(anonymous.location).toBe('/login');
    });

    it('gives a service worker (cookies, no page) the form token with the key, with which it can post a subscription', async () => {
      const c = await couple();
      const worker = new Client(app.url); // the same browser's cookies, but no page has been read
      for (const name of ['cc.sid', 'cc.sid.sig', 'cc.csrf', 'cc.csrf.sig']) expect(c.a.cookie(name), name).toBeDefined();
      const cookie = c.a.cookieHeader();
      const key = await worker.get('/push/key', { cookie });
      expect(key.status).toBe(200);
      expect(key.headers.get('cache-control')).toBe('no-store');
      const token = key.headers.get('x-csrf-token');
      expect(token).toBeTruthy();
      const device = service.device();
      const post = (csrf: string) => worker.request('POST', '/push/subscriptions', { body: new URLSearchParams(device.fields).toString(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf, ...HX } });
      expect((await post('forged-token')).status).toBe(403);
      expect(await rowsOf(c.aId)).toEqual([]);
      expect((await post(token!)).status).toBe(204);
      expect((await rowsOf(c.aId)).map((r) => r.endpoint)).toEqual([device.endpoint]);
    });

    it('stores a subscription per device: 204 for push.js, 303 to the account page without it, once per endpoint', async () => {
      const c = await couple();
      const phone = service.device();
      const laptop = service.device();
      expect((await subscribe(c.a, phone, { ...HX, 'User-Agent': 'Phone/1.0' })).status).toBe(204);
      const plain = await subscribe(c.a, laptop, {});
      expect(plain.status).toBe(303);
      expect(plain.location).toBe('/account');
      // the same browser again (a reload posts it again), now with new keys: still one row, new keys
      const renewed = { ...service.device(), endpoint: phone.endpoint };
      renewed.fields = { ...renewed.fields, endpoint: phone.endpoint };
      expect((await subscribe(c.a, renewed, { ...HX, 'User-Agent': 'Phone/1.1' })).status).toBe(204);
      const rows = await rowsOf(c.aId);
      expect(rows.map((r) => r.endpoint)).toEqual([phone.endpoint, laptop.endpoint]);
      expect(rows[0]).toMatchObject({ p256dh: renewed.fields.p256dh, auth: renewed.fields.auth, user_agent: 'Phone/1.1' });
    });

    it.each([
      ['no endpoint', { endpoint: '' }],
      ['not a URL', { endpoint: 'push service' }],
      ['plain http to another host', { endpoint: 'http://push.example.com/send/abc' }],
      ['another scheme', { endpoint: 'ftp://push.example.com/abc' }],
      ['credentials in the URL', { endpoint: 'https://user:pw@push.example.com/abc' }],
      ['an endpoint over 2 KB', { endpoint: `https://push.example.com/${'a'.repeat(2048)}` }],
      ['a p256dh of the wrong length', { p256dh: Buffer.alloc(33, 4).toString('base64url') }],
      ['a p256dh that is no point on P-256', { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url') }],
      ['a p256dh that is not base64url', { p256dh: 'BP+/'.repeat(22) }],
      ['an auth secret of 15 bytes', { auth: Buffer.alloc(15, 7).toString('base64url') }],
      ['no auth secret', { auth: '' }],
    ])('refuses %s with 422 and stores nothing', async (_what, change) => {
      const c = await couple('pshv');
      const device = service.device();
      const res = await c.a.post('/push/subscriptions', { ...device.fields, ...change }, HX);
      expect(res.status).toBe(422);
      expect(await rowsOf(c.aId)).toEqual([]);
    });

    it('takes https endpoints, and keys with base64 padding', async () => {
      const c = await couple();
      const device = service.device();
      const res = await c.a.post('/push/subscriptions', { ...device.fields, endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def', auth: device.fields.auth + '==' }, HX);
      expect(res.status).toBe(204);
      expect((await rowsOf(c.aId))[0].auth).toBe(device.fields.auth);
    });

    it('needs a log-in and the CSRF token', async () => {
      const device = service.device();
      const anonymous = new Client(app.url);
      await anonymous.get('/login');
      expect((await anonymous.post('/push/subscriptions', device.fields)).location).toBe('/login');
      const c = await couple();
      const forged = await c.a.request('POST', '/push/subscriptions', {
        body: new URLSearchParams(device.fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(forged.status).toBe(403);
      expect(await rowsOf(c.aId)).toEqual([]);
    });

    it('turns one device off; another user’s subscription is not found (404) and stays', async () => {
      const c = await couple();
      const mine = service.device();
      await subscribe(c.a, mine);
      const theirs = await c.b.post('/push/subscriptions/delete', { endpoint: mine.endpoint }, HX);
      expect(theirs.status).toBe(404);
      expect(await rowsOf(c.aId)).toHaveLength(1);
      const res = await c.a.post('/push/subscriptions/delete', { endpoint: mine.endpoint });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/account');
      expect(await rowsOf(c.aId)).toEqual([]);
      expect((await c.a.post('/push/subscriptions/delete', { endpoint: '' }, HX)).status).toBe(422);
    });

    it('moves a browser to whoever turned notifications on there last', async () => {
      const c = await couple();
      const shared = service.device();
      await subscribe(c.a, shared);
      await subscribe(c.b, shared);
      expect(await rowsOf(c.aId)).toEqual([]);
      expect(await rowsOf(c.bId)).toHaveLength(1);
    });

    it(`keeps at most ${MAX_DEVICES} devices per user, dropping the oldest`, async () => {
      const c = await couple();
      const devices = Array.from({ length: MAX_DEVICES + 2 }, () => service.device());
      for (const device of devices) expect((await subscribe(c.a, device)).status).toBe(204);
      expect((await rowsOf(c.aId)).map((r) => r.endpoint)).toEqual(devices.slice(2).map((d) => d.endpoint));
    });

    it('lets this browser’s subscription go at log-out (the form carries it); other devices and other users’ stay', async () => {
      const c = await couple();
      const [here, phone, partners] = [service.device(), service.device(), service.device()];
      await subscribe(c.a, here);
      await subscribe(c.a, phone);
      await subscribe(c.b, partners);
      // a forged endpoint of the partner's device: not mine, so nothing happens to it
      const other = await logIn(app.url, c.aLogin);
      await other.get('/account'); // the page's form token
      expect((await other.post('/logout', { push_endpoint: partners.endpoint })).status).toBe(303);
      expect(await rowsOf(c.bId)).toHaveLength(1);
      expect((await rowsOf(c.aId)).map((r) => r.endpoint)).toEqual([here.endpoint, phone.endpoint]);

      const res = await c.a.post('/logout', { push_endpoint: here.endpoint });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/login');
      expect((await rowsOf(c.aId)).map((r) => r.endpoint)).toEqual([phone.endpoint]);
      expect(await rowsOf(c.bId)).toHaveLength(1);
      // a log-out without one (no JavaScript, or notifications never on) keeps every device
      expect((await c.b.post('/logout', {})).status).toBe(303);
      expect(await rowsOf(c.bId)).toHaveLength(1);
    });

    it('stores devices posted at once, and the previews switch saved meanwhile, without a deadlock (MySQL)', async () => {
      const c = await couple();
      const devices = Array.from({ length: 8 }, () => service.device());
      const replies = await Promise.all([
        ...devices.map((device) => subscribe(c.a, device)),
        c.a.post('/account/push-previews', { previews: 'off' }),
        ...devices.slice(0, 4).map((device) => subscribe(c.a, { ...device, fields: { ...device.fields, auth: service.device().fields.auth } })),
      ]);
      expect(replies.map((r) => r.status)).toEqual([...devices.map(() => 204), 303, 204, 204, 204, 204]);
      expect((await rowsOf(c.aId)).map((r) => r.endpoint).sort()).toEqual(devices.map((d) => d.endpoint).sort());
    });

    it('stores one row when two users post the same endpoint at the same instant, never a 500', async () => {
      const c = await couple();
      for (let round = 0; round < 5; round++) {
        const shared = service.device();
        const replies = await Promise.all([subscribe(c.a, shared), subscribe(c.b, shared)]);
        expect(replies.map((r) => r.status)).toEqual([204, 204]);
        expect(await app.db('push_subscriptions').where({ endpoint: shared.endpoint }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
      }
    });

    it('deletes a user’s subscriptions with the account', async () => {
      const login = `pshdel_${Date.now() % 100000}`;
      const loner = await signUp(app.url, login);
      await loner.get('/account');
      await subscribe(loner, service.device());
      const { id } = await app.db('users').where({ login_id: login }).first('id');
      expect(await rowsOf(id)).toHaveLength(1);
      expect((await loner.post('/account/delete', { password: 'violet-Harbor-42' })).status).toBe(303);
      expect(await rowsOf(id)).toEqual([]);
    });
  });

  describe('the service worker', () => {
    it('is served at the root as JavaScript, to anyone, revalidated every time', async () => {
      const res = await new Client(app.url).get('/sw.js');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.text).toContain("self.addEventListener('push'");
      expect(res.text).toContain("self.addEventListener('notificationclick'");
      const again = await new Client(app.url).get('/sw.js', { 'If-None-Match': res.headers.get('etag')! });
      expect(again.status).toBe(304);
      // it keeps this build's static files and the offline page, never a page behind a log-in
      const shell = JSON.parse(/var SHELL = (\[.*?\]);/.exec(res.text)![1]) as string[];
      expect(shell.length).toBeGreaterThan(3);
      for (const url of shell) expect(url).toMatch(/^\/static\/.+\.[0-9a-f]{12}\.\w+$/);
      expect(res.text).toContain("var OFFLINE = '/offline'");
    });
  });

  describe('the previews setting', () => {
    it('is on by default, saved off and on again from the account page', async () => {
      const c = await couple();
      const previews = async () => Number((await app.db('users').where({ id: c.aId }).first('push_previews')).push_previews);
      let page = await c.a.get('/account');
      expect(page.text).toMatch(/<input type="checkbox" id="previews" name="previews" value="on" checked/);
      expect(await previews()).toBe(1);
      const off = await c.a.post('/account/push-previews', {}); // an unticked checkbox sends nothing
      expect(off.status).toBe(303);
      expect(off.location).toBe('/account');
      expect(await previews()).toBe(0);
      page = await c.a.get('/account');
      expect(Client.visible(page.text)).toContain('알림 설정을 저장했어요.');
      expect(page.text).not.toMatch(/id="previews"[^>]*checked/);
      await c.a.post('/account/push-previews', { previews: 'on' });
      expect(await previews()).toBe(1);
    });

    it('refuses anything but on or off with 422 on the account page', async () => {
      const c = await couple();
      await c.a.get('/account');
      const res = await c.a.post('/account/push-previews', { previews: 'sometimes' });
      expect(res.status).toBe(422);
      expect(Client.visible(res.text)).toContain('켜기 또는 끄기를 골라 주세요.');
    });
  });

  describe('delivery', () => {
    it('pushes a message to the partner with no open stream: their login ID and the text, encrypted for their browser, VAPID-signed', async () => {
      const c = await coupleWithDevice();
      await send(c.a, '오늘 저녁에 뭐 먹을까?');
      const [push] = await service.waitFor(c.device);
      expect(PushService.payload(push, c.device)).toEqual({ title: c.aLogin, body: '오늘 저녁에 뭐 먹을까?', url: '/chat', tag: 'chat' });
      expect(push.headers).toMatchObject({ 'content-encoding': 'aes128gcm', 'content-type': 'application/octet-stream', ttl: '86400', urgency: 'high' });
      const claims = verifyVapid(push.headers.authorization, app.app.context.deps.config.vapid.publicKey);
      expect(claims.aud).toBe(service.url);
      expect(claims.sub).toBe('mailto:test@example.com');
      expect(claims.exp * 1000).toBeGreaterThan(Date.now());
      await settled();
      expect((await rowsOf(c.bId))[0].last_ok_at).toBeGreaterThan(0);
    });

    it('titles it with the name the partner gave the sender, when they gave one', async () => {
      const c = await coupleWithDevice();
      await c.b.get('/couple');
      expect((await c.b.post('/couple/profile', { partner_nickname: '자기', started_on: '', birthday: '' })).status).toBe(303);
      await send(c.a, '어디야?');
      const [push] = await service.waitFor(c.device);
      expect(PushService.payload(push, c.device)).toMatchObject({ title: '자기', body: '어디야?' });
    });

    it('tells every device of the partner, and none of the sender’s', async () => {
      const c = await coupleWithDevice();
      const second = service.device();
      const sendersOwn = service.device();
      await subscribe(c.b, second);
      await subscribe(c.a, sendersOwn);
      await sendForm(c.a, '둘 다 울려?');
      for (const device of [c.device, second]) {
        const [push] = await service.waitFor(device);
        expect(PushService.payload(push, device).body).toBe('둘 다 울려?');
      }
      await settled();
      expect(service.pushesTo(sendersOwn)).toEqual([]);
    });

    it('shortens a long message to 120 characters', async () => {
      const c = await coupleWithDevice();
      await send(c.a, '가'.repeat(300));
      const [push] = await service.waitFor(c.device);
      const body = String(PushService.payload(push, c.device).body);
      expect([...body]).toHaveLength(120);
      expect(body.endsWith('…')).toBe(true);
    });

    it('says only that a message came when the partner turned previews off', async () => {
      const c = await coupleWithDevice();
      await c.b.get('/account');
      await c.b.post('/account/push-previews', { previews: 'off' });
      await send(c.a, '비밀 이야기');
      const [push] = await service.waitFor(c.device);
      const payload = PushService.payload(push, c.device);
      expect(payload).toEqual({ title: c.aLogin, body: '새 메시지가 왔어요', url: '/chat', tag: 'chat' });
      expect(JSON.stringify(payload)).not.toContain('비밀');
    });

    // Every page of a couple holds a stream (its 채팅 tab counts unread messages), and only
    // the browser knows whether the chat is the page in front: its service worker decides
    // (tests/e2e/push.test.ts).
    it('pushes while the partner has a stream open too, as when none is', async () => {
      const c = await coupleWithDevice();
      const open = await stream(c.b);
      await send(c.a, '보고 있지?');
      await service.waitFor(c.device);
      open.close();
      await expect.poll(() => app.app.context.hub.isOnline(c.bId)).toBe(false);
      await send(c.a, '이제 없네');
      const pushes = await service.waitFor(c.device, 2);
      expect(pushes.map((p) => PushService.payload(p, c.device).body)).toEqual(['보고 있지?', '이제 없네']);
    });

    it('pushes a photo as “사진을 보냈어요”, with its caption', async () => {
      const c = await coupleWithDevice();
      expect((await upload(c.a, [{ name: 'client_id', value: 'photo-1' }, filePart('cat.png', await png(), 'image/png')], { htmx: true })).status).toBe(200);
      const [push] = await service.waitFor(c.device);
      expect(PushService.payload(push, c.device)).toMatchObject({ title: c.aLogin, body: '사진을 보냈어요' });
      await upload(c.a, [{ name: 'client_id', value: 'photo-2' }, { name: 'body', value: '우리 고양이' }, filePart('a.png', await png()), filePart('b.png', await png())], { htmx: true });
      const pushes = await service.waitFor(c.device, 2);
      expect(PushService.payload(pushes[1], c.device).body).toBe('사진 2장을 보냈어요 · 우리 고양이');
    });

    it('pushes a file as “파일을 보냈어요”, and no caption with previews off', async () => {
      const c = await coupleWithDevice();
      await c.b.get('/account');
      await c.b.post('/account/push-previews', {});
      await upload(c.a, [{ name: 'client_id', value: 'file-1' }, { name: 'body', value: '계약서' }, filePart('a.pdf', Buffer.from('%PDF-1.4 hello'))], { htmx: true });
      const [push] = await service.waitFor(c.device);
      expect(PushService.payload(push, c.device).body).toBe('새 메시지가 왔어요');
    });

    it('pushes a question the message asked, after the message, in the partner’s language', async () => {
      const c = await coupleWithDevice();
      await send(c.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
      const pushes = await service.waitFor(c.device, 2);
      const [message, question] = pushes.map((p) => PushService.payload(p, c.device));
      expect(message.body).toBe('나는 운동갔다가 저녁 먹고 쉬려고!');
      expect(question).toMatchObject({ title: '새 질문', body: Q.exercise, url: '/chat' });
      expect(question.tag).toMatch(/^question-\d+$/);

      const en = await coupleWithDevice('pshen');
      await en.b.post('/language', { language: 'en', back: '/chat' });
      await send(en.a, '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라');
      const [, english] = (await service.waitFor(en.device, 2)).map((p) => PushService.payload(p, en.device));
      expect(english).toMatchObject({ title: 'New question' });
      expect(String(english.body)).toMatch(/[a-z]/i);
      expect(String(english.body)).not.toMatch(/[가-힣]/);
    });

    it.each([410, 404])('removes a subscription the push service answers %i for, and keeps it for a 500', async (status) => {
      const c = await coupleWithDevice();
      const flaky = service.device();
      await subscribe(c.b, flaky);
      service.answers.set(new URL(c.device.endpoint).pathname, status);
      service.answers.set(new URL(flaky.endpoint).pathname, 500);
      await send(c.a, '거기 있어?');
      await service.waitFor(c.device);
      await service.waitFor(flaky);
      await settled();
      expect((await rowsOf(c.bId)).map((r) => r.endpoint)).toEqual([flaky.endpoint]);
    });

    it('answers the send at once however slow the push service is', async () => {
      const c = await coupleWithDevice();
      // a push service that never answers: the send must not wait for it
      const { createServer } = await import('node:http');
      const held: Array<import('node:http').IncomingMessage> = [];
      const hanging = createServer((req) => void held.push(req));
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      const device = { ...service.device() };
      const endpoint = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/push/slow`;
      await c.b.post('/push/subscriptions', { ...device.fields, endpoint }, HX);
      const res = await sendForm(c.a, '느린 푸시');
      expect(res.status).toBe(303);
      // answered while its push is still open at the service (a send that waited would have
      // given up on it first, after PUSH_TIMEOUT_MS, closing the connection)
      await expect.poll(() => held.length).toBe(1);
      expect(held[0].socket.destroyed).toBe(false);
      await service.waitFor(c.device); // the other device is not held up either
      hanging.closeAllConnections();
      hanging.close();
      await settled();
    });
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? null;
const shared = backends().at(-1)!;
if (!redisUrl) console.log('[skip] push across instances: set TEST_REDIS_URL=redis://127.0.0.1:6379');

describe.skipIf(!redisUrl)(`Web Push across two instances with Redis on ${shared.name}`, () => {
  let one: Instance;
  let two: Instance;
  let service: PushService;
  let drop: () => Promise<void>;
  let db: Awaited<ReturnType<typeof shared.create>>['db'];
  const streams: SseStream[] = [];

  beforeAll(async () => {
    const created = await shared.create();
    db = created.db;
    drop = created.drop;
    one = await serveInstance(db, created.url, { redisUrl });
    two = await serveInstance(db, created.url, { redisUrl });
    service = await PushService.start();
  });
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });
  afterAll(async () => {
    await one?.app.context.push.idle();
    await one?.close();
    await two?.close();
    await drop?.();
    await service?.close();
  });

  it('pushes whichever instance holds the partner’s stream, open or closed', async () => {
    const c = await newCouple(one.url, db, 'pshr');
    const device = service.device();
    await subscribe(c.b, device);
    const open = await SseStream.open(`${two.url}/chat/stream`, { cookie: c.b.cookieHeader() });
    streams.push(open);
    await expect.poll(() => one.app.context.hub.isOnline(c.bId)).toBe(true);
    await send(c.a, '다른 서버에서 보고 있지?');
    await service.waitFor(device);
    open.close();
    await expect.poll(() => one.app.context.hub.isOnline(c.bId)).toBe(false);
    await send(c.a, '이제 닫았네');
    const pushes = await service.waitFor(device, 2);
    expect(pushes.map((p) => PushService.payload(p, device).body)).toEqual(['다른 서버에서 보고 있지?', '이제 닫았네']);
  });
});
