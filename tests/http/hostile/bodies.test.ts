// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), every POST
// route's body in the encodings a client could use, and a few no browser would.
import { gzipSync, deflateSync } from 'node:zlib';
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import { multipartBody, pct, send, sendCut, urlencoded } from '../../support/hostile';
import { FORM, HX, type Case, type Outcome } from '../../support/hostileCases';
import { postRoutesOf, type PostRoute } from '../../support/hostilePosts';
import { hostileSuite } from '../../support/hostileSuite';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (bodies) on $name', (backend) => {
  const h = hostileSuite(backend, 'bodies');
  const { app, slow, baseHeaders, runGroup, check } = h;
  const { postRoutes, rawPost, pairsOf } = postRoutesOf(h);

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

  h.finish();
});
