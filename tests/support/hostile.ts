// Tools for the hostile-input suite (tests/http/hostile/*.test.ts): the hostile values, how a
// client puts them on the wire (including what no browser would send), raw requests that
// may be cut short, what the app sees of a value after decoding, the refusal message in a
// reply, and before/after snapshots of the database to tell "refused" from "changed".
import { createECDH, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Db } from '../../src/db';
import type { Reply } from './client';

export interface Hostile {
  label: string;
  value: string;
}

/** Every field of every route gets each of these. */
export const HOSTILE: readonly Hostile[] = [
  { label: 'empty', value: '' },
  { label: 'spaces', value: '   ' },
  { label: 'unicode spaces', value: '\t\u00a0\u2003\u3000\ufeff' },
  { label: 'zero-width only', value: '\u200b\u200c\u200d' },
  { label: 'newlines', value: '\r\n\r\n\n' },
  { label: 'NUL', value: '\u0000' },
  { label: 'NUL inside', value: 'a\u0000b' },
  { label: 'control chars', value: '\u0001\u0007\u001b[31mred\u007f' },
  { label: 'lone high surrogate', value: '\ud800' },
  { label: 'lone low surrogate inside', value: 'x\udc00y' },
  { label: '70,000 characters', value: 'x'.repeat(70_000) },
  { label: '60,000 characters', value: 'y'.repeat(60_000) },
  { label: '4,001 characters', value: 'z'.repeat(4_001) },
  { label: '501 Korean characters', value: '가'.repeat(501) },
  { label: 'emoji run', value: '😀'.repeat(1_000) },
  { label: 'ZWJ emoji run', value: '👩‍❤️‍💋‍👨'.repeat(50) },
  { label: 'combining marks', value: 'Z\u0338\u0322\u031ba\u0335l\u0336g\u0337o\u0338'.repeat(20) },
  { label: 'RTL override', value: '\u202eevil\u202c' },
  { label: 'SQL quote', value: "' OR '1'='1" },
  { label: 'SQL drop', value: '1; DROP TABLE messages; --' },
  { label: 'SQL union', value: "x' UNION SELECT password_hash FROM users --" },
  { label: 'LIKE wildcards', value: '%_\\%' },
  { label: 'HTML script', value: '<script>alert("xss")</script>' },
  { label: 'HTML attribute', value: '"><img src=x onerror=alert(1)>' },
  { label: 'htmx attribute', value: '<div hx-get="/account" hx-trigger="load">x</div>' },
  { label: 'template syntax', value: '<%= it.csrf %>{{7*7}}${7*7}' },
  { label: 'path traversal', value: '../../etc/passwd' },
  { label: 'Windows traversal', value: '..\\..\\windows\\win.ini' },
  { label: 'CRLF header', value: 'a\r\nX-Injected: 1' },
  { label: 'zero', value: '0' },
  { label: 'negative', value: '-1' },
  { label: 'exponent', value: '1e3' },
  { label: '20 nines', value: '99999999999999999999' },
  { label: 'unsafe integer', value: '9007199254740993' },
  { label: 'NaN', value: 'NaN' },
  { label: 'Infinity', value: 'Infinity' },
  { label: 'hex', value: '0x10' },
  { label: 'decimal', value: '1.5' },
  { label: 'impossible date', value: '2024-02-30' },
  { label: 'not a leap year', value: '2023-02-29' },
  { label: 'zero date', value: '0000-00-00' },
  { label: 'far date', value: '9999-12-31' },
  { label: 'month 13', value: '2024-13-01' },
  { label: 'unpadded date', value: '2024-1-1' },
  { label: 'date-time', value: '2024-02-29T25:61:00Z' },
  { label: 'leap day', value: '2024-02-29' },
  { label: 'month 13 (month)', value: '2024-13' },
  { label: 'month zero (month)', value: '0000-00' },
  { label: 'null', value: 'null' },
  { label: 'JSON operator', value: '{"$gt":""}' },
  { label: 'Korean word', value: '사과를' },
  { label: 'full-width', value: 'ｓｅｌｅｃｔ' },
  { label: 'dotted capital I', value: 'İİİ' },
  { label: 'percent escapes', value: '%00%zz%' },
];

