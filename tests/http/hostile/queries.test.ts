// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), what a GET
// carries: query parameters, path ids (not ids, not ours, or gone), Range and If-None-Match.
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import type { Reply } from '../../support/client';
import { BAD_IDS, headerSafe, HOSTILE, pct, probeStream, querySees, RANGES, type Hostile } from '../../support/hostile';
import { chars, dateKind, HX, isId, short, type Actor, type Case, type Expect } from '../../support/hostileCases';
import { hostileSuite } from '../../support/hostileSuite';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (queries) on $name', (backend) => {
  const h = hostileSuite(backend, 'queries');
  const { app, M, ids, users, slow, actor, nobody, baseHeaders, postForm, get, tooLongUrl, runGroup, check } = h;

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
            ...queryCases('GET /chat?reply_to=', () => actor(M.a), (v) => `/chat?reply_to=${v}`, (seen) => (isId(seen) ? 'either' : [200])),
            { label: "GET /chat reply_to= the other couple's message", expect: [404], send: get(actor(M.a), `/chat?reply_to=${ids.xMessage}`) } as Case,
            ...queryCases('GET /chat/messages?before=', () => actor(M.a), (v) => `/chat/messages?before=${v}`, () => 'accept', { htmx: true }),
            ...queryCases('GET /chat/messages?after=', () => actor(M.a), (v) => `/chat/messages?after=${v}`, () => 'accept', { htmx: true }),
            ...['around', 'before', 'after'].flatMap((name) => [
              { label: `GET /chat ${name}= the other couple's message`, expect: name === 'around' ? [404] : 'accept', send: get(actor(M.a), `/chat${name === 'around' ? '' : '/messages'}?${name}=${ids.xMessage}`) } as Case,
              { label: `GET /chat ${name}[]=1&${name}[x]=2`, expect: 'accept', send: get(actor(M.a), `/chat${name === 'around' ? '' : '/messages'}?${name}[]=1&${name}[x]=2&${name}=3&${name}=4`) } as Case,
            ]),
          ],
          after: async () => {
            const pages = [await M.a.get(`/chat?around=${ids.xMessage}`), await M.a.get(`/chat?reply_to=${ids.xMessage}`)];
            return pages.some((page) => page.text.includes('other couple hello')) ? ["the other couple's message shows"] : [];
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

    slow('GET /rank?n=, /calendar?month=&date=, /signup/check-id?login_id=, /files/:id?download=, and junk on the pages without parameters', async () => {
      const junk = HOSTILE.filter((h) => h.value.length < 5000).slice(0, 20);
      check(
        await runGroup({
          name: 'page parameters',
          build: () => [
            ...queryCases('GET /rank?n=', () => actor(M.a), (v) => `/rank?n=${v}`, () => [200]),
            ...queryCases('GET /calendar?month=', () => actor(M.a), (v) => `/calendar?month=${v}`, () => [200], { htmx: true }),
            ...queryCases('GET /calendar?date=', () => actor(M.a), (v) => `/calendar?month=2026-03&date=${v}`, () => [200], { htmx: true }),
            ...queryCases('GET /signup/check-id?login_id=', () => actor(users.anon), (v) => `/signup/check-id?login_id=${v}`, () => [200], { htmx: true }).map((c) => ({
              ...c,
              verify: (r: Reply) => (r.status !== 200 || /class="id-status id-(available|taken|invalid)"/.test(r.text) ? null : 'no available/taken/invalid status'),
            })),
            ...queryCases('GET /files/:id?download=', () => actor(M.a), (v) => `/files/${ids.mFile}?download=${v}`, () => [200]),
            ...queryCases('GET /files/:id/thumb?download=', () => actor(M.a), (v) => `/files/${ids.mFile}/thumb?download=${v}`, () => [200], { values: junk }),
            ...(
              [
                ['GET /answers', () => actor(M.a), '/answers', [200]],
                ['GET /account', () => actor(users.acct), '/account', [200]],
                ['GET /pair', () => actor(users.s1), '/pair', [200]],
                ['GET /signup', () => actor(users.anon), '/signup', [200]],
                ['GET /login', () => actor(users.anon), '/login', [200]],
                ['GET /chat/export', () => actor(M.a), '/chat/export', [200]],
                ['GET /couple', () => actor(M.a), '/couple', [200]],
                ['GET /healthz', () => nobody, '/healthz', [200]],
                ['GET /manifest.webmanifest', () => nobody, '/manifest.webmanifest', [200]],
                ['GET /offline', () => nobody, '/offline', [200]],
                ['GET /push/key', () => actor(users.push), '/push/key', [200]],
                ['GET /', () => actor(M.a), '/', [303]],
              ] as const
            ).flatMap(([route, who, path, status]) => queryCases(`${route}?x=`, who, (v) => `${path}?x=${v}&${v}=1`, () => status, { values: junk })),
          ],
        }),
      );
    });

    slow('GET /album?before=&at=, /chat/export?format=', async () => {
      const fileId = (seen: string): Expect => (seen === '' ? [200] : isId(seen) ? 'either' : [400]);
      check(
        await runGroup({
          name: 'album and export',
          build: () => [
            ...queryCases('GET /album?before=', () => actor(M.a), (v) => `/album?before=${v}`, fileId, { htmx: true }),
            ...queryCases('GET /album?at=', () => actor(M.a), (v) => `/album?at=${v}`, fileId),
            ...queryCases('GET /chat/export?format=', () => actor(M.a), (v) => `/chat/export?format=${v}`, () => [200], { values: HOSTILE.filter((h) => h.value.length < 5000).slice(0, 20) }),
            { label: "GET /album?at= the other couple's file", expect: [404], send: get(actor(M.a), `/album?at=${ids.xFile}`) },
            { label: "GET /album?before= the other couple's file", expect: [404], send: get(actor(M.a), `/album?before=${ids.xFile}`, HX) },
            { label: 'GET /album at[]=1&before[x]=2', expect: [200], send: get(actor(M.a), '/album?at[]=1&before[x]=2') },
          ],
          after: async () => ((await M.a.get('/album')).text.includes(`at=${ids.xFile}"`) ? ["the other couple's file shows in the album"] : []),
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
            { label: 'GET /chat/stream (single)', expect: [401], send: () => probeStream(app.url + '/chat/stream', baseHeaders(actor(users.acct))) },
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
      ['POST /calendar/events/:id/restore', (id) => `/calendar/events/${id}/restore`, () => actor(M.a), 'POST', [String(ids.xEvent)]],
      ['POST /calendar/events/:id/dday', (id) => `/calendar/events/${id}/dday`, () => actor(M.a), 'POST', [String(ids.xEvent)]],
      ['POST /questions/:id/answer', (id) => `/questions/${id}/answer`, () => actor(M.a), 'POST', [String(ids.xQuestion)]],
      ['POST /pair/requests/:id/accept', (id) => `/pair/requests/${id}/accept`, () => actor(users.s1), 'POST', [String(ids.foreignRequest)]],
      ['POST /pair/requests/:id/reject', (id) => `/pair/requests/${id}/reject`, () => actor(users.s1), 'POST', [String(ids.foreignRequest)]],
      ['POST /pair/requests/:id/cancel', (id) => `/pair/requests/${id}/cancel`, () => actor(users.s1), 'POST', [String(ids.foreignRequest)]],
      ['GET /chat/messages/:id/delete', (id) => `/chat/messages/${id}/delete`, () => actor(M.a), 'GET', [String(ids.xMessage)]],
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

  h.finish();
});
