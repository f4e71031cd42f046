// Sessions, cookies, CSRF and the browser-side policy, checked against OWASP ASVS 5.0:
// V7 (session management: a new id at log-in, log-out and password change end sessions on
// the server), V3 (web front-end: cookie attributes and the __Host- prefix, CSRF by token and
// origin, state changes only by POST, a CSP without unsafe inline script or style) and the
// htmx settings that let that CSP hold (no eval, no injected indicator styles, no history
// cache in the browser's storage, user content inside hx-disable).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../src/time';
import { sessionHash } from '../../src/web/session';
import { inlineScript } from '../../src/web/assets';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { HX, newCouple, send, type Couple } from '../support/chatHttp';
import { Client, logIn, PASSWORD, rawRequest, signUp, type Reply } from '../support/client';
import { changes, snapshot } from '../support/dbSnapshot';
import { exposedText, injectedElements, scan, textsWith } from '../support/htmlScan';
import { answerOk, isRevealed, questionIdIn } from '../support/questions';
import { fill, fillFields, routeKey, routerRoutes, specOf, type RouteSpec } from '../support/routeTable';
import { isMessage, SseStream, type SseEvent } from '../support/sse';
import { startTestApp, testConfig, type TestApp } from '../support/testApp';
import { filePart, jpeg, upload } from '../support/uploads';
import { testClock } from '../support/clock';

const CSRF_MESSAGE = '보안 확인에 실패했어요.';
const NEW_PASSWORD = 'fresh-Meadow-77';
const EVIL = 'https://evil.example';

let counter = 0;
const loginFor = (tag: string) => `${tag.slice(0, 8)}${++counter}_${randomBytes(2).toString('hex')}`;

/** A cookie value signed as Koa signs it (keygrip, sha1, url-safe base64), with the test app's key. */
function signCookie(name: string, value: string): string {
  const key = testConfig('sqlite::memory:').sessionKeys[0];
  return createHmac('sha1', key).update(`${name}=${value}`).digest('base64').replace(/\/|\+|=/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c]!);
}

/** Puts a cookie in a test browser, as an attacker who planted it would have. */
function plantCookie(client: Client, name: string, value: string): void {
  (client as unknown as { cookies: Map<string, string> }).cookies.set(name, value);
}

interface SetCookie {
  line: string;
  name: string;
  attrs: Map<string, string>;
  deletion: boolean;
}

function parseSetCookie(line: string): SetCookie {
  const [pair, ...rest] = line.split(';');
  const name = pair.slice(0, pair.indexOf('=')).trim();
  const value = pair.slice(pair.indexOf('=') + 1).trim();
  const attrs = new Map(rest.map((a) => a.trim()).filter(Boolean).map((a) => [a.split('=')[0].toLowerCase(), a.includes('=') ? a.slice(a.indexOf('=') + 1) : ''] as [string, string]));
  const deletion = value === '' || /1970/.test(attrs.get('expires') ?? '');
  return { line, name, attrs, deletion };
}

const setCookies = (res: Reply) => res.headers.getSetCookie().map(parseSetCookie);

/** A form POST made by hand: the token (if any) in the body, whatever headers a forger controls. */
function forge(client: Client, path: string, fields: Record<string, string>, token: string | undefined, headers: Record<string, string> = {}): Promise<Reply> {
  const body = new URLSearchParams(fields);
  if (token !== undefined) body.set('_csrf', token);
  return client.request('POST', path, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

function parseCsp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** What is wrong with a response's Content-Security-Policy, if anything. */
function cspProblems(res: Reply): string[] {
  const header = res.headers.get('content-security-policy');
  if (!header) return ['no Content-Security-Policy header'];
  const csp = parseCsp(header);
  const effective = (name: string) => csp.get(name) ?? csp.get('default-src');
  const problems: string[] = [];
  const scripts = effective('script-src');
  if (!scripts) problems.push('neither script-src nor default-src');
  for (const name of ['script-src', 'script-src-elem', 'script-src-attr']) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'http:', 'https:', 'blob:']) {
      if ((csp.get(name) ?? (name === 'script-src' ? effective(name) : []))?.includes(bad)) problems.push(`${name} allows ${bad}`);
    }
  }
  if (!effective('style-src')) problems.push('neither style-src nor default-src');
  for (const name of ['style-src', 'style-src-elem', 'style-src-attr']) {
    for (const bad of ["'unsafe-inline'", "'unsafe-hashes'", '*']) {
      if ((csp.get(name) ?? (name === 'style-src' ? effective(name) : []))?.includes(bad)) problems.push(`${name} allows ${bad}`);
    }
  }
  if (!(effective('object-src') ?? []).includes("'none'")) problems.push("object-src is not 'none'");
  if ((res.headers.get('content-type') ?? '').includes('text/html')) {
    // a page: no <base> hijack, no framing (a served file is sandboxed and X-Frame-Options: DENY)
    if (!csp.has('base-uri')) problems.push('no base-uri');
    if (!csp.has('frame-ancestors')) problems.push('no frame-ancestors');
  }
  return problems;
}

const isPage = (res: Reply) => (res.headers.get('content-type') ?? '').includes('text/html') && /<html[\s>]/.test(res.text);

/**
 * Markup that the CSP would block or that needs htmx's eval: style attributes, handlers, hx-on,
 * js: values, trigger filters, and an inline script or style sheet that the response's CSP does
 * not name by its hash (the few the app writes into a page, src/web/assets.ts INLINE_SCRIPTS).
 */