/** Path parameters: ids that are not ids, or not ours. */
export const BAD_IDS: readonly string[] = [
  '0',
  '-1',
  '1e3',
  '99999999999999999999',
  '9007199254740993',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%00',
  '1%00',
  'NaN',
  '%F0%9F%98%80',
  '%',
  '%zz',
  '%E0%A4%A',
  '01',
  '1.0',
  '%201',
  '+1',
  '0x1',
  'abc',
  "1'%20OR%20'1'%3D'1",
  '999999',
];

/** Range header values, well formed or not. */
export const RANGES: readonly string[] = [
  'bytes=0-0',
  'bytes=0-',
  'bytes=-1',
  'bytes=-0',
  'bytes=5-2',
  'bytes=0-1,2-3',
  'items=0-1',
  'bytes=-',
  'bytes=abc',
  'bytes=',
  'bytes=99999999999999999999-',
  'bytes=999999999999999-',
  'bytes=0-99999999999999999999',
  'bytes=-999999999999999',
  'bytes= 0-1',
  'bytes=1e3-',
  'bytes=0x10-',
  'bytes=-1-2',
  'bytes=18446744073709551616-18446744073709551617',
  `bytes=${'0-0,'.repeat(2_000)}0-0`,
  'x'.repeat(8_000),
];

/** Push endpoints (POST /push/subscriptions, …/delete): URLs a browser would never report, and a few it could. */
export const PUSH_ENDPOINTS: readonly Hostile[] = [
  { label: 'javascript: URL', value: 'javascript:alert(1)' },
  { label: 'file: URL', value: 'file:///etc/passwd' },
  { label: 'data: URL', value: 'data:text/html,<script>alert(1)</script>' },
  { label: 'ftp: URL', value: 'ftp://push.example.com/send/x' },
  { label: 'cloud metadata over http', value: 'http://169.254.169.254/latest/meta-data/' },
  { label: 'plain http to another host', value: 'http://push.example.com/send/x' },
  { label: 'a look-alike of loopback', value: 'http://127.0.0.1.example.com/send/x' },
  { label: 'credentials in the URL', value: 'https://user:pw@push.example.com/send/x' },
  { label: 'a fragment', value: 'https://push.example.com/send/x#frag' },
  { label: 'CRLF in the URL', value: 'https://push.example.com/send/a\r\nX-Injected: 1' },
  { label: 'a tab in the URL', value: 'https://push.example.com/send/a\tb' },
  { label: 'a space in the URL', value: 'https://push.example.com/send/a b' },
  { label: 'NUL in the URL', value: 'https://push.example.com/send/a\u0000' },
  { label: 'a leading space', value: ' https://push.example.com/send/x' },
  { label: 'no host', value: 'https://' },
  { label: 'over 2 KB', value: `https://push.example.com/${'a'.repeat(2048)}` },
  { label: 'exactly 2 KB', value: `https://push.example.com/${'a'.repeat(2048 - 'https://push.example.com/'.length)}` },
  { label: 'markup in the path', value: 'https://push.example.com/"><svg/onload=alert(1)>' },
  { label: 'quotes and a script tag in the query', value: `https://push.example.com/s?x='"<script>` },
  { label: 'a Korean host and path', value: 'https://푸시.example/send/가나다' },
  { label: 'a percent-encoded NUL', value: 'https://push.example.com/send/%00' },
  { label: 'a lone surrogate in the path', value: 'https://push.example.com/send/\ud800' },
  { label: 'https without slashes', value: 'https:push.example.com/send/x' },
  { label: 'port 0', value: 'https://push.example.com:0/send/x' },
  { label: 'loopback over http', value: 'http://127.0.0.1:9/push/x' },
  { label: 'IPv6 loopback over http', value: 'http://[::1]:9/push/x' },
  { label: 'loopback in capitals', value: 'HTTP://LOCALHOST:9/push/x' },
  { label: 'loopback as one decimal number', value: 'http://2130706433:9/push/x' },
];

