// Notifications end to end in Chromium, against a push service this test runs itself.
//
// Real: the account page and push.js (permission, service worker registration at /sw.js,
// the subscription posted with the CSRF token), the server storing it, encrypting the
// payload for the browser's keys and POSTing it, VAPID-signed, to the subscription's
// endpoint; this test decrypting it (RFC 8291); the service worker's push handler showing
// the notification, reached through DevTools (ServiceWorker.deliverPushMessage).
// Stubbed: only PushManager.subscribe/getSubscription. Headless Chromium has no push
// service (it answers "Registration failed"), so the page gets a subscription whose
// endpoint is the test's push service and whose keys the test holds.
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectVisibleText, logIn, SEE_TIMEOUT } from '../support/browser';
import { phoneContext, postMessage } from '../support/chatPages';
import { pairUp, type Client } from '../support/client';
import { PushService, type Device } from '../support/pushService';
import type { TestApp } from '../support/testApp';

/**
 * Replaces the browser's push subscription with one at `device` (kept in localStorage so
 * that it outlives a page load, as a real one would). window.__push records the calls.
 */
function stubPushManager(device: { endpoint: string; p256dh: string; auth: string }) {
  const log: string[] = [];
  (window as unknown as { __push: string[] }).__push = log;
  const KEY = 'test.push.applicationServerKey';
  const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;
  const subscription = (serverKey: ArrayBuffer) => ({
    endpoint: device.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: serverKey },
    toJSON: () => ({ endpoint: device.endpoint, expirationTime: null, keys: { p256dh: device.p256dh, auth: device.auth } }),
    unsubscribe: () => {
      log.push('unsubscribe');
      localStorage.removeItem(KEY);
      return Promise.resolve(true);
    },
  });
  PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
    const key = options?.applicationServerKey;
    const bytes = key instanceof ArrayBuffer ? new Uint8Array(key) : new Uint8Array((key as ArrayBufferView).buffer);
    log.push(`subscribe userVisibleOnly=${options?.userVisibleOnly} key=${bytes.length}`);
    localStorage.setItem(KEY, toBase64(bytes));
    return Promise.resolve(subscription(bytes.buffer as ArrayBuffer) as unknown as PushSubscription);
  };
  PushManager.prototype.getSubscription = function () {
    const saved = localStorage.getItem(KEY);
    return Promise.resolve(saved ? (subscription(fromBase64(saved)) as unknown as PushSubscription) : null);
  };
}

/** The service worker's registration id, as DevTools knows it (needed to deliver a push to it). */
async function registrationIdOf(cdp: CDPSession, scope: string): Promise<string> {
  const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => registrations.find((r) => r.scopeURL === scope && !r.isDeleted), { timeout: SEE_TIMEOUT }).toBeTruthy();
  return registrations.find((r) => r.scopeURL === scope && !r.isDeleted)!.registrationId;
}

type Shown = { title: string; body?: string; tag?: string; url?: string };

/**
 * From now on, records each notification the service worker shows, once Chromium has
 * shown it (showNotification resolved). registration.getNotifications() can't be the
 * witness: a notification read in the moment between being shown and being registered as
 * displayed is dropped from that list (Chromium syncs it with what the platform displays),
 * which CI's load made happen.
 */
async function recordShown(worker: Worker): Promise<() => Promise<Shown[]>> {
  await worker.evaluate(() => {
    const shown: Shown[] = [];
    (self as unknown as { __shown: Shown[] }).__shown = shown;
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
      return show.call(this, title, options).then(() => {
        shown.push({ title, body: options?.body, tag: options?.tag, url: (options?.data as { url?: string } | undefined)?.url });
      });
    };
  });
  return () => worker.evaluate(() => (self as unknown as { __shown: Shown[] }).__shown);
}

const serviceWorkerOf = (context: BrowserContext, url: string) => {
  const worker = context.serviceWorkers().find((w) => w.url() === `${url}/sw.js`);
  expect(worker).toBeDefined();
  return worker!;
};

