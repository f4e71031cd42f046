// The deploy rehearsal: what a PaaS does with a `git push`, done on this machine. A fresh
// clone of HEAD (uncommitted changes are not part of the rehearsal: commit them first) is
// built as the Node buildpack builds it (npm ci, the build script if any, devDependencies
// pruned), released once against a MariaDB database of its own (the Procfile's release:
// line), and run as two web processes (its web: line) with NODE_ENV=production, Redis and
// the secrets from the environment, behind nginx terminating TLS and spreading requests
// round-robin (deployment.ts). Everything after that goes through the proxy, as a browser
// on the real site would: a couple chats with each partner's stream on a different
// process, a photo uploaded to one is read from the other, a break-up's due time is
// honoured by whichever process sweeps first, one process is restarted while messages
// flow, and an idle stream is held for two minutes. Runs where MariaDB, Redis, nginx,
// openssl and the npm registry are; with REQUIRE_SERVICES=1 (CI) it runs regardless, so a
// missing one fails it.
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { startBreakup } from '../support/breakup';
import { newClientId } from '../support/chatHttp';
import { Client, pairUp, rawRequest } from '../support/client';
import { commandPath } from '../support/services';
import { DELIVERY_MS, isMessage, messageIdsIn, type SseStream } from '../support/sse';
import { filePart, isWebp, jpeg, upload } from '../support/uploads';
import { deploy, Rehearsal, type Deployment } from './deployment';
import { GRACE_MS, platformEnv, sh } from './paas';
import { LastingStream, onInstance, sendSurely, servedBy, streamOn } from './site';

const mysqlUrl = process.env.TEST_MYSQL_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const required = process.env.REQUIRE_SERVICES === '1';
const registry = required || (await sh('npm ping', { cwd: tmpdir(), env: platformEnv(), timeoutMs: 20_000 })).code === 0;
const missing = [!mysqlUrl && 'TEST_MYSQL_URL', !redisUrl && 'TEST_REDIS_URL', !commandPath('nginx') && 'nginx', !commandPath('openssl') && 'openssl', !registry && 'the npm registry'].filter(Boolean);
if (missing.length && !required) console.log(`[skip] deploy rehearsal: needs ${missing.join(', ')}`);

const IDLE_HOLD_MS = 120_000;
const BREAKUP_GRACE = '30s';

type Couple = { a: Client; b: Client };

describe.skipIf(missing.length > 0 && !required)('deploy rehearsal: a fresh clone built, released and run as a PaaS runs it, behind nginx', () => {
  const r = new Rehearsal();
  afterAll(async () => {
    await r.cleanUp();
    console.log(r.report());
  }, 120_000);

  it('serves a couple across two instances through the proxy, survives a rolling restart and holds an idle stream', async () => {
    const site = await deploy({ mysqlUrl: mysqlUrl!, redisUrl: redisUrl!, extraEnv: { BREAKUP_GRACE } }, r);
    await httpsAsABrowserSeesIt(site, r);
    const [chat, idle, parting] = await pairCouples(site, r);
    const idleStream = await streamOn(idle.b, site.ports[0]);
    const idleSince = Date.now();
    r.step('idle stream opened on web.1');
    const breakup = await startBreakupNow(site, parting, r);
    const streams = await chatAcrossInstances(site, chat, r);
    await photoAcrossInstances(site, chat, streams.b, r);
    streams.a.close();
    await rollingRestart(site, chat, streams.b, r);
    await breakupSwept(site, parting, breakup, r);
    await idleStreamHeld(idle, idleStream, idleSince, r);
    await addressIsTheProxys(site, r);
    await platformStops(site, r);
  }, 20 * 60_000);
});

async function httpsAsABrowserSeesIt(site: Deployment, r: Rehearsal) {
  const login = await new Client(site.proxy.https, site.tls).get('/login');
  expect(login.status).toBe(200);
  expect(login.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  const cookies = login.headers.getSetCookie();
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) {
    expect(cookie).toMatch(/^__Host-/);
    expect(cookie).toMatch(/;\s*secure/i);
    expect(cookie).toMatch(/;\s*path=\/(;|$)/i);
    expect(cookie).not.toMatch(/;\s*domain=/i);
  }
  // the address typed without https://, on the site's own name
  const page = await rawRequest(`${site.proxy.http}/chat?around=5`, 'GET', { host: 'couple.example' });
  expect(page.status).toBe(308);
  expect(page.location).toBe('https://couple.example/chat?around=5');
  expect(page.headers.getSetCookie()).toEqual([]);
  const form = await rawRequest(`${site.proxy.http}/login`, 'POST', { host: 'couple.example', 'content-type': 'application/x-www-form-urlencoded' }, 'login_id=someone&password=x');
  expect(form.status).toBe(403);
  expect(form.headers.getSetCookie()).toEqual([]);
  r.step('HTTPS: __Host- Secure cookies and HSTS; plain HTTP: GET → 308 to https://, POST → 403, no cookie');
}