/** A browser's subscription keys (PushSubscription.toJSON().keys): a P-256 public key and a 16-byte secret, base64url. */
export function newPushKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/** p256dh values near a real key: padded, cut, compressed, off the curve, in the other alphabet. */
export function p256dhValues(): Hostile[] {
  const ecdh = createECDH('prime256v1');
  let key: Buffer;
  do {
    ecdh.generateKeys();
    key = ecdh.getPublicKey();
  } while (!/[+/]/.test(key.toString('base64'))); // a key whose standard base64 differs from base64url: the same cases every run
  const b64u = key.toString('base64url');
  return [
    { label: 'a key with one =', value: `${b64u}=` },
    { label: 'a key with two =', value: `${b64u}==` },
    { label: 'a key with three =', value: `${b64u}===` },
    { label: 'a key in standard base64', value: key.toString('base64') },
    { label: 'a key with a space inside', value: `${b64u.slice(0, 10)} ${b64u.slice(10)}` },
    { label: 'a key one character short', value: b64u.slice(0, -1) },
    { label: 'a key one byte long', value: Buffer.concat([key, Buffer.from([0])]).toString('base64url') },
    { label: 'a compressed key', value: ecdh.getPublicKey(null, 'compressed').toString('base64url') },
    { label: 'a point off the curve', value: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url') },
    { label: '65 zero bytes', value: Buffer.alloc(65).toString('base64url') },
    { label: 'the point at infinity', value: Buffer.from([0]).toString('base64url') },
    { label: 'the standard alphabet only', value: 'BP+/'.repeat(22) },
  ];
}

/** auth values near a real secret: padded, a byte short or long, its spare bits set. */
export function authValues(): Hostile[] {
  const secret = randomBytes(16).toString('base64url');
  return [
    { label: 'a secret with ==', value: `${secret}==` },
    { label: '16 zero bytes', value: Buffer.alloc(16).toString('base64url') },
    { label: 'the last character with its spare bits set', value: `${'A'.repeat(21)}B` },
    { label: '15 bytes', value: Buffer.alloc(15, 7).toString('base64url') },
    { label: '17 bytes', value: Buffer.alloc(17, 7).toString('base64url') },
    { label: 'a secret in the standard alphabet', value: '+/+/+/+/+/+/+/+/+/+/+w' },
  ];
}

/**
 * "Come back to" paths that start with one slash yet name another host once resolved: dot
 * segments (plain or percent-encoded) before an empty segment turn `/..//evil` into
 * `//evil`; backslashes and encoded slashes around them.
 */
export const OFFSITE_PATHS: readonly Hostile[] = [
  { label: '/..//host', value: '/..//evil.example/phish' },
  { label: '/.//host', value: '/.//evil.example' },
  { label: '/%2e%2e//host', value: '/%2e%2e//evil.example' },
  { label: '/%2E%2E//host', value: '/%2E%2E//evil.example' },
  { label: '/.%2e//host', value: '/.%2e//evil.example' },
  { label: '/%2e//host', value: '/%2e//evil.example' },
  { label: '/a/../..//host', value: '/a/../..//evil.example' },
  { label: '/a/..//host', value: '/a/..//evil.example' },
  { label: '/..///host', value: '/..///evil.example' },
  { label: '/./.././/host', value: '/./.././/evil.example' },
  { label: '/..//host with a port and query', value: '/..//evil.example:443/x?y=1' },
  { label: '/..//[::1]', value: '/..//[::1]/x' },
  { label: '/..//%65ncoded host', value: '/..//%65vil.example/x' },
  { label: '/../\\host', value: '/../\\evil.example' },
  { label: '/..\\/host', value: '/..\\/evil.example' },
  { label: '/.%5c%5chost', value: '/.%5c%5cevil.example' },
  { label: '/..%2f%2fhost', value: '/..%2f%2fevil.example' },
  { label: '/%2f%2fhost', value: '/%2f%2fevil.example' },
  { label: '/%2e%2e%2f%2fhost', value: '/%2e%2e%2f%2fevil.example' },
  { label: '/%09/host', value: '/%09/evil.example' },
];

/** Values of the htmx request headers the app reads (HX-Request, HX-Boosted): near 'true' and far from it. */
export const HX_FLAGS: readonly Hostile[] = [
  { label: 'true', value: 'true' },
  { label: 'TRUE', value: 'TRUE' },
  { label: 'True', value: 'True' },
  { label: 'true with spaces', value: ' true ' },
  { label: 'true, true', value: 'true, true' },
  { label: 'false', value: 'false' },
  { label: '1', value: '1' },
  { label: 'empty', value: '' },
  { label: 'yes', value: 'yes' },
  { label: 'markup', value: '<script>alert(1)</script>' },
  { label: '4,000 characters', value: 't'.repeat(4_000) },
  { label: 'percent escapes', value: '%74rue' },
];

/** Values of HX-Current-URL (the page htmx sent from): no URL at all, another site's, a path that resolves off the site. */
export const CURRENT_URLS: readonly Hostile[] = [
  { label: 'http://[', value: 'http://[' },
  { label: 'http://[::1', value: 'http://[::1' },
  { label: 'http://', value: 'http://' },
  { label: '://', value: '://' },
  { label: 'a bad escape in the host', value: 'http://%zz/account' },
  { label: 'a space in the host', value: 'http://a b/account' },
  { label: 'port 99999', value: 'http://127.0.0.1:99999/account' },
  { label: 'javascript:', value: 'javascript:alert(1)' },
  { label: 'data:', value: 'data:text/html,<script>alert(1)</script>' },
  { label: 'another site', value: 'https://evil.example/' },
  { label: 'another site, //host as its path', value: 'https://evil.example//evil.example/x' },
  { label: 'dot segments to //host', value: 'http://127.0.0.1/..//evil.example/x' },
  { label: 'encoded dot segments to //host', value: 'http://127.0.0.1/%2e%2e//evil.example/x' },
  { label: 'a relative path', value: '/account' },
  { label: 'a protocol-relative URL', value: '//evil.example/account' },
  { label: 'empty', value: '' },
  { label: 'spaces', value: '   ' },
  { label: '8,000 characters', value: `http://127.0.0.1/${'a'.repeat(8_000)}` },
  { label: 'CRLF-free markup', value: '"><img src=x onerror=alert(1)>' },
];

/** The previews switch (POST /account/push-previews): a checkbox sends 'on' or nothing. */
export const PREVIEWS: readonly Hostile[] = [
  { label: 'on', value: 'on' },
  { label: 'off', value: 'off' },
  { label: 'ON', value: 'ON' },
  { label: 'true', value: 'true' },
  { label: 'one', value: '1' },
  { label: 'yes', value: 'yes' },
  { label: 'checked', value: 'checked' },
  { label: 'on, off', value: 'on,off' },
  { label: 'on with a space', value: ' on ' },
  { label: 'off with a newline', value: 'off\r\n' },
];

/** Can this value travel in an HTTP header at all (Node's client refuses control characters)? */
export const headerSafe = (value: string) => /^[\t\x20-\x7e]*$/.test(value);

// ---- on the wire ------------------------------------------------------------------------

/** The UTF-8 bytes of a string, lone surrogates written as their (invalid) 3-byte forms: what a hostile client can send. */
export function wtf8(value: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Buffer.from(bytes);
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Percent-encodes every byte but the unreserved ones (lone surrogates as their WTF-8 bytes). */
export function pct(value: string): string {
  let out = '';
  for (const byte of wtf8(value)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An urlencoded body from pairs; keys are written as given (so `a[]` and `a[b]` stay brackets). */
export const urlencoded = (pairs: readonly (readonly [string, string])[]): string => pairs.map(([k, v]) => `${k}=${pct(v)}`).join('&');

/** What a form field holds after the body parser (qs): '+' is a space; a malformed escape leaves the text as sent. */
export function formSees(value: string): string {
  const sent = pct(value).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(sent);
  } catch {
    return sent;
  }
}

/** What a query parameter holds after Node's querystring: invalid UTF-8 becomes U+FFFD. */
export const querySees = (value: string): string => wtf8(value).toString('utf8');

export interface Part {
  name: string;
  value?: string | Buffer;
  /** a file part */
  filename?: string;
  /** the raw Content-Disposition parameters after `name`, instead of filename= */
  dispositionExtra?: string;
  contentType?: string;
  data?: Buffer;
}

/** A multipart/form-data body; field values as raw bytes (WTF-8) so lone surrogates reach the parser as sent. */
export function multipartBody(parts: readonly Part[], boundary = `----ccHostile${randomBytes(8).toString('hex')}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    if (p.dispositionExtra !== undefined) disposition += p.dispositionExtra;
    const isFile = p.filename !== undefined || p.dispositionExtra !== undefined;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${isFile || p.contentType ? `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n` : ''}\r\n`;
    const value = p.data ?? (Buffer.isBuffer(p.value) ? p.value : wtf8(p.value ?? ''));
    chunks.push(wtf8(head), value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

// ---- requests ---------------------------------------------------------------------------

/** A reply, or status 0 when the request was cut off before any answer came. */
export type Outcome = Reply;

const noReply = (): Reply => ({ status: 0, headers: new Headers(), text: '', location: null, bytes: Buffer.alloc(0), rawHeaders: [] });

/**
 * Request options for a URL whose path goes out exactly as written: the WHATWG URL parser
 * would resolve `..` and `%2e%2e` before sending, and hide what the app does with them.
 */
function target(url: string, method: string, headers: Record<string, string>) {
  const m = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url);
  if (!m) throw new Error(`not an http URL: ${url}`);
  return { host: m[1], port: Number(m[2]), path: m[3] ?? '/', method, headers };
}

/**
 * A request whose connection errors are an outcome (status 0 and the error), not a
 * rejection; an app that has not answered within `timeoutMs` is an outcome too (a hang).
 */
export function send(url: string, method: string, headers: Record<string, string>, body?: string | Buffer, timeoutMs = 10_000): Promise<Reply & { error?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (reply: Reply & { error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reply);
    };
    const req = httpRequest(target(url, method, headers), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, item);
        const bytes = Buffer.concat(chunks);
        finish({ status: res.statusCode ?? 0, headers: h, text: bytes.toString('utf8'), location: res.headers.location ?? null, bytes, rawHeaders: res.rawHeaders });
      });
      res.on('error', (err) => finish({ ...noReply(), error: err.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ...noReply(), error: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    req.on('error', (err) => finish({ ...noReply(), error: err.message }));
    req.end(body);
  });
}

/**
 * Sends the first part of a body that declares a longer Content-Length, then goes away:
 * a body cut off mid-part, as a phone losing signal does. Resolves with the status if the
 * app answered before the cut (e.g. a refusal up front), else 0.
 */
export function sendCut(url: string, method: string, headers: Record<string, string>, partial: Buffer, declaredLength: number, waitMs = 150): Promise<Reply> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (reply: Reply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };
    const req = httpRequest(target(url, method, { ...headers, 'content-length': String(declaredLength) }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ ...noReply(), status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish({ ...noReply(), status: res.statusCode ?? 0 }));
    });
    req.on('error', () => finish(noReply()));
    req.write(partial);
    setTimeout(() => {
      req.destroy();
      finish(noReply());
    }, waitMs);
  });
}

