// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), the rest of a
// request: the CSRF check, methods a route does not take, users of the wrong kind, odd cookies
// and headers, htmx's headers, and an error page's forms.
import { randomBytes } from 'node:crypto';
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import { PASSWORD } from '../../support/client';
import { CURRENT_URLS, headerSafe, HOSTILE, HX_FLAGS, newPushKeys, pct, send, urlencoded } from '../../support/hostile';
import { FORM, HX, short, type Actor, type Case, type Expect } from '../../support/hostileCases';
import { postRoutesOf, type PostRoute } from '../../support/hostilePosts';
import { hostileSuite } from '../../support/hostileSuite';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (requests) on $name', (backend) => {
  const h = hostileSuite(backend, 'requests');
  const { app, M, X, ids, logins, users, stats, slow, actor, nobody, baseHeaders, postForm, get, runGroup, check } = h;
  const { postRoutes, freshSession, pairsOf } = postRoutesOf(h);

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
    const both = ['/signup', '/login', '/chat/messages', '/chat/messages/999999/delete'];
    const postOnly = postRoutes().map((r) => r.path).filter((p) => !both.includes(p));
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
    const anonA = actor(users.anon);
    const cases: Case[] = [
      ...couplePosts.flatMap((r) => [post(anonA, r, false, [303], '/login'), post(anonA, r, true, [401])]),
      ...couplePosts.flatMap((r) => [post(actor(users.acct), r, false, [303], '/pair'), post(actor(users.acct), r, true, [200])]),
      ...coupleGets.flatMap((p) => [
        { label: `GET ${p} as nobody`, expect: [303], send: get(anonA, p) } as Case,
        { label: `GET ${p} as nobody [htmx]`, expect: [401], send: get(anonA, p, HX) } as Case,
        { label: `GET ${p} as a single user`, expect: [303], send: get(actor(users.acct), p) } as Case,
      ]),
      { label: 'GET /files/:id as nobody', expect: [404], send: get(anonA, `/files/${ids.mFile}`) },
      { label: 'GET /files/:id as a single user', expect: [404], send: get(actor(users.acct), `/files/${ids.mFile}`) },
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
        send: postForm(actor(users.acct), '/language', [
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

  h.finish();
});
