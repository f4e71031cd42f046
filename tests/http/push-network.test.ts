// Web Push in production reaches the public internet only: the server POSTs to whatever
// push service a browser names, so a subscription must not aim it at the server itself,
// its private network or a cloud's metadata service — neither when it is stored nor when a
// name's DNS answer changes afterwards (DNS rebinding). The app runs in production mode
// with a DNS of this test's own (the machine has no internet, and a name must be made to
// change its answer), and a TCP server stands where the internal addresses lead: nothing
// may reach it.
import { randomBytes } from 'node:crypto';
import { createServer, isIP, type LookupFunction, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PushSender, type PushNetwork } from '../../src/push/sender';
import { saveSubscription } from '../../src/push/subscriptions';
import { backends } from '../support/backends';
import { HX } from '../support/chatHttp';
import { Client, PASSWORD } from '../support/client';
import { testClock } from '../support/clock';
import { newDevice } from '../support/pushService';
import { startTestApp, type TestApp } from '../support/testApp';

/** A browser behind the platform's HTTPS router: every request says it came over HTTPS. */
class HttpsClient extends Client {
  override request(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}) {
    return super.request(method, path, { ...init, headers: { 'X-Forwarded-Proto': 'https', ...init.headers } });
  }
}

/** name → the addresses this test's DNS answers with (what a name resolves to can be changed mid-test). */
const dns = new Map<string, string[]>();
const lookups: string[] = [];

const testLookup: LookupFunction = (hostname, options, callback) => {
  lookups.push(hostname);
  const found = dns.get(hostname);
  if (!found) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', undefined);
  const all = found.map((address) => ({ address, family: isIP(address) }));
  if (options.all) callback(null, all);
  else callback(null, all[0].address, all[0].family);
};

describe.each(backends())('push services on the public internet only, on $name', (backend) => {
  let app: TestApp;
  let inside: Server;
  let network: PushNetwork;
  let reached = 0;
  const logged: string[] = [];

  beforeAll(async () => {
    // where the internal addresses lead: counts every connection that gets there
    inside = createServer((socket) => {
      reached++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    network = { lookup: testLookup, httpsPort: (inside.address() as AddressInfo).port };
    app = await startTestApp(backend, { production: true }, { pushNetwork: network });
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await app.app.context.push.idle();
    await app.close();
    inside.close();
  });

  /** Two users paired over HTTPS, both on the chat page. */
  async function couple() {
    const stem = `pn${randomBytes(3).toString('hex')}`;
    const [a, b] = [new HttpsClient(app.url), new HttpsClient(app.url)];
    for (const [client, login] of [
      [a, `${stem}_a`],
      [b, `${stem}_b`],
    ] as const) {
      await client.get('/signup');
      expect((await client.post('/signup', { login_id: login, password: PASSWORD, password_confirm: PASSWORD })).status).toBe(303);
    }
    await a.get('/pair');
    expect((await a.post('/pair/requests', { login_id: `${stem}_b` })).status).toBe(303);
    const request = /\/pair\/requests\/(\d+)\/accept/.exec((await b.get('/pair')).text)?.[1];
    expect((await b.post(`/pair/requests/${request}/accept`)).status).toBe(303);
    await a.get('/chat');
    await b.get('/chat');
    const bId = Number((await app.db('users').where({ login_id: `${stem}_b` }).first('id')).id);
    return { a, b, bId };
  }

  it('refuses, when a browser subscribes, endpoints on the server’s own network or off port 443: 422, nothing stored', async () => {
    const { b, bId } = await couple();
    await b.get('/account');
    const internal = [
      'https://localhost.:8443/push/x',
      'https://localhost./push/x',
      'https://127.0.0.1.nip.io/push/x',
      'https://10-0-0-1.sslip.io/push/x',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://metadata/computeMetadata/v1/',
      'https://[::ffff:127.0.0.1]/push/x',
      'https://0x7f000001/push/x',
      'https://169.254.169.254/latest/meta-data/',
      'https://printer.local/push/x',
      'https://push.example.com:8443/push/x',
      'http://127.0.0.1:9/push/x',
    ];
    for (const endpoint of internal) {
      const res = await b.post('/push/subscriptions', { ...newDevice(endpoint).fields }, HX);
      expect(res.status, endpoint).toBe(422);
      expect(res.text, endpoint).toContain('알림 주소가 올바르지 않아요.');
    }
    expect(await app.db('push_subscriptions').where({ user_id: bId })).toEqual([]);
    // a real push service's address is taken
    expect((await b.post('/push/subscriptions', { ...newDevice('https://fcm.googleapis.com/fcm/send/abc:def').fields }, HX)).status).toBe(204);
  });

  it('posts nothing to a stored subscription whose name now leads inside (DNS rebinding) or that names an internal address; logs each once', async () => {
    const { a, bId } = await couple();
    const port = network.httpsPort;
    // stored earlier (when their names led to the public internet), now leading inside
    const endpoints = [`https://rebind-a.push.test:${port}/send/1`, `https://rebind-b.push.test:${port}/send/2`, `https://rebind-c.push.test:${port}/send/3`, `https://127.0.0.1:${port}/send/4`, `https://[::ffff:127.0.0.1]:${port}/send/5`];
    dns.set('rebind-a.push.test', ['127.0.0.1']);
    dns.set('rebind-b.push.test', ['::ffff:127.0.0.1']);
    dns.set('rebind-c.push.test', ['93.184.215.14', '127.0.0.1']); // one answer of several is enough to refuse
    for (const endpoint of endpoints) {
      const device = newDevice(endpoint);
      await saveSubscription(app.db, bId, { endpoint, p256dh: device.fields.p256dh, auth: device.fields.auth }, 'Old/1.0', testClock.now());
    }
    const ids = (await app.db('push_subscriptions').where({ user_id: bId }).orderBy('id').pluck('id')).map(Number);
    expect(ids).toHaveLength(endpoints.length);

    // the test's own set-up can reach the stand-in: a sender that does not guard gets there
    const unguarded = new PushSender(app.app.context.deps.config.vapid, false, network);
    const device = newDevice(endpoints[0]);
    await unguarded.deliver({ id: -1, endpoint: endpoints[0], p256dh: device.fields.p256dh, auth: device.fields.auth }, { title: 't', body: 'b', url: '/chat', tag: 'chat' }, { ttl: 60, urgency: 'normal' });
    expect(reached, 'the stand-in is where rebind-a leads').toBe(1);
    reached = 0;
    lookups.length = 0;
    logged.length = 0;

    for (const text of ['안에 있니?', '또 있니?']) {
      const sent = await a.post('/chat/messages', { body: text, client_id: randomBytes(9).toString('base64url') });
      expect(sent.status, text).toBe(303);
      await app.app.context.push.idle();
    }
    expect(reached, 'a connection reached an internal address').toBe(0);
    expect(new Set(lookups)).toEqual(new Set(['rebind-a.push.test', 'rebind-b.push.test', 'rebind-c.push.test']));
    for (const id of ids) {
      const lines = logged.filter((line) => line.startsWith(`push: subscription ${id} `));
      expect(lines, `subscription ${id}`).toHaveLength(1);
      expect(lines[0]).toMatch(/not a public address/);
    }
    // kept (a name may lead out again), and the app carries on
    expect(await app.db('push_subscriptions').where({ user_id: bId }).count({ n: '*' }).first()).toMatchObject({ n: endpoints.length });
    expect((await a.get('/chat')).status).toBe(200);
    expect((await new Client(app.url).get('/healthz')).status).toBe(200);
  });
});
