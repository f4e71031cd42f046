// The hostile-input suite: every route of the HTTP contract (DESIGN.md) and the Web Push
// routes (src/push/routes.ts: GET /push/key, POST /push/subscriptions, …/delete and
// /account/push-previews), each of its fields
// (form fields, query parameters, path ids, Range and other headers) filled with hostile
// values, sent in every encoding a client could use — and a few no browser would. For each
// case: never a 5xx; a refusal is a 4xx with a human message and changes nothing; what is
// accepted is stored exactly as the rules say (and shown escaped, never as markup); and at
// the end the process is healthy, the other couple untouched. The number of cases is
// printed for CI ("hostile-input suite: N cases on sqlite"). HOSTILE_LOG=path writes every
// case's status there (one line each), to see what the app does with what.
import { appendFileSync, readFileSync } from 'node:fs';
import { createECDH, randomBytes } from 'node:crypto';
import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { questionBank as bankQuestions } from '../../migrations/data/questionBank';
import { questionBank, triggeredQuestions } from '../../src/questions/bank';
import { backends } from '../support/backends';
import { newClientId, newCouple, send as sendMessage, type Couple } from '../support/chatHttp';
import { Client, logIn, PASSWORD, signUp, type Reply } from '../support/client';
import {
  authValues,
  BAD_IDS,
  changes,
  CURRENT_URLS,
  formSees,
  headerSafe,
  HOSTILE,
  HX_FLAGS,
  messageOf,
  multipartBody,
  newPushKeys,
  OFFSITE_PATHS,
  p256dhValues,
  pct,
  pool,
  probeStream,
  PREVIEWS,
  PUSH_ENDPOINTS,
  querySees,
  RANGES,
  send,
  sendCut,
  snapshot,
  urlencoded,
  wtf8,
  type Hostile,
  type Part,
  type Snapshot,
} from '../support/hostile';
import { answerOk } from '../support/questions';
import { routerRoutes } from '../support/routeTable';
import { jpeg } from '../support/uploads';
import { startTestApp, type TestApp } from '../support/testApp';

// bcrypt at cost 4 instead of 10 in this file: the suite checks thousands of passwords on
// one event loop, and what it tests is what the app does with the input, not how slow a hash is.
vi.mock('bcryptjs', async (importOriginal) => {
  const real = ((await importOriginal()) as { default: typeof import('bcryptjs') }).default;
  return { default: { ...real, hash: (s: string) => real.hash(s, 4), hashSync: (s: string) => real.hashSync(s, 4) } };
});

const CONCURRENCY = 8;
const GROUP_TIMEOUT = 180_000;
const FORM_LIMIT = 64 * 1024; // the body parser's formLimit
const UPLOAD_MAX = 256 * 1024; // this suite's UPLOAD_MAX_BYTES, so "too large" is cheap to send
const FORM = 'application/x-www-form-urlencoded';
const HX = { 'HX-Request': 'true' };

/** 'refuse': a 4xx with a message; 'accept': 2xx/3xx; 'either': any of those; a list: exactly one of these statuses. */
type Expect = 'refuse' | 'accept' | 'either' | readonly number[];
type Outcome = Reply & { error?: string };

interface Case {
  label: string;
  expect: Expect;
  send: () => Promise<Outcome>;
  /** a value whose markup must never come back unescaped */
  hostile?: string;
  /** after the reply (any non-5xx): a problem, or null */
  verify?: (reply: Reply) => Promise<string | null> | string | null;
  /** rows an accepted case adds to the group's tracked tables */
  adds?: Record<string, number>;
  /** a reply that has no body by definition (HEAD): no message to look for */
  noBody?: boolean;
  /** a body cut off mid-way: no reply at all is fine */
  cut?: boolean;
  /** may open a question: run alone after the others, then the question is answered by both */
  serial?: boolean;
  /** run before the case (and before its own snapshot in a per-case group) */
  prepare?: () => Promise<void>;
}

interface Group {
  name: string;
  build: () => Case[] | Promise<Case[]>;
  /** tables whose new rows must be exactly what the accepted cases add */
  tracked?: string[];
  /** tables an accepted case may change besides (the event log, counters, …) */
  side?: string[];
  /** serial, with a snapshot around every case (for routes whose cases change shared state) */
  perCase?: boolean;
  /** for each new row of this table, one new event of this type (so a refused request that still announced something shows) */
  announces?: { table: string; type: string };
  /** more checks once the group has run */
  after?: (accepted: number) => Promise<string[]>;
}

// ---- oracles: what the rules say of a value -------------------------------------------------

const chars = (s: string) => [...s].length;
/** A message or an answer as stored: line ends as \n, well formed, control characters (not \n, \t) out, trimmed. */
const cleanText = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .trim();
/** Nothing a reader would see: only spaces and invisible characters (zero-width, joiners, Hangul fillers, …), as good as empty. */
const looksBlank = (s: string) => /^[\s\p{Z}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\uFE00-\uFE0F\u{E0100}-\u{E01EF}]*$/u.test(s);
/** A plan's title: one line, control characters as spaces, trimmed. */
const cleanTitle = (s: string) => s.replace(/\r\n?/g, '\n').toWellFormed().replace(/\p{Cc}/gu, ' ').trim();
const LOGIN_ID = /^[a-z0-9_]{4,20}$/;
const loginIdOk = (s: string) => LOGIN_ID.test(s.replace(/\r\n?/g, '\n').trim().toLowerCase());
const COMMON = new Set(readFileSync(new URL('../../src/accounts/common-passwords.txt', import.meta.url), 'utf8').split('\n').filter(Boolean));
const passwordOk = (p: string) =>
  p !== '' && !/\s/u.test(p) && p.isWellFormed() && !/\p{Cc}/u.test(p) && chars(p) >= 8 && chars(p) <= 64 && !COMMON.has(p.toLowerCase());

function dateKind(s: string): 'valid' | 'far' | 'invalid' {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return 'invalid';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return 'invalid';
  const last = new Date(Date.UTC(2000 + (y % 400), mo, 0)).getUTCDate(); // same leap rule, any year
  if (d > last) return 'invalid';
  return y >= 1900 && y <= 2999 ? 'valid' : 'far';
}

/**
 * A push service's address as the rules take it outside production: an https URL, or plain
 * http to this machine (a test's own push service); at most 2 KB, no spaces or control
 * characters, no credentials, no fragment. Stored exactly as sent.
 */
function endpointOk(s: string): boolean {
  if (s === '' || Buffer.byteLength(s) > 2048 || /[\s\u0000-\u001f\u007f]/.test(s)) return false;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}
/** The bytes of a base64url key (at most two '=' of padding), or null. */
const keyBytes = (s: string) => (/^[A-Za-z0-9_-]+={0,2}$/.test(s) ? Buffer.from(s.replace(/=+$/, ''), 'base64url') : null);
/** An uncompressed P-256 public key that is really on the curve (a payload can be encrypted to it). */
function onP256(key: Buffer | null): boolean {
  if (!key || key.length !== 65 || key[0] !== 4) return false;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    ecdh.computeSecret(key);
    return true;
  } catch {
    return false;
  }
}