async function pairCouples(site: Deployment, r: Rehearsal): Promise<Couple[]> {
  const couples = await Promise.all(
    // each couple from a home of its own (sign-ups are limited per address, as they are for real)
    ['chat', 'idle', 'part'].map(async (tag, i) => {
      const [a, b] = await pairUp(site.proxy.https, `${tag}_a`, `${tag}_b`, { ...site.tls, from: `127.0.0.${11 + i}` });
      await Promise.all([a.get('/chat'), b.get('/chat')]);
      return { a, b };
    }),
  );
  for (const { a, b } of couples) for (const client of [a, b]) expect(client.cookie('__Host-cc.sid') ?? '', 'a __Host- session cookie').not.toBe('');
  r.step('three couples signed up and paired: chat, idle, part');
  return couples;
}

/** Starts the parting couple's break-up; neither partner asks anything again until a sweep has ended it. */
async function startBreakupNow(site: Deployment, parting: Couple, r: Rehearsal): Promise<{ coupleId: number; dueAt: number }> {
  expect((await startBreakup(parting.a)).status).toBe(303);
  const coupleId = Number((await site.db('users').where({ login_id: 'part_a' }).first('couple_id')).couple_id);
  const dueAt = Number((await site.db('couples').where({ id: coupleId }).first('breakup_due_at')).breakup_due_at);
  r.step(`break-up of part started, due in ${BREAKUP_GRACE}`);
  return { coupleId, dueAt };
}

async function chatAcrossInstances(site: Deployment, chat: Couple, r: Rehearsal) {
  const a = await streamOn(chat.a, site.ports[0]);
  const b = await streamOn(chat.b, site.ports[1]);
  const hello = await sendSurely(chat.a, 'hello from the first partner');
  await b.waitFor(isMessage(hello), DELIVERY_MS, 'the message on the stream of web.2');
  const reply = await sendSurely(chat.b, 'hello back');
  await a.waitFor(isMessage(reply), DELIVERY_MS, 'the reply on the stream of web.1');
  r.step('chat: a streams from web.1, b from web.2; each sees the other at once (no buffering in nginx)');
  return { a, b };
}

async function photoAcrossInstances(site: Deployment, chat: Couple, bStream: SseStream, r: Rehearsal) {
  const photo = await jpeg(320, 240);
  const sent = await upload(chat.a, [{ name: 'client_id', value: newClientId() }, filePart('us.jpg', photo, 'image/jpeg')]);
  expect(sent.status).toBe(303);
  const uploadedOn = servedBy(sent.headers);
  const other = site.ports.find((port) => port !== uploadedOn)!;
  const shown = await bStream.waitFor((e) => e.event === 'message' && /\/files\/\d+\/thumb/.test(e.data), DELIVERY_MS, 'the photo');
  const fileId = /\/files\/(\d+)\/thumb/.exec(shown.data)![1];
  const original = await onInstance(other, () => chat.b.get(`/files/${fileId}`));
  expect(original.status).toBe(200);
  expect(original.bytes.equals(photo)).toBe(true);
  const thumb = await onInstance(other, () => chat.b.get(`/files/${fileId}/thumb`));
  expect(thumb.status).toBe(200);
  expect(isWebp(thumb.bytes)).toBe(true);
  r.step(`photo: uploaded through :${uploadedOn}, the original and its thumbnail read from :${other}`);
}