function inlineProblems(html: string, csp: string): string[] {
  const problems: string[] = [];
  for (const [, body] of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    const hash = `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    if (!csp.includes(hash)) problems.push(`<script>: an inline script the CSP does not allow by its hash: ${body.slice(0, 80)}`);
  }
  for (const e of scan(html).elements) {
    const tag = `<${e.tag}>`;
    if (e.tag === 'style') {
      const body = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      if (!csp.includes(`'sha256-${createHash('sha256').update(body).digest('base64')}'`)) problems.push(`${tag}: an inline style sheet the CSP does not allow by its hash`);
    }
    for (const [name, value] of Object.entries(e.attrs)) {
      if (name === 'style') problems.push(`${tag} style="${value}"`);
      if (/^on[a-z]/.test(name)) problems.push(`${tag} ${name}= (an inline handler)`);
      if (/^(data-)?hx-on/.test(name)) problems.push(`${tag} ${name}= (hx-on needs eval)`);
      if (/^(data-)?hx-(vals|headers|vars)$/.test(name) && /^\s*(js|javascript):/i.test(value)) problems.push(`${tag} ${name}="${value}" (needs eval)`);
      if (/^(data-)?hx-vars$/.test(name)) problems.push(`${tag} hx-vars (always eval)`);
      if (/^(data-)?hx-trigger$/.test(name) && value.includes('[')) problems.push(`${tag} hx-trigger="${value}" (a filter needs eval)`);
      if (/^(href|src|action|formaction)$/.test(name) && /^\s*javascript:/i.test(value)) problems.push(`${tag} ${name}="${value}"`);
    }
  }
  return problems;
}

/** The htmx settings in a page's <meta name="htmx-config">, or null. */
function htmxConfig(html: string): Record<string, unknown> | null {
  const metas = scan(html).elements.filter((e) => e.tag === 'meta' && e.attrs.name === 'htmx-config');
  if (metas.length !== 1) return null;
  return JSON.parse(metas[0].attrs.content) as Record<string, unknown>;
}

describe.each(backends())('sessions, cookies and CSRF per OWASP ASVS 5 on $name', (backend) => {
  const { app } = httpSuite(backend);

  const userId = async (login: string) => Number((await app.db('users').where({ login_id: login }).first('id')).id);
  const sessionRows = async (login: string) => app.db('sessions').where({ user_id: await userId(login) }).pluck('id');
  /** A request with exactly this Cookie header, as a replayed (stolen or kept) cookie would be. */
  const replay = (method: string, path: string, cookie: string, headers: Record<string, string> = {}, body?: string) =>
    rawRequest(app.url + path, method, { cookie, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers }, body);
  async function visitor(): Promise<Client> {
    const c = new Client(app.url);
    await c.get('/login');
    return c;
  }

  describe('sessions (V7.2, V7.4)', () => {
    it('log-in gives a new session id: one planted before log-in is void after it, and the CSRF token is new too', async () => {
      const login = loginFor('fix');
      const first = await signUp(app.url, login);
      const signUpSid = first.cookie('cc.sid');
      expect(signUpSid).toBeTruthy();
      await first.get('/pair');
      await first.post('/logout');

      // an attacker's session id, live in the store (an anonymous session) and planted, validly signed, in the victim's browser
      const planted = randomBytes(32).toString('base64url');
      const day = 86_400_000;
      await app.db('sessions').insert({ id: sessionHash(planted), user_id: null, data: JSON.stringify({ _expire: Date.now() + day, _maxAge: day }), expires_at: testClock.now() + day });
      const victim = new Client(app.url);
      plantCookie(victim, 'cc.sid', planted);
      plantCookie(victim, 'cc.sid.sig', signCookie('cc.sid', planted));
      await victim.get('/login');
      const tokenBefore = victim.cookie('cc.csrf');
      const res = await victim.post('/login', { login_id: login, password: PASSWORD });
      expect(res.status).toBe(303);

      const sid = victim.cookie('cc.sid');
      expect(sid, 'a session cookie after log-in').toBeTruthy();
      expect(sid, 'not the planted id').not.toBe(planted);
      expect(sid, 'not the id of an earlier log-in').not.toBe(signUpSid);
      expect(victim.cookie('cc.csrf'), 'a new CSRF token at log-in').not.toBe(tokenBefore);
      expect(await app.db('sessions').where({ id: sessionHash(planted) }).first(), 'the planted session is gone from the store').toBeUndefined();
      expect(await sessionRows(login)).toEqual([sessionHash(sid!)]);

      // the attacker, holding the planted id, is not logged in as the victim
      const attacker = await replay('GET', '/account', `cc.sid=${planted}; cc.sid.sig=${signCookie('cc.sid', planted)}`);
      expect(attacker.status).toBe(303);
      expect(attacker.location).toBe('/login');
      expect((await victim.get('/account')).status).toBe(200);
    });

    it('every log-in of the same user gets an id of its own', async () => {
      const login = loginFor('again');
      await signUp(app.url, login);
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++) ids.add((await logIn(app.url, login)).cookie('cc.sid')!);
      expect(ids.size).toBe(3);
    });

    it('log-out ends the session on the server: the old cookie, replayed, is refused', async () => {
      const c = await newCouple(app.url, app.db, 'out');
      const oldCookie = c.a.cookieHeader();
      const oldToken = c.a.csrf;
      const sid = c.a.cookie('cc.sid')!;
      expect(await app.db('sessions').where({ id: sessionHash(sid) }).first()).toBeDefined();

      const out = await c.a.post('/logout');
      expect(out.status).toBe(303);
      expect(out.location).toBe('/login');
      expect(setCookies(out).find((k) => k.name === 'cc.sid')?.deletion, 'the browser is told to drop the cookie').toBe(true);
      expect(await app.db('sessions').where({ id: sessionHash(sid) }).first(), 'the session row is gone').toBeUndefined();

      for (const path of ['/chat', '/account', '/calendar', '/answers']) {
        const res = await replay('GET', path, oldCookie);
        expect(res.status, `${path} with the old cookie`).toBe(303);
        expect(res.location).toBe('/login');
        const hx = await replay('GET', path, oldCookie, HX);
        expect(hx.status).toBe(401);
        expect(hx.headers.get('hx-redirect')).toBe('/login');
      }
      const stream = await SseStream.open(`${app.url}/chat/stream`, { cookie: oldCookie, accept: 'text/event-stream' });
      expect(stream.status, 'the event stream refuses the old cookie').toBe(401);
      stream.close();
      // a replayed form with the old cookie and its (then valid) token does nothing
      const before = await app.db('messages').where({ couple_id: c.coupleId }).count({ n: '*' });
      const post = await replay('POST', '/chat/messages', oldCookie, {}, new URLSearchParams({ _csrf: oldToken, body: '로그아웃 뒤에', client_id: 'replayed-after-logout' }).toString());
      expect(post.status).toBe(303);
      expect(post.location).toBe('/login');
      expect(await app.db('messages').where({ couple_id: c.coupleId }).count({ n: '*' })).toEqual(before);
    });

    it('a password change ends every other session of the user (streams too); this device goes on under a new id', async () => {
      const c = await newCouple(app.url, app.db, 'pw');
      const phone = c.a;
      const laptop = await logIn(app.url, c.aLogin);
      expect((await laptop.get('/chat')).status).toBe(200);
      const stream = await SseStream.forClient(laptop);
      try {
        expect(stream.status).toBe(200);
        expect(await sessionRows(c.aLogin)).toHaveLength(2);
        const phoneCookieBefore = phone.cookieHeader();
        const laptopCookie = laptop.cookieHeader();

        await phone.get('/account');
        const res = await phone.post('/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD });
        expect(res.status).toBe(303);

        // the other device is logged out, its stream ended
        const other = await replay('GET', '/chat', laptopCookie);
        expect(other.status).toBe(303);
        expect(other.location).toBe('/login');
        await stream.waitForEnd();
        // the device that changed it carries on, but under a new id: its old cookie is void too
        expect(phone.cookieHeader()).not.toBe(phoneCookieBefore);
        expect((await phone.get('/account')).status).toBe(200);
        expect((await replay('GET', '/account', phoneCookieBefore)).location).toBe('/login');
        expect(await sessionRows(c.aLogin)).toEqual([sessionHash(phone.cookie('cc.sid')!)]);
        // the partner is not touched
        expect((await c.b.get('/chat')).status).toBe(200);
        // and the new password is the one that works
        await expect(logIn(app.url, c.aLogin)).rejects.toThrow();
        expect((await logIn(app.url, c.aLogin, NEW_PASSWORD)).cookie('cc.sid')).toBeTruthy();
      } finally {
        stream.close();
      }
    });
  });

  describe('cookies (V3.3)', () => {
    it('every cookie is HttpOnly, SameSite=Lax, Path=/ and names no Domain', async () => {
      const all: SetCookie[] = [];
      const c = new Client(app.url);
      const keep = (res: Reply) => all.push(...setCookies(res));
      const login = loginFor('cookie');
      keep(await c.get('/signup'));
      keep(await c.post('/signup', { login_id: login, password: PASSWORD, password_confirm: PASSWORD }));
      keep(await c.get('/pair'));
      keep(await c.post('/language', { language: 'en', back: '/pair' }));
      keep(await c.get('/account'));
      keep(await c.post('/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }));
      keep(await c.get('/account'));
      keep(await c.post('/logout'));
      keep(await c.get('/login'));
      keep(await c.post('/login', { login_id: login, password: NEW_PASSWORD }));
      const names = new Set(all.map((k) => k.name));
      for (const name of ['cc.sid', 'cc.csrf']) expect(names, `the flow sets ${name}`).toContain(name);

      const problems: string[] = [];
      for (const k of all) {
        if (k.attrs.get('path') !== '/') problems.push(`${k.line}: Path is not /`);
        if (k.attrs.has('domain')) problems.push(`${k.line}: names a Domain`);
        if (k.deletion) continue; // a cookie being removed carries nothing
        if (!k.attrs.has('httponly')) problems.push(`${k.line}: not HttpOnly`);
        if (k.attrs.get('samesite')?.toLowerCase() !== 'lax') problems.push(`${k.line}: not SameSite=Lax`);
      }
      expect(problems).toEqual([]);
    });
  });

  describe('in production behind an HTTPS proxy (V3.3.1)', () => {
    let prod: TestApp;
    const https = { 'X-Forwarded-Proto': 'https' };
    beforeAll(async () => {
      prod = await startTestApp(backend, { production: true });
    });
    afterAll(() => prod.close());

    /** Sign-up, a flash, the language switch, a password change, log-out, log-in: every cookie the app sets. */
    async function cookieFlow(): Promise<SetCookie[]> {
      const all: SetCookie[] = [];
      const c = new Client(prod.url);
      const keep = (res: Reply) => all.push(...setCookies(res));
      const login = loginFor('prod');
      keep(await c.get('/signup', https));
      keep(await c.post('/signup', { login_id: login, password: PASSWORD, password_confirm: PASSWORD }, https));
      keep(await c.get('/pair', https));
      keep(await c.post('/language', { language: 'en', back: '/pair' }, https));
      keep(await c.get('/account', https));
      keep(await c.post('/account/password', { current_password: PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD }, https));
      keep(await c.get('/account', https));
      keep(await c.post('/logout', {}, https));
      keep(await c.get('/login', https));
      const res = await c.post('/login', { login_id: login, password: NEW_PASSWORD }, https);
      expect(res.status).toBe(303);
      keep(res);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      return all;
    }

    /** What a browser would refuse or what ASVS 3.3.1 asks of one Set-Cookie line. */
    function hostPrefixProblems(k: SetCookie): string[] {
      const problems: string[] = [];
      if (!k.attrs.has('secure')) problems.push(`${k.line}: not Secure`);
      if (k.attrs.get('path') !== '/') problems.push(`${k.line}: Path is not /`);
      if (k.attrs.has('domain')) problems.push(`${k.line}: names a Domain`);
      if (!k.deletion && !k.attrs.has('httponly')) problems.push(`${k.line}: not HttpOnly`);
      if (!k.deletion && k.attrs.get('samesite')?.toLowerCase() !== 'lax') problems.push(`${k.line}: not SameSite=Lax`);
      return problems;
    }

    it('the session and CSRF cookies are __Host- prefixed, Secure, Path=/, HttpOnly, SameSite=Lax, with no Domain', async () => {
      const all = await cookieFlow();
      const ours = all.filter((k) => /^__Host-cc\.(sid|csrf)(\.sig)?$/.test(k.name));
      for (const name of ['__Host-cc.sid', '__Host-cc.sid.sig', '__Host-cc.csrf', '__Host-cc.csrf.sig']) expect(ours.map((k) => k.name), name).toContain(name);
      expect(all.filter((k) => /^cc\.(sid|csrf)/.test(k.name)).map((k) => k.line), 'no unprefixed session or CSRF cookie').toEqual([]);
      expect(ours.flatMap(hostPrefixProblems)).toEqual([]);
    });

    it('every cookie the app sets has the __Host- prefix and is Secure (ASVS 3.3.1)', async () => {
      const all = await cookieFlow();
      const problems = all.flatMap((k) => [...(k.name.startsWith('__Host-') ? [] : [`${k.name}: no __Host- prefix (${k.line})`]), ...hostPrefixProblems(k)]);
      expect([...new Set(problems)]).toEqual([]);
    });

    it('a production session cookie is only accepted under its __Host- name', async () => {
      const c = new Client(prod.url);
      const login = loginFor('prodn');
      await c.get('/signup', https);
      expect((await c.post('/signup', { login_id: login, password: PASSWORD, password_confirm: PASSWORD }, https)).status).toBe(303);
      const sid = c.cookie('__Host-cc.sid')!;
      const sig = c.cookie('__Host-cc.sid.sig')!;
      expect((await rawRequest(`${prod.url}/account`, 'GET', { cookie: `__Host-cc.sid=${sid}; __Host-cc.sid.sig=${sig}`, ...https })).status).toBe(200);
      const unprefixed = await rawRequest(`${prod.url}/account`, 'GET', { cookie: `cc.sid=${sid}; cc.sid.sig=${signCookie('cc.sid', sid)}`, ...https });
      expect(unprefixed.location).toBe('/login');
    });

    it('a plain-HTTP request in production never gets a 500 (it is sent to HTTPS or refused)', async () => {
      for (const headers of [{}, { 'X-Forwarded-Proto': 'http' }] as Record<string, string>[]) {
        const c = new Client(prod.url);
        const login = loginFor('plain');
        const page = await c.get('/signup', headers);
        expect(page.status, `GET /signup ${JSON.stringify(headers)}`).toBeLessThan(500);
        const res = await c.post('/signup', { login_id: login, password: PASSWORD, password_confirm: PASSWORD }, headers);
        expect(res.status, `POST /signup over plain HTTP ${JSON.stringify(headers)}: ${res.status}`).toBeLessThan(500);
        const csrfCookie = setCookies(page).find((k) => k.name.startsWith('__Host-'));
        if (csrfCookie) expect(csrfCookie.attrs.has('secure'), `a __Host- cookie without Secure is dropped by browsers: ${csrfCookie.line}`).toBe(true);
      }
    });
  });

  describe('CSRF (V3.5)', () => {
    let k: Couple;
    /** the same user's other device, an unrelated user (the attacker), a single user with a request in and one out */
    let kOtherDevice: Client;
    let attacker: Client;
    let single: Client;
    let singleOtherDevice: Client;
    let singleLogin: string;
    const values: Record<string, string | number> = {};
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      k = await newCouple(app.url, app.db, 'csrf');
      kOtherDevice = await logIn(app.url, k.aLogin);
      await kOtherDevice.get('/chat');
      attacker = await signUp(app.url, loginFor('evil'));
      await attacker.get('/pair');
      singleLogin = loginFor('single');
      single = await signUp(app.url, singleLogin);
      const asker = loginFor('asker');
      const askerClient = await signUp(app.url, asker);
      const askee = loginFor('askee');
      await signUp(app.url, askee);
      await askerClient.get('/pair');
      expect((await askerClient.post('/pair/requests', { login_id: singleLogin })).status).toBe(303);
      await single.get('/pair');
      expect((await single.post('/pair/requests', { login_id: askee })).status).toBe(303);
      await single.get('/pair');
      singleOtherDevice = await logIn(app.url, singleLogin);
      await singleOtherDevice.get('/pair');
      ids.recipient = Number((await app.db('pair_requests').where({ from_user_id: await userId(asker) }).first('id')).id);
      ids.sender = Number((await app.db('pair_requests').where({ from_user_id: await userId(singleLogin) }).first('id')).id);

      ids.message = await send(k.a, '지켜야 할 메시지');
      await k.a.get('/calendar');
      expect((await k.a.post('/calendar/events', { date: '2026-05-05', title: '지켜야 할 일정' })).status).toBe(303);
      ids.event = Number((await app.db('calendar_events').where({ couple_id: k.coupleId }).first('id')).id);
      await send(k.b, '나는 운동갔다가 저녁 먹고 쉬려고!');
      ids.question = questionIdIn((await k.a.get('/chat')).text)!;
      expect(ids.question).toBeTruthy();
      await k.a.get('/chat');
      Object.assign(values, { message: ids.message, single: loginFor('nobody'), self: k.aLogin });
    });

    /** Who a forged request rides on: a visitor for log-in and sign-up, the single user for pairing, else a partner. */
    async function victimFor(spec: RouteSpec): Promise<{ victim: Client; otherDevice: Client | null }> {
      if (spec.role === 'anonymous-only') return { victim: await visitor(), otherDevice: null };
      if (spec.role === 'single') return { victim: single, otherDevice: singleOtherDevice };
      return { victim: k.a, otherDevice: kOtherDevice };
    }

    function pathOf(spec: RouteSpec): string {
      if (!spec.id) return spec.path;
      const id = spec.id === 'pair-request' ? ids[spec.actor!] : ids[spec.id];
      return fill(spec.path, {}, id);
    }

    const postRoutes = routerRoutes().filter((r) => r.method === 'POST');

    it.each(postRoutes)('$method $path: no token, a token of another session, a foreign Origin or a cross-site fetch → 403, nothing changes', async (route) => {
      const spec = specOf(route);
      const { victim, otherDevice } = await victimFor(spec);
      const path = pathOf(spec);
      const fields = fillFields(spec.fields, values);
      const own = victim.csrf;
      expect(own).toBeTruthy();
      const variants: [string, string | undefined, Record<string, string>][] = [
        ['no token', undefined, {}],
        ['an empty token', '', {}],
        ['no token, htmx', undefined, HX],
        ['a token from another browser', attacker.csrf, {}],
        ['a token from another browser in the htmx header', undefined, { ...HX, 'X-CSRF-Token': attacker.csrf }],
        ...(otherDevice ? ([['a token from another session of the same user', otherDevice.csrf, {}]] as [string, string, Record<string, string>][]) : []),
        ['Origin: https://evil.example', own, { Origin: EVIL }],
        ['Origin: https://evil.example, htmx', undefined, { ...HX, 'X-CSRF-Token': own, Origin: EVIL }],
        ['Origin: null', own, { Origin: 'null' }],
        ['a Referer on another site', own, { Referer: `${EVIL}/page` }],
        ['Sec-Fetch-Site: cross-site', own, { 'Sec-Fetch-Site': 'cross-site' }],
        ['Sec-Fetch-Site: cross-site with our own Origin', own, { 'Sec-Fetch-Site': 'cross-site', Origin: app.url }],
      ];
      const before = await snapshot(app.db);
      for (const [what, token, headers] of variants) {
        const res = await forge(victim, path, fields, token, headers);
        expect(res.status, `${routeKey(route)} with ${what}`).toBe(403);
        expect(res.text, `${routeKey(route)} with ${what}: the CSRF message`).toContain(CSRF_MESSAGE);
      }
      expect(changes(before, await snapshot(app.db)), `${routeKey(route)}: nothing changed`).toEqual([]);
    });

    it('the harness is fair: the same requests with the page’s own token and no foreign headers go through', async () => {
      expect((await forge(k.a, '/chat/read', { up_to: String(ids.message) }, k.a.csrf)).status).toBe(303);
      expect((await forge(k.a, '/language', { language: 'ko', back: '/chat' }, k.a.csrf, { Origin: app.url, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
      expect((await forge(k.a, '/calendar/dday/clear', {}, undefined, { ...HX, 'X-CSRF-Token': k.a.csrf })).status).toBe(200);
      const anon = await visitor();
      expect((await forge(anon, '/login', { login_id: k.bLogin, password: PASSWORD }, anon.csrf)).status).toBe(303);
    });

    it('a multipart upload without its token, with another session’s, or from another site → 403, nothing stored', async () => {
      const c = await newCouple(app.url, app.db, 'csrfup');
      const parts = async () => [{ name: 'client_id', value: randomBytes(9).toString('base64url') }, filePart('몰래.jpg', await jpeg(), 'image/jpeg')];
      const before = await snapshot(app.db);
      const attempts: [string, Parameters<typeof upload>[2]][] = [
        ['no token', { csrf: 'none' }],
        ['another browser’s token in the header', { token: attacker.csrf }],
        ['another browser’s token in the query', { csrf: 'query', token: attacker.csrf }],
        ['the same user’s other session’s token', { token: kOtherDevice.csrf }],
        ['a foreign Origin', { headers: { Origin: EVIL } }],
        ['a cross-site fetch', { headers: { 'Sec-Fetch-Site': 'cross-site' } }],
        ['a foreign Origin, htmx', { htmx: true, headers: { Origin: EVIL } }],
      ];
      for (const [what, options] of attempts) {
        const res = await upload(c.a, await parts(), options);
        expect(res.status, `upload with ${what}`).toBe(403);
      }
      expect(changes(before, await snapshot(app.db))).toEqual([]);
      expect((await upload(c.a, await parts())).status, 'with its own token it goes through').toBe(303);
    });
  });

  describe('state changes only by POST (V3.5.3)', () => {
    let p: Couple;
    let single: Client;
    const values: Record<string, string | number> = {};
    let fileId = 0;
    let lastUnread = 0;

    beforeAll(async () => {
      p = await newCouple(app.url, app.db, 'get');
      single = await signUp(app.url, loginFor('getsingle'));
      await single.get('/pair');
      const m1 = await send(p.a, '사과 먹으러 가자');
      expect((await upload(p.a, [{ name: 'client_id', value: randomBytes(9).toString('base64url') }, filePart('사진.jpg', await jpeg(), 'image/jpeg')])).status).toBe(303);
      fileId = Number((await app.db('files').where({ couple_id: p.coupleId }).first('id')).id);
      await send(p.b, '좋아 사과 좋아');
      await p.a.get('/calendar');
      await p.a.post('/calendar/events', { date: dayOf(testClock.now(), 'Asia/Seoul'), title: '사과 따기' });
      const eventId = Number((await app.db('calendar_events').where({ couple_id: p.coupleId }).first('id')).id);
      await p.a.post(`/calendar/events/${eventId}/dday`);
      await send(p.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
      const q = questionIdIn((await p.a.get('/chat')).text)!;
      await p.b.get('/chat');
      await answerOk(p.a, q, '좋아해');
      await answerOk(p.b, q, '가끔');
      await p.a.get('/rank');
      await p.a.post('/rank/excluded', { word: '좋아', n: '3' });
      // both have read everything, then b writes once more: a has an unread message
      await p.a.get('/chat');
      await p.b.get('/chat');
      lastUnread = await send(p.b, '아직 안 읽은 메시지');
      Object.assign(values, { message: m1, single: 'someone_new', self: p.aLogin });
    });

    const getRoutes = () => routerRoutes().filter((r) => r.method === 'GET');
    const urlOf = (route: { method: string; path: string }) => {
      const spec = specOf(route);
      return fill(spec.path, values, fileId) + (spec.query ? `?${fill(spec.query, values)}` : '');
    };

    // Whole rows are compared, not just counts. Nothing needs leaving out: sessions have no
    // last-seen column, and koa-session rewrites a session only to renew it in the second
    // half of its 30 days. The one write a GET may make is GET /chat's read receipt (the
    // contract: opening the chat is seeing it), tested on its own below; the sweep asks
    // /chat with ?around=, which opens history and marks nothing.
    it('GET and HEAD of every GET route, by a partner, a single user and a visitor, change nothing (GET /chat’s read receipt aside)', async () => {
      const anon = await visitor();
      const before = await snapshot(app.db);
      const statuses: string[] = [];
      for (const route of getRoutes()) {
        for (const [who, client] of [
          ['partner', p.a],
          ['single', single],
          ['visitor', anon],
        ] as const) {
          const url = urlOf(route);
          for (const [method, headers] of [
            ['GET', {}],
            ['GET', HX],
            ['HEAD', {}],
          ] as const) {
            const res = await client.request(method, url, { headers });
            statuses.push(`${who} ${method} ${url} ${res.status}`);
            expect(res.status, `${who} ${method} ${url}`).toBeLessThan(500);
          }
        }
      }
      // the stream's HEAD (what the chat page asks after a refused stream) is a GET route too
      expect((await p.a.request('HEAD', '/chat/stream')).status).toBe(200);
      expect(changes(before, await snapshot(app.db)), 'rows changed by GET or HEAD').toEqual([]);
      expect(statuses.some((s) => s.startsWith('partner GET /files/') && s.endsWith(' 200'))).toBe(true);
    });

    it('GET /chat writes exactly one thing, the read receipt the contract asks for (a read mark and its event)', async () => {
      const before = await snapshot(app.db);
      expect((await p.a.get('/chat')).status).toBe(200);
      const changed = changes(before, await snapshot(app.db));
      expect(changed.map((c) => c.table)).toEqual(['couples', 'events', 'read_marks']);
      const events = changed.find((c) => c.table === 'events')!;
      expect(events.removed).toEqual([]);
      expect(events.added).toHaveLength(1);
      expect(events.added[0]).toContain('"read"');
      expect(events.added[0]).toContain(`"reader\\":${p.aId}`);
      const mark = await app.db('read_marks').where({ user_id: p.aId }).first();
      expect(Number(mark.up_to)).toBe(lastUnread);
      // the couple row changed in its event counter only
      const couple = changed.find((c) => c.table === 'couples')!;
      const strip = (row: string) => row.replace(/\["event_seq",\d+\]/, '');
      expect(couple.added.map(strip)).toEqual(couple.removed.map(strip));
      // seen once, it is not marked again
      const again = await snapshot(app.db);
      await p.a.get('/chat');
      expect(changes(again, await snapshot(app.db))).toEqual([]);
    });

    it('HEAD /chat marks nothing read: nobody saw the messages', async () => {
      await send(p.b, 'HEAD로는 안 읽혀야 해');
      const before = await snapshot(app.db);
      const res = await p.a.request('HEAD', '/chat');
      expect(res.status).toBe(200);
      expect(changes(before, await snapshot(app.db)), 'HEAD /chat wrote').toEqual([]);
    });

    it('every other method on a GET route → 405 (or 404), with or without a token, and nothing changes', async () => {
      const all = routerRoutes();
      const before = await snapshot(app.db);
      for (const route of getRoutes()) {
        const registered = all.filter((r) => r.path === route.path).map((r) => r.method);
        const url = urlOf(route);
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !registered.includes(m))) {
          const body = `_csrf=${encodeURIComponent(p.a.csrf)}`;
          // (Content-Length given: node's client sends a DELETE body without one, which the server cannot frame)
          const withToken = await p.a.request(method, url, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), 'X-CSRF-Token': p.a.csrf } });
          expect([405, 404], `${method} ${url} with a token: ${withToken.status}`).toContain(withToken.status);
          const without = await p.a.request(method, url);
          expect([403, 404, 405], `${method} ${url} without a token: ${without.status}`).toContain(without.status);
        }
      }
      expect(changes(before, await snapshot(app.db))).toEqual([]);
      expect((await p.a.get('/chat')).status, 'still logged in').toBe(200);
    });

    it('a GET or HEAD of a POST-only route (a link, an <img>) → 405 (or 404) and changes nothing: no log-out or delete by link', async () => {
      const all = routerRoutes();
      await p.a.get('/chat');
      const before = await snapshot(app.db);
      const ids: Record<string, number> = {
        message: Number(values.message),
        event: Number((await app.db('calendar_events').where({ couple_id: p.coupleId }).first('id')).id),
        question: Number((await app.db('couple_questions').where({ couple_id: p.coupleId }).first('id')).id),
        'pair-request': 1,
      };
      for (const route of all.filter((r) => r.method === 'POST' && !all.some((g) => g.method === 'GET' && g.path === r.path))) {
        const spec = specOf(route);
        const url = fill(spec.path, {}, spec.id ? ids[spec.id] : undefined) + `?_csrf=${encodeURIComponent(p.a.csrf)}`;
        for (const method of ['GET', 'HEAD']) {
          const res = await p.a.request(method, url);
          expect([405, 404], `${method} ${url}: ${res.status}`).toContain(res.status);
        }
      }
      expect(changes(before, await snapshot(app.db))).toEqual([]);
      expect((await p.a.get('/chat')).status, 'still logged in').toBe(200);
    });
  });

  describe('CSP and the htmx settings it needs (V3.4, V3.2)', () => {
    /** Every GET route as a partner, a single user and a visitor, plus error and form pages. */
    const replies: { label: string; res: Reply }[] = [];

    beforeAll(async () => {
      const c = await newCouple(app.url, app.db, 'csp');
      const m = await send(c.a, '안녕');
      expect((await upload(c.a, [{ name: 'client_id', value: randomBytes(9).toString('base64url') }, filePart('사진.jpg', await jpeg(), 'image/jpeg')])).status).toBe(303);
      const fileId = Number((await app.db('files').where({ couple_id: c.coupleId }).first('id')).id);
      const single = await signUp(app.url, loginFor('cspsingle'));
      await single.get('/pair');
      const anon = await visitor();
      const values = { message: m, single: 'someone_new', self: c.aLogin };
      for (const route of routerRoutes().filter((r) => r.method === 'GET')) {
        const spec = specOf(route);
        const url = fill(spec.path, values, fileId) + (spec.query ? `?${fill(spec.query, values)}` : '');
        for (const [who, client] of [
          ['partner', c.a],
          ['single', single],
          ['visitor', anon],
        ] as const) {
          replies.push({ label: `${who} GET ${url}`, res: await client.get(url) });
          replies.push({ label: `${who} GET ${url} (htmx)`, res: await client.get(url, HX) });
        }
      }
      const more: [string, Client, () => Promise<Reply>][] = [
        ['history page', c.a, () => c.a.get(`/chat/messages?before=${m + 1}`)],
        ['search results', c.a, () => c.a.get('/chat/search?q=%EC%95%88%EB%85%95')],
        ['404 page', anon, () => anon.get('/no/such/page')],
        ['405 page', c.a, () => c.a.get('/logout')],
        ['403 page', anon, () => forge(anon, '/login', {}, 'wrong')],
        ['422 log-in page', anon, () => anon.post('/login', { login_id: 'nobody_here', password: 'wrong-password' })],
        ['422 sign-up page', anon, () => anon.post('/signup', { login_id: 'x', password: '1', password_confirm: '2' })],
        ['422 pairing page', single, () => single.post('/pair/requests', { login_id: 'nobody_404' })],
        ['422 calendar page', c.a, () => c.a.post('/calendar/events', { date: '', title: '' })],
        ['422 account page', c.a, () => c.a.post('/account/password', { current_password: 'wrong', new_password: 'a', new_password_confirm: 'b' })],
      ];
      for (const [label, client, go] of more) {
        await client.get(client === anon ? '/login' : '/account'); // a fresh page, so its token is current
        replies.push({ label, res: await go() });
      }
      // a question waiting for an answer: sending is a 409 page with the question
      const q = await newCouple(app.url, app.db, 'cspq');
      await send(q.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
      await q.b.get('/chat');
      replies.push({ label: '409 question page', res: await q.b.post('/chat/messages', { body: '안녕', client_id: 'csp-question-0001' }) });
    });

    it('every response has a CSP without unsafe-inline or unsafe-eval script, nor unsafe-inline style', () => {
      expect(replies.length).toBeGreaterThan(50);
      const problems = replies.flatMap(({ label, res }) => cspProblems(res).map((p) => `${label} (${res.status}): ${p}`));
      expect(problems).toEqual([]);
    });

    it('every page configures htmx for that CSP: allowEval false, includeIndicatorStyles false, historyCacheSize 0, refreshOnHistoryMiss true', () => {
      const pages = replies.filter(({ res }) => isPage(res));
      expect(pages.length).toBeGreaterThan(15);
      const statuses = new Set(pages.map(({ res }) => res.status));
      for (const status of [200, 403, 404, 405, 409, 422]) expect(statuses, `a ${status} page was checked`).toContain(status);
      const problems: string[] = [];
      for (const { label, res } of pages) {
        const config = htmxConfig(res.text);
        if (!config) {
          problems.push(`${label}: no (or more than one) <meta name="htmx-config">`);
          continue;
        }
        const want = { allowEval: false, includeIndicatorStyles: false, historyCacheSize: 0, refreshOnHistoryMiss: true };
        for (const [key, value] of Object.entries(want)) if (config[key] !== value) problems.push(`${label}: ${key} is ${JSON.stringify(config[key])}, not ${JSON.stringify(value)}`);
        if (!/<script src="\/static\/[a-z]+\.bundle\.[0-9a-f]{12}\.js"/.test(res.text) && !res.text.includes(inlineScript('chat.bundle.js'))) problems.push(`${label}: htmx (in the page's bundle) is not loaded`);
      }
      expect(problems).toEqual([]);
    });

    it('no page or fragment has an inline script or style sheet the CSP does not name by its hash, a style attribute, event-handler attributes or htmx features that need eval', () => {
      const html = replies.filter(({ res }) => (res.headers.get('content-type') ?? '').includes('text/html'));
      const problems = html.flatMap(({ label, res }) => inlineProblems(res.text, res.headers.get('content-security-policy') ?? '').map((p) => `${label}: ${p}`));
      expect([...new Set(problems)]).toEqual([]);
    });
  });

  describe('user content sits inside hx-disable, as escaped text (V3.2.2)', () => {
    // the marker is in every piece of the payload, so any text node of it (a search highlight splits it) is found by the marker
    // (short markers: a calendar title holds at most 100 characters)
    const payload = (marker: string) => `${marker} <button hx-get="/logout?${marker}" hx-trigger=load>x</button><img src=x onerror=alert(${marker})>`;

    let h: Couple;
    let streamA: SseStream;
    let streamB: SseStream;
    let messageId = 0;
    let questionId = 0;
    let eventId = 0;
    let calendarFragment: Reply;
    let sentFragment: Reply;
    const today = dayOf(testClock.now(), 'Asia/Seoul');

    /** Whatever is wrong with one page or fragment for this content: a live element, content not shown, content outside hx-disable. */
    function check(label: string, html: string, marker: string, problems: string[], mustShow = true) {
      for (const e of injectedElements(html)) problems.push(`${label}: a live element from user content: ${e}`);
      if (mustShow && textsWith(html, [marker]).length === 0) problems.push(`${label}: the content is not shown`);
      for (const spot of exposedText(html, [marker])) problems.push(`${label}: outside hx-disable: ${spot}`);
    }

    const eventsWith = (s: SseStream, marker: string) => s.events.filter((e) => e.data.includes(marker));

    beforeAll(async () => {
      h = await newCouple(app.url, app.db, 'hxd');
      streamA = await SseStream.forClient(h.a);
      streamB = await SseStream.forClient(h.b);
      sentFragment = await h.a.post('/chat/messages', { body: payload('XMSG'), client_id: 'hx-disable-msg-0001' }, HX);
      expect(sentFragment.status).toBe(200);
      messageId = Number(/id="m-(\d+)"/.exec(sentFragment.text)?.[1]);
      await streamB.waitFor(isMessage(messageId));
      await send(h.a, 'rankmark rankmark rankmark 사과');
      await send(h.b, 'rankmark 사과');

      await h.a.get('/calendar');
      calendarFragment = await h.a.post('/calendar/events', { date: today, title: payload('XCAL') }, HX);
      expect(calendarFragment.status).toBe(200);
      eventId = Number((await app.db('calendar_events').where({ couple_id: h.coupleId }).first('id')).id);
      expect((await h.a.post(`/calendar/events/${eventId}/dday`)).status).toBe(303);
      await streamB.waitFor((e: SseEvent) => e.event === 'calendar' && e.data.includes('id="dday"') && e.data.includes('XCAL'));

      await send(h.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
      questionId = questionIdIn((await h.a.get('/chat')).text)!;
      expect(questionId).toBeTruthy();
      await answerOk(h.a, questionId, payload('XANSA'));
      await h.b.get('/chat');
      await answerOk(h.b, questionId, payload('XANSB'));
      await streamA.waitFor(isRevealed(questionId));
      await streamB.waitFor(isRevealed(questionId));
    });
    afterAll(() => {
      streamA?.close();
      streamB?.close();
    });

    it('message bubbles: the chat pages, history, the htmx reply and the live event', async () => {
      const problems: string[] = [];
      check('chat page (sender)', (await h.a.get('/chat')).text, 'XMSG', problems);
      check('chat page (partner)', (await h.b.get('/chat')).text, 'XMSG', problems);
      check('chat around the message', (await h.b.get(`/chat?around=${messageId}`)).text, 'XMSG', problems);
      check('older messages (htmx)', (await h.b.get(`/chat/messages?before=${messageId + 1}`, HX)).text, 'XMSG', problems);
      check('the htmx reply to the send', sentFragment.text, 'XMSG', problems);
      for (const e of eventsWith(streamB, 'XMSG')) check(`SSE ${e.event} event`, e.data, 'XMSG', problems);
      expect(eventsWith(streamB, 'XMSG').length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    it('search results', async () => {
      const problems: string[] = [];
      check('search page', (await h.b.get('/chat/search?q=XMSG')).text, 'XMSG', problems);
      check('search by the sender', (await h.a.get('/chat/search?q=XMSG&from=me')).text, 'XMSG', problems);
      expect(problems).toEqual([]);
    });

    it('question answers: the answers page, the revealed card and the live events', async () => {
      const problems: string[] = [];
      for (const [who, client] of [
        ['a', h.a],
        ['b', h.b],
      ] as const) {
        const answers = (await client.get('/answers')).text;
        check(`answers page (${who})`, answers, 'XANSA', problems);
        check(`answers page (${who})`, answers, 'XANSB', problems);
        const chat = (await client.get('/chat')).text;
        check(`chat page with the revealed card (${who})`, chat, 'XANSA', problems, false);
        check(`chat page with the revealed card (${who})`, chat, 'XANSB', problems, false);
      }
      const live = [...eventsWith(streamA, 'XANS'), ...eventsWith(streamB, 'XANS')];
      expect(live.length, 'the revealed answers came live').toBeGreaterThan(0);
      for (const e of live) for (const marker of ['XANSA', 'XANSB']) check(`SSE ${e.event} event`, e.data, marker, problems, false);
      expect(problems).toEqual([]);
    });

    it('ranking words: both columns and the excluded list', async () => {
      const problems: string[] = [];
      check('rank (mine)', (await h.a.get('/rank')).text, 'rankmark', problems);
      check('rank (theirs)', (await h.b.get('/rank')).text, 'rankmark', problems);
      expect((await h.a.post('/rank/excluded', { word: 'rankmark', n: '3' })).status).toBe(303);
      check('rank with the word excluded (after the form)', (await h.a.get('/rank?n=3')).text, 'rankmark', problems);
      check('rank with the word excluded (later)', (await h.a.get('/rank?n=3')).text, 'rankmark', problems);
      expect(problems).toEqual([]);
    });

    it('calendar titles and the D-day: the month, the htmx reply, the chat header and the live event', async () => {
      const problems: string[] = [];
      check('calendar page', (await h.b.get(`/calendar?month=${today.slice(0, 7)}`)).text, 'XCAL', problems);
      check('the htmx reply to adding it', calendarFragment.text, 'XCAL', problems);
      check('chat page D-day', (await h.b.get('/chat')).text, 'XCAL', problems);
      const live = eventsWith(streamB, 'XCAL');
      expect(live.length, 'calendar events came live').toBeGreaterThan(0);
      for (const e of live) check(`SSE ${e.event} event`, e.data, 'XCAL', problems);
      expect([...new Set(problems)]).toEqual([]);
    });

    it('partner login ids wherever a page names the partner', async () => {
      const problems: string[] = [];
      const pages: [string, Client, string, string][] = [
        ['chat', h.b, '/chat', h.aLogin],
        ['search results', h.b, '/chat/search?q=XMSG', h.aLogin],
        ['rank', h.b, '/rank', h.aLogin],
        ['answers', h.b, '/answers', h.aLogin],
      ];
      for (const [label, client, path, partner] of pages) check(label, (await client.get(path)).text, partner, problems);
      // the break-up banner names who started it
      await h.a.get('/account');
      expect((await h.a.post('/couple/breakup', { password: PASSWORD })).status).toBe(303);
      check('break-up banner', (await h.b.get('/chat')).text, h.aLogin, problems);
      await h.b.get('/chat');
      expect((await h.b.post('/couple/breakup/cancel')).status).toBe(303);
      // pairing: the requests in and out, and the notice after sending
      const [fromLogin, toLogin] = [loginFor('hxfrom'), loginFor('hxto')];
      const from = await signUp(app.url, fromLogin);
      const to = await signUp(app.url, toLogin);
      await from.get('/pair');
      expect((await from.post('/pair/requests', { login_id: toLogin })).status).toBe(303);
      check('pairing page (sent, with the notice)', (await from.get('/pair')).text, toLogin, problems);
      check('pairing page (received)', (await to.get('/pair')).text, fromLogin, problems);
      check('pairing list (htmx poll)', (await to.get('/pair', HX)).text, fromLogin, problems);
      expect([...new Set(problems)]).toEqual([]);
    });
  });
});