/**
 * Opens an event stream, keeps only the status and headers, and hangs up. A stream that
 * has not answered within `timeoutMs` is a hang, with the same budget as `send`: on a
 * loaded machine, with other test files beside this one, a reply can take seconds.
 */
export function probeStream(url: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<Reply & { error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(target(url, 'GET', headers));
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ...noReply(), error: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, item);
      if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        req.destroy();
        resolve({ ...noReply(), status: res.statusCode ?? 0, headers: h });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ...noReply(), status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ...noReply(), error: err.message });
    });
    req.end();
  });
}

/** Runs `fn` over the items, at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

// ---- what a refusal says ----------------------------------------------------------------

const MESSAGE_PATTERNS = [
  /<p class="field-error"[^>]*>([^<]+)<\/p>/,
  /<p class="form-error"[^>]*>([^<]+)<\/p>/,
  /<p class="flash flash-error"[^>]*>([^<]+)<\/p>/,
  /<p class="send-error"[^>]*>([^<]+)<\/p>/,
  /<section class="card narrow error-page">[\s\S]*?<h1>([^<]+)<\/h1>/,
  /<section class="question-page[\s\S]*?<p class="hint">([^<]+)<\/p>/,
  /<dialog id="question"[\s\S]*?<p class="question-text">([^<]+)<\/p>/,
];

/** The human message a refusal shows: an error page, a field's error, the question to answer first, or a plain-text fragment. */
export function messageOf(reply: Reply): string {
  const text = reply.text;
  if (!/<[a-z]/i.test(text)) return text.trim();
  for (const pattern of MESSAGE_PATTERNS) {
    const found = pattern.exec(text)?.[1]?.trim();
    if (found) return found;
  }
  return '';
}