/** SIGTERM to web.2 while a sends and b's stream is on it; then web.2 is started again. */
async function rollingRestart(site: Deployment, chat: Couple, bStream: SseStream, r: Rehearsal) {
  const lasting = new LastingStream(chat.b, bStream);
  const acked: number[] = [];
  let sending = true;
  const sender = (async () => {
    for (let i = 1; sending; i++) acked.push(await sendSurely(chat.a, `rolling ${i}`));
  })();
  await expect.poll(() => acked.length, { timeout: 30_000, message: 'messages sent before the stop' }).toBeGreaterThanOrEqual(10);
  const stoppedIn = await site.webs[1].terminate();
  expect(stoppedIn, 'web.2 exits within the grace').toBeLessThan(GRACE_MS);
  r.step(`SIGTERM to web.2 after ${acked.length} messages: all its processes gone in ${(stoppedIn / 1000).toFixed(1)} s`);
  const backOn1 = () => lasting.current.status === 200 && servedBy(lasting.current.headers) === site.ports[0];
  await expect.poll(backOn1, { timeout: 20_000, message: "b's stream back, on web.1" }).toBe(true);
  const atReconnect = acked.length;
  await expect.poll(() => acked.length, { timeout: 30_000, message: 'messages sent after the reconnect' }).toBeGreaterThanOrEqual(atReconnect + 10);
  sending = false;
  await sender;
  const received = () => lasting.events.filter(isMessage()).flatMap((e) => messageIdsIn(e.data));
  await expect.poll(() => acked.filter((id) => !received().includes(id)), { timeout: 10_000, message: "acknowledged messages missing on b's stream" }).toEqual([]);
  expect(acked.filter((id) => received().filter((got) => got === id).length !== 1), 'messages not seen exactly once').toEqual([]);
  const seqs = lasting.events.map((e) => Number(e.id));
  expect(new Set(seqs).size, 'no event twice across the reconnect').toBe(seqs.length);
  r.step(`b's stream reconnected through nginx to web.1 with Last-Event-ID: ${acked.length} messages, each exactly once`);

  await site.restart(1);
  const backOn2 = await streamOn(chat.b, site.ports[1]);
  const later = await sendSurely(chat.a, 'hello again');
  await backOn2.waitFor(isMessage(later), DELIVERY_MS, 'a message on a stream of the new web.2');
  await lasting.close();
  backOn2.close();
  r.step('web.2 started again: it takes streams through nginx and delivers');
}

async function breakupSwept(site: Deployment, parting: Couple, { coupleId, dueAt }: { coupleId: number; dueAt: number }, r: Rehearsal) {
  const ended = async () => (await site.db('couples').where({ id: coupleId }).first('id')) === undefined;
  await expect.poll(ended, { timeout: 150_000, message: 'the break-up ended by a sweep' }).toBe(true);
  r.step(`break-up: the couple ended ${((Date.now() - dueAt) / 1000).toFixed(1)} s after its due time, by a sweep of either process`);
  for (const partner of [parting.a, parting.b]) {
    const home = await partner.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/pair');
  }
}

/** Two minutes with nothing to say, through nginx's 55 s read timeout: heartbeats keep it. */
async function idleStreamHeld(idle: Couple, stream: SseStream, since: number, r: Rehearsal) {
  const cut = await stream.waitForEnd(Math.max(0, IDLE_HOLD_MS - (Date.now() - since))).then(
    () => true,
    () => false,
  );
  expect(cut, `the idle stream was cut after ${((Date.now() - since) / 1000).toFixed(0)} s`).toBe(false);
  const heartbeats = stream.comments.filter((c) => c === '').length;
  expect(heartbeats).toBeGreaterThanOrEqual(4);
  const woke = await sendSurely(idle.a, 'still there?');
  await stream.waitFor(isMessage(woke), DELIVERY_MS, 'a message on the stream idle for 2 minutes');
  stream.close();
  r.step(`idle stream held ${((Date.now() - since) / 1000).toFixed(0)} s on web.1 with ${heartbeats} heartbeats, then delivered at once`);
}

/** The address the log-in throttle counts is the one nginx saw, whatever X-Forwarded-For a client sends. */
async function addressIsTheProxys(site: Deployment, r: Rehearsal) {
  const stranger = new Client(site.proxy.https, site.tls);
  await stranger.get('/login');
  // one ID, 10 failures allowed per address: under forged addresses the 11th would still pass
  const guess = (i: number) => stranger.post('/login', { login_id: 'nobody', password: 'not-the-password-1' }, { 'x-forwarded-for': `198.51.100.${i}` });
  for (let i = 1; i <= 10; i++) expect((await guess(i)).status).toBe(422);
  expect((await guess(11)).status, 'the 11th failed log-in for one ID from one address').toBe(429);
  r.step('X-Forwarded-For: 10 failed log-ins for one ID under forged addresses, the 11th refused (429)');
}

async function platformStops(site: Deployment, r: Rehearsal) {
  for (const web of site.webs) expect(await web.terminate(), `${web.name} exits within the grace`).toBeLessThan(GRACE_MS);
  for (const web of site.everStarted) expect(web.stderr(), `${web.name} logged an error`).toBe('');
  const logs = site.everStarted.flatMap((web) => web.stdout().trim().split('\n').map((line) => `          ${web.name} | ${line}`));
  r.step(`both processes stopped, nothing on stderr; what a hoster sees in their logs:\n${logs.join('\n')}`);
}
