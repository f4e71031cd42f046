// Breaking up (POST /couple/breakup, /couple/breakup/cancel): a password, a banner with
// the due time for both partners, a grace in which either can cancel, and then both are
// single again, free to pair (what the purge deletes is in breakup-purge.test.ts).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db';
import { formatDateTime } from '../../src/time';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { bannerOf, coupleRow, dueAtOf, GRACE, HOUR, noRows, ownedRows, pairAgain, startAndWait, startBreakup } from '../support/breakup';
import { HX, send } from '../support/chatHttp';
import { Client, PASSWORD, signUp } from '../support/client';
import { loadsScript } from '../support/pageScripts';
import { suiteStreams } from '../support/sse';
import { testClock } from '../support/clock';

const count = async (db: Db, table: string, where: Record<string, unknown>) => Number((await db(table).where(where).count({ n: '*' }))[0].n);

describe.each(backends())('break-up on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { config: { breakupGraceMs: HOUR }, tag: 'brk' });
  const { stream } = suiteStreams();

  it('sends a visitor to /login', async () => {
    const visitor = new Client(app.url);
    await visitor.get('/login');
    for (const path of ['/couple/breakup', '/couple/breakup/cancel']) {
      const res = await visitor.post(path, { password: PASSWORD });
      expect(res.status, path).toBe(303);
      expect(res.location, path).toBe('/login');
    }
  });

  it('shows a paired user a labelled danger section with the password form and an export link; a single user none', async () => {
    const c = await couple();
    const page = (await c.a.get('/account')).text;
    const section = /<section class="card danger" aria-labelledby="breakup-title"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(section).toContain('<h2 id="breakup-title">이별하기 (커플 연결 끊기)</h2>');
    expect(Client.visible(section)).toContain('이별을 신청하면 1시간 뒤에 커플 연결이 끊어지고');
    expect(section).toContain('<form method="post" action="/couple/breakup"');
    expect(section).toContain('<label for="breakup_password">비밀번호 (본인 확인)</label>');
    expect(section).toContain('name="password" type="password"');
    expect(section).toContain('href="/chat/export"');
    expect(bannerOf(page)).toBe('');

    const single = await signUp(app.url, `single_${randomBytes(3).toString('hex')}`);
    const alone = (await single.get('/account')).text;
    expect(alone).not.toContain('breakup-title');
    expect(alone).not.toContain('id="breakup-banner"');
    const refused = await single.post('/couple/breakup', { password: PASSWORD });
    expect(refused.location).toBe('/pair');
  });

  it('refuses a wrong or missing password with 422 and the error next to the field, and changes nothing', async () => {
    const c = await couple();
    for (const [password, message] of [
      ['not-my-password-1', '비밀번호가 맞지 않아요.'],
      ['', '비밀번호를 입력해 주세요.'],
    ]) {
      const res = await startBreakup(c.a, password);
      expect(res.status).toBe(422);
      expect(res.text).toContain(`<p class="field-error" id="breakup_password-error">${message}</p>`);
      expect(res.text).toContain('aria-describedby="breakup_password-error"');
      expect(res.text).toContain('action="/couple/breakup"');
    }
    expect(await coupleRow(app.db, c.coupleId)).toEqual({ breakup_due_at: null, breakup_by: null });
    expect(await count(app.db, 'events', { couple_id: c.coupleId, type: 'breakup' })).toBe(0);
    expect(bannerOf((await c.b.get('/chat')).text)).toBe('');
  });

  it('starts: both partners see the banner with the due time and a countdown on every page; a second start is 409', async () => {
    const c = await couple();
    const before = testClock.now();
    const res = await startBreakup(c.a);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/account');
    const due = await dueAtOf(app.db, c.coupleId);
    expect(due).toBeGreaterThanOrEqual(before + HOUR);
    expect(due).toBeLessThanOrEqual(testClock.now() + HOUR);
    expect(Number((await coupleRow(app.db, c.coupleId)).breakup_by)).toBe(c.aId);
    const dueText = formatDateTime(due, 'ko', 'Asia/Seoul');
    expect(Client.visible((await c.a.get('/account')).text)).toContain(`이별을 신청했어요. ${dueText}에 커플 연결이 끊어져요.`);

    for (const client of [c.a, c.b]) {
      for (const path of ['/chat', '/account', '/chat/search']) {
        const banner = bannerOf((await client.get(path)).text);
        expect(banner, path).toContain(`<time datetime="${new Date(due).toISOString()}">${dueText}</time>`);
        // the one who started it is told so in the first person, never by their own ID
        if (client === c.a) {
          expect(Client.visible(banner), path).toContain('내가 이별을 신청했어요.');
          expect(Client.visible(banner), path).not.toContain(c.aLogin);
        } else {
          expect(Client.visible(banner), path).toContain(`${c.aLogin} 님이 이별을 신청했어요.`);
          expect(Client.visible(banner), path).not.toContain('내가');
        }
        expect(banner).toContain(`${dueText}</time>에 커플 연결이 끊어지고 대화가 모두 지워져요.`);
        expect(banner).toMatch(/data-breakup-due="\d+"[^>]*>(59분 \d+초|1시간 0분) 남음</);
        expect(banner).toContain(`data-breakup-due="${due}"`);
        expect(banner).toContain('<form method="post" action="/couple/breakup/cancel"');
        expect(banner).toContain('name="_csrf"');
        expect(banner).toContain('href="/chat/export"');
      }
    }
    // and in English
    await c.a.post('/account/settings', { language: 'en', week_start: '0', time_zone: '' });
    await c.b.post('/account/settings', { language: 'en', week_start: '0', time_zone: '' });
    expect(Client.visible(bannerOf((await c.a.get('/chat')).text))).toContain('You started a break-up.');
    expect(Client.visible(bannerOf((await c.a.get('/chat')).text))).not.toContain(c.aLogin);
    expect(Client.visible(bannerOf((await c.b.get('/chat')).text))).toContain(`${c.aLogin} started a break-up.`);
    expect(Client.visible(bannerOf((await c.b.get('/chat')).text))).not.toContain('You started');
    await c.a.post('/account/settings', { language: 'ko', week_start: '0', time_zone: '' });
    await c.b.post('/account/settings', { language: 'ko', week_start: '0', time_zone: '' });

    const account = (await c.b.get('/account')).text;
    expect(account).not.toContain('action="/couple/breakup"');
    expect(Client.visible(account)).toContain('이미 이별이 예정되어 있어요. 위의 안내에서 취소할 수 있어요.');
    expect(await loadsScript(app.url, account, 'breakup.js')).toBe(true);

    const again = await c.b.post('/couple/breakup', { password: PASSWORD });
    expect(again.status).toBe(409);
    expect(Client.visible(again.text)).toContain('이미 이별이 예정되어 있어요. 두 번 신청할 수 없어요.');
    expect(await dueAtOf(app.db, c.coupleId)).toBe(due);
    expect(await count(app.db, 'events', { couple_id: c.coupleId, type: 'breakup' })).toBe(1);
  });

  it('cancels: the banner is gone for both; a second cancel is 409; a break-up can be started again', async () => {
    const c = await couple();
    await startBreakup(c.a);
    await c.b.get('/chat');
    const res = await c.b.post('/couple/breakup/cancel');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/chat');
    expect(await coupleRow(app.db, c.coupleId)).toEqual({ breakup_due_at: null, breakup_by: null });
    for (const client of [c.a, c.b]) {
      const page = (await client.get('/chat')).text;
      expect(bannerOf(page)).toBe('');
      expect(page).toContain('<div id="breakup-banner"></div>');
    }
    expect(Client.visible((await c.b.get('/chat')).text)).not.toContain('이별을 취소했어요.'); // the flash was shown once
    const again = await c.b.post('/couple/breakup/cancel');
    expect(again.status).toBe(409);
    expect(Client.visible(again.text)).toContain('취소할 이별 신청이 없어요.');
    expect((await startBreakup(c.b)).status).toBe(303);
    expect(Number((await coupleRow(app.db, c.coupleId)).breakup_by)).toBe(c.bId);
  });

  it('cancels with htmx: the page it was cancelled from comes back whole, with the notice', async () => {
    const c = await couple();
    await startBreakup(c.a);
    await c.a.get('/account');
    const res = await c.a.post('/couple/breakup/cancel', {}, { ...HX, 'HX-Current-URL': `${c.a.base}/account` });
    expect(res.status).toBe(200);
    expect(res.headers.get('hx-redirect')).toBe('/account');
    const page = await c.a.get('/account');
    expect(Client.visible(page.text)).toContain('이별을 취소했어요');
    expect(page.text).toContain('name="password"');
    const again = await c.a.post('/couple/breakup/cancel', {}, HX);
    expect(again.status).toBe(409);
    expect(again.headers.get('hx-retarget')).toBe('#htmx-error');
  });

  it('cancels with htmx from a page address that is no URL, or names another site, as without one', async () => {
    for (const from of ['http://[', '://', 'http://%zz', '\\\\', 'https://evil.example//evil.example/x', '/..//evil.example/x', 'http://evil.example/account']) {
      const c = await couple('brkx');
      await startBreakup(c.a);
      await c.a.get('/account');
      const res = await c.a.post('/couple/breakup/cancel', {}, { ...HX, 'HX-Current-URL': from });
      expect(res.status, from).toBe(200);
      expect(res.headers.get('hx-redirect'), from).toMatch(from.endsWith('/account') ? /^\/account$/ : /^\/chat$/);
      expect(await coupleRow(app.db, c.coupleId), from).toEqual({ breakup_due_at: null, breakup_by: null });
    }
  });

  it('refuses account deletion with 409 while paired, also while a break-up is pending', async () => {
    const c = await couple();
    for (const step of ['paired', 'pending']) {
      if (step === 'pending') await startBreakup(c.a);
      await c.a.get('/account');
      const res = await c.a.post('/account/delete', { password: PASSWORD });
      expect(res.status, step).toBe(409);
      expect(Client.visible(res.text)).toContain('커플이 연결된 동안에는 탈퇴할 수 없어요.');
      expect(await count(app.db, 'users', { id: c.aId })).toBe(1);
    }
  });

  it('tells both partners’ open chat pages through their streams: the banner on start, gone on cancel', async () => {
    const c = await couple();
    expect(/sse-swap="[^"]*\bbreakup\b[^"]*"/.test((await c.b.get('/chat')).text)).toBe(true);
    const [sa, sb] = [await stream(c.a), await stream(c.b)];
    await startBreakup(c.a);
    const due = await dueAtOf(app.db, c.coupleId);
    const started = await sb.waitFor((e) => e.event === 'breakup');
    expect(started.data).toMatch(/^<section id="breakup-banner" class="breakup-banner" [^>]*hx-swap-oob="outerHTML">/);
    expect(started.data).toContain(`<time datetime="${new Date(due).toISOString()}">${formatDateTime(due, 'ko', 'Asia/Seoul')}</time>`);
    expect(started.data).toContain(`${c.aLogin} 님이 이별을 신청했어요.`);
    // one render for both: "I" goes too, and the page of the one who started it (data-user-id) shows that
    expect(started.data).toContain('<span class="breakup-by-me">내가 이별을 신청했어요.</span>');
    expect(started.data).toContain(`data-by="${c.aId}"`);
    expect(started.data).toContain('hx-post="/couple/breakup/cancel"');
    expect(started.data).not.toContain('_csrf'); // one render for both: htmx sends each page's own token
    expect((await sa.waitFor((e) => e.event === 'breakup')).data).toBe(started.data);

    await c.b.get('/chat');
    await c.b.post('/couple/breakup/cancel');
    const cancelled = await sa.waitFor((e) => e.event === 'breakup' && e.id !== started.id);
    expect(cancelled.data.trim()).toBe('<div id="breakup-banner" hx-swap-oob="outerHTML"></div>');
    expect(Number(cancelled.id)).toBeGreaterThan(Number(started.id));
  });
});

