import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { newCouple } from '../support/chatHttp';
import { Client, PASSWORD, rawRequest, signUp } from '../support/client';
import { filePart, multipart, upload } from '../support/uploads';

describe.each(backends())('the web layer on $name', (backend) => {
  const { app } = httpSuite(backend);

  describe('home and guards', () => {
    it('sends a visitor to log-in, a single user to pairing', async () => {
      const visitor = new Client(app.url);
      expect((await visitor.get('/')).location).toBe('/login');
      expect((await visitor.get('/pair')).location).toBe('/login');
      expect((await visitor.get('/chat')).location).toBe('/login');
      expect((await visitor.get('/account')).location).toBe('/login');
      const single = await signUp(app.url, 'w_single');
      expect((await single.get('/')).location).toBe('/pair');
      expect((await single.get('/chat')).location).toBe('/pair');
      expect((await single.get('/login')).location).toBe('/');
      expect((await single.get('/signup')).location).toBe('/');
    });

    it('answers htmx requests of a visitor with 401 and HX-Redirect', async () => {
      const res = await new Client(app.url).get('/pair', { 'HX-Request': 'true' });
      expect(res.status).toBe(401);
      expect(res.headers.get('hx-redirect')).toBe('/login');
    });
  });

  describe('errors', () => {
    it('shows a 404 page in the visitor’s language', async () => {
      const ko = await new Client(app.url).get('/no/such/page');
      expect(ko.status).toBe(404);
      expect(ko.text).toContain('페이지를 찾을 수 없어요.');
      const en = await new Client(app.url).get('/nope', { 'Accept-Language': 'en' });
      expect(en.text).toContain('Page not found.');
    });

    it('answers 405 to a GET of a POST-only route (no log-out by link)', async () => {
      const client = await signUp(app.url, 'w_method');
      const res = await client.get('/logout');
      expect(res.status).toBe(405);
      expect((await client.get('/')).location).toBe('/pair');
    });

    it('answers 413 to an oversized form and 400 to a malformed one, never 500', async () => {
      const client = new Client(app.url);
      await client.get('/login');
      const big = await client.post('/login', { login_id: 'x'.repeat(70_000), password: 'x' });
      expect(big.status).toBe(413);
      const broken = await client.request('POST', '/login', {
        body: '%E0%A4%A',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': client.csrf },
      });
      expect(broken.status).toBeLessThan(500);
      expect(broken.status).toBeGreaterThanOrEqual(400);
      const json = await client.request('POST', '/login', {
        body: '{"login_id":"a"}',
        headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf },
      });
      expect(json.status).toBe(422);
    });

    it('answers an htmx request that fails with a message for the alert region, not a nested page', async () => {
      const client = await signUp(app.url, 'w_hx_error');
      await client.get('/pair');
      const res = await client.request('POST', '/logout', { headers: { 'HX-Request': 'true', 'X-CSRF-Token': 'wrong' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('hx-retarget')).toBe('#htmx-error');
      expect(res.text).toContain('보안 확인에 실패했어요.');
      expect(res.text).not.toContain('<main');
      const page = await client.get('/pair');
      expect(page.text).toContain('id="htmx-error"');
    });

    it('answers a link too long to read with its own page (431), and one that can\'t be parsed with 400, and carries on', async () => {
      const long = await fetch(`${app.url}/chat?q=${'가'.repeat(6000)}`);
      expect(long.status).toBe(431);
      expect(long.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(long.headers.get('content-security-policy')).toContain("default-src 'self'");
      const page = await long.text();
      expect(page).toContain('주소나 쿠키가 너무 길어서 열 수 없어요.');
      expect(page).toContain('href="/"');
      const cookies = await fetch(`${app.url}/`, { headers: { cookie: `junk=${'x'.repeat(20_000)}` } });
      expect(cookies.status).toBe(431);
      expect(await cookies.text()).toContain('주소나 쿠키가 너무 길어서');
      const garbage = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
        let reply = '';
        socket.on('data', (chunk) => (reply += chunk));
        socket.on('close', () => resolve(reply));
        socket.on('error', reject);
      });
      expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
      expect((await new Client(app.url).get('/login')).status).toBe(200);
    });

    it('treats arrays and objects in form fields as invalid input', async () => {
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.request('POST', '/signup', {
        body: `_csrf=${client.csrf}&login_id[]=a&login_id[]=b&password[x]=1&password_confirm=1`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('아이디를 입력해 주세요.');
    });
  });

  describe('CSRF', () => {
    it('refuses a form without the token with 403 and changes nothing', async () => {
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.request('POST', '/signup', {
        body: new URLSearchParams({ login_id: 'w_nocsrf', password: PASSWORD, password_confirm: PASSWORD }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(403);
      expect(res.text).toContain('보안 확인에 실패했어요.');
      expect(await app.db('users').where({ login_id: 'w_nocsrf' })).toEqual([]);
    });

    it('refuses a token from another browser', async () => {
      const victim = new Client(app.url);
      const attacker = new Client(app.url);
      await victim.get('/signup');
      await attacker.get('/signup');
      victim.csrf = attacker.csrf;
      const res = await victim.post('/signup', { login_id: 'w_forged', password: PASSWORD, password_confirm: PASSWORD });
      expect(res.status).toBe(403);
    });

    it('refuses a foreign Origin or a cross-site fetch even with a good token', async () => {
      const client = new Client(app.url);
      await client.get('/signup');
      const fields = { login_id: 'w_origin', password: PASSWORD, password_confirm: PASSWORD };
      expect((await client.post('/signup', fields, { Origin: 'https://evil.example' })).status).toBe(403);
      expect((await client.post('/signup', fields, { Origin: 'null' })).status).toBe(403);
      expect((await client.post('/signup', fields, { Referer: 'https://evil.example/x' })).status).toBe(403);
      expect((await client.post('/signup', fields, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
      expect(await app.db('users').where({ login_id: 'w_origin' })).toEqual([]);
      expect((await client.post('/signup', fields, { Origin: app.url, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
    });

    it('takes the token from the X-CSRF-Token header for htmx', async () => {
      const client = await signUp(app.url, 'w_htmx');
      await client.get('/pair');
      const token = client.csrf;
      const res = await client.request('POST', '/logout', { headers: { 'X-CSRF-Token': token, 'HX-Request': 'true' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('hx-redirect')).toBe('/login');
      expect((await client.get('/')).location).toBe('/login');
    });

    it('takes a token in the query only on the plain upload form: any other multipart POST with one → 403, nothing done', async () => {
      const c = await newCouple(app.url, app.db, 'wq');
      await c.a.get('/chat');
      const form = multipart([{ name: 'body', value: '쿼리 토큰' }, { name: 'client_id', value: 'query-token-1' }, { name: 'date', value: '2026-05-05' }, { name: 'title', value: 'q' }]);
      const posted = (path: string) => c.a.request('POST', `${path}?_csrf=${encodeURIComponent(c.a.csrf)}`, { body: form.body, headers: { 'content-type': form.contentType } });
      for (const path of ['/logout', '/chat/messages', '/calendar/events', '/account/settings', '/chat/read']) {
        const res = await posted(path);
        expect(res.status, path).toBe(403);
        expect(res.text, path).toContain('보안 확인에 실패했어요.');
      }
      expect((await c.a.get('/chat')).status, 'still logged in').toBe(200);
      expect(await app.db('calendar_events').where({ couple_id: c.coupleId })).toEqual([]);
      // the no-JS upload form itself carries its token there, and works
      const uploaded = await upload(c.a, [{ name: 'client_id', value: 'query-token-2' }, filePart('memo.txt', Buffer.from('hello'), 'text/plain')], { csrf: 'query' });
      expect(uploaded.status).toBe(303);
    });
  });

  describe('headers and cookies', () => {
    it('sends a strict CSP with no inline script, and the other security headers', async () => {
      const res = await new Client(app.url).get('/login');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text).not.toMatch(/\son[a-z]+=/i);
      expect(res.text).not.toMatch(/\sstyle=/i);
    });

    it('sets HttpOnly, SameSite=Lax session cookies', async () => {
      const client = new Client(app.url);
      await client.get('/login');
      const res = await client.post('/login', { login_id: 'nobody_here', password: 'whatever-1' });
      expect(res.status).toBe(422);
      const login = await signUpRaw(app.url, 'w_cookies');
      const sid = login.find((c) => c.startsWith('cc.sid='));
      expect(sid).toMatch(/httponly/i);
      expect(sid).toMatch(/samesite=lax/i);
      expect(sid).not.toMatch(/secure/i);
    });

    it('serves the vendored htmx and the stylesheet, and nothing outside static/', async () => {
      const client = new Client(app.url);
      const htmx = await client.get('/static/vendor/htmx.min.js');
      expect(htmx.status).toBe(200);
      expect(htmx.headers.get('content-type')).toContain('javascript');
      expect(htmx.text).toContain('htmx');
      expect((await client.get('/static/app.css')).status).toBe(200);
      for (const path of ['/static/../package.json', '/static/%2e%2e/package.json', '/static/..%2Fsrc%2Fconfig.ts', '/static/.hidden', '/static/%E0%A4%A']) {
        expect((await client.get(path)).status).toBe(404);
      }
    });
  });

  it('reports health with the database status', async () => {
    const res = await new Client(app.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok', db: 'ok' });
  });
});

describe('in production behind a PaaS proxy', () => {
  const { app } = httpSuite(backends()[0], { config: { production: true } });

  it('uses __Host- Secure cookies when the proxy says HTTPS', async () => {
    const proxied = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };
    const client = new Client(app.url);
    const page = await client.get('/signup', proxied);
    const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('__Host-cc.csrf='));
    expect(csrfCookie).toMatch(/secure/i);
    expect(csrfCookie).toMatch(/path=\//i);
    const res = await client.post('/signup', { login_id: 'w_prod', password: PASSWORD, password_confirm: PASSWORD }, { ...proxied, Origin: 'https:' + app.url.slice(5) });
    expect(res.status).toBe(303);
    const sid = res.headers.getSetCookie().find((c) => c.startsWith('__Host-cc.sid='));
    expect(sid).toMatch(/secure/i);
    expect(sid).toMatch(/httponly/i);
    expect(sid).toMatch(/samesite=lax/i);
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('sends a plain-HTTP page to HTTPS on the Host it was asked of, never on X-Forwarded-Host or a host in the request line', async () => {
    const plain = { 'X-Forwarded-Proto': 'http', 'X-Forwarded-Host': 'evil.example', Host: 'couple.example' };
    const res = await rawRequest(`${app.url}/login?next=1`, 'GET', plain);
    expect(res.status).toBe(308);
    expect(res.location).toBe('https://couple.example/login?next=1');
    // an absolute request line names its own host: the redirect still goes to the Host's
    const absolute = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () =>
        socket.end('GET http://evil.example/x HTTP/1.1\r\nHost: couple.example\r\nX-Forwarded-Proto: http\r\nConnection: close\r\n\r\n'),
      );
      let reply = '';
      socket.on('data', (chunk) => (reply += chunk));
      socket.on('close', () => resolve(reply));
      socket.on('error', reject);
    });
    expect(absolute).toMatch(/^HTTP\/1\.1 308 /);
    expect(/\r\nLocation: ([^\r]*)\r\n/i.exec(absolute)?.[1]).toMatch(/^https:\/\/couple\.example\//);
    // a Host that is no host[:port] gets no redirect at all
    for (const host of ['couple.example@evil.example', 'evil.example/x', 'couple.example:x']) {
      const odd = await rawRequest(`${app.url}/login`, 'GET', { ...plain, Host: host });
      expect(odd.status, host).toBe(403);
      expect(odd.location, host).toBeNull();
    }
  });

  it('throttles by the address the proxy saw, not one a client made up', async () => {
    const client = new Client(app.url);
    await client.get('/login', { 'X-Forwarded-Proto': 'https' });
    for (let i = 0; i < 10; i++) {
      // a client that puts its own X-Forwarded-For first cannot dodge the limit (10 guesses at
      // an ID from one address): the proxy appends the real one
      await client.post('/login', { login_id: 'pq_target', password: 'wrong-password' }, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': `10.0.0.${i}, 198.51.100.9`, Origin: 'https:' + app.url.slice(5) });
    }
    const blocked = await client.post('/login', { login_id: 'pq_target', password: 'wrong-password' }, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '10.9.9.9, 198.51.100.9', Origin: 'https:' + app.url.slice(5) });
    expect(blocked.status).toBe(429);
  });
});

async function signUpRaw(base: string, loginId: string): Promise<string[]> {
  const client = new Client(base);
  await client.get('/signup');
  const res = await client.post('/signup', { login_id: loginId, password: PASSWORD, password_confirm: PASSWORD });
  return res.headers.getSetCookie();
}