const isId = (s: string) => /^[1-9]\d{0,15}$/.test(s) && Number.isSafeInteger(Number(s));
const letters = (n: number) => {
  let out = '';
  do {
    out += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
};
const short = (s: string) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…(${s.length})` : s);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe.each(backends())('hostile input on $name', (backend) => {
  let app: TestApp;
  let M: Couple; // the couple whose requests are hostile
  let X: Couple; // another couple: nothing of theirs may change or show
  const ids = { xMessage: 0, xFile: 0, xEvent: 0, xQuestion: 0, mFile: 0, foreignRequest: 0, pushUser: 0 };
  const logins = { s1: '', s2: '', acct: '', pw: '', del: '', loginTarget: '', logout: '', push: '' };
  let s1: Client; // single, for pairing
  let acct: Client; // single, for account settings, deletion (wrong password) and the language switch
  let pwClient: Client; // single, whose password the suite changes
  let anon: Client; // not logged in, with a CSRF cookie and token
  // single, for Web Push: a single user is never notified, so no subscription the suite stores is ever sent to;
  // its previews are off between the push groups (an unreadable form reads as an unticked box: off, a no-op then)
  let pushClient: Client;
  let xEndpoint = ''; // the other couple's subscription: nobody else may remove it
  let password = { pw: PASSWORD };
  let initial: Snapshot;
  let triggerWords: string[] = [];
  let nextTrigger = 0;
  let bank: Awaited<ReturnType<typeof questionBank>>;
  const stats = { total: 0, groups: [] as [string, number][], labels: new Set<string>() };
  const appErrors: string[] = [];
  let seq = 0;
  const uniq = () => `${++seq}${randomBytes(2).toString('hex')}`;

  /** A group of cases: one test, with room for all of them on a slow machine. */
  const slow = (name: string, fn: () => Promise<void>) => it(name, fn, GROUP_TIMEOUT);

  // ---- actors and requests ------------------------------------------------------------------

  interface Actor {
    cookie: () => string;
    csrf: () => string;
  }
  const actor = (c: Client): Actor => ({ cookie: () => c.cookieHeader(), csrf: () => c.csrf });
  const nobody: Actor = { cookie: () => '', csrf: () => '' };

  const baseHeaders = (who: Actor, extra: Record<string, string> = {}): Record<string, string> => ({
    'accept-language': 'en',
    ...(who.cookie() ? { cookie: who.cookie() } : {}),
    ...extra,
  });

  /** A form as the page sends it: token in the body (htmx: in the header too). */
  function postForm(who: Actor | (() => Promise<Actor>), path: string | (() => string), pairs: [string, string][], opts: { htmx?: boolean; headers?: Record<string, string> } = {}) {
    return async (): Promise<Outcome> => {
      const w = typeof who === 'function' ? await who() : who;
      const body = urlencoded([['_csrf', w.csrf()], ...pairs]);
      const headers = baseHeaders(w, { 'content-type': FORM, ...(opts.htmx ? { ...HX, 'X-CSRF-Token': w.csrf() } : {}), ...opts.headers });
      return send(app.url + (typeof path === 'function' ? path() : path), 'POST', headers, body);
    };
  }
  const formSize = (pairs: [string, string][]) => Buffer.byteLength(urlencoded([['_csrf', 'x'.repeat(32)], ...pairs]));

  const get = (who: Actor, path: string, headers: Record<string, string> = {}) => () => send(app.url + path, 'GET', baseHeaders(who, headers));
  const tooLongUrl = (path: string) => path.length > 15_000;

  // ---- judging a reply ----------------------------------------------------------------------

  function judge(c: Case, r: Outcome): string[] {
    const p: string[] = [];
    if (r.status === 0) {
      if (!c.cut) p.push(`no reply (${r.error ?? 'connection closed'})`);
      return p;
    }
    if (r.status >= 500) return [`${r.status} ${messageOf(r).slice(0, 80)}`];
    const ok = r.status < 400;
    const e = c.expect;
    if (Array.isArray(e)) {
      if (!e.includes(r.status)) p.push(`expected ${e.join(' or ')}, got ${r.status} ${short(messageOf(r))}`);
    } else if (e === 'refuse' && ok) p.push(`expected a refusal (4xx), got ${r.status}`);
    else if (e === 'accept' && !ok) p.push(`expected success, got ${r.status} ${short(messageOf(r))}`);
    const silent = r.status === 416 || (r.status === 401 && (r.headers.get('hx-redirect') || r.text === '' || r.text === 'Unauthorized'));
    if (!ok && !silent && !c.noBody && !messageOf(r)) p.push(`${r.status} without a message`);
    const html = (r.headers.get('content-type') ?? '').includes('html');
    if (c.hostile && /<[a-z%!/]/i.test(c.hostile) && html && r.text.includes(c.hostile)) p.push('the markup came back unescaped');
    if (r.headers.get('x-injected') !== null) p.push('a header was injected');
    for (const where of [r.location, r.headers.get('hx-redirect')]) {
      if (where && !/^\/(?![/\\])/.test(where)) p.push(`sends the browser off the site: ${where}`);
    }
    return p;
  }

  // ---- state between groups -----------------------------------------------------------------

  async function openQuestion(coupleId: number) {
    return app.db('couple_questions').where({ couple_id: coupleId }).whereNull('revealed_at').orderBy('id', 'desc').first('id');
  }
  async function answeredBy(questionId: number): Promise<number[]> {
    return (await app.db('answers').where({ couple_question_id: questionId }).pluck('user_id')).map(Number);
  }

  /** Both partners answer whatever question is open (so chatting is not held up). */
  async function settleQuestions() {
    for (let round = 0; round < 5; round++) {
      const open = await openQuestion(M.coupleId);
      if (!open) return;
      const who = await answeredBy(Number(open.id));
      for (const [client, id] of [
        [M.a, M.aId],
        [M.b, M.bId],
      ] as const) {
        if (!who.includes(id)) await answerOk(client, Number(open.id), 'fine');
      }
    }
    throw new Error('questions keep opening');
  }

  /** Questions answered, no break-up pending, both read marks current: the state every group starts from. */
  async function settle() {
    await settleQuestions();
    const couple = await app.db('couples').where({ id: M.coupleId }).first('breakup_due_at');
    if (couple?.breakup_due_at != null) {
      await M.a.get('/account');
      await M.a.post('/couple/breakup/cancel');
    }
    await M.a.get('/chat');
    await M.b.get('/chat');
  }

  /** An open question that M.b has answered and M.a has not (opening one with a trigger word from M.b if need be). */
  async function questionForA(): Promise<number> {
    for (;;) {
      const open = await openQuestion(M.coupleId);
      if (open) {
        const who = await answeredBy(Number(open.id));
        if (!who.includes(M.bId)) await answerOk(M.b, Number(open.id), 'ok');
        if (!who.includes(M.aId)) return Number(open.id);
        continue;
      }
      const word = triggerWords[nextTrigger++];
      if (!word) throw new Error('the bank ran out of questions for this suite');
      await sendMessage(M.b, word);
    }
  }

  const opensQuestion = (text: string) => triggeredQuestions(text, bank).length > 0;

  // ---- running a group ----------------------------------------------------------------------

  async function runGroup(g: Group): Promise<string[]> {
    const problems: string[] = [];
    await settle();
    const cases = await g.build();
    const before = await snapshot(app.db);
    const adds: Record<string, number> = {};
    let accepted = 0;
    const allowed = new Set([...(g.tracked ?? []), ...(g.side ?? [])]);

    const one = async (c: Case) => {
      stats.total++;
      stats.labels.add(c.label);
      if (c.prepare) await c.prepare();
      const caseBefore = g.perCase ? await snapshot(app.db) : null;
      const r = await c.send();
      const found = judge(c, r);
      if (process.env.HOSTILE_LOG) appendFileSync(process.env.HOSTILE_LOG, `${backend.name}\t${g.name}\t${r.status}\t${c.label}\t${messageOf(r).slice(0, 60).replace(/\s+/g, ' ')}\n`);
      const ok = r.status > 0 && r.status < 400;
      if (ok) {
        accepted++;
        for (const [table, n] of Object.entries(c.adds ?? {})) adds[table] = (adds[table] ?? 0) + n;
      }
      if (c.verify && r.status > 0 && r.status < 500) {
        const v = await c.verify(r);
        if (v) found.push(v);
      }
      if (caseBefore) {
        const d = changes(caseBefore, await snapshot(app.db));
        for (const [table, ch] of Object.entries(d)) {
          if (!ok) found.push(`refused (${r.status}) yet ${table} changed: +${ch.added.length} −${ch.removed.length}`);
          else if (!allowed.has(table)) found.push(`${table} changed: +${ch.added.length} −${ch.removed.length} ${JSON.stringify(ch.added[0] ?? ch.removed[0]).slice(0, 200)}`);
        }
      }
      if (c.serial) await settleQuestions();
      for (const f of found) problems.push(`${c.label} → ${f}`);
    };

    await pool(
      cases.filter((c) => !c.serial && !g.perCase),
      CONCURRENCY,
      one,
    );
    for (const c of cases.filter((c) => c.serial || g.perCase)) await one(c);

    const d = changes(before, await snapshot(app.db));
    for (const [table, ch] of Object.entries(d)) {
      const touchesX = [...ch.added, ...ch.removed].some(
        (row) => String(row.couple_id) === String(X.coupleId) || ([X.aId, X.bId].map(String).includes(String(row.id)) && table === 'users') || [X.aId, X.bId].map(String).includes(String(row.user_id)),
      );
      if (touchesX) problems.push(`${g.name}: the other couple's ${table} changed`);
      if (g.perCase) continue;
      if (g.tracked?.includes(table)) {
        if (ch.added.length !== (adds[table] ?? 0)) problems.push(`${g.name}: ${table} gained ${ch.added.length} rows; the accepted requests account for ${adds[table] ?? 0}`);
        if (ch.removed.length) problems.push(`${g.name}: ${table} lost or changed ${ch.removed.length} rows: ${JSON.stringify(ch.removed[0]).slice(0, 200)}`);
      } else if (!(g.side?.includes(table) && accepted > 0)) {
        problems.push(`${g.name}: ${table} changed (+${ch.added.length} −${ch.removed.length}): ${JSON.stringify(ch.added[0] ?? ch.removed[0]).slice(0, 240)}`);
      }
    }
    if (g.announces) {
      const rows = d[g.announces.table]?.added.length ?? 0;
      const events = (d.events?.added ?? []).filter((e) => e.type === g.announces!.type && String(e.couple_id) === String(M.coupleId)).length;
      if (rows !== events) problems.push(`${g.name}: ${rows} new ${g.announces.table} rows but ${events} '${g.announces.type}' events`);
    }
    if (g.after) problems.push(...(await g.after(accepted)));
    stats.groups.push([g.name, cases.length]);
    return problems;
  }

  function check(problems: string[]) {
    if (problems.length) console.log(`[${backend.name}] ${problems.length} problems:\n  ${problems.slice(0, 80).join('\n  ')}`);
    expect(problems).toEqual([]);
  }

  // ---- set-up -------------------------------------------------------------------------------

  beforeAll(async () => {
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      const [first, err] = args;
      const e = err as Error | undefined;
      appErrors.push(`${String(first)} ${e?.stack ?? String(err ?? '')}`.slice(0, 1500));
    });
    app = await startTestApp(backend, { uploadMaxBytes: UPLOAD_MAX });
    bank = await questionBank(app.db);

    M = await newCouple(app.url, app.db, 'hm');
    X = await newCouple(app.url, app.db, 'hx');

    // the other couple: a message, a photo, a plan, an excluded word, an open question
    ids.xMessage = await sendMessage(X.a, 'other couple hello');
    const xPhoto = multipartBody([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'x.jpg', contentType: 'image/jpeg', data: await jpeg() }]);
    await send(app.url + '/chat/uploads', 'POST', { cookie: X.a.cookieHeader(), 'x-csrf-token': X.a.csrf, 'content-type': xPhoto.contentType }, xPhoto.body);
    ids.xFile = Number((await app.db('files').where({ couple_id: X.coupleId }).first('id')).id);
    await X.a.get('/calendar');
    await X.a.post('/calendar/events', { date: '2026-05-01', title: 'their plan' });
    ids.xEvent = Number((await app.db('calendar_events').where({ couple_id: X.coupleId }).first('id')).id);
    await X.a.get('/rank');
    await X.a.post('/rank/excluded', { word: 'theirword' });

    // trigger words, one per question, in bank order; the first one goes to the other couple
    triggerWords = bankQuestions.map((q) => q.triggers.en[0]).filter((w): w is string => Boolean(w));
    await sendMessage(X.a, triggerWords[0]);
    ids.xQuestion = Number((await openQuestion(X.coupleId)).id);
    nextTrigger = 1;

    // this couple: a message each, a photo (with a thumbnail), a plan
    await sendMessage(M.a, 'hello there');
    await sendMessage(M.b, 'hi back');
    const photo = multipartBody([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', data: await jpeg(120, 90) }]);
    await send(app.url + '/chat/uploads', 'POST', { cookie: M.a.cookieHeader(), 'x-csrf-token': M.a.csrf, 'content-type': photo.contentType }, photo.body);
    ids.mFile = Number((await app.db('files').where({ couple_id: M.coupleId }).first('id')).id);
    await M.a.get('/calendar');
    await M.a.post('/calendar/events', { date: '2026-03-01', title: 'our plan' });

    // singles: s1 (pairing), acct (account pages), pw (password changes), del (deletion), and a request between two others
    const stem = randomBytes(2).toString('hex');
    Object.assign(logins, { s1: `hs1_${stem}`, s2: `hs2_${stem}`, acct: `hacct_${stem}`, pw: `hpw_${stem}`, del: `hdel_${stem}`, loginTarget: `hlog_${stem}`, logout: `hout_${stem}`, push: `hpush_${stem}` });
    s1 = await signUp(app.url, logins.s1);
    await signUp(app.url, logins.s2);
    acct = await signUp(app.url, logins.acct);
    pwClient = await signUp(app.url, logins.pw);
    await signUp(app.url, logins.del);
    await signUp(app.url, logins.loginTarget);
    await signUp(app.url, logins.logout);
    const s3 = await signUp(app.url, `hs3_${stem}`);
    await signUp(app.url, `hs4_${stem}`);
    await s3.get('/pair');
    await s3.post('/pair/requests', { login_id: `hs4_${stem}` });
    ids.foreignRequest = Number((await app.db('pair_requests').orderBy('id', 'desc').first('id')).id);
    for (const c of [s1, acct, pwClient]) await c.get('/pair');
    await acct.get('/account');
    await pwClient.get('/account');
    anon = new Client(app.url);
    await anon.get('/login');

    // Web Push: the push user with previews off; the other couple with a subscription (on a
    // loopback port nothing listens on), made once their own sends above have been notified
    pushClient = await signUp(app.url, logins.push);
    await pushClient.get('/account');
    ids.pushUser = Number((await app.db('users').where({ login_id: logins.push }).first('id')).id);
    if ((await pushClient.post('/account/push-previews', { previews: 'off' })).status !== 303) throw new Error('could not turn previews off');
    await app.app.context.push.idle();
    xEndpoint = `http://127.0.0.1:9/push/other-couple-${stem}`;
    await X.b.get('/account');
    if ((await X.b.post('/push/subscriptions', { endpoint: xEndpoint, ...newPushKeys() }, HX)).status !== 204) throw new Error("could not subscribe the other couple's device");

    for (const text of ['hostile base text', 'hostile caption']) {
      if (opensQuestion(text)) throw new Error(`the base text "${text}" opens a question: pick another`);
    }
    await settle();
    initial = await snapshot(app.db);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    if (appErrors.length) {
      const unique = [...new Set(appErrors.map((e) => e.split('\n').slice(0, 6).join('\n')))];
      console.log(`[${backend.name}] the app logged ${appErrors.length} errors (${unique.length} distinct):\n${unique.slice(0, 20).join('\n---\n')}`);
    }
    console.log(`hostile-input suite: ${stats.total} cases on ${backend.name}`);
    console.log(`  by group: ${stats.groups.map(([g, n]) => `${g} ${n}`).join(', ')}`);
    await app?.close();
  });

  // ---- field fuzzing ------------------------------------------------------------------------

  interface Verdict {
    expect: Expect;
    verify?: Case['verify'];
    adds?: Record<string, number>;
    serial?: boolean;
  }

  interface FormRoute {
    route: string;
    path: () => string;
    who: () => Actor;
    base: () => Record<string, string>;
    /** fields to fill with hostile values, and what the rules say of each value (as the app sees it) */
    fields: Record<string, (seen: string, values: Record<string, string>) => Verdict>;
    /** fields that take the same value (a password and its confirmation) */
    twins?: Record<string, string>;
    /** fields also sent the htmx way */
    htmx?: string[];
  }

  function formCases(r: FormRoute, values: readonly Hostile[] = HOSTILE): Case[] {
    const out: Case[] = [];
    for (const [field, oracle] of Object.entries(r.fields)) {
      for (const h of values) {
        for (const htmx of r.htmx?.includes(field) ? [false, true] : [false]) {
          const fields = { ...r.base(), [field]: h.value };
          const twin = r.twins?.[field];
          if (twin) fields[twin] = h.value;
          const pairs = Object.entries(fields) as [string, string][];
          const seen = Object.fromEntries(pairs.map(([k, v]) => [k, formSees(v)]));
          const v: Verdict = formSize(pairs) > FORM_LIMIT ? { expect: [413] } : oracle(seen[field], seen);
          out.push({
            label: `${r.route} ${field}=<${h.label}>${htmx ? ' [htmx]' : ''}`,
            expect: v.expect,
            hostile: h.value,
            verify: v.verify,
            adds: v.adds,
            serial: v.serial,
            send: postForm(r.who(), r.path(), pairs, { htmx }),
          });
        }
      }
    }
    return out;
  }

  // chat message
  const messageByClientId = (clientId: string) => app.db('messages').where({ couple_id: M.coupleId, client_id: clientId }).first('body', 'sender_id', 'id');
  const chatRoute = (): FormRoute => {
    return {
      route: 'POST /chat/messages',
      path: () => '/chat/messages',
      who: () => actor(M.a),
      base: () => ({ body: `hostile base text ${uniq()}`, client_id: `hs${uniq()}${newClientId()}`.slice(0, 40) }),
      fields: {
        body: (seen, values) => {
          const text = cleanText(seen);
          if (looksBlank(text) || chars(text) > 4000) return { expect: [422] };
          return {
            expect: 'accept',
            adds: { messages: 1 },
            serial: opensQuestion(text),
            verify: async (reply) => {
              if (reply.status >= 400) return null;
              const row = await messageByClientId(values.client_id);
              return row?.body === text ? null : `stored ${short(String(row?.body))} instead of ${short(text)}`;
            },
          };
        },
        client_id: (seen, values) => ({
          expect: 'accept',
          adds: { messages: 1 },
          verify: async () => {
            const rows = await app.db('messages').where({ couple_id: M.coupleId, body: values.body }).select('client_id');
            if (rows.length !== 1) return `${rows.length} messages with the base body`;
            const expected = /^[A-Za-z0-9_-]{8,64}$/.test(seen) ? seen : null;
            return expected === null || rows[0].client_id === expected ? null : `client_id stored as ${short(rows[0].client_id)}`;
          },
        }),
      },
      htmx: ['body'],
    };
  };

  const eventByTitle = (title: string) => app.db('calendar_events').where({ couple_id: M.coupleId, title }).select('date', 'title');
  const calendarRoute = (): FormRoute => ({
    route: 'POST /calendar/events',
    path: () => '/calendar/events',
    who: () => actor(M.a),
    base: () => ({ date: '2026-03-14', title: `plan ${uniq()}`, month: '2026-03' }),
    fields: {
      date: (seen, values) => {
        const kind = dateKind(seen.trim());
        if (kind === 'invalid') return { expect: [422] };
        return {
          expect: kind === 'far' ? 'either' : 'accept',
          adds: { calendar_events: 1 },
          verify: async (reply) => {
            if (reply.status >= 400) return null;
            const rows = await eventByTitle(values.title);
            return rows.length === 1 && rows[0].date === seen.trim() ? null : `stored ${JSON.stringify(rows)}`;
          },
        };
      },
      title: (seen) => {
        const title = cleanTitle(seen);
        if (looksBlank(title) || chars(title) > 100) return { expect: [422] };
        return {
          expect: 'accept',
          adds: { calendar_events: 1 },
          verify: async () => ((await eventByTitle(title)).length >= 1 ? null : `no plan titled ${short(title)}`),
        };
      },
      month: () => ({ expect: 'accept', adds: { calendar_events: 1 } }),
    },
    htmx: ['date', 'title'],
  });

  /** A word for the ranking's exclusions: one word, no spaces, a letter in it, at most 40 characters (which words count is the tokenizer's business). */
  const rankWordVerdict = (seen: string): Verdict => {
    const word = seen.trim();
    if (word === '' || /\s/u.test(word) || chars(word) > 40 || !/\p{L}/u.test(word)) return { expect: [422] };
    return { expect: seen === '사과를' ? 'accept' : 'either' };
  };

  // ---- the groups ---------------------------------------------------------------------------

  describe('form fields', () => {
    slow('POST /chat/messages: body and client_id', async () => {
      check(
        await runGroup({
          name: 'chat messages',
          build: () => formCases(chatRoute()),
          announces: { table: 'messages', type: 'message' },
          tracked: ['messages'],
          side: ['events', 'couples', 'word_counts', 'couple_questions', 'answers'],
          after: async () => {
            // what was accepted shows escaped to the partner, in the page and in search
            const problems: string[] = [];
            const script = await app.db('messages').where({ couple_id: M.coupleId, body: '<script>alert("xss")</script>' }).first('id');
            if (!script) problems.push('the <script> message was not stored');
            for (const path of ['/chat', `/chat?around=${script?.id}`, '/chat/search?q=script', '/chat/search?q=img', '/answers', '/chat/export']) {
              const page = await M.b.get(path);
              if (page.status !== 200) problems.push(`GET ${path} after the sends: ${page.status}`);
              if (path.startsWith('/chat/export')) continue;
              for (const h of HOSTILE) if (/<[a-z%]/i.test(h.value) && page.text.includes(h.value)) problems.push(`GET ${path} shows <${h.label}> as markup`);
              if (path.includes('around') && !page.text.includes(escapeHtml('<script>alert("xss")</script>'))) problems.push('the partner does not see the <script> message as text');
            }
            return problems;
          },
        }),
      );
    });

    slow('POST /chat/read: up_to', async () => {
      check(
        await runGroup({
          name: 'read mark',
          build: () =>
            formCases({
              route: 'POST /chat/read',
              path: () => '/chat/read',
              who: () => actor(M.a),
              base: () => ({ up_to: '1' }),
              // an up_to that is not one of ours is ignored (a report of what the page saw): no change either way
              fields: { up_to: () => ({ expect: 'either' }) },
              htmx: ['up_to'],
            }),
        }),
      );
    });

    slow('POST /calendar/events: date, title, month', async () => {
      const blankDateMonth = (): Case[] =>
        HOSTILE.filter((h) => h.value.length < 50_000).map((h) => ({
          label: `POST /calendar/events date=<empty> month=<${h.label}>`,
          expect: [422],
          hostile: h.value,
          send: postForm(actor(M.a), '/calendar/events', [
            ['date', ''],
            ['title', 'a plan'],
            ['month', h.value],
          ]),
        }));
      check(
        await runGroup({
          name: 'calendar events',
          build: () => [...formCases(calendarRoute()), ...blankDateMonth()],
          announces: { table: 'calendar_events', type: 'calendar' },
          tracked: ['calendar_events'],
          side: ['events', 'couples'],
        }),
      );
    });

    slow('POST /rank/excluded/delete and /rank/excluded: word, n', async () => {
      const rank = (path: string): FormRoute => ({
        route: `POST ${path}`,
        path: () => path,
        who: () => actor(M.a),
        base: () => ({ word: `hostile${letters(++seq)}`, n: '5' }),
        fields: { word: (seen) => rankWordVerdict(seen), n: () => ({ expect: 'accept' }) },
        htmx: ['word'],
      });
      check(await runGroup({ name: 'rank restore', build: () => formCases(rank('/rank/excluded/delete')) }));
      check(
        await runGroup({
          name: 'rank exclude',
          build: () => formCases(rank('/rank/excluded')),
          side: ['rank_exclusions'],
          after: async (accepted) => {
            const rows = await app.db('rank_exclusions').where({ couple_id: M.coupleId }).select('word');
            const bad = rows.filter((r) => chars(String(r.word)) > 40 || !String(r.word).isWellFormed() || /\s/u.test(String(r.word)));
            return [
              ...(rows.length > accepted ? [`${rows.length} exclusions for ${accepted} accepted requests`] : []),
              ...bad.map((r) => `an exclusion that is not one word: ${short(String(r.word))}`),
            ];
          },
        }),
      );
    });

    slow('POST /couple/breakup: password (and cancel with nothing pending)', async () => {
      check(
        await runGroup({
          name: 'break-up',
          build: () => [
            ...formCases({
              route: 'POST /couple/breakup',
              path: () => '/couple/breakup',
              who: () => actor(M.a),
              base: () => ({ password: PASSWORD }),
              fields: { password: () => ({ expect: 'refuse' }) },
              htmx: ['password'],
            }),
            ...formCases(
              {
                route: 'POST /couple/breakup/cancel',
                path: () => '/couple/breakup/cancel',
                who: () => actor(M.a),
                base: () => ({}),
                fields: { password: () => ({ expect: [409] }) },
                htmx: ['password'],
              },
              HOSTILE.filter((h) => h.value.length < 1000),
            ),
          ],
        }),
      );
    });

    slow('POST /questions/:id/answer: answer, back and the kept message, one open question at a time', async () => {
      let qid = 0;
      const cases: Case[] = [];
      const answerCase = (label: string, fields: Record<string, string>, verdict: (seen: Record<string, string>) => Verdict): Case => {
        const pairs = Object.entries(fields) as [string, string][];
        const seen = Object.fromEntries(pairs.map(([k, v]) => [k, formSees(v)]));
        const v: Verdict = formSize(pairs) > FORM_LIMIT ? { expect: [413] } : verdict(seen);
        return {
          label,
          expect: v.expect,
          hostile: Object.values(fields).find((x) => /</.test(x)),
          prepare: async () => {
            qid = await questionForA();
          },
          verify: v.verify,
          send: postForm(actor(M.a), () => `/questions/${qid}/answer`, pairs),
        };
      };
      const answerVerdict = (seen: Record<string, string>): Verdict => {
        const text = cleanText(seen.answer);
        if (looksBlank(text) || chars(text) > 500) return { expect: [422] };
        return {
          expect: 'accept',
          verify: async () => {
            const row = await app.db('answers').where({ couple_question_id: qid, user_id: M.aId }).first('body');
            return row?.body === text ? null : `answer stored as ${short(String(row?.body))} instead of ${short(text)}`;
          },
        };
      };
      for (const h of HOSTILE) cases.push(answerCase(`POST /questions/:id/answer answer=<${h.label}>`, { answer: h.value }, answerVerdict));
      for (const h of HOSTILE.filter((x) => x.value.length < 1000).slice(0, 30))
        cases.push(answerCase(`POST /questions/:id/answer back=<${h.label}>`, { answer: 'sure', back: h.value }, () => ({ expect: 'accept' })));
      for (const h of HOSTILE.filter((x) => x.value.length < 5000))
        cases.push(
          answerCase(`POST /questions/:id/answer body=<${h.label}> (the message kept back)`, { answer: 'sure', body: h.value, client_id: newClientId() }, (seen) => {
            const text = cleanText(seen.body);
            return {
              expect: 'accept',
              verify: async () => {
                if (looksBlank(text) || chars(text) > 4000) return null;
                const row = await messageByClientId(seen.client_id);
                return row?.body === text ? null : `kept message stored as ${short(String(row?.body))} instead of ${short(text)}`;
              },
            };
          }),
        );
      check(
        await runGroup({
          name: 'answers',
          build: () => cases,
          perCase: true,
          tracked: ['answers'],
          side: ['couple_questions', 'events', 'couples', 'messages', 'word_counts'],
        }),
      );
    });

    slow('POST /pair/requests: login_id', async () => {
      check(
        await runGroup({
          name: 'pair requests',
          build: () =>
            formCases({
              route: 'POST /pair/requests',
              path: () => '/pair/requests',
              who: () => actor(s1),
              base: () => ({ login_id: logins.s2 }),
              fields: { login_id: () => ({ expect: [422] }) },
              htmx: ['login_id'],
            }),
        }),
      );
    });

    slow('POST /account/settings and /language: language, week_start, time_zone, back', async () => {
      check(
        await runGroup({
          name: 'settings',
          build: () => [
            ...formCases({
              route: 'POST /account/settings',
              path: () => '/account/settings',
              who: () => actor(acct),
              base: () => ({ language: 'en', week_start: '1', time_zone: 'Asia/Seoul' }),
              fields: {
                language: (seen) => ({ expect: seen === 'en' || seen === 'ko' ? 'accept' : [422] }),
                week_start: (seen) => ({ expect: seen === '0' || seen === '1' ? 'accept' : [422] }),
                time_zone: (seen) => ({ expect: seen === '' ? 'accept' : [422] }),
              },
            }),
            ...formCases({
              route: 'POST /language',
              path: () => '/language',
              who: () => actor(acct),
              base: () => ({ language: 'en', back: '/account' }),
              fields: { language: () => ({ expect: [303] }), back: () => ({ expect: [303] }) },
            }),
          ],
          side: ['users'],
          after: async () => {
            const row = await app.db('users').where({ login_id: logins.acct }).first('language', 'week_start', 'time_zone');
            return ['en', 'ko'].includes(String(row.language)) && [0, 1].includes(Number(row.week_start)) ? [] : [`settings left as ${JSON.stringify(row)}`];
          },
        }),
      );
    });

    slow('POST /account/delete: password (single: wrong password; paired: not while paired)', async () => {
      check(
        await runGroup({
          name: 'account deletion',
          build: () => [
            ...formCases({
              route: 'POST /account/delete (single)',
              path: () => '/account/delete',
              who: () => actor(acct),
              base: () => ({ password: PASSWORD }),
              fields: { password: () => ({ expect: [422] }) },
            }),
            ...formCases(
              {
                route: 'POST /account/delete (paired)',
                path: () => '/account/delete',
                who: () => actor(M.a),
                base: () => ({ password: PASSWORD }),
                fields: { password: () => ({ expect: [409] }) },
              },
              HOSTILE.filter((h) => h.value.length < 1000),
            ),
          ],
        }),
      );
    });

    slow('POST /account/password: current_password and new_password_confirm (refused), then new_password (kept exactly)', async () => {
      const fresh = 'Fresh-Lantern-93';
      check(
        await runGroup({
          name: 'password change (refused)',
          build: () =>
            formCases({
              route: 'POST /account/password',
              path: () => '/account/password',
              who: () => actor(pwClient),
              base: () => ({ current_password: password.pw, new_password: fresh, new_password_confirm: fresh }),
              fields: {
                current_password: (seen) => ({ expect: seen === password.pw ? 'accept' : [422] }),
                new_password_confirm: (seen) => ({ expect: seen === fresh ? 'accept' : [422] }),
              },
            }),
        }),
      );
      // each accepted change revokes the other sessions: one at a time, through the client that keeps its cookies
      const cases: Case[] = HOSTILE.map((h) => {
        const pairs = (): [string, string][] => [
          ['current_password', password.pw],
          ['new_password', h.value],
          ['new_password_confirm', h.value],
        ];
        const seen = formSees(h.value);
        const big = formSize(pairs()) > FORM_LIMIT;
        const ok = !big && passwordOk(seen);
        return {
          label: `POST /account/password new_password=<${h.label}>`,
          expect: big ? [413] : ok ? 'accept' : [422],
          hostile: h.value,
          send: async () => {
            const token = pwClient.csrf;
            const reply = await pwClient.request('POST', '/account/password', {
              body: urlencoded([['_csrf', token], ...pairs()]),
              headers: { 'content-type': FORM, 'accept-language': 'en' },
            });
            // an error page from the body parser carries no token (see the test of that below): keep ours
            if (reply.status >= 400) pwClient.csrf = token;
            return reply;
          },
          verify: async (reply) => {
            if (reply.status >= 400) return null;
            password = { pw: seen };
            const again = new Client(app.url);
            await again.get('/login');
            const res = await again.post('/login', { login_id: logins.pw, password: seen });
            if (res.status !== 303) return `cannot log in with the new password (${res.status})`;
            await pwClient.get('/account');
            return null;
          },
        };
      });
      check(await runGroup({ name: 'password change', build: () => cases, perCase: true, side: ['users'] }));
    });

    slow('POST /signup: login_id, password (with its confirmation), password_confirm', async () => {
      const userExists = async (loginId: string) => Boolean(await app.db('users').where({ login_id: loginId }).first('id'));
      check(
        await runGroup({
          name: 'sign-up',
          build: () =>
            formCases({
              route: 'POST /signup',
              path: () => '/signup',
              who: () => actor(anon),
              base: () => ({ login_id: `hsu${uniq()}`, password: PASSWORD, password_confirm: PASSWORD }),
              twins: { password: 'password_confirm' },
              fields: {
                login_id: (seen) => {
                  if (!loginIdOk(seen)) return { expect: [422] };
                  const id = seen.trim().toLowerCase();
                  return { expect: 'accept', adds: { users: 1 }, verify: async () => ((await userExists(id)) ? null : `no user ${short(id)}`) };
                },
                password: (seen, values) => {
                  if (!passwordOk(seen)) return { expect: [422] };
                  return {
                    expect: 'accept',
                    adds: { users: 1 },
                    verify: async () => {
                      try {
                        await logIn(app.url, values.login_id, seen);
                        return null;
                      } catch (err) {
                        return `signed up, but cannot log in with that password: ${(err as Error).message}`;
                      }
                    },
                  };
                },
                password_confirm: (seen) => (seen === PASSWORD ? { expect: 'accept', adds: { users: 1 } } : { expect: [422] }),
              },
            }),
          tracked: ['users'],
        }),
      );
    });

    slow('POST /login: login_id, password (the throttle reset between cases)', async () => {
      const clearThrottle = async () => {
        await app.db('rate_counts').delete();
      };
      const cases = formCases({
        route: 'POST /login',
        path: () => '/login',
        who: () => actor(anon),
        base: () => ({ login_id: logins.loginTarget, password: PASSWORD }),
        // an ID the sign-up group created may log in with the base password
        fields: { login_id: (seen) => ({ expect: loginIdOk(seen) ? 'either' : [422] }), password: () => ({ expect: [422] }) },
      }).map((c) => ({ ...c, prepare: clearThrottle }));
      check(await runGroup({ name: 'log-in', build: () => cases }));
    });

    // ---- Web Push: refusals run side by side and change nothing; each accepted case starts
    // from a push user without subscriptions, so that what it stored is exactly what it sent

    /** Only 4xx foreseen: the refusals (the rest are accepted, or may be). */
    const refused = (c: Case) => Array.isArray(c.expect) && c.expect.every((s) => s >= 400);
    const mySubscriptions = () => app.db('push_subscriptions').where({ user_id: ids.pushUser }).orderBy('id').select('endpoint', 'p256dh', 'auth', 'user_agent');
    const clearMySubscriptions = async () => {
      await app.db('push_subscriptions').where({ user_id: ids.pushUser }).delete();
    };
    const pushEndpoint = () => `https://push.example.com/send/${uniq()}`;

    /** What the rules say of a subscription (all three fields as the app sees them): stored as sent, keys in canonical base64url. */
    const subscriptionVerdict = (v: Record<string, string>, userAgent: string | null = null): Verdict => {
      const p256dh = keyBytes(v.p256dh);
      const auth = keyBytes(v.auth);
      if (!endpointOk(v.endpoint) || !onP256(p256dh) || auth?.length !== 16) return { expect: [422] };
      return {
        expect: 'accept',
        verify: async (reply) => {
          if (reply.status >= 400) return null;
          const rows = await mySubscriptions();
          if (rows.length !== 1) return `${rows.length} subscriptions stored for one accepted request`;
          const row = rows[0];
          if (row.endpoint !== v.endpoint) return `endpoint stored as ${short(String(row.endpoint))} instead of ${short(v.endpoint)}`;
          const canonical = (stored: unknown, bytes: Buffer) => String(stored) === bytes.toString('base64url');
          if (!canonical(row.p256dh, p256dh!) || !canonical(row.auth, auth)) return `keys stored as ${short(String(row.p256dh))} / ${short(String(row.auth))}`;
          if ((row.user_agent ?? null) !== userAgent) return `User-Agent stored as ${short(String(row.user_agent))} instead of ${short(String(userAgent))}`;
          return null;
        },
      };
    };
    const subscribeRoute = (values: 'endpoint' | 'p256dh' | 'auth' | 'all'): FormRoute => {
      const verdict = (_seen: string, v: Record<string, string>) => subscriptionVerdict(v);
      const all = { endpoint: verdict, p256dh: verdict, auth: verdict };
      return {
        route: 'POST /push/subscriptions',
        path: () => '/push/subscriptions',
        who: () => actor(pushClient),
        base: () => ({ endpoint: pushEndpoint(), ...newPushKeys() }),
        fields: values === 'all' ? all : { [values]: all[values] },
        // push.js posts with HX-Request (204); a plain form goes back to the account page (303)
        htmx: ['endpoint', 'p256dh', 'auth'],
      };
    };

    slow('POST /push/subscriptions: endpoint, p256dh, auth, and the User-Agent header', async () => {
      const cases = [
        ...formCases(subscribeRoute('all')),
        ...formCases(subscribeRoute('endpoint'), PUSH_ENDPOINTS),
        ...formCases(subscribeRoute('p256dh'), p256dhValues()),
        ...formCases(subscribeRoute('auth'), authValues()),
      ];
      // the User-Agent is stored too (cut to 200 characters); a header's value arrives without its outer spaces
      const userAgents = HOSTILE.filter((h) => headerSafe(h.value) && h.value.length < 6000).map((h): Case => {
        const fields = { endpoint: pushEndpoint(), ...newPushKeys() };
        const stored = h.value.replace(/^[ \t]+|[ \t]+$/g, '').slice(0, 200) || null;
        return {
          label: `POST /push/subscriptions User-Agent: <${h.label}>`,
          ...subscriptionVerdict(fields, stored),
          hostile: h.value,
          send: postForm(actor(pushClient), '/push/subscriptions', Object.entries(fields), { htmx: true, headers: { 'User-Agent': h.value } }),
        };
      });
      // the same browser again with new keys: still one subscription, with the new keys
      const again = [false, true].map((htmx): Case => {
        const fields = { endpoint: pushEndpoint(), ...newPushKeys() };
        return {
          label: `POST /push/subscriptions the same endpoint again, new keys${htmx ? ' [htmx]' : ''}`,
          ...subscriptionVerdict(fields),
          prepare: async () => {
            await clearMySubscriptions();
            const first = await postForm(actor(pushClient), '/push/subscriptions', Object.entries({ ...fields, ...newPushKeys() }), { htmx: true })();
            if (first.status !== 204) throw new Error(`the first subscription got ${first.status}`);
          },
          send: postForm(actor(pushClient), '/push/subscriptions', Object.entries(fields), { htmx }),
        };
      });
      check(await runGroup({ name: 'push subscriptions (refused)', build: () => cases.filter(refused) }));
      check(
        await runGroup({
          name: 'push subscriptions',
          build: () => [...[...cases.filter((c) => !refused(c)), ...userAgents].map((c): Case => ({ ...c, prepare: clearMySubscriptions })), ...again],
          perCase: true,
          side: ['push_subscriptions'],
        }),
      );
    });

    slow('POST /push/subscriptions/delete: endpoint (mine goes; unknown or another user\'s: 404 and it stays)', async () => {
      const mine = `https://push.example.com/send/mine-${uniq()}`;
      // an empty endpoint or one over 2 KB is no endpoint (422); any other that is not one of mine is not found
      const deleteVerdict = (seen: string): Verdict => {
        const endpoint = seen.replace(/\r\n?/g, '\n');
        return { expect: endpoint === '' || Buffer.byteLength(endpoint) > 2048 ? [422] : [404] };
      };
      const route = (oracle: FormRoute['fields'][string]): FormRoute => ({
        route: 'POST /push/subscriptions/delete',
        path: () => '/push/subscriptions/delete',
        who: () => actor(pushClient),
        base: () => ({ endpoint: mine }),
        fields: { endpoint: oracle },
        htmx: ['endpoint'],
      });
      const near: Hostile[] = [
        { label: "the other couple's endpoint", value: xEndpoint },
        { label: 'mine in capitals', value: mine.toUpperCase() },
        { label: 'mine with a trailing slash', value: `${mine}/` },
        { label: 'mine with a space after it', value: `${mine} ` },
        { label: 'mine with its path percent-encoded', value: mine.replace('/send/', '/%73end/') },
      ];
      const unknown = [...formCases(route(deleteVerdict)), ...formCases(route(deleteVerdict), [...PUSH_ENDPOINTS, ...near])];
      // mine: each case subscribes the endpoint first (a snapshot is taken after that), then it goes
      const accepted = PUSH_ENDPOINTS.filter((h) => endpointOk(formSees(h.value)))
        .concat({ label: 'an ordinary endpoint', value: mine })
        .flatMap((h) =>
          [false, true].map((htmx): Case => ({
            label: `POST /push/subscriptions/delete endpoint=<${h.label}> (mine)${htmx ? ' [htmx]' : ''}`,
            expect: 'accept',
            hostile: h.value,
            prepare: async () => {
              await clearMySubscriptions();
              const r = await postForm(actor(pushClient), '/push/subscriptions', [['endpoint', h.value], ...Object.entries(newPushKeys())], { htmx: true })();
              if (r.status !== 204) throw new Error(`subscribing ${h.label} got ${r.status}`);
            },
            send: postForm(actor(pushClient), '/push/subscriptions/delete', [['endpoint', h.value]], { htmx }),
            verify: async () => {
              const left = await mySubscriptions();
              return left.length === 0 ? null : `${left.length} subscriptions left`;
            },
          })),
        );
      check(
        await runGroup({
          name: 'push unsubscribe (not found)',
          build: async () => {
            // one subscription of mine stays through the refusals: a near miss must not remove it
            await clearMySubscriptions();
            const r = await postForm(actor(pushClient), '/push/subscriptions', [['endpoint', mine], ...Object.entries(newPushKeys())], { htmx: true })();
            if (r.status !== 204) throw new Error(`subscribing got ${r.status}`);
            return unknown;
          },
        }),
      );
      check(await runGroup({ name: 'push unsubscribe', build: () => accepted, perCase: true, side: ['push_subscriptions'] }));
    });

    slow('POST /account/push-previews: previews (on; off or nothing, as an unticked box sends)', async () => {
      const previewsOf = async () => Number((await app.db('users').where({ id: ids.pushUser }).first('push_previews')).push_previews) !== 0;
      const cases = formCases(
        {
          route: 'POST /account/push-previews',
          path: () => '/account/push-previews',
          who: () => actor(pushClient),
          base: () => ({ previews: 'on' }),
          fields: {
            previews: (seen) => {
              const on = seen === 'on' ? true : seen === 'off' || seen === '' ? false : null;
              if (on === null) return { expect: [422] };
              return { expect: 'accept', verify: async (reply) => (reply.status >= 400 || (await previewsOf()) === on ? null : `previews left ${on ? 'off' : 'on'}`) };
            },
          },
          htmx: ['previews'],
        },
        [...HOSTILE, ...PREVIEWS],
      );
      check(await runGroup({ name: 'push previews (refused)', build: () => cases.filter(refused) }));
      check(
        await runGroup({
          name: 'push previews',
          build: () => cases.filter((c) => !refused(c)),
          perCase: true,
          side: ['users'],
          after: async () => {
            // back to off, as the unreadable-bodies group expects of this user
            const r = await pushClient.post('/account/push-previews', { previews: 'off' });
            return r.status === 303 && !(await previewsOf()) ? [] : [`could not turn previews off again (${r.status})`];
          },
        }),
      );
    });

    slow('"come back to" paths (POST /language back=) that resolve to //host: back on this site', async () => {
      const cases: Case[] = OFFSITE_PATHS.flatMap((h) =>
        [false, true].map(
          (htmx): Case => ({
            label: `POST /language back=<${h.label}>${htmx ? ' [htmx]' : ''}`,
            expect: [htmx ? 200 : 303],
            send: postForm(actor(acct), '/language', [
              ['language', 'en'],
              ['back', h.value],
            ], { htmx }),
          }),
        ),
      );
      check(await runGroup({ name: 'come back to', build: () => cases, side: ['users'] }));
    });
  });

  // ---- query parameters -----------------------------------------------------------------------

  describe('query parameters', () => {
    const queryCases = (route: string, who: () => Actor, path: (v: string) => string, oracle: (seen: string) => Expect, opts: { htmx?: boolean; values?: readonly Hostile[] } = {}): Case[] =>
      (opts.values ?? HOSTILE).flatMap((h) =>
        (opts.htmx ? [false, true] : [false]).map((htmx) => {
          const p = path(pct(h.value));
          return {
            label: `${route} <${h.label}>${htmx ? ' [htmx]' : ''}`,
            expect: tooLongUrl(p) ? ([431] as const) : oracle(querySees(h.value)),
            hostile: h.value,
            send: get(who(), p, htmx ? HX : {}),
          };
        }),
      );

    slow('GET /chat?around=, /chat/messages?before=&after=', async () => {
      check(
        await runGroup({
          name: 'chat history',
          build: () => [
            ...queryCases('GET /chat?around=', () => actor(M.a), (v) => `/chat?around=${v}`, (seen) => (isId(seen) ? 'either' : [200])),
            ...queryCases('GET /chat/messages?before=', () => actor(M.a), (v) => `/chat/messages?before=${v}`, () => 'accept', { htmx: true }),
            ...queryCases('GET /chat/messages?after=', () => actor(M.a), (v) => `/chat/messages?after=${v}`, () => 'accept', { htmx: true }),
            ...['around', 'before', 'after'].flatMap((name) => [
              { label: `GET /chat ${name}= the other couple's message`, expect: name === 'around' ? [404] : 'accept', send: get(actor(M.a), `/chat${name === 'around' ? '' : '/messages'}?${name}=${ids.xMessage}`) } as Case,
              { label: `GET /chat ${name}[]=1&${name}[x]=2`, expect: 'accept', send: get(actor(M.a), `/chat${name === 'around' ? '' : '/messages'}?${name}[]=1&${name}[x]=2&${name}=3&${name}=4`) } as Case,
            ]),
          ],
          after: async () => {
            const page = await M.a.get(`/chat?around=${ids.xMessage}`);
            return page.text.includes('other couple hello') ? ["the other couple's message shows"] : [];
          },
        }),
      );
    });

    slow('GET /chat/search?q=&date=&from=&before=', async () => {
      const q = (seen: string): Expect => (chars(seen.trim()) > 100 ? [422] : [200]);
      const date = (seen: string): Expect => {
        const d = seen.trim();
        if (d === '') return [200];
        const kind = dateKind(d);
        return kind === 'valid' ? [200] : kind === 'far' ? 'either' : [422];
      };
      const from = (seen: string): Expect => (['', 'me', 'partner'].includes(seen) ? [200] : [422]);
      check(
        await runGroup({
          name: 'search',
          build: () => [
            ...queryCases('GET /chat/search?q=', () => actor(M.a), (v) => `/chat/search?q=${v}`, q),
            ...queryCases('GET /chat/search?date=', () => actor(M.a), (v) => `/chat/search?q=hello&date=${v}`, date),
            ...queryCases('GET /chat/search?from=', () => actor(M.a), (v) => `/chat/search?q=hello&from=${v}`, from),
            ...queryCases('GET /chat/search?before=', () => actor(M.a), (v) => `/chat/search?q=hello&before=${v}`, () => [200], { htmx: true }),
            { label: 'GET /chat/search q[]=a&q[b]=c&q=d&q=e', expect: [200], send: get(actor(M.a), '/chat/search?q[]=a&q[b]=c&q=d&q=e&date[]=1&from[x]=me') },
            { label: "GET /chat/search q=the other couple's text", expect: [200], send: get(actor(M.a), '/chat/search?q=other%20couple'), verify: (r) => (r.text.includes('other couple hello') ? "finds the other couple's message" : null) },
          ],
        }),
      );
    });

    slow('GET /rank?n=, /calendar?month=, /signup/check-id?login_id=, /files/:id?download=, and junk on the pages without parameters', async () => {
      const junk = HOSTILE.filter((h) => h.value.length < 5000).slice(0, 20);
      check(
        await runGroup({
          name: 'page parameters',
          build: () => [
            ...queryCases('GET /rank?n=', () => actor(M.a), (v) => `/rank?n=${v}`, () => [200]),
            ...queryCases('GET /calendar?month=', () => actor(M.a), (v) => `/calendar?month=${v}`, () => [200], { htmx: true }),
            ...queryCases('GET /signup/check-id?login_id=', () => actor(anon), (v) => `/signup/check-id?login_id=${v}`, () => [200], { htmx: true }).map((c) => ({
              ...c,
              verify: (r: Reply) => (r.status !== 200 || /class="id-status id-(available|taken|invalid)"/.test(r.text) ? null : 'no available/taken/invalid status'),
            })),
            ...queryCases('GET /files/:id?download=', () => actor(M.a), (v) => `/files/${ids.mFile}?download=${v}`, () => [200]),
            ...queryCases('GET /files/:id/thumb?download=', () => actor(M.a), (v) => `/files/${ids.mFile}/thumb?download=${v}`, () => [200], { values: junk }),
            ...(
              [
                ['GET /answers', () => actor(M.a), '/answers', [200]],
                ['GET /account', () => actor(acct), '/account', [200]],
                ['GET /pair', () => actor(s1), '/pair', [200]],
                ['GET /signup', () => actor(anon), '/signup', [200]],
                ['GET /login', () => actor(anon), '/login', [200]],
                ['GET /chat/export', () => actor(M.a), '/chat/export', [200]],
                ['GET /healthz', () => nobody, '/healthz', [200]],
                ['GET /manifest.webmanifest', () => nobody, '/manifest.webmanifest', [200]],
                ['GET /offline', () => nobody, '/offline', [200]],
                ['GET /push/key', () => actor(pushClient), '/push/key', [200]],
                ['GET /', () => actor(M.a), '/', [303]],
              ] as const
            ).flatMap(([route, who, path, status]) => queryCases(`${route}?x=`, who, (v) => `${path}?x=${v}&${v}=1`, () => status, { values: junk })),
          ],
        }),
      );
    });

    slow('GET /chat/stream?lastEventId= and the Last-Event-ID header', async () => {
      const stream = (label: string, path: string, headers: Record<string, string>, status: number[] = [200]): Case => ({
        label,
        expect: tooLongUrl(path) ? [431] : status,
        send: () => probeStream(app.url + path, baseHeaders(actor(M.a), headers)),
        verify: (r) => (r.status === 200 && !(r.headers.get('content-type') ?? '').startsWith('text/event-stream') ? `a 200 that is not a stream: ${r.headers.get('content-type')}` : null),
      });
      check(
        await runGroup({
          name: 'stream',
          build: () => [
            ...HOSTILE.map((h) => stream(`GET /chat/stream?lastEventId=<${h.label}>`, `/chat/stream?lastEventId=${pct(h.value)}`, {})),
            ...HOSTILE.filter((h) => headerSafe(h.value) && h.value.length < 10_000).map((h) => stream(`GET /chat/stream Last-Event-ID: <${h.label}>`, '/chat/stream', { 'Last-Event-ID': h.value })),
            { label: 'GET /chat/stream (not logged in)', expect: [401], send: () => probeStream(app.url + '/chat/stream', { 'accept-language': 'en' }) },
            { label: 'GET /chat/stream (single)', expect: [401], send: () => probeStream(app.url + '/chat/stream', baseHeaders(actor(acct))) },
          ],
        }),
      );
    });
  });

  // ---- path parameters ------------------------------------------------------------------------

  slow('path ids: not ids, not ours, or gone → 404', async () => {
    const routes: [string, (id: string) => string, () => Actor, 'GET' | 'POST', string[]][] = [
      ['POST /chat/messages/:id/delete', (id) => `/chat/messages/${id}/delete`, () => actor(M.a), 'POST', [String(ids.xMessage)]],
      ['POST /calendar/events/:id/delete', (id) => `/calendar/events/${id}/delete`, () => actor(M.a), 'POST', [String(ids.xEvent)]],
      ['POST /calendar/events/:id/dday', (id) => `/calendar/events/${id}/dday`, () => actor(M.a), 'POST', [String(ids.xEvent)]],
      ['POST /questions/:id/answer', (id) => `/questions/${id}/answer`, () => actor(M.a), 'POST', [String(ids.xQuestion)]],
      ['POST /pair/requests/:id/accept', (id) => `/pair/requests/${id}/accept`, () => actor(s1), 'POST', [String(ids.foreignRequest)]],
      ['POST /pair/requests/:id/reject', (id) => `/pair/requests/${id}/reject`, () => actor(s1), 'POST', [String(ids.foreignRequest)]],
      ['POST /pair/requests/:id/cancel', (id) => `/pair/requests/${id}/cancel`, () => actor(s1), 'POST', [String(ids.foreignRequest)]],
      ['GET /files/:id', (id) => `/files/${id}`, () => actor(M.a), 'GET', [String(ids.xFile)]],
      ['GET /files/:id/thumb', (id) => `/files/${id}/thumb`, () => actor(M.a), 'GET', [String(ids.xFile)]],
    ];
    check(
      await runGroup({
        name: 'path ids',
        build: () =>
          routes.flatMap(([route, path, who, method, theirs]) =>
            [...BAD_IDS, ...theirs, '../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd'].flatMap((id) =>
              (method === 'POST' ? [false, true] : [false]).map(
                (htmx): Case => ({
                  label: `${route} id=${id}${htmx ? ' [htmx]' : ''}`,
                  // a raw ../ makes another path: no route there (404) or a route that refuses the method (405)
                  expect: id.startsWith('../') ? [404, 405] : [404],
                  send: method === 'POST' ? postForm(who(), path(id), [['answer', 'x']], { htmx }) : get(who(), path(id)),
                }),
              ),
            ),
          ),
      }),
    );
  });

  // ---- files: Range and validators -----------------------------------------------------------

  slow('GET /files/:id and /thumb with hostile Range and If-None-Match headers', async () => {
    const rangeCase = (label: string, path: string, headers: Record<string, string>): Case => ({
      label,
      expect: [200, 206, 304, 416],
      send: get(actor(M.a), path, headers),
      verify: (r) => {
        if (r.headers.get('x-content-type-options') !== 'nosniff' && r.status < 300) return 'no nosniff';
        if (r.status === 206) {
          const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
          if (!m) return `206 with Content-Range ${r.headers.get('content-range')}`;
          if (r.bytes.length !== Number(m[2]) - Number(m[1]) + 1) return `206 of ${r.bytes.length} bytes for ${m[0]}`;
        }
        if (r.status === 416 && !/^bytes \*\/\d+$/.test(r.headers.get('content-range') ?? '')) return `416 with Content-Range ${r.headers.get('content-range')}`;
        return null;
      },
    });
    check(
      await runGroup({
        name: 'ranges',
        build: () =>
          [`/files/${ids.mFile}`, `/files/${ids.mFile}/thumb`, `/files/${ids.mFile}?download=1`].flatMap((path) => [
            ...RANGES.map((range) => rangeCase(`GET ${path} Range: ${short(range)}`, path, { Range: range })),
            ...HOSTILE.filter((h) => headerSafe(h.value) && h.value.length < 10_000).map((h) => rangeCase(`GET ${path} If-None-Match: <${h.label}>`, path, { 'If-None-Match': h.value })),
            ...HOSTILE.filter((h) => headerSafe(h.value) && h.value.length < 10_000).map((h) => rangeCase(`GET ${path} If-Range: <${h.label}> with a range`, path, { 'If-Range': h.value, Range: 'bytes=0-0' })),
          ]),
      }),
    );
  });

  // ---- uploads --------------------------------------------------------------------------------

  slow('POST /chat/uploads: caption, client_id, file name and type, and broken multipart bodies', async () => {
    const text = Buffer.from('hello hostile\n');
    const uploadHeaders = (who: Actor, contentType: string, extra: Record<string, string> = {}) => baseHeaders(who, { 'content-type': contentType, 'x-csrf-token': who.csrf(), ...extra });
    const postParts = (parts: Part[], opts: { htmx?: boolean; boundary?: string; headerType?: string; csrf?: 'header' | 'query' | 'none' | 'wrong' } = {}) => {
      const { body, contentType } = multipartBody(parts, opts.boundary);
      return () => {
        const a = actor(M.a);
        const how = opts.csrf ?? 'header';
        const headers = uploadHeaders(a, opts.headerType ?? contentType, opts.htmx ? HX : {});
        if (how !== 'header') delete headers['x-csrf-token'];
        if (how === 'wrong') headers['x-csrf-token'] = randomBytes(24).toString('base64url');
        return send(app.url + (how === 'query' ? `/chat/uploads?_csrf=${encodeURIComponent(a.csrf())}` : '/chat/uploads'), 'POST', headers, body);
      };
    };
    const fileOf = (clientId: string) =>
      app
        .db('files')
        .join('messages', 'messages.id', 'files.message_id')
        .where({ 'messages.couple_id': M.coupleId, 'messages.client_id': clientId })
        .first('files.id', 'files.name', 'files.mime', 'messages.body');
    const servedWell = async (fileId: number): Promise<string | null> => {
      for (const path of [`/files/${fileId}`, `/files/${fileId}?download=1`]) {
        const r = await M.a.get(path);
        if (r.status !== 200) return `GET ${path} → ${r.status}`;
        const cd = r.headers.get('content-disposition') ?? '';
        if (!/^(inline|attachment); filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]*$/.test(cd)) return `Content-Disposition ${short(cd)}`;
        if (r.headers.get('x-content-type-options') !== 'nosniff') return 'no nosniff';
        if (/html|svg|xml|javascript/.test(r.headers.get('content-type') ?? '')) return `served as ${r.headers.get('content-type')}`;
      }
      return null;
    };
    const sees = (v: string) => wtf8(v).subarray(0, 20_000).toString('utf8'); // busboy's fieldSize, invalid UTF-8 as U+FFFD

    const cases: Case[] = [];
    // the caption
    for (const h of HOSTILE) {
      const clientId = newClientId();
      const typed = cleanText(sees(h.value));
      const caption = looksBlank(typed) ? '' : typed; // nothing visible is no caption
      const ok = chars(caption) <= 4000;
      cases.push({
        label: `POST /chat/uploads body=<${h.label}>`,
        expect: ok ? 'accept' : [422],
        hostile: h.value,
        adds: { messages: 1, files: 1 },
        serial: ok && opensQuestion(caption),
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'body', value: h.value }, { name: 'file', filename: 'note.txt', contentType: 'text/plain', data: text }], { htmx: true }),
        verify: async (r) => {
          if (r.status >= 400) return null;
          const row = await fileOf(clientId);
          return row && row.body === caption ? null : `caption stored as ${short(String(row?.body))} instead of ${short(caption)}`;
        },
      });
    }
    // the client id: one already used (by the chat group's cases) is the same message again, nothing new
    const used = new Set((await app.db('messages').where({ couple_id: M.coupleId, sender_id: M.aId }).pluck('client_id')).map(String));
    for (const h of HOSTILE) {
      const again = used.has(sees(h.value));
      cases.push({
        label: `POST /chat/uploads client_id=<${h.label}>`,
        expect: 'accept',
        adds: again ? {} : { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: h.value }, { name: 'body', value: `hostile caption ${uniq()}` }, { name: 'file', filename: 'note.txt', contentType: 'text/plain', data: text }]),
      });
    }
    // the file's name (in the part's header: quotes and line breaks break it) and its declared type
    const names = [...HOSTILE.filter((h) => h.value.length < 10_000), { label: 'emoji cut at 200', value: `x${'😀'.repeat(150)}` }, { label: 'dot-dot', value: '..' }, { label: 'html', value: 'page.html' }];
    for (const h of names) {
      const clientId = newClientId();
      cases.push({
        label: `POST /chat/uploads filename=<${h.label}>`,
        expect: 'either',
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'file', filename: h.value, contentType: 'text/html', data: Buffer.from('<script>alert(1)</script>') }]),
        verify: async (r) => {
          if (r.status >= 400) return null;
          const row = await fileOf(clientId);
          if (!row) return 'accepted, but no file';
          const name = String(row.name);
          if (!name.isWellFormed() || /[\u0000-\u001f\u007f/\\]/.test(name) || chars(name) > 200) return `file name stored as ${short(name)}`;
          // a name sent well formed is kept whole characters: shortened, never cut inside one (no U+FFFD where none was sent)
          if (h.value.isWellFormed() && !h.value.includes('\ufffd') && name.includes('\ufffd')) return `file name stored with a broken character at the cut: …${JSON.stringify([...name].slice(-3).join(""))}`;
          return servedWell(Number(row.id));
        },
      });
    }
    for (const star of ['%ED%A0%80.txt', '..%2F..%2Fetc%2Fpasswd', '%0D%0AX-Injected%3A%201', "bad'encoding", '%E0%A4%A']) {
      const clientId = newClientId();
      cases.push({
        label: `POST /chat/uploads filename*=${star}`,
        expect: 'either',
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'file', dispositionExtra: `; filename*=UTF-8''${star}`, data: text }]),
        verify: async (r) => {
          if (r.status >= 400) return null;
          const row = await fileOf(clientId);
          return row ? servedWell(Number(row.id)) : 'accepted, but no file';
        },
      });
    }
    for (const type of ['text/html', 'image/svg+xml', '../../x', '', 'image/jpeg; charset="><script>']) {
      const clientId = newClientId();
      cases.push({
        label: `POST /chat/uploads part Content-Type: ${short(type)}`,
        expect: 'accept',
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'file', filename: 'a.svg', contentType: type, data: Buffer.from('<svg onload="alert(1)"/>') }]),
        verify: async () => {
          const row = await fileOf(clientId);
          return row ? servedWell(Number(row.id)) : 'no file';
        },
      });
    }

    // broken and odd bodies
    const good = (clientId = newClientId()): Part[] => [{ name: 'client_id', value: clientId }, { name: 'file', filename: 'a.txt', contentType: 'text/plain', data: text }];
    const full = multipartBody(good(), 'cutBoundary1234');
    const big = multipartBody([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'big.bin', data: randomBytes(100_000) }], 'cutBoundary5678');
    const raw = (label: string, expectation: Expect, contentType: string | null, body: Buffer | string, extra: Partial<Case> = {}): Case => ({
      label,
      expect: expectation,
      send: () => {
        const headers = uploadHeaders(actor(M.a), contentType ?? '');
        if (contentType === null) delete headers['content-type'];
        return send(app.url + '/chat/uploads', 'POST', headers, body);
      },
      ...extra,
    });
    cases.push(
      { label: 'POST /chat/uploads with no file part', expect: [422], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'body', value: 'no file' }]) },
      { label: 'POST /chat/uploads with an empty file', expect: [422], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'empty.txt', data: Buffer.alloc(0) }]) },
      { label: 'POST /chat/uploads with the file under another name', expect: [422], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'other', filename: 'a.txt', data: text }]) },
      { label: 'POST /chat/uploads with no parts at all', expect: 'refuse', send: postParts([]) },
      { label: `POST /chat/uploads with a file over UPLOAD_MAX_BYTES`, expect: [413], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'big.bin', data: Buffer.alloc(UPLOAD_MAX + 1, 7) }]) },
      { label: 'POST /chat/uploads with 11 files', expect: 'either', adds: { messages: 10, files: 10 }, send: postParts([{ name: 'client_id', value: newClientId() }, ...Array.from({ length: 11 }, (_, i) => ({ name: 'file', filename: `f${i}.txt`, data: Buffer.from(`file ${i}`) }))]) },
      { label: 'POST /chat/uploads with 40 fields', expect: 'either', adds: { messages: 1, files: 1 }, send: postParts([...Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, value: 'x' })), ...good()]) },
      { label: 'POST /chat/uploads with the caption after the file', expect: 'accept', adds: { messages: 1, files: 1 }, send: postParts([...good(), { name: 'body', value: 'late caption' }]) },
      { label: 'POST /chat/uploads with the token in the query (no-JS form)', expect: [303], adds: { messages: 1, files: 1 }, send: postParts(good(), { csrf: 'query' }) },
      { label: 'POST /chat/uploads without a token', expect: [403], send: postParts(good(), { csrf: 'none' }) },
      { label: 'POST /chat/uploads with a wrong token', expect: [403], send: postParts(good(), { csrf: 'wrong' }) },
      { label: 'POST /chat/uploads with a wrong boundary', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/form-data; boundary=notTheBoundary' }) },
      { label: 'POST /chat/uploads with no boundary', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/form-data' }) },
      { label: 'POST /chat/uploads with an empty boundary', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/form-data; boundary=' }) },
      { label: 'POST /chat/uploads as multipart/mixed', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/mixed; boundary=x' }) },
      { label: 'POST /chat/uploads with a 300-character boundary', expect: 'either', adds: { messages: 1, files: 1 }, send: postParts(good(), { boundary: 'b'.repeat(300) }) },
      raw('POST /chat/uploads cut mid-file (the length says so)', [400], full.contentType, full.body.subarray(0, full.body.length - 30)),
      raw('POST /chat/uploads cut inside the part headers', [400], full.contentType, full.body.subarray(0, 60)),
      raw('POST /chat/uploads with only the closing boundary', 'refuse', full.contentType, '--cutBoundary1234--\r\n'),
      raw('POST /chat/uploads with an empty body', 'refuse', full.contentType, ''),
      raw('POST /chat/uploads with garbage', 'refuse', full.contentType, randomBytes(5000)),
      raw('POST /chat/uploads with part headers of 100 kB', 'refuse', full.contentType, Buffer.concat([Buffer.from(`--cutBoundary1234\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nX-Pad: ${'p'.repeat(100_000)}\r\n\r\nhello\r\n--cutBoundary1234--\r\n`)])),
      raw('POST /chat/uploads with a part with no Content-Disposition', 'refuse', full.contentType, '--cutBoundary1234\r\nContent-Type: text/plain\r\n\r\nhello\r\n--cutBoundary1234--\r\n'),
      raw('POST /chat/uploads as urlencoded', 'refuse', FORM, 'client_id=abcdefgh123&file=hello'),
      raw('POST /chat/uploads as JSON', 'refuse', 'application/json', '{"file":"hello"}'),
      raw('POST /chat/uploads as text/plain', 'refuse', 'text/plain', 'hello'),
      raw('POST /chat/uploads with no Content-Type', 'refuse', null, 'hello'),
      {
        label: 'POST /chat/uploads cut off mid-file (the client goes away)',
        expect: 'either',
        cut: true,
        send: () => sendCut(app.url + '/chat/uploads', 'POST', uploadHeaders(actor(M.a), big.contentType), big.body.subarray(0, 50_000), big.body.length),
      },
      {
        label: 'POST /chat/uploads cut off in the headers (the client goes away)',
        expect: 'either',
        cut: true,
        send: () => sendCut(app.url + '/chat/uploads', 'POST', uploadHeaders(actor(M.a), big.contentType), big.body.subarray(0, 40), big.body.length),
      },
      {
        label: 'POST /chat/uploads with a caption that asks a question',
        expect: 'accept',
        adds: { messages: 1, files: 1 },
        serial: true,
        send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'body', value: triggerWords[nextTrigger++] }, ...good().slice(1)]),
      },
    );
    check(
      await runGroup({
        name: 'uploads',
        build: () => cases,
        announces: { table: 'messages', type: 'message' },
        tracked: ['messages', 'files'],
        side: ['events', 'couples', 'word_counts', 'blobs', 'couple_questions', 'answers'],
        after: async () => {
          // nothing half-stored: every blob belongs to a file (storage removes a cut upload's bytes)
          for (let i = 0; i < 30; i++) {
            const keys = new Set((await app.db('files').select('storage_key', 'thumb_key')).flatMap((f) => [String(f.storage_key), String(f.thumb_key)]));
            const orphans = (await app.db('blobs').select('id')).filter((b) => !keys.has(`db:${b.id}`));
            if (orphans.length === 0) return [];
            if (i === 29) return [`${orphans.length} stored uploads belong to no file`];
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return [];
        },
      }),
    );
  });

  // ---- encodings ------------------------------------------------------------------------------

  interface PostRoute {
    route: string;
    path: string;
    who: () => Actor | Promise<Actor>;
    /** valid fields (for the cases that keep them) */
    base: () => Record<string, string>;
    /** what a request whose fields cannot be read gets */
    empty: Expect;
    /** a valid request would do something the suite cannot undo */
    destructive?: boolean;
  }

  /** A session of its own (log-in rotates the token: the account page shows the new one). */
  const freshSession = async (login: string) => {
    await app.db('rate_counts').delete(); // the other groups' failed log-ins from this address would throttle it
    const client = await logIn(app.url, login);
    await client.get('/account');
    return actor(client);
  };
  const freshLogout = () => freshSession(logins.logout);
  const postRoutes = (): PostRoute[] => [
    { route: 'POST /signup', path: '/signup', who: () => actor(anon), base: () => ({ login_id: `hse${uniq()}`, password: PASSWORD, password_confirm: PASSWORD }), empty: [422] },
    { route: 'POST /login', path: '/login', who: () => actor(anon), base: () => ({ login_id: logins.loginTarget, password: PASSWORD }), empty: [422, 429] },
    { route: 'POST /logout', path: '/logout', who: freshLogout, base: () => ({}), empty: [303], destructive: true },
    { route: 'POST /account/password', path: '/account/password', who: () => actor(acct), base: () => ({ current_password: PASSWORD, new_password: 'Fresh-Lantern-93', new_password_confirm: 'Fresh-Lantern-93' }), empty: [422], destructive: true },
    { route: 'POST /account/delete', path: '/account/delete', who: () => actor(acct), base: () => ({ password: PASSWORD }), empty: [422], destructive: true },
    { route: 'POST /account/settings', path: '/account/settings', who: () => actor(acct), base: () => ({ language: 'en', week_start: '1', time_zone: 'Asia/Seoul' }), empty: [422] },
    { route: 'POST /language', path: '/language', who: () => actor(acct), base: () => ({ language: 'en', back: '/account' }), empty: [303] },
    { route: 'POST /pair/requests', path: '/pair/requests', who: () => actor(s1), base: () => ({ login_id: logins.s2 }), empty: [422], destructive: true },
    { route: 'POST /pair/requests/:id/accept', path: '/pair/requests/999999/accept', who: () => actor(s1), base: () => ({}), empty: [404] },
    { route: 'POST /pair/requests/:id/reject', path: '/pair/requests/999999/reject', who: () => actor(s1), base: () => ({}), empty: [404] },
    { route: 'POST /pair/requests/:id/cancel', path: '/pair/requests/999999/cancel', who: () => actor(s1), base: () => ({}), empty: [404] },
    { route: 'POST /chat/messages', path: '/chat/messages', who: () => actor(M.a), base: () => ({ body: `hostile base text ${uniq()}`, client_id: newClientId() }), empty: [422] },
    { route: 'POST /chat/messages/:id/delete', path: '/chat/messages/999999/delete', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /chat/read', path: '/chat/read', who: () => actor(M.a), base: () => ({ up_to: '1' }), empty: [422] },
    { route: 'POST /questions/:id/answer', path: '/questions/999999/answer', who: () => actor(M.a), base: () => ({ answer: 'yes' }), empty: [404] },
    { route: 'POST /rank/excluded', path: '/rank/excluded', who: () => actor(M.a), base: () => ({ word: `hostile${letters(++seq)}`, n: '5' }), empty: [422] },
    { route: 'POST /rank/excluded/delete', path: '/rank/excluded/delete', who: () => actor(M.a), base: () => ({ word: `gone${letters(++seq)}` }), empty: [422] },
    { route: 'POST /calendar/events', path: '/calendar/events', who: () => actor(M.a), base: () => ({ date: '2026-03-15', title: `plan ${uniq()}` }), empty: [422] },
    { route: 'POST /calendar/events/:id/delete', path: '/calendar/events/999999/delete', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /calendar/events/:id/dday', path: '/calendar/events/999999/dday', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /calendar/dday/clear', path: '/calendar/dday/clear', who: () => actor(M.a), base: () => ({}), empty: [303] },
    { route: 'POST /couple/breakup', path: '/couple/breakup', who: () => actor(M.a), base: () => ({ password: PASSWORD }), empty: [422], destructive: true },
    { route: 'POST /couple/breakup/cancel', path: '/couple/breakup/cancel', who: () => actor(M.a), base: () => ({}), empty: [409] },
    { route: 'POST /push/subscriptions', path: '/push/subscriptions', who: () => actor(pushClient), base: () => ({ endpoint: `https://push.example.com/send/${uniq()}`, ...newPushKeys() }), empty: [422] },
    { route: 'POST /push/subscriptions/delete', path: '/push/subscriptions/delete', who: () => actor(pushClient), base: () => ({ endpoint: `https://push.example.com/send/${uniq()}` }), empty: [422] },
    // an unreadable form reads as an unticked box (off), which this user's previews already are: a no-op
    { route: 'POST /account/push-previews', path: '/account/push-previews', who: () => actor(pushClient), base: () => ({ previews: 'on' }), empty: [303] },
  ];

  /** A raw POST: these headers and body, the token in the X-CSRF-Token header unless `token` says otherwise. */
  const rawPost = (r: PostRoute, contentType: string | null, body: (fields: Record<string, string>, csrf: string) => string | Buffer, extra: Record<string, string> = {}, token: 'header' | 'none' = 'header') => async (): Promise<Outcome> => {
    const who = await r.who();
    const headers = baseHeaders(who, { ...(contentType === null ? {} : { 'content-type': contentType }), ...(token === 'header' ? { 'X-CSRF-Token': who.csrf() } : {}), ...extra });
    return send(app.url + r.path, 'POST', headers, body(r.base(), who.csrf()));
  };
  const pairsOf = (fields: Record<string, string>) => Object.entries(fields);

  slow('bodies the app cannot read as its form: the request is refused (or is a no-op) and changes nothing', async () => {
    const encodings: [string, (r: PostRoute) => () => Promise<Outcome>, 'empty' | readonly number[]][] = [
      ['JSON', (r) => rawPost(r, 'application/json', (f, t) => JSON.stringify({ ...f, _csrf: t })), 'empty'],
      ['JSON cut short', (r) => rawPost(r, 'application/json', (f) => JSON.stringify(f).slice(0, -3)), 'empty'],
      ['JSON with arrays and objects', (r) => rawPost(r, 'application/json', (f) => JSON.stringify(Object.fromEntries(Object.keys(f).map((k) => [k, [f[k], { $ne: 1 }]])))), 'empty'],
      ['text/plain', (r) => rawPost(r, 'text/plain', (f) => urlencoded(pairsOf(f))), 'empty'],
      ['XML', (r) => rawPost(r, 'application/xml', (f) => `<form>${Object.entries(f).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</form>`), 'empty'],
      ['multipart (not expected here)', (r) => async () => {
        const who = await r.who();
        const { body, contentType } = multipartBody(Object.entries(r.base()).map(([name, value]) => ({ name, value })));
        return send(app.url + r.path, 'POST', baseHeaders(who, { 'content-type': contentType, 'X-CSRF-Token': who.csrf() }), body);
      }, 'empty'],
      ['no Content-Type', (r) => rawPost(r, null, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)])), 'empty'],
      ['an unknown Content-Type', (r) => rawPost(r, 'application/x-hostile', (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)])), 'empty'],
      ['fields as arrays (a[]=)', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.entries(f).map(([k, v]) => `${k}[]=${pct(v)}`)].join('&')), 'empty'],
      ['fields as objects (a[b]=)', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.entries(f).map(([k, v]) => `${k}[b]=${pct(v)}`)].join('&')), 'empty'],
      ['fields twice', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.entries(f).flatMap(([k, v]) => [`${k}=${pct(v)}`, `${k}=${pct(v)}`])].join('&')), 'empty'],
      ['fields nested 12 deep', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.entries(f).map(([k, v]) => `${k}${'[a]'.repeat(12)}=${pct(v)}`)].join('&')), 'empty'],
      ['fields at index 99999', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.entries(f).map(([k, v]) => `${k}[99999]=${pct(v)}`)].join('&')), 'empty'],
      ['fields only on __proto__ and constructor.prototype', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.entries(f).flatMap(([k, v]) => [`__proto__[${k}]=${pct(v)}`, `constructor[prototype][${k}]=${pct(v)}`, `__proto__.${k}=${pct(v)}`])].join('&')), 'empty'],
      ['an empty body', (r) => rawPost(r, FORM, () => ''), 'empty'],
      ['only separators', (r) => rawPost(r, FORM, () => '&&&===&=&%&'), 'empty'],
      ['gzip that is not gzip', (r) => rawPost(r, FORM, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]), { 'content-encoding': 'gzip' }), [400, 415]],
      ['deflate that is not deflate', (r) => rawPost(r, FORM, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]), { 'content-encoding': 'deflate' }), [400, 415]],
      ['brotli that is not brotli', (r) => rawPost(r, FORM, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]), { 'content-encoding': 'br' }), [400, 415]],
      ['gzip cut short', (r) => rawPost(r, FORM, (f, t) => gzipSync(urlencoded([['_csrf', t], ...pairsOf(f)])).subarray(0, 12), { 'content-encoding': 'gzip' }), [400, 415]],
      ['an unknown Content-Encoding', (r) => rawPost(r, FORM, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]), { 'content-encoding': 'x-hostile' }), [415]],
      ['a form over 64 kB', (r) => rawPost(r, FORM, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f), ['pad', 'p'.repeat(70_000)]])), [413]],
      ['a gzip bomb (64 kB once inflated)', (r) => rawPost(r, FORM, (f, t) => gzipSync(urlencoded([['_csrf', t], ...pairsOf(f), ['pad', 'p'.repeat(1_000_000)]])), { 'content-encoding': 'gzip' }), [413]],
    ];
    const cases: Case[] = [];
    for (const r of postRoutes()) {
      for (const [label, make, expectation] of encodings) {
        cases.push({ label: `${r.route} as ${label}`, expect: expectation === 'empty' ? r.empty : expectation, send: make(r) });
      }
      // a body that never arrives in full
      cases.push({
        label: `${r.route} with its body cut off (the client goes away)`,
        expect: 'either',
        cut: true,
        send: async () => {
          const who = await r.who();
          const body = Buffer.from(urlencoded([['_csrf', who.csrf()], ...pairsOf(r.base())]));
          return sendCut(app.url + r.path, 'POST', baseHeaders(who, { 'content-type': FORM }), body.subarray(0, Math.max(1, body.length >> 1)), body.length + 100);
        },
      });
    }
    check(
      await runGroup({
        name: 'unreadable bodies',
        build: () => cases,
        after: async () => {
          const polluted = ['body', 'password', 'login_id', 'word', 'title', 'date', 'answer', 'up_to', 'language'].filter((k) => (Object.prototype as Record<string, unknown>)[k] !== undefined);
          return polluted.length ? [`Object.prototype polluted: ${polluted.join(', ')}`] : [];
        },
      }),
    );
  });

  slow('bodies the app may read after all (a bogus charset, real gzip, 1,000 junk fields first, a bad escape): never a 5xx', async () => {
    const variants: [string, (r: PostRoute) => () => Promise<Outcome>][] = [
      ['charset=bogus', (r) => rawPost(r, `${FORM}; charset=x-bogus`, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]))],
      ['charset=utf-16', (r) => rawPost(r, `${FORM}; charset=utf-16`, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]))],
      ['real gzip', (r) => rawPost(r, FORM, (f, t) => gzipSync(urlencoded([['_csrf', t], ...pairsOf(f)])), { 'content-encoding': 'gzip' })],
      ['real deflate', (r) => rawPost(r, FORM, (f, t) => deflateSync(urlencoded([['_csrf', t], ...pairsOf(f)])), { 'content-encoding': 'deflate' })],
      ['1,100 junk fields first', (r) => rawPost(r, FORM, (f, t) => [...Array.from({ length: 1100 }, (_, i) => `j${i}=1`), urlencoded([['_csrf', t], ...pairsOf(f)])].join('&'))],
      ['a malformed escape in every field', (r) => rawPost(r, FORM, (f, t) => [`_csrf=${t}`, ...Object.keys(f).map((k) => `${k}=%E0%A4%A`)].join('&'))],
      ['the token only in the body, the header empty', (r) => rawPost(r, FORM, (f, t) => urlencoded([['_csrf', t], ...pairsOf(f)]), { 'X-CSRF-Token': '' }, 'none')],
      ['with HX-Request and the token in the header only', (r) => rawPost(r, FORM, (f) => urlencoded(pairsOf(f)), HX)],
    ];
    const cases = postRoutes()
      .filter((r) => !r.destructive)
      .flatMap((r) => variants.map(([label, make]): Case => ({ label: `${r.route} ${label}`, expect: 'either', send: make(r) })));
    check(
      await runGroup({
        name: 'readable bodies',
        build: () => cases,
        side: ['users', 'messages', 'events', 'couples', 'word_counts', 'rank_exclusions', 'calendar_events', 'push_subscriptions'],
      }),
    );
  });

  // ---- the CSRF check, methods, users of the wrong kind, odd headers -----------------------------

  slow('a missing, wrong or cross-site token → 403 and nothing changes', async () => {
    const routes = postRoutes().map((r) => (r.route === 'POST /account/delete' ? { ...r, who: () => freshSession(logins.del) } : r));
    const variants: [string, (csrf: string, other: string) => { headers: Record<string, string>; token: string | string[] | null }][] = [
      ['no token', () => ({ headers: {}, token: null })],
      ['a wrong token', () => ({ headers: {}, token: randomBytes(24).toString('base64url') })],
      ['an empty token', () => ({ headers: {}, token: '' })],
      ['the token as an array', (t) => ({ headers: {}, token: [t] })],
      ["the partner's token", (_t, other) => ({ headers: {}, token: other })],
      ['the token, from another site (Origin)', (t) => ({ headers: { Origin: 'https://evil.example' }, token: t })],
      ['the token, Origin: null', (t) => ({ headers: { Origin: 'null' }, token: t })],
      ['the token, from another site (Referer)', (t) => ({ headers: { Referer: 'https://evil.example/page' }, token: t })],
      ['the token, Sec-Fetch-Site: cross-site', (t) => ({ headers: { 'Sec-Fetch-Site': 'cross-site' }, token: t })],
      ['a token in the header, none in the cookie', (t) => ({ headers: { 'X-CSRF-Token': t, cookie: '' }, token: null })],
    ];
    const cases: Case[] = routes.flatMap((r) =>
      variants.map(([label, make]): Case => ({
        label: `${r.route} with ${label}`,
        expect: [403],
        send: async () => {
          const who = await r.who();
          const v = make(who.csrf(), M.b.csrf);
          const tokenPairs: [string, string][] = v.token === null ? [] : Array.isArray(v.token) ? v.token.map((x) => ['_csrf[]', x] as [string, string]) : [['_csrf', v.token]];
          const headers = baseHeaders(who, { 'content-type': FORM, ...v.headers });
          if (headers.cookie === '') headers.cookie = who.cookie().replace(/cc\.csrf(\.sig)?=[^;]*;?\s*/g, '');
          return send(app.url + r.path, 'POST', headers, [...tokenPairs.map(([k, x]) => `${k}=${pct(x)}`), urlencoded(pairsOf(r.base()))].filter(Boolean).join('&'));
        },
      })),
    );
    check(await runGroup({ name: 'csrf', build: () => cases }));
  });

  slow('methods a route does not take → 405', async () => {
    const getOnly = ['/', '/healthz', '/signup/check-id?login_id=abcd', '/account', '/pair', '/chat', '/chat/search?q=x', `/files/${ids.mFile}`, `/files/${ids.mFile}/thumb`, '/answers', '/rank', '/calendar', '/chat/export', '/push/key', '/manifest.webmanifest', '/offline'];
    const postOnly = postRoutes().map((r) => r.path).filter((p) => !['/signup', '/login', '/chat/messages'].includes(p));
    const both = ['/signup', '/login', '/chat/messages'];
    const methodCase = (method: string, path: string, expectation: Expect): Case => ({
      label: `${method} ${path}`,
      expect: expectation,
      send: () => send(app.url + path, method, baseHeaders(actor(M.a), { 'X-CSRF-Token': M.a.csrf, 'content-type': FORM }), method === 'GET' || method === 'HEAD' ? undefined : ''),
    });
    check(
      await runGroup({
        name: 'methods',
        build: () => [
          ...getOnly.flatMap((p) => ['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND'].map((m) => methodCase(m, p, [405]))),
          ...postOnly.flatMap((p) => ['GET', 'PUT', 'DELETE', 'PATCH'].map((m) => methodCase(m, p, [405]))),
          ...both.flatMap((p) => ['PUT', 'DELETE', 'PATCH'].map((m) => methodCase(m, p, [405]))),
          ...['POST', 'PUT', 'DELETE'].map((m) => methodCase(m, '/chat/stream', [405])),
          ...[...getOnly.slice(0, 4), ...postOnly.slice(0, 4)].map((p) => methodCase('OPTIONS', p, 'either')),
          // HEAD is GET without the body: the same success as GET
          ...getOnly.map((p): Case => ({ ...methodCase('HEAD', p, [200, 303]), noBody: true })),
        ],
      }),
    );
  });

  slow('users of the wrong kind: not logged in, single, paired, logged in on the log-in pages', async () => {
    const couplePosts = postRoutes().filter((r) => ['/chat', '/questions', '/rank', '/calendar', '/couple'].some((p) => r.path.startsWith(p)));
    const coupleGets = ['/chat', '/chat/messages?before=5', '/chat/search?q=x', '/answers', '/rank', '/calendar', '/chat/export'];
    const post = (who: Actor, r: PostRoute, htmx: boolean, expectation: Expect, where?: string): Case => ({
      label: `${r.route} as ${where === '/login' || (Array.isArray(expectation) && expectation.includes(401)) ? 'nobody' : 'a single user'}${htmx ? ' [htmx]' : ''}`,
      expect: expectation,
      send: postForm(who, r.path, pairsOf(r.base()), { htmx }),
      verify: (reply) => (where && reply.status === 303 && reply.location !== where ? `sent to ${reply.location}` : null),
    });
    const anonA = actor(anon);
    const cases: Case[] = [
      ...couplePosts.flatMap((r) => [post(anonA, r, false, [303], '/login'), post(anonA, r, true, [401])]),
      ...couplePosts.flatMap((r) => [post(actor(acct), r, false, [303], '/pair'), post(actor(acct), r, true, [200])]),
      ...coupleGets.flatMap((p) => [
        { label: `GET ${p} as nobody`, expect: [303], send: get(anonA, p) } as Case,
        { label: `GET ${p} as nobody [htmx]`, expect: [401], send: get(anonA, p, HX) } as Case,
        { label: `GET ${p} as a single user`, expect: [303], send: get(actor(acct), p) } as Case,
      ]),
      { label: 'GET /files/:id as nobody', expect: [404], send: get(anonA, `/files/${ids.mFile}`) },
      { label: 'GET /files/:id as a single user', expect: [404], send: get(actor(acct), `/files/${ids.mFile}`) },
      { label: "GET /files/:id as the other couple", expect: [404], send: get(actor(X.a), `/files/${ids.mFile}`) },
      { label: "GET /files/:id/thumb as the other couple", expect: [404], send: get(actor(X.a), `/files/${ids.mFile}/thumb`) },
      ...['/account/password', '/account/settings', '/account/delete'].map((p): Case => ({ label: `POST ${p} as nobody`, expect: [303], send: postForm(anonA, p, [['password', 'x']]) })),
      // Web Push is any logged-in user's (single or paired), nobody's else; push.js asks with HX-Request
      ...['/account/push-previews', '/push/subscriptions', '/push/subscriptions/delete'].flatMap((p): Case[] => [
        { label: `POST ${p} as nobody`, expect: [303], send: postForm(anonA, p, [['previews', 'on'], ['endpoint', 'https://push.example.com/send/nobody'], ...Object.entries(newPushKeys())]), verify: (r) => (r.location === '/login' ? null : `sent to ${r.location}`) },
        { label: `POST ${p} as nobody [htmx]`, expect: [401], send: postForm(anonA, p, [['previews', 'on'], ['endpoint', 'https://push.example.com/send/nobody'], ...Object.entries(newPushKeys())], { htmx: true }) },
      ]),
      { label: 'GET /push/key as nobody', expect: [303], send: get(anonA, '/push/key'), verify: (r) => (r.location === '/login' ? null : `sent to ${r.location}`) },
      { label: 'GET /push/key as nobody [htmx]', expect: [401], send: get(anonA, '/push/key', HX) },
      { label: 'GET /push/key as a paired user', expect: [200], send: get(actor(M.a), '/push/key'), verify: (r) => (r.text === app.app.context.deps.config.vapid.publicKey ? null : `not the server's key: ${short(r.text)}`) },
      ...['/pair/requests', '/pair/requests/1/accept'].map((p): Case => ({ label: `POST ${p} as a paired user`, expect: [409], send: postForm(actor(M.a), p, [['login_id', logins.s1]]) })),
      { label: 'GET /pair as a paired user', expect: [303], send: get(actor(M.a), '/pair') },
      ...['/signup', '/login'].flatMap((p): Case[] => [
        { label: `GET ${p} as a logged-in user`, expect: [303], send: get(actor(M.a), p) },
        { label: `POST ${p} as a logged-in user`, expect: [303], send: postForm(actor(M.a), p, [['login_id', 'someone'], ['password', PASSWORD], ['password_confirm', PASSWORD]]) },
      ]),
    ];
    check(await runGroup({ name: 'wrong user', build: () => cases }));
  });

  slow('odd cookies and headers: a forged session, zone and language, odd htmx headers', async () => {
    const values = HOSTILE.filter((h) => headerSafe(h.value) && !/[;,]/.test(h.value) && h.value.length < 6000);
    const cookieCase = (label: string, path: string, cookie: (base: string) => string, headers: Record<string, string> = {}): Case => ({
      label,
      expect: 'either',
      send: () => send(app.url + path, 'GET', { 'accept-language': 'en', cookie: cookie(M.a.cookieHeader()), ...headers }),
    });
    const cases: Case[] = ['/chat', '/calendar', '/chat/search?q=hello'].flatMap((path) => [
      ...values.map((h) => cookieCase(`GET ${path} cookie cc.tz=<${h.label}>`, path, (c) => `${c}; cc.tz=${h.value}`)),
      ...values.map((h) => cookieCase(`GET ${path} cookie cc.lang=<${h.label}>`, path, (c) => `${c}; cc.lang=${h.value}`)),
      ...values.map((h) => cookieCase(`GET ${path} Accept-Language: <${h.label}>`, path, (c) => c, { 'accept-language': h.value })),
      ...values.slice(0, 12).map((h) => cookieCase(`GET ${path} a forged session cookie <${h.label}>`, path, () => `cc.sid=${h.value}; cc.sid.sig=${h.value}`)),
      ...values.slice(0, 12).map((h) => cookieCase(`GET ${path} a forged flash cookie <${h.label}>`, path, (c) => `${c}; cc.flash=${h.value}; cc.flash.sig=${h.value}`)),
      cookieCase(`GET ${path} the session cookie without its signature`, path, (c) => c.replace(/cc\.sid\.sig=[^;]*;?\s*/, '')),
      cookieCase(`GET ${path} HX-Request: TRUE`, path, (c) => c, { 'HX-Request': 'TRUE' }),
      cookieCase(`GET ${path} HX-Request and HX-Boosted`, path, (c) => c, { 'HX-Request': 'true', 'HX-Boosted': 'true' }),
      cookieCase(`GET ${path} 200 cookies`, path, (c) => `${c}; ${Array.from({ length: 200 }, (_, i) => `k${i}=v${i}`).join('; ')}`),
      ...['evil.example', 'x'.repeat(1000), '[::1]:99999', '127.0.0.1:0', ''].map((host) => cookieCase(`GET ${path} Host: ${short(host)}`, path, (c) => c, { host })),
    ]);
    check(await runGroup({ name: 'headers', build: () => cases }));
  });

  slow('the htmx headers the app reads (HX-Request, HX-Boosted, HX-Current-URL), malformed: a page or a fragment, never a 5xx', async () => {
    // Node trims the spaces around a header's value; only 'true' asks for htmx's answer
    const flag = (v: string) => v.trim() === 'true';
    const pageCase = (label: string, who: Actor, path: string, headers: Record<string, string>, fragment: boolean | null): Case => ({
      label,
      expect: who === nobody ? (fragment ? [401] : [303]) : [200],
      send: get(who, path, headers),
      verify: (r) => {
        if (fragment === null || r.status !== 200) return null;
        const whole = /<html[\s>]/.test(r.text);
        return whole === fragment ? `${fragment ? 'a whole page' : 'a fragment'} where ${fragment ? 'a fragment' : 'the page'} was asked for` : null;
      },
    });
    const pages: Case[] = HX_FLAGS.flatMap((h) => [
      // the calendar is a fragment for htmx (the whole page otherwise), unless the navigation is boosted
      pageCase(`GET /calendar HX-Request: <${h.label}>`, actor(M.a), '/calendar', { 'HX-Request': h.value }, flag(h.value)),
      pageCase(`GET /calendar HX-Request: true, HX-Boosted: <${h.label}>`, actor(M.a), '/calendar', { 'HX-Request': 'true', 'HX-Boosted': h.value }, !flag(h.value)),
      ...['/chat', '/account', '/chat/search?q=hello'].map((path) => pageCase(`GET ${path} HX-Request and HX-Boosted: <${h.label}>`, actor(M.a), path, { 'HX-Request': h.value, 'HX-Boosted': h.value }, null)),
      // a visitor: 401 with HX-Redirect for htmx, else 303 to the log-in page
      pageCase(`GET /chat (not logged in) HX-Request: <${h.label}>`, nobody, '/chat', { 'HX-Request': h.value }, flag(h.value)),
      {
        label: `POST /language HX-Request: <${h.label}>`,
        expect: [flag(h.value) ? 200 : 303],
        send: postForm(actor(acct), '/language', [
          ['language', 'en'],
          ['back', '/account'],
        ], { headers: { 'HX-Request': h.value } }),
      },
    ]);
    // the htmx cancel of a break-up goes back to the page it was sent from: whatever this header holds, the cancel is done and answered
    const pending = async () => (await app.db('couples').where({ id: M.coupleId }).first('breakup_due_at')).breakup_due_at;
    const cancels: Case[] = CURRENT_URLS.map((h) => ({
      label: `POST /couple/breakup/cancel HX-Current-URL: <${h.label}>`,
      expect: [200],
      prepare: async () => {
        await M.a.get('/account');
        const started = await M.a.post('/couple/breakup', { password: PASSWORD });
        if (started.status !== 303) throw new Error(`could not start a break-up: ${started.status}`);
      },
      send: postForm(actor(M.a), '/couple/breakup/cancel', [], { htmx: true, headers: { 'HX-Current-URL': h.value } }),
      verify: async (r) => {
        if ((await pending()) != null) return 'the break-up is still pending';
        return r.headers.get('hx-redirect') ? null : 'no HX-Redirect back to a page';
      },
    }));
    check([
      ...(await runGroup({ name: 'htmx headers', build: () => pages, side: ['users'] })),
      ...(await runGroup({ name: 'htmx cancel from', build: () => cancels, perCase: true, side: ['couples', 'events'] })),
    ]);
  });

  slow('an error page from the body parser (413, 415, 400) still carries the page token in its forms', async () => {
    const problems: string[] = [];
    for (const [label, headers, body] of [
      ['a form over 64 kB', { 'content-type': FORM }, `body=${'x'.repeat(70_000)}`],
      ['an unknown Content-Encoding', { 'content-type': FORM, 'content-encoding': 'x-hostile' }, 'body=x'],
    ] as const) {
      stats.total++;
      const r = await send(app.url + '/chat/messages', 'POST', baseHeaders(actor(M.a), headers), body);
      const tokens = [...r.text.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]);
      if (tokens.some((t) => t !== M.a.csrf)) problems.push(`${label} → ${r.status} page whose forms carry _csrf=${JSON.stringify(tokens)} instead of the session's token`);
    }
    check(problems);
  });

  // ---- afterwards -----------------------------------------------------------------------------

  it('has tried every route the routers serve (a new route needs its cases here)', () => {
    const tried = [...stats.labels];
    const untried = routerRoutes().filter(({ method, path }) => {
      const pattern = new RegExp(`^${method} ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z]+/g, '[^/ ?]+')}(?=[ ?]|$)`);
      return !tried.some((label) => pattern.test(label));
    });
    expect(untried.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  slow('afterwards: the process is healthy, the other couple untouched, no 5xx logged', async () => {
    const health = await send(app.url + '/healthz', 'GET', {});
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', db: 'ok' });
    expect(process.pid).toBeGreaterThan(0);
    const now = await snapshot(app.db);
    // still serving pages as before
    expect((await M.a.get('/chat')).status).toBe(200);
    expect((await X.b.get('/chat')).status).toBe(200);
    const theirs = (s: Snapshot) =>
      Object.fromEntries(
        Object.entries(s).map(([table, rows]) => [
          table,
          [...rows.keys()].filter((row) => {
            const r = JSON.parse(row);
            return String(r.couple_id) === String(X.coupleId) || (table === 'users' && [X.aId, X.bId].includes(Number(r.id))) || [X.aId, X.bId].includes(Number(r.user_id));
          }).sort(),
        ]),
      );
    expect(theirs(now)).toEqual(theirs(initial));
    const serverErrors = appErrors.filter((e) => e.startsWith('error on'));
    expect(serverErrors.map((e) => e.split('\n')[0])).toEqual([]);
  });
});
