// The hostile-input suite's vocabulary (tests/http/hostile/*.test.ts): what a case and a
// group are, which file sweeps which routes, how a reply is judged, and the oracles: what
// the app's rules say of a value.
import { readFileSync } from 'node:fs';
import { createECDH } from 'node:crypto';
import type { Reply } from './client';
import { messageOf } from './hostile';

export const FORM_LIMIT = 64 * 1024; // the body parser's formLimit
export const UPLOAD_MAX = 256 * 1024; // this suite's UPLOAD_MAX_BYTES, so "too large" is cheap to send
export const FORM = 'application/x-www-form-urlencoded';
export const HX = { 'HX-Request': 'true' };

/** 'refuse': a 4xx with a message; 'accept': 2xx/3xx; 'either': any of those; a list: exactly one of these statuses. */
export type Expect = 'refuse' | 'accept' | 'either' | readonly number[];
export type Outcome = Reply & { error?: string };

export interface Case {
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

export interface Group {
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

export interface Actor {
  cookie: () => string;
  csrf: () => string;
}

export interface Verdict {
  expect: Expect;
  verify?: Case['verify'];
  adds?: Record<string, number>;
  serial?: boolean;
}

export interface FormRoute {
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

/** The routes each file sweeps with cases of its own: together, every route the routers serve (a new route needs its cases in one). */
export const SWEEPS = {
  'chat forms': ['POST /chat/messages', 'POST /chat/read', 'POST /calendar/events', 'POST /rank/excluded', 'POST /rank/excluded/delete', 'POST /couple/breakup', 'POST /couple/breakup/cancel', 'POST /questions/:id/answer', 'POST /chat/messages/:id/reactions', 'POST /couple/profile', 'POST /calendar/dday/mark'],
  'account forms': ['POST /signup', 'POST /login', 'POST /account/password', 'POST /account/settings', 'POST /account/delete', 'POST /language', 'POST /pair/requests'],
  'push forms': ['POST /push/subscriptions', 'POST /push/subscriptions/delete', 'POST /account/push-previews'],
  queries: [
    ...['/', '/healthz', '/signup', '/signup/check-id', '/login', '/account', '/pair', '/chat', '/chat/messages', '/chat/search', '/chat/messages/:id/delete', '/files/:id', '/files/:id/thumb', '/answers', '/rank', '/calendar', '/couple', '/chat/export', '/album', '/push/key', '/manifest.webmanifest', '/offline'].map((p) => `GET ${p}`),
    ...['/chat/messages/:id/delete', '/calendar/events/:id/delete', '/calendar/events/:id/restore', '/calendar/events/:id/dday', '/pair/requests/:id/accept', '/pair/requests/:id/reject', '/pair/requests/:id/cancel'].map((p) => `POST ${p}`),
  ],
  uploads: ['POST /chat/uploads', 'POST /couple/photo'],
  // these two sweep every POST route (hostilePosts.ts) for what is not a field: the bodies
  // own the routes that have no fields of their own
  bodies: ['POST /logout', 'POST /calendar/dday/clear', 'POST /chat/typing'],
  requests: [],
} satisfies Record<string, string[]>;

/** Whether a case's label names the route: its method and path, an :id standing for any segment. */
export function triesRoute(label: string, route: string): boolean {
  const [method, path] = route.split(' ');
  return new RegExp(`^${method} ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z]+/g, '[^/ ?]+')}(?=[ ?]|$)`).test(label);
}

export function judge(c: Case, r: Outcome): string[] {
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

// ---- oracles: what the rules say of a value -------------------------------------------------

export const chars = (s: string) => [...s].length;
/** A message or an answer as stored: line ends as \n, well formed, control characters (not \n, \t) out, trimmed. */
export const cleanText = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .trim();
/** Nothing a reader would see: only spaces and invisible characters (zero-width, joiners, Hangul fillers, …), as good as empty. */
export const looksBlank = (s: string) => /^[\s\p{Z}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\uFE00-\uFE0F\u{E0100}-\u{E01EF}]*$/u.test(s);
/** A plan's title: one line, control characters as spaces, trimmed. */
export const cleanTitle = (s: string) => s.replace(/\r\n?/g, '\n').toWellFormed().replace(/\p{Cc}/gu, ' ').trim();
const LOGIN_ID = /^[a-z0-9_]{4,20}$/;
export const loginIdOk = (s: string) => LOGIN_ID.test(s.replace(/\r\n?/g, '\n').trim().toLowerCase());
const COMMON = new Set(readFileSync(new URL('../../src/accounts/common-passwords.txt', import.meta.url), 'utf8').split('\n').filter(Boolean));
export const passwordOk = (p: string) =>
  p !== '' && !/\s/u.test(p) && p.isWellFormed() && !/\p{Cc}/u.test(p) && chars(p) >= 8 && chars(p) <= 64 && !COMMON.has(p.toLowerCase());

export function dateKind(s: string): 'valid' | 'far' | 'invalid' {
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
export function endpointOk(s: string): boolean {
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
export const keyBytes = (s: string) => (/^[A-Za-z0-9_-]+={0,2}$/.test(s) ? Buffer.from(s.replace(/=+$/, ''), 'base64url') : null);
/** An uncompressed P-256 public key that is really on the curve (a payload can be encrypted to it). */
export function onP256(key: Buffer | null): boolean {
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

export const isId = (s: string) => /^[1-9]\d{0,15}$/.test(s) && Number.isSafeInteger(Number(s));
export const letters = (n: number) => {
  let out = '';
  do {
    out += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
};
export const short = (s: string) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…(${s.length})` : s);
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
