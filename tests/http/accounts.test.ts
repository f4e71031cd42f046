import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, logIn, PASSWORD, signUp } from '../support/client';
import { testClock } from '../support/clock';

describe.each(backends())('accounts on $name', (backend) => {
  const { app } = httpSuite(backend);

  const userCount = async (loginId: string) => Number((await app.db('users').where({ login_id: loginId }).count({ n: '*' }))[0].n);

  describe('sign-up', () => {
    it('creates the account, logs in and goes to pairing', async () => {
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.post('/signup', { login_id: 'yoonseok', password: PASSWORD, password_confirm: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/pair');
      const page = await client.get('/pair');
      expect(page.status).toBe(200);
      expect(Client.visible(page.text)).toContain('가입을 환영해요');
    });

    it('takes the ID in lower case, as phones capitalise the first letter', async () => {
      await signUp(app.url, ' Capital_1 ');
      expect(await userCount('capital_1')).toBe(1);
    });

    it.each([
      ['abc', '아이디는 영문 소문자, 숫자, _ 로 4~20자여야 해요.'],
      ['a'.repeat(21), '아이디는 영문 소문자, 숫자, _ 로 4~20자여야 해요.'],
      ['bad-id!', '아이디는 영문 소문자, 숫자, _ 로 4~20자여야 해요.'],
      ['한글아이디', '아이디는 영문 소문자, 숫자, _ 로 4~20자여야 해요.'],
      ['', '아이디를 입력해 주세요.'],
    ])('refuses the ID %j with 422 and keeps the form', async (loginId, message) => {
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.post('/signup', { login_id: loginId, password: PASSWORD, password_confirm: PASSWORD });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('id="login_id-error"');
      expect(res.text).toContain(`value="${loginId.replace(/!/g, '!')}"`);
    });

    it.each([
      ['has space1', '비밀번호에 공백을 넣을 수 없어요.'],
      ['short1', '비밀번호는 8~64자여야 해요.'],
      ['x'.repeat(65), '비밀번호는 8~64자여야 해요.'],
      ['password1', '너무 흔한 비밀번호예요.'],
      ['Qwertyuiop', '너무 흔한 비밀번호예요.'],
      ['tab\there-xyz', '비밀번호에 공백을 넣을 수 없어요.'],
      ['nul\u0000here-xyz', '비밀번호에 쓸 수 없는 문자가 있어요.'],
      ['', '비밀번호를 입력해 주세요.'],
    ])('refuses the password %j with 422', async (password, message) => {
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.post('/signup', { login_id: 'pw_rules', password, password_confirm: password });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="pw_rules"');
      expect(await userCount('pw_rules')).toBe(0);
    });

    it('refuses a confirmation that does not match', async () => {
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.post('/signup', { login_id: 'mismatch', password: PASSWORD, password_confirm: PASSWORD + 'x' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('비밀번호가 서로 달라요.');
      expect(await userCount('mismatch')).toBe(0);
    });

    it('refuses a taken ID on submit, even without the live check', async () => {
      await signUp(app.url, 'taken_id');
      const client = new Client(app.url);
      await client.get('/signup');
      const res = await client.post('/signup', { login_id: 'taken_id', password: PASSWORD, password_confirm: PASSWORD });
      expect(res.status).toBe(422);
      expect(res.text).toContain('이미 사용 중인 아이디예요.');
      expect(await userCount('taken_id')).toBe(1);
    });

    it('accepts a 64-character Korean password and tells it apart from one differing only past byte 72', async () => {
      const long = '가'.repeat(63) + '1';
      const other = '가'.repeat(63) + '2';
      await signUp(app.url, 'korean_pw', long);
      const wrong = new Client(app.url);
      await wrong.get('/login');
      expect((await wrong.post('/login', { login_id: 'korean_pw', password: other })).status).toBe(422);
      await logIn(app.url, 'korean_pw', long);
    });

    it('accepts two sign-ups of the same ID at once as one account', async () => {
      const a = new Client(app.url);
      const b = new Client(app.url);
      await Promise.all([a.get('/signup'), b.get('/signup')]);
      const fields = { login_id: 'racing_id', password: PASSWORD, password_confirm: PASSWORD };
      const statuses = (await Promise.all([a.post('/signup', fields), b.post('/signup', fields)])).map((r) => r.status).sort();
      expect(statuses).toEqual([303, 422]);
      expect(await userCount('racing_id')).toBe(1);
    });
  });

  describe('ID availability', () => {
    it('answers available, taken or invalid as a fragment', async () => {
      await signUp(app.url, 'checked_id');
      const client = new Client(app.url);
      const check = async (id: string) => (await client.get(`/signup/check-id?login_id=${encodeURIComponent(id)}`, { 'HX-Request': 'true' })).text;
      expect(await check('checked_id')).toContain('이미 사용 중인 아이디예요.');
      expect(await check('Checked_ID')).toContain('id-taken');
      expect(await check('free_id_1')).toContain('사용할 수 있는 아이디예요.');
      expect(await check('no')).toContain('id-invalid');
      const fragment = await check('free_id_1');
      expect(fragment).not.toContain('<html');
    });

    it('treats a missing or repeated parameter as invalid, not an error', async () => {
      const client = new Client(app.url);
      expect((await client.get('/signup/check-id')).status).toBe(200);
      const twice = await client.get('/signup/check-id?login_id=a&login_id=b', { 'HX-Request': 'true' });
      expect(twice.status).toBe(200);
      expect(twice.text).toContain('id-invalid');
    });
  });

  describe('log-in and log-out', () => {
    it('logs in, rotating the session id, and logs out on the server', async () => {
      await signUp(app.url, 'rotation');
      const client = new Client(app.url);
      await client.get('/login');
      const before = client.cookie('cc.sid');
      const res = await client.post('/login', { login_id: 'rotation', password: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/pair'); // straight to where GET / would send them, one round trip less
      const sid = client.cookie('cc.sid');
      expect(sid).toBeTruthy();
      expect(sid).not.toBe(before);
      expect((await client.get('/')).location).toBe('/pair');

      // the same cookie replayed after log-out opens nothing
      const stolen = new Client(app.url);
      const cookie = client.cookieHeader();
      await client.get('/pair');
      expect((await client.post('/logout')).location).toBe('/login');
      const replay = await stolen.request('GET', '/pair', { headers: { cookie } });
      expect(replay.status).toBe(303);
      expect(replay.location).toBe('/login');
    });

    it('gives one generic error for an unknown ID and for a wrong password', async () => {
      await signUp(app.url, 'generic');
      const client = new Client(app.url);
      await client.get('/login');
      const wrongPassword = await client.post('/login', { login_id: 'generic', password: 'not-the-password' });
      const unknownId = await client.post('/login', { login_id: 'nobody_here', password: PASSWORD });
      for (const res of [wrongPassword, unknownId]) {
        expect(res.status).toBe(422);
        expect(res.text).toContain('아이디 또는 비밀번호가 맞지 않아요.');
      }
      expect(wrongPassword.text).toContain('value="generic"');
    });

    // the log-in throttle: login-throttle.test.ts

    it('keeps a session across an app restart (sessions live in the database)', async () => {
      const client = await signUp(app.url, 'survivor');
      const { createApp } = await import('../../src/app');
      const { testConfig } = await import('../support/testApp');
      const { createServer } = await import('node:http');
      const second = createServer(createApp({ db: app.db, config: testConfig('test'), clock: testClock }).callback());
      await new Promise<void>((r) => second.listen(0, '127.0.0.1', r));
      const port = (second.address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/pair`, { headers: { cookie: client.cookieHeader() }, redirect: 'manual' });
      expect(res.status).toBe(200);
      second.closeAllConnections();
      await new Promise((r) => second.close(r));
    });
  });

  describe('password change', () => {
    it('needs the current password and keeps the form', async () => {
      const client = await signUp(app.url, 'changer_a');
      await client.get('/account');
      const res = await client.post('/account/password', {
        current_password: 'not-mine-123',
        new_password: 'brand-new-Pass-99',
        new_password_confirm: 'brand-new-Pass-99',
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('비밀번호가 맞지 않아요.');
      expect(res.text).toContain('id="current_password-error"');
    });

    it('applies the password rules to the new one', async () => {
      const client = await signUp(app.url, 'changer_b');
      await client.get('/account');
      const res = await client.post('/account/password', { current_password: PASSWORD, new_password: 'short', new_password_confirm: 'short' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('비밀번호는 8~64자여야 해요.');
      await logIn(app.url, 'changer_b');
    });

    it('changes it, keeps this device logged in and ends every other session', async () => {
      const phone = await signUp(app.url, 'changer_c');
      const laptop = await logIn(app.url, 'changer_c');
      await phone.get('/account');
      const next = 'sunrise-over-Jeju-2026';
      const res = await phone.post('/account/password', { current_password: PASSWORD, new_password: next, new_password_confirm: next });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/account');
      const page = await phone.get('/account');
      expect(page.status).toBe(200);
      expect(page.text).toContain('비밀번호를 바꿨어요.');
      expect((await laptop.get('/account')).location).toBe('/login');
      const old = new Client(app.url);
      await old.get('/login');
      expect((await old.post('/login', { login_id: 'changer_c', password: PASSWORD })).status).toBe(422);
      await logIn(app.url, 'changer_c', next);
    });
  });

  describe('settings', () => {
    it('saves language, week start and time zone; the page turns English', async () => {
      const client = await signUp(app.url, 'settings_a');
      await client.get('/account');
      const res = await client.post('/account/settings', { language: 'en', week_start: '1', time_zone: 'Europe/Berlin' });
      expect(res.status).toBe(303);
      const page = await client.get('/account');
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('Settings saved.');
      expect(page.text).toContain('<option value="Europe/Berlin" selected>Berlin</option>');
      const row = await app.db('users').where({ login_id: 'settings_a' }).first();
      expect([row.language, Number(row.week_start), row.time_zone]).toEqual(['en', 1, 'Europe/Berlin']);
    });

    it('the saved language follows the user to another browser, over that browser’s Accept-Language and its switch', async () => {
      const client = await signUp(app.url, 'settings_go');
      await client.get('/account');
      expect((await client.post('/account/settings', { language: 'en', week_start: '0', time_zone: '' })).status).toBe(303);
      const phone = await logIn(app.url, 'settings_go');
      expect((await phone.get('/account', { 'Accept-Language': 'ko-KR' })).text).toContain('<html lang="en">');
      expect((await phone.get('/pair', { cookie: `${phone.cookieHeader()}; cc.lang=ko` })).text).toContain('<html lang="en">');
    });

    it('offers "automatic" first, naming the zone this device reported (else the app’s), and keeps it chosen', async () => {
      const client = await signUp(app.url, 'settings_tz');
      const auto = (html: string) => /<option value=""( selected)?>([^<]*)<\/option>/.exec(html)?.[2];
      // the zone named below the select, where a long one wraps (in the option it would be cut off on a small phone)
      const now = (html: string) => /<p class="hint" id="time_zone-hint">([^<]*)<\/p>/.exec(html)?.[1];
      const first = (await client.get('/account')).text;
      expect(auto(first)).toBe('자동: 이 기기의 시간대');
      expect(now(first)).toBe('지금 이 기기의 시간대: Asia/Seoul');
      expect(first).toContain('<select id="time_zone" name="time_zone" aria-describedby="time_zone-hint">');
      const page = await client.get('/account', { cookie: `${client.cookieHeader()}; cc.tz=Europe/London` });
      expect(auto(page.text)).toBe('자동: 이 기기의 시간대');
      expect(now(page.text)).toBe('지금 이 기기의 시간대: Europe/London');
      expect(page.text.match(/<option value="Europe\/London"( selected)?>London<\/option>/g)).toEqual(['<option value="Europe/London">London</option>']); // once, in the list, not chosen
      // a long name by its region and its city: America/Argentina, Rio Gallegos
      expect(page.text).toMatch(/<optgroup label="America\/Argentina">(<option value="America\/Argentina\/[^"]+">[^<]+<\/option>)*<option value="America\/Argentina\/Rio_Gallegos">Rio Gallegos<\/option>/);
    });

    it('refuses unknown values with 422 and changes nothing', async () => {
      const client = await signUp(app.url, 'settings_b');
      await client.get('/account');
      const res = await client.post('/account/settings', { language: 'fr', week_start: '7', time_zone: 'Mars/Olympus' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('올바른 값을 골라 주세요.');
      const row = await app.db('users').where({ login_id: 'settings_b' }).first();
      expect([row.language, Number(row.week_start), row.time_zone]).toEqual([null, 0, null]);
    });
  });

  describe('account deletion', () => {
    it('needs the password', async () => {
      const client = await signUp(app.url, 'deleter_a');
      await client.get('/account');
      const res = await client.post('/account/delete', { password: 'wrong-password' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('비밀번호가 맞지 않아요.');
      expect(await userCount('deleter_a')).toBe(1);
    });

    it('removes the account, its sessions and its requests; the ID cannot log in', async () => {
      const client = await signUp(app.url, 'deleter_b');
      const other = await signUp(app.url, 'deleter_target');
      await client.get('/pair');
      await client.post('/pair/requests', { login_id: 'deleter_target' });
      await other.get('/pair');
      await other.post('/pair/requests', { login_id: 'deleter_b' });
      await client.get('/account');
      const res = await client.post('/account/delete', { password: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/login');
      expect(await userCount('deleter_b')).toBe(0);
      const received = await other.get('/pair');
      expect(received.text).not.toContain('deleter_b 님의 수락을');
      expect(received.text).toContain('보낸 신청이 없어요.');
      const again = new Client(app.url);
      await again.get('/login');
      expect((await again.post('/login', { login_id: 'deleter_b', password: PASSWORD })).status).toBe(422);
    });
  });

  describe('language', () => {
    it('follows Accept-Language, then the switch', async () => {
      const client = new Client(app.url);
      const english = await client.get('/login', { 'Accept-Language': 'en-US,en;q=0.9,ko;q=0.5' });
      expect(english.text).toContain('<html lang="en">');
      expect(english.text).toContain('Log in');
      expect((await client.get('/login', { 'Accept-Language': 'fr, de' })).text).toContain('<html lang="ko">');
      const res = await client.post('/language', { language: 'ko', back: '/login' }, { 'Accept-Language': 'en' });
      expect(res.location).toBe('/login');
      expect((await client.get('/login', { 'Accept-Language': 'en' })).text).toContain('<html lang="ko">');
    });

    it('comes back to the page it was switched on, with its query; after a form with an error, to the form’s page', async () => {
      const c = await signUp(app.url, 'lang_back');
      const back = (html: string) => /<input type="hidden" name="back" value="([^"]*)">/.exec(html)?.[1].replace(/&amp;/g, '&');
      const page = await c.get('/account?tab=x&y=1');
      expect(back(page.text)).toBe('/account?tab=x&y=1');
      expect((await c.post('/language', { language: 'en', back: back(page.text)! })).location).toBe('/account?tab=x&y=1');
      // a POST that shows a page (422) comes back to the page the form was sent from
      const refused = await c.post('/account/password', { current_password: 'wrong-one-123', new_password: 'brand-new-Pass-99', new_password_confirm: 'brand-new-Pass-99' }, { Referer: `${app.url}/account?from=form` });
      expect(refused.status).toBe(422);
      expect(back(refused.text)).toBe('/account?from=form');
      const elsewhere = await c.post('/account/password', { current_password: 'wrong-one-123', new_password: 'x', new_password_confirm: 'x' }, { Referer: 'https://evil.example/account' });
      expect(back(elsewhere.text)).toBe('/');
    });

    it('never redirects off-site, with or without htmx, and never fails on an odd path', async () => {
      const client = new Client(app.url);
      await client.get('/login');
      for (const back of ['//evil.example', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', '/\nSet-Cookie: x=1']) {
        expect((await client.post('/language', { language: 'en', back })).location).toBe('/');
        const hx = await client.post('/language', { language: 'en', back }, { 'HX-Request': 'true' });
        expect(hx.status).toBe(200);
        expect(hx.headers.get('hx-redirect')).toBe('/');
      }
      const korean = await client.post('/language', { language: 'ko', back: '/채팅?x=1' }, { 'HX-Request': 'true' });
      expect(korean.status).toBe(200);
      expect(korean.headers.get('hx-redirect')).toBe('/%EC%B1%84%ED%8C%85?x=1');
    });

    it('never redirects off-site through dot segments, encoded or not, that resolve to //host', async () => {
      const client = new Client(app.url);
      await client.get('/login');
      const backs = ['/..//evil.example/phish', '/.//evil.example', '/%2e%2e//evil.example', '/%2E%2E//evil.example', '/.%2e//evil.example', '/a/../..//evil.example', '/a/..//evil.example', '/..///evil.example', '/../\\evil.example', '/.%5c%5cevil.example', '/..%2f%2fevil.example', '/%2e%2e/%2fevil.example'];
      for (const back of backs) {
        const plain = await client.post('/language', { language: 'en', back });
        expect(plain.status, back).toBe(303);
        expect(plain.location, back).toMatch(/^\/(?![/\\])/);
        const hx = await client.post('/language', { language: 'en', back }, { 'HX-Request': 'true' });
        expect(hx.headers.get('hx-redirect'), back).toMatch(/^\/(?![/\\])/);
      }
      expect((await client.post('/language', { language: 'en', back: '/..//evil.example/phish' })).location).toBe('/');
      // a page asked for at such an address offers it back to the switch only as a local path
      const page = await client.get('/..//evil.example/x');
      expect(/<input type="hidden" name="back" value="([^"]*)">/.exec(page.text)?.[1]).toMatch(/^\/(?![/\\])/);
    });
  });
});