// ---- the database before and after ------------------------------------------------------

/** Tables whose rows a hostile request must not change unless it was accepted. */
export const WATCHED_TABLES = [
  'users',
  'couples',
  'pair_requests',
  'messages',
  'events',
  'read_marks',
  'couple_questions',
  'answers',
  'word_counts',
  'rank_exclusions',
  'calendar_events',
  'files',
  'blobs',
  'push_subscriptions',
] as const;

export type Snapshot = Record<string, Map<string, number>>;

function cell(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `bytes:${value.length}`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return String(value);
  return value;
}

/** Every row of the watched tables (a multiset of JSON rows, columns in name order). */
export async function snapshot(db: Db): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const table of WATCHED_TABLES) {
    const rows = (await db(table).select()) as Record<string, unknown>[];
    const counts = new Map<string, number>();
    for (const row of rows) {
      const key = JSON.stringify(Object.fromEntries(Object.keys(row).sort().map((k) => [k, cell(row[k])])));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    out[table] = counts;
  }
  return out;
}

export interface TableChange {
  added: Record<string, unknown>[];
  removed: Record<string, unknown>[];
}

/** Rows that came and went, by table (an updated row is one of each); unchanged tables left out. */
export function changes(before: Snapshot, after: Snapshot): Record<string, TableChange> {
  const out: Record<string, TableChange> = {};
  for (const table of Object.keys(after)) {
    const was = before[table] ?? new Map<string, number>();
    const now = after[table];
    const change: TableChange = { added: [], removed: [] };
    for (const [row, n] of now) for (let i = was.get(row) ?? 0; i < n; i++) change.added.push(JSON.parse(row));
    for (const [row, n] of was) for (let i = now.get(row) ?? 0; i < n; i++) change.removed.push(JSON.parse(row));
    if (change.added.length || change.removed.length) out[table] = change;
  }
  return out;
}
