// Request limits other than the log-in throttle (login-throttle.test.ts) and chatting's
// (throttling-chat.test.ts): ID availability checks, sign-ups, pairing requests and
// uploads, per user and per address, with 429 + Retry-After and nothing stored when
// refused; with Redis, one limit across instances, and still limits while Redis is away.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../../src/limits/rules';
import { freePort } from '../bench/appProcess';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { startTestApp, type TestApp } from '../support/testApp';
import { Client, PASSWORD, signUp } from '../support/client';
import { newCouple, serveInstance, type Instance } from '../support/chatHttp';
import { hasRedisServer, killRedis, startRedis } from '../support/redisServer';
import { unlimited } from '../support/limits';
import { filePart, upload } from '../support/uploads';

const limits = (perUser: number, perIp: number): RateLimits => ({
  ...unlimited,
  idCheck: { ...DEFAULT_RATE_LIMITS.idCheck, perUser, perIp },
  pairRequest: { ...DEFAULT_RATE_LIMITS.pairRequest, perUser, perIp },
  upload: { ...DEFAULT_RATE_LIMITS.upload, perUser, perIp },
});

let n = 0;
const loginId = (tag: string) => `${tag}${++n}_${Date.now() % 100_000}`;

/** The refusal a person sees: 429, when to come back, and the reason in Korean. */
function expectThrottled(res: { status: number; headers: Headers; text: string }) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Client.visible(res.text)).toContain('요청이 너무 많아요');
}

describe.each(backends())('request limits on $name', (backend) => {
  // per user 3 everywhere; per address 6 ID checks (anonymous), and room for the couples the tests make
  const rateLimits = { ...limits(3, 50), idCheck: { ...DEFAULT_RATE_LIMITS.idCheck, perUser: 3, perIp: 6 } };
  const { app } = httpSuite(backend, { config: { rateLimits } });

  it('answers ID availability checks from one address until its limit, then 429 with Retry-After', async () => {
    const client = new Client(app.url);
    for (let i = 0; i < 6; i++) {
      const res = await client.get(`/signup/check-id?login_id=${loginId('chk')}`);
      expect(res.status).toBe(200);
    }
    expectThrottled(await client.get(`/signup/check-id?login_id=${loginId('chk')}`));
    // htmx asks for the fragment: the refusal goes to the page's alert region
    const hx = await client.get(`/signup/check-id?login_id=${loginId('chk')}`, { 'HX-Request': 'true' });
    expect(hx.status).toBe(429);
    expect(hx.headers.get('hx-retarget')).toBe('#htmx-error');
  });

  it('limits pairing requests per user: the fourth is refused and not stored, another user may still ask', async () => {
    const senderLogin = loginId('ps');
    const sender = await signUp(app.url, senderLogin);
    const targets = [loginId('pt'), loginId('pt'), loginId('pt'), loginId('pt')];
    for (const target of targets) await signUp(app.url, target);
    for (const target of targets.slice(0, 3)) {
      await sender.get('/pair'); // a fresh token, as the page gives
      const res = await sender.post('/pair/requests', { login_id: target });
      expect(res.status).toBe(303);
      // each is cancelled again, so only the limit (not "one request at a time") can refuse the next
      const id = (await app.db('pair_requests').where({ from_user_id: await userId(senderLogin) }).first('id')).id;
      await sender.get('/pair');
      expect((await sender.post(`/pair/requests/${id}/cancel`, {})).status).toBe(303);
    }
    await sender.get('/pair');
    expectThrottled(await sender.post('/pair/requests', { login_id: targets[3] }));
    expect(await app.db('pair_requests').where({ from_user_id: await userId(senderLogin) }).count({ n: '*' })).toEqual([{ n: 0 }]);

    const other = await signUp(app.url, loginId('po'));
    await other.get('/pair');
    expect((await other.post('/pair/requests', { login_id: targets[3] })).status).toBe(303);
  });

  it('limits uploads per user: the fourth upload is refused with nothing stored', async () => {
    const { a, b, coupleId } = await newCouple(app.url, app.db, 'upl');
    for (let i = 0; i < 3; i++) {
      expect((await upload(a, [filePart(`note-${i}.txt`, Buffer.from(`파일 ${i}`))])).status).toBe(303);
    }
    const before = await app.db('files').where({ couple_id: coupleId }).count({ n: '*' });
    expectThrottled(await upload(a, [filePart('one-more.txt', Buffer.from('하나 더'))]));
    expect(await app.db('files').where({ couple_id: coupleId }).count({ n: '*' })).toEqual(before);
    // the partner has a limit of their own
    expect((await upload(b, [filePart('mine.txt', Buffer.from('내 파일'))])).status).toBe(303);
  });

  async function userId(login: string): Promise<number> {
    return Number((await app.db('users').where({ login_id: login }).first('id')).id);
  }
});

