// The log-in throttle with its real numbers: guesses are held back per ID from one address
// (10 in 15 minutes), per address (30), and per ID from devices that never logged in to it
// (20); a device that did (its signed cookie) answers only for its own guesses, so nobody
// can lock an owner out of their phone. Clients come from distinct loopback addresses.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { startTestApp } from '../support/testApp';
import { Client, logIn, PASSWORD, signUp, type Reply } from '../support/client';
import { serveInstance } from '../support/chatHttp';
import { testClock } from '../support/clock';

const WRONG = 'wrong-password-1';

/** A browser at `address` with the log-in page open. */
async function browserAt(base: string, address: string): Promise<Client> {
  const client = new Client(base, { from: address });
  await client.get('/login');
  return client;
}

const tryLogIn = (client: Client, loginId: string, password = WRONG) => client.post('/login', { login_id: loginId, password });

async function guesses(client: Client, loginId: string, n: number): Promise<number[]> {
  const statuses = [];
  for (let i = 0; i < n; i++) statuses.push((await tryLogIn(client, loginId)).status);
  return statuses;
}

const failed = (n: number) => Array<number>(n).fill(422);

/** The refusal a person sees: 429, about 15 minutes to wait, the reason on the log-in page, no session. */
function expectThrottled(res: Reply, client: Client) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
  expect(Client.visible(res.text)).toContain('로그인 시도가 너무 많아요. 15분 후에 다시 시도해 주세요.');
  expect(client.cookie('cc.sid')).toBeUndefined();
}

describe.each(backends())('the log-in throttle on $name', (backend) => {
  const { app } = httpSuite(backend);
  beforeEach(() => app.db('rate_counts').delete());
  afterEach(() => testClock.reset());

  it('stops guesses at an ID from one address, but not its owner on a device that logged in before', async () => {
    await signUp(app.url, 'alice_lt');
    const phone = await logIn(app.url, 'alice_lt', PASSWORD, '127.0.0.3');
    await phone.get('/pair');
    expect((await phone.post('/logout')).status).toBe(303);

    const attacker = await browserAt(app.url, '127.0.0.2');
    expect(await guesses(attacker, 'alice_lt', 10)).toEqual(failed(10));
    expectThrottled(await tryLogIn(attacker, 'alice_lt'), attacker);
    // from there even the right password is not tried
    expectThrottled(await tryLogIn(attacker, 'alice_lt', PASSWORD), attacker);

    await phone.get('/login');
    const back = await tryLogIn(phone, 'alice_lt', PASSWORD);
    expect(back.status).toBe(303);
    expect(phone.cookie('cc.sid')).toBeDefined();
  });

  it('holds an ID to 20 failures in 15 minutes for devices that never logged in to it, then lets them in again', async () => {
    await signUp(app.url, 'bob_lt');
    const first = await browserAt(app.url, '127.0.0.4');
    expect(await guesses(first, 'bob_lt', 10)).toEqual(failed(10));
    // one address alone cannot lock the ID, even for a new device
    expect((await tryLogIn(await browserAt(app.url, '127.0.0.6'), 'bob_lt', PASSWORD)).status).toBe(303);
    const second = await browserAt(app.url, '127.0.0.5');
    expect(await guesses(second, 'bob_lt', 10)).toEqual(failed(10));

    const newDevice = await browserAt(app.url, '127.0.0.7');
    expectThrottled(await tryLogIn(newDevice, 'bob_lt', PASSWORD), newDevice);
    // a device cookie made up, or one of another ID, makes no device known
    await signUp(app.url, 'erin_lt');
    const erins = await logIn(app.url, 'erin_lt', PASSWORD, '127.0.0.7');
    await erins.get('/pair');
    await erins.post('/logout');
    await erins.get('/login');
    expectThrottled(await tryLogIn(erins, 'bob_lt', PASSWORD), erins);
    const forged = `${newDevice.cookieHeader()}; cc.device=bob_lt.AAAAAAAAAAAAAAAAAAAAAA; cc.device.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await newDevice.post('/login', { login_id: 'bob_lt', password: PASSWORD }, { cookie: forged })).status).toBe(429);

    // a throttle, not a lock: 15 minutes on, the new device gets in
    testClock.moveTo(testClock.now() + 15 * 60_000 + 1_000);
    expect((await tryLogIn(newDevice, 'bob_lt', PASSWORD)).status).toBe(303);
  });

  it('stops one address trying many IDs after 30 failures; other addresses go on', async () => {
    const sprayer = await browserAt(app.url, '127.0.0.8');
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await tryLogIn(sprayer, `spray_${i}`)).status);
    expect(statuses).toEqual(failed(30));
    expectThrottled(await tryLogIn(sprayer, 'spray_x'), sprayer);
    expect((await tryLogIn(await browserAt(app.url, '127.0.0.9'), 'spray_x')).status).toBe(422);
  });

  it('lets no more than 10 guesses through when they come all at once', async () => {
    await signUp(app.url, 'burst_lt');
    const client = await browserAt(app.url, '127.0.0.10');
    const replies = await Promise.all(Array.from({ length: 40 }, () => tryLogIn(client, 'burst_lt')));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30);
  });

  it('holds across a restart and on another instance: the counts live in the database', async () => {
    await signUp(app.url, 'carol_lt');
    const client = await browserAt(app.url, '127.0.0.11');
    expect(await guesses(client, 'carol_lt', 10)).toEqual(failed(10));
    const other = await serveInstance(app.db, 'another-instance');
    try {
      const there = await browserAt(other.url, '127.0.0.11');
      expectThrottled(await tryLogIn(there, 'carol_lt', PASSWORD), there);
    } finally {
      await other.close();
    }
  });

  it('remembers the device in a signed HttpOnly cookie for a year', async () => {
    await signUp(app.url, 'dora_lt');
    const client = await browserAt(app.url, '127.0.0.12');
    const res = await tryLogIn(client, 'dora_lt', PASSWORD);
    const cookies = res.headers.getSetCookie();
    const device = cookies.find((c) => c.startsWith('cc.device='));
    expect(device).toMatch(/^cc\.device=dora_lt\.[\w-]{22};/);
    expect(device).toMatch(/httponly/i);
    expect(device).toMatch(/samesite=lax/i);
    expect(device).toMatch(/max-age=31536000|expires=/i);
    expect(cookies.some((c) => c.startsWith('cc.device.sig='))).toBe(true);
  });

  it('counts an address of any length a proxy passes on: a made-up one is a 422 like any, never a 500', async () => {
    const behindProxy = await startTestApp(backend, { production: true });
    try {
      const headers = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': `${'2001:db8::'.repeat(30)}1`, Origin: 'https:' + behindProxy.url.slice(5) };
      const client = new Client(behindProxy.url);
      await client.get('/login', headers);
      expect((await client.post('/login', { login_id: 'nobody_lt', password: WRONG }, headers)).status).toBe(422);
    } finally {
      await behindProxy.close();
    }
  });
});