describe.each(backends())('a break-up taking effect on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { config: { breakupGraceMs: GRACE }, tag: 'end' });
  const { stream } = suiteStreams();

  it('ends the couple at the next request of either partner: /pair with a notice, streams closed, and they can pair again', async () => {
    const c = await couple();
    await send(c.a, '곧 헤어질 말');
    const [sa, sb] = [await stream(c.a), await stream(c.b)];
    expect((await c.a.request('HEAD', '/chat/stream')).status).toBe(200); // what static/chat/stream.js asks after a refused stream
    await startAndWait(app.db, c);

    const res = await c.b.get('/chat'); // the partner who did not start it
    expect(res.status).toBe(303);
    expect(res.location).toBe('/pair');
    const told = Client.visible((await c.b.get('/pair')).text);
    expect(told.split('이별이 확정되어 커플 연결이 끊어졌어요.')).toHaveLength(2); // once, not twice
    expect(Client.visible((await c.b.get('/pair')).text)).not.toContain('이별이 확정되어'); // and only once
    expect(await app.db('couples').where({ id: c.coupleId }).first()).toBeUndefined();
    expect(await app.db('users').whereIn('id', [c.aId, c.bId]).pluck('couple_id')).toEqual([null, null]);
    expect(await ownedRows(app.db, c.coupleId)).toEqual(await noRows(app.db));

    // open chat pages learn it: their streams end, a new one is refused, and HEAD says so (static/chat/stream.js then goes home)
    await sa.waitForEnd();
    await sb.waitForEnd();
    const again = await stream(c.a);
    expect(again.status).toBe(401);
    expect((await c.a.request('HEAD', '/chat/stream')).status).toBe(401);
    expect((await c.a.get('/chat')).location).toBe('/pair');
    expect((await c.a.get('/')).location).toBe('/pair');
    // the partner who was not there when it happened is told too, on the pairing page, once
    expect(Client.visible((await c.a.get('/pair')).text)).toContain('이별이 확정되어 커플 연결이 끊어졌어요.');
    expect(Client.visible((await c.a.get('/pair')).text)).not.toContain('이별이 확정되어');

    const coupleId = await pairAgain(app.db, c.a, c.b, c.bLogin);
    expect(coupleId).not.toBe(c.coupleId);
    const page = await c.a.get('/chat');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('곧 헤어질 말');
    expect(bannerOf(page.text)).toBe('');
  });

  it('allows account deletion once the break-up took effect (303), and the partner pairs with someone new', async () => {
    const c = await couple();
    await c.a.get('/account');
    expect((await c.a.post('/account/delete', { password: PASSWORD })).status).toBe(409);
    await startAndWait(app.db, c, c.b);

    expect((await c.a.get('/account')).location).toBe('/pair'); // the one who did not start it, this time
    await c.a.get('/account');
    const deleted = await c.a.post('/account/delete', { password: PASSWORD });
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe('/login');
    expect(await count(app.db, 'users', { id: c.aId })).toBe(0);

    const newcomerLogin = `new_${randomBytes(3).toString('hex')}`;
    const newcomer = await signUp(app.url, newcomerLogin);
    expect((await c.b.get('/chat')).location).toBe('/pair');
    const coupleId = await pairAgain(app.db, c.b, newcomer, newcomerLogin);
    expect(coupleId).toBeGreaterThan(c.coupleId);
  });
});