describeBrowser('notifications in Chromium', () => {
  const suite = browserSuite();
  let app: TestApp;
  let service: PushService;
  let device: Device;
  let sender: Client;
  let context: BrowserContext;
  let page: Page;
  let bId: number;

  beforeAll(async () => {
    app = suite.app;
    service = await PushService.start();
    device = service.device();
    [sender] = await pairUp(app.url, 'push_yoon', 'push_seo');
    bId = Number((await app.db('users').where({ login_id: 'push_seo' }).first('id')).id);
    ({ context, page } = await suite.open(phoneContext));
    await context.grantPermissions(['notifications'], { origin: app.url });
    await context.addInitScript(stubPushManager, device.fields);
    await page.goto('/login');
    await logIn(page, 'push_seo', undefined, '/chat');
  });
  afterAll(async () => {
    await app.app.context.push.idle();
    await service?.close();
  });

  it('turns notifications on from the account page: permission, service worker, subscription posted', async () => {
    await page.goto('/account');
    const section = page.getByRole('region', { name: '알림' });
    await expectVisibleText(section, '이 기기에서는 알림이 꺼져 있어요.');
    await section.getByRole('button', { name: '알림 켜기', exact: true }).click();
    await expectVisibleText(section, '이 기기에서 알림이 켜져 있어요.');
    await expect.poll(() => section.getByRole('button', { name: '알림 끄기', exact: true }).isVisible()).toBe(true);
    expect(await section.getByRole('button', { name: '알림 켜기', exact: true }).isVisible()).toBe(false);

    expect(await page.evaluate(() => (window as unknown as { __push: string[] }).__push)).toEqual(['subscribe userVisibleOnly=true key=65']);
    const rows = await app.db('push_subscriptions').where({ user_id: bId }).select();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpoint: device.endpoint, p256dh: device.fields.p256dh, auth: device.fields.auth });
    expect(rows[0].user_agent).toMatch(/Chrome/);
    // the real service worker, at the root of the site
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/'))?.active?.scriptURL)).toBe(`${app.url}/sw.js`);
  });

  it('shows “on” again after a reload, and the chat page does not offer it again', async () => {
    await page.reload();
    await expectVisibleText(page.getByRole('region', { name: '알림' }), '이 기기에서 알림이 켜져 있어요.');
    await page.goto('/chat');
    await page.locator('#messages').waitFor();
    expect(await page.locator('[data-push-prompt]').isVisible()).toBe(false);
  });

  it('a message from the partner reaches the local push service encrypted; decrypted, the service worker shows it', async () => {
    await page.goto('/account'); // away from the chat: a push is due, and shown
    await postMessage(sender, '자기야 오늘 몇 시에 끝나?');
    const [push] = await service.waitFor(device);
    const payload = PushService.payload(push, device);
    expect(payload).toEqual({ title: 'push_yoon', body: '자기야 오늘 몇 시에 끝나?', url: '/chat', tag: 'chat' });
    expect(push.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);

    // what the browser's push service would hand the service worker after decryption
    const shown = await recordShown(serviceWorkerOf(context, app.url));
    const cdp = await context.newCDPSession(page);
    const registrationId = await registrationIdOf(cdp, `${app.url}/`);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: app.url, registrationId, data: JSON.stringify(payload) });
    const first: Shown = { title: 'push_yoon', body: '자기야 오늘 몇 시에 끝나?', tag: 'chat', url: `${app.url}/chat` };
    await expect.poll(shown, { timeout: SEE_TIMEOUT }).toEqual([first]);
    // a payload that points off the site opens the chat instead
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: app.url, registrationId, data: JSON.stringify({ ...payload, tag: 'other', url: 'https://evil.example/' }) });
    await expect.poll(shown, { timeout: SEE_TIMEOUT }).toEqual([first, { ...first, tag: 'other', url: `${app.url}/chat` }]);
    await cdp.detach();
  });

  // Headless Chromium keeps every page visible, so the chat tab going to the background is
  // told to the service worker the way the browser would: the window's visibilityState.
  it('pushes while the chat is open; the service worker shows it only when the chat is not in front', async () => {
    await page.goto('/chat');
    await expect.poll(() => app.app.context.hub.isOnline(bId), { timeout: SEE_TIMEOUT }).toBe(true);
    const before = service.pushesTo(device).length;
    await postMessage(sender, '지금 보고 있어?');
    await expectVisibleText(page.locator('#messages'), '지금 보고 있어?');
    const pushes = await service.waitFor(device, before + 1);
    const payload = PushService.payload(pushes.at(-1)!, device);
    expect(payload).toMatchObject({ body: '지금 보고 있어?' });

    const worker = serviceWorkerOf(context, app.url);
    const shown = await recordShown(worker);
    // each look at the windows, with what it saw: the witness that a push was handled
    await worker.evaluate(() => {
      type Window = { url: string; visibilityState: string };
      type Clients = { matchAll(this: Clients, options?: object): Promise<Window[]> };
      const scope = self as unknown as { clients: Clients; __looks: string[][] };
      const looks: string[][] = (scope.__looks = []);
      const clients = Object.getPrototypeOf(scope.clients) as Clients;
      const matchAll = clients.matchAll;
      clients.matchAll = function (options) {
        return matchAll.call(this, options).then((found) => {
          looks.push(found.map((c) => `${new URL(c.url).pathname} ${c.visibilityState}`));
          return found;
        });
      };
    });
    const looks = () => worker.evaluate(() => (self as unknown as { __looks: string[][] }).__looks);
    const cdp = await context.newCDPSession(page);
    const registrationId = await registrationIdOf(cdp, `${app.url}/`);

    await cdp.send('ServiceWorker.deliverPushMessage', { origin: app.url, registrationId, data: JSON.stringify(payload) });
    await expect.poll(looks, { timeout: SEE_TIMEOUT }).toEqual([['/chat visible']]);
    expect(await shown()).toEqual([]);

    const hideChat = (hidden: boolean) =>
      worker.evaluate((h) => {
        const scope = self as unknown as { WindowClient: { prototype: object }; __visibility?: PropertyDescriptor };
        const proto = scope.WindowClient.prototype;
        scope.__visibility ??= Object.getOwnPropertyDescriptor(proto, 'visibilityState');
        Object.defineProperty(proto, 'visibilityState', h ? { configurable: true, get: () => 'hidden' } : scope.__visibility!);
      }, hidden);
    await hideChat(true);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: app.url, registrationId, data: JSON.stringify(payload) });
    await expect.poll(shown, { timeout: SEE_TIMEOUT }).toEqual([{ title: 'push_yoon', body: '지금 보고 있어?', tag: 'chat', url: `${app.url}/chat` }]);
    expect(await looks()).toEqual([['/chat visible'], ['/chat hidden']]);
    await hideChat(false);
    await cdp.detach();
  });

  it('sends no text once previews are off', async () => {
    await page.goto('/account');
    await page.getByLabel('알림에 메시지 내용 보여 주기').uncheck();
    await page.getByRole('region', { name: '알림' }).getByRole('button', { name: '저장', exact: true }).click();
    await expectVisibleText(page, '알림 설정을 저장했어요.');
    expect(await page.getByLabel('알림에 메시지 내용 보여 주기').isChecked()).toBe(false);
    const before = service.pushesTo(device).length;
    await postMessage(sender, '비밀 메시지');
    const pushes = await service.waitFor(device, before + 1);
    expect(PushService.payload(pushes.at(-1)!, device)).toEqual({ title: 'push_yoon', body: '새 메시지가 왔어요', url: '/chat', tag: 'chat' });
  });

  // Chromium never fires pushsubscriptionchange (Firefox does, when its push service
  // rotates a subscription), and a script-made event can't be waited on; so the test runs
  // the worker's handler itself, in the real service worker, with the real server.
  it('when the push service replaces the subscription, the service worker posts the new one and notifications follow it', async () => {
    const worker = serviceWorkerOf(context, app.url);
    const endpoints = async () => (await app.db('push_subscriptions').where({ user_id: bId }).pluck('endpoint')).map(String);
    expect(await endpoints()).toEqual([device.endpoint]);
    const rotated = service.device();

    // no new subscription given: the worker subscribes again itself, with the server's key
    const subscribed = await worker.evaluate(
      async ({ old, next }) => {
        const calls: string[] = [];
        PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
          calls.push(`subscribe userVisibleOnly=${options?.userVisibleOnly} key=${typeof options?.applicationServerKey}`);
          return Promise.resolve({ endpoint: next.endpoint, toJSON: () => ({ endpoint: next.endpoint, keys: { p256dh: next.p256dh, auth: next.auth } }) } as unknown as PushSubscription);
        };
        await (self as unknown as { renewSubscription(o: unknown, n: unknown): Promise<void> }).renewSubscription({ endpoint: old }, null);
        return calls;
      },
      { old: device.endpoint, next: rotated.fields },
    );
    expect(subscribed).toEqual(['subscribe userVisibleOnly=true key=string']);
    expect(await endpoints()).toEqual([rotated.endpoint]);
    const before = service.pushesTo(rotated).length;
    await postMessage(sender, '새 구독으로 가는 메시지');
    const pushes = await service.waitFor(rotated, before + 1);
    expect(PushService.payload(pushes.at(-1)!, rotated)).toEqual({ title: 'push_yoon', body: '새 메시지가 왔어요', url: '/chat', tag: 'chat' });

    // the browser hands over the new subscription: posted as it is (here, back to the first device)
    await worker.evaluate(
      async ({ old, next }) => {
        const given = { endpoint: next.endpoint, toJSON: () => ({ endpoint: next.endpoint, keys: { p256dh: next.p256dh, auth: next.auth } }) };
        await (self as unknown as { renewSubscription(o: unknown, n: unknown): Promise<void> }).renewSubscription({ endpoint: old }, given);
      },
      { old: rotated.endpoint, next: device.fields },
    );
    expect(await endpoints()).toEqual([device.endpoint]);
  });

  it('a log-out from any page lets this browser’s notifications go; logging in again takes them back', async () => {
    const rows = () => app.db('push_subscriptions').where({ user_id: bId }).select();
    await page.goto('/calendar');
    await expect.poll(() => page.locator('form[action="/logout"] input[name="push_endpoint"]').count()).toBe(1);
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(/\/login$/);
    expect(await rows()).toEqual([]);
    const before = service.pushesTo(device).length;
    await postMessage(sender, '로그아웃한 뒤의 메시지');
    await app.app.context.push.idle();
    expect(service.pushesTo(device)).toHaveLength(before);

    await logIn(page, 'push_seo', undefined, '/chat');
    await expect.poll(async () => (await rows()).map((r) => r.endpoint)).toEqual([device.endpoint]);
    await page.goto('/account');
  });

  it('turns notifications off: unsubscribed in the browser and deleted on the server', async () => {
    const section = page.getByRole('region', { name: '알림' });
    await section.getByRole('button', { name: '알림 끄기', exact: true }).click();
    await expectVisibleText(section, '이 기기에서는 알림이 꺼져 있어요.');
    expect(await page.evaluate(() => (window as unknown as { __push: string[] }).__push)).toContain('unsubscribe');
    expect(await app.db('push_subscriptions').where({ user_id: bId }).select()).toEqual([]);
  });

  it('offers notifications on the chat page to a browser not yet asked, and “나중에” puts the offer away for good', async () => {
    const { page: other } = await suite.open(phoneContext);
    await other.goto('/login');
    await logIn(other, 'push_yoon', undefined, '/chat');
    const offer = other.locator('[data-push-prompt]');
    await expectVisibleText(offer, '채팅을 닫아 두어도 새 메시지를 알림으로 받아 보세요.');
    expect(await offer.getByRole('button', { name: '알림 켜기', exact: true }).isVisible()).toBe(true);
    await offer.getByRole('button', { name: '나중에', exact: true }).click();
    await expect.poll(() => offer.isVisible()).toBe(false);
    await other.reload();
    await other.locator('#messages').waitFor();
    expect(await offer.isVisible()).toBe(false);
  });
});