describe('request limits behind a proxy, by the address it saw', () => {
  const { app } = httpSuite(backends()[0], { config: { production: true, rateLimits: limits(100, 2) } });

  it('counts each address on its own', async () => {
    const from = (ip: string) => ({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': ip });
    const client = new Client(app.url);
    for (let i = 0; i < 2; i++) expect((await client.get(`/signup/check-id?login_id=${loginId('ip')}`, from('203.0.113.1'))).status).toBe(200);
    expectThrottled(await client.get(`/signup/check-id?login_id=${loginId('ip')}`, from('203.0.113.1')));
    expect((await client.get(`/signup/check-id?login_id=${loginId('ip')}`, from('203.0.113.2'))).status).toBe(200);
  });
});

describe.runIf(Boolean(process.env.TEST_REDIS_URL))('request limits with Redis', () => {
  let one: Instance;
  let two: Instance;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await backends()[0].create();
    drop = created.drop;
    // a rule name of its own: Redis keeps counts between runs (and other test files)
    const rules = limits(100, 4);
    // and a day's window: Redis counts in windows fixed to the clock, and six requests that
    // crossed a minute's boundary would start counting again
    const rateLimits = { ...rules, idCheck: { ...rules.idCheck, name: `id-check-${process.pid}-${Date.now()}`, windowMs: 24 * 60 * 60_000 } };
    const overrides = { redisUrl: process.env.TEST_REDIS_URL!, rateLimits };
    one = await serveInstance(created.db, created.url, overrides);
    two = await serveInstance(created.db, created.url, overrides);
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await drop();
  });

  it('holds one limit across two instances', async () => {
    const toOne = new Client(one.url);
    const toTwo = new Client(two.url);
    const ask = (client: Client) => client.get(`/signup/check-id?login_id=${loginId('rd')}`);
    expect((await ask(toOne)).status).toBe(200);
    expect((await ask(toTwo)).status).toBe(200);
    expect((await ask(toOne)).status).toBe(200);
    expect((await ask(toTwo)).status).toBe(200);
    expectThrottled(await ask(toOne));
    expectThrottled(await ask(toTwo));
  });
});

describe('sign-ups from one address', () => {
  const { signup, signupDaily } = DEFAULT_RATE_LIMITS;
  const { app } = httpSuite(backends()[0], { config: { rateLimits: { ...unlimited, signup, signupDaily } } });

  it('are 5 in ten minutes: a burst beyond gets 429 with Retry-After and the form again, with no password hashed', async () => {
    const stem = loginId('sb');
    const browsers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const browser = new Client(app.url, { from: '127.0.0.20' });
        await browser.get('/signup');
        return browser;
      }),
    );
    const replies = await Promise.all(browsers.map((b, i) => b.post('/signup', { login_id: `${stem}_${i}`, password: PASSWORD, password_confirm: PASSWORD })));

    expect(replies.filter((r) => r.status === 303)).toHaveLength(5);
    const refused = replies.map((r, i) => ({ r, i })).filter(({ r }) => r.status !== 303);
    expect(refused.map(({ r }) => r.status)).toEqual(Array(25).fill(429));
    for (const { r, i } of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(500);
      expect(Client.visible(r.text)).toContain('이 네트워크에서 가입이 너무 많았어요.');
      expect(r.text).toContain(`value="${stem}_${i}"`);
    }
    // an account is made only for a sign-up let through: each of the others cost no hash
    const tried = browsers.map((_, i) => `${stem}_${i}`);
    expect(await app.db('users').whereIn('login_id', tried).count({ n: '*' })).toEqual([{ n: 5 }]);
    // another address (another family) is not held back
    const neighbour = new Client(app.url, { from: '127.0.0.21' });
    await neighbour.get('/signup');
    expect((await neighbour.post('/signup', { login_id: `${stem}_n`, password: PASSWORD, password_confirm: PASSWORD })).status).toBe(303);
  });
});

describe.skipIf(!hasRedisServer && process.env.REQUIRE_SERVICES !== '1')('request limits while Redis is away', () => {
  let app: TestApp;
  let redis: ChildProcess;
  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    app = await startTestApp(backends()[0], { redisUrl: `redis://127.0.0.1:${port}`, rateLimits: limits(100, 3) });
  });
  afterAll(async () => {
    await app.close();
    await killRedis(redis);
  });

  it('still answers requests, and still limits them, each process counting by itself', async () => {
    await killRedis(redis);
    const client = new Client(app.url);
    for (let i = 0; i < 3; i++) expect((await client.get(`/signup/check-id?login_id=${loginId('rx')}`)).status).toBe(200);
    expectThrottled(await client.get(`/signup/check-id?login_id=${loginId('rx')}`));
  });
});
