// Breaking up (POST /couple/breakup, /couple/breakup/cancel): a password, a banner with
// the due time for both partners, a grace in which either can cancel, and then the couple
// and everything it owns gone for good, even when the app was down when it fell due.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBreakup } from '../../src/couple/breakups';
import { COUPLE_OWNED_TABLES, existingCoupleTables } from '../../src/couple/purge';
import { startBreakupSweeper, sweepDueBreakups } from '../../src/couple/takeEffect';
import type { Db } from '../../src/db';
import { formatDateTime } from '../../src/time';
import { backends } from '../support/backends';
import { HX, messageCount, newCouple, send, serveInstance, type Couple } from '../support/chatHttp';
import { Client, PASSWORD, rawRequest, signUp } from '../support/client';
import { suiteStreams } from '../support/sse';
import { startTestApp, type TestApp } from '../support/testApp';
import {
  combos,
  fetchFile,
  filePart,
  jpeg,
  keyExists,
  orphans,
  referencedKeys,
  startUploadApp,
  upload,
  type UploadApp,
} from '../support/uploads';

const HOUR = 3_600_000;
const GRACE = 1_000; // a break-up that takes effect within the test
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const coupleRow = (db: Db, coupleId: number) => db('couples').where({ id: coupleId }).first('breakup_due_at', 'breakup_by');
const dueAtOf = async (db: Db, coupleId: number) => Number((await coupleRow(db, coupleId))?.breakup_due_at);

/** The banner of a page, or '' when it shows none (the empty placeholder). */
const bannerOf = (html: string) => /<section id="breakup-banner"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

const count = async (db: Db, table: string, where: Record<string, unknown>) => Number((await db(table).where(where).count({ n: '*' }))[0].n);

/** How many rows of each couple-owned table (that exists) belong to the couple. */
async function ownedRows(db: Db, coupleId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const owned of await existingCoupleTables(db)) out[owned.table] = Number((await owned.rows(db, coupleId).count({ n: '*' }))[0].n);
  return out;
}

const none = async (db: Db) => Object.fromEntries((await existingCoupleTables(db)).map((owned) => [owned.table, 0]));

async function startBreakup(client: Client, password = PASSWORD) {
  await client.get('/account');
  return client.post('/couple/breakup', { password });
}

/** Starts a break-up as `by` and waits until it is due. */
async function startAndWait(db: Db, c: Couple, by: Client = c.a): Promise<number> {
  const res = await startBreakup(by);
  expect(res.status).toBe(303);
  const due = await dueAtOf(db, c.coupleId);
  await sleep(due - Date.now() + 20);
  return due;
}

/** `a` sends a pair request to `b`'s login id and `b` accepts it; resolves to the new couple's id. */
async function pairAgain(db: Db, a: Client, b: Client, bLogin: string): Promise<number> {
  await a.get('/pair');
  expect((await a.post('/pair/requests', { login_id: bLogin })).status).toBe(303);
  const id = /\/pair\/requests\/(\d+)\/accept/.exec((await b.get('/pair')).text)?.[1];
  const accepted = await b.post(`/pair/requests/${id}/accept`);
  expect(accepted.location).toBe('/chat');
  return Number((await db('users').where({ login_id: bLogin }).first('couple_id')).couple_id);
}

describe.each(backends())('break-up on $name', (backend) => {
  let app: TestApp;
  const { stream } = suiteStreams();
  beforeAll(async () => {
    app = await startTestApp(backend, { breakupGraceMs: HOUR });
  });
  afterAll(() => app.close());

  const couple = (tag = 'brk') => newCouple(app.url, app.db, tag);

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
    const before = Date.now();
    const res = await startBreakup(c.a);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/account');
    const due = await dueAtOf(app.db, c.coupleId);
    expect(due).toBeGreaterThanOrEqual(before + HOUR);
    expect(due).toBeLessThanOrEqual(Date.now() + HOUR);
    expect(Number((await coupleRow(app.db, c.coupleId)).breakup_by)).toBe(c.aId);
    const dueText = formatDateTime(due, 'ko', 'Asia/Seoul');
    expect(Client.visible((await c.a.get('/account')).text)).toContain(`이별을 신청했어요. ${dueText}에 커플 연결이 끊어져요.`);

    for (const client of [c.a, c.b]) {
      for (const path of ['/chat', '/account', '/chat/search']) {
        const banner = bannerOf((await client.get(path)).text);
        expect(banner, path).toContain(`<time datetime="${new Date(due).toISOString()}">${dueText}</time>`);
        expect(Client.visible(banner)).toContain(`${c.aLogin} 님이 이별을 신청했어요.`);
        expect(banner).toContain(`${dueText}</time>에 커플 연결이 끊어지고 대화가 모두 지워져요.`);
        expect(banner).toMatch(/data-breakup-due="\d+"[^>]*>(59분 \d+초|1시간 0분) 남음</);
        expect(banner).toContain(`data-breakup-due="${due}"`);
        expect(banner).toContain('<form method="post" action="/couple/breakup/cancel"');
        expect(banner).toContain('name="_csrf"');
        expect(banner).toContain('href="/chat/export"');
      }
    }
    const account = (await c.b.get('/account')).text;
    expect(account).not.toContain('action="/couple/breakup"');
    expect(Client.visible(account)).toContain('이미 이별이 예정되어 있어요. 위의 안내에서 취소할 수 있어요.');
    expect(account).toContain('<script src="/static/breakup.js" defer></script>');

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

  it('cancels with htmx: 200 with the empty banner to swap in', async () => {
    const c = await couple();
    await startBreakup(c.a);
    await c.a.get('/chat');
    const res = await c.a.post('/couple/breakup/cancel', {}, HX);
    expect(res.status).toBe(200);
    expect(res.text.trim()).toBe('<div id="breakup-banner"></div>');
    const again = await c.a.post('/couple/breakup/cancel', {}, HX);
    expect(again.status).toBe(409);
    expect(again.headers.get('hx-retarget')).toBe('#htmx-error');
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
    expect((await c.b.get('/chat')).text).toContain('sse-swap="message,deleted,read,breakup"');
    const [sa, sb] = [await stream(c.a), await stream(c.b)];
    await startBreakup(c.a);
    const due = await dueAtOf(app.db, c.coupleId);
    const started = await sb.waitFor((e) => e.event === 'breakup');
    expect(started.data).toMatch(/^<section id="breakup-banner" class="breakup-banner" [^>]*hx-swap-oob="outerHTML">/);
    expect(started.data).toContain(`<time datetime="${new Date(due).toISOString()}">${formatDateTime(due, 'ko', 'Asia/Seoul')}</time>`);
    expect(started.data).toContain(`${c.aLogin} 님이 이별을 신청했어요.`);
    expect(started.data).toContain('hx-post="/couple/breakup/cancel"');
    expect(started.data).not.toContain('_csrf'); // one render for both: htmx sends each page's own token
    expect((await sa.waitFor((e) => e.event === 'breakup')).data).toBe(started.data);

    await c.b.get('/chat');
    await c.b.post('/couple/breakup/cancel');
    const cancelled = await sa.waitFor((e) => e.event === 'breakup' && e.id !== started.id);
    expect(cancelled.data.trim()).toBe('<div id="breakup-banner" hx-swap-oob="outerHTML"></div>');
    expect(Number(cancelled.id)).toBeGreaterThan(Number(started.id));
  });

  it('lists every table with a couple_id column (other than users) as couple-owned', async () => {
    const listed = new Set(COUPLE_OWNED_TABLES.map((owned) => owned.table));
    const tables: string[] =
      backend.name === 'sqlite'
        ? (await app.db('sqlite_master').where({ type: 'table' }).pluck('name')).filter((name: string) => !name.startsWith('sqlite_'))
        : await app.db('information_schema.tables').whereRaw('table_schema = database()').pluck('table_name');
    const withCoupleId: string[] = [];
    for (const table of tables) if ('couple_id' in (await app.db(table).columnInfo())) withCoupleId.push(table);
    expect(withCoupleId).toContain('messages');
    expect(withCoupleId.filter((table) => table !== 'users' && !listed.has(table))).toEqual([]);
  });
});

describe.each(backends())('a break-up taking effect on $name', (backend) => {
  let app: TestApp;
  const { stream } = suiteStreams();
  beforeAll(async () => {
    app = await startTestApp(backend, { breakupGraceMs: GRACE });
  });
  afterAll(() => app.close());

  const couple = (tag = 'end') => newCouple(app.url, app.db, tag);

  it('ends the couple at the next request of either partner: /pair with a notice, streams closed, and they can pair again', async () => {
    const c = await couple();
    await send(c.a, '곧 헤어질 말');
    const [sa, sb] = [await stream(c.a), await stream(c.b)];
    expect((await c.a.request('HEAD', '/chat/stream')).status).toBe(200); // what chat.js asks after a refused stream
    await startAndWait(app.db, c);

    const res = await c.b.get('/chat'); // the partner who did not start it
    expect(res.status).toBe(303);
    expect(res.location).toBe('/pair');
    expect(Client.visible((await c.b.get('/pair')).text)).toContain('이별이 확정되어 커플 연결이 끊어졌어요.');
    expect(await app.db('couples').where({ id: c.coupleId }).first()).toBeUndefined();
    expect(await app.db('users').whereIn('id', [c.aId, c.bId]).pluck('couple_id')).toEqual([null, null]);
    expect(await ownedRows(app.db, c.coupleId)).toEqual(await none(app.db));

    // open chat pages learn it: their streams end, a new one is refused, and HEAD says so (chat.js then goes home)
    await sa.waitForEnd();
    await sb.waitForEnd();
    const again = await stream(c.a);
    expect(again.status).toBe(401);
    expect((await c.a.request('HEAD', '/chat/stream')).status).toBe(401);
    expect((await c.a.get('/chat')).location).toBe('/pair');
    expect((await c.a.get('/')).location).toBe('/pair');

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

  it('a sweep racing a cancel leaves the couple either ended entirely or intact with no due time', async () => {
    const outcomes = { ended: 0, kept: 0 };
    for (let i = 0; i < 16; i++) {
      const c = await seedCouple(app.db, `race${i}`);
      const due = Date.now() + HOUR; // the sweep below is told the clock says due; the cancel believes it is not
      await app.db('couples').where({ id: c.coupleId }).update({ breakup_due_at: due, breakup_by: c.userIds[0] });
      const sweeps: Promise<number>[] = [];
      let cancelling: Promise<boolean> = Promise.resolve(false);
      const sweep = () => sweeps.push(sweepDueBreakups(app.app.context, due));
      const cancel = () => (cancelling = cancelBreakup(app.db, c.coupleId));
      // who asks first alternates, the other follows 0-3 ms later; every fourth round a second instance sweeps too
      const [first, second] = i % 2 === 0 ? [sweep, cancel] : [cancel, sweep];
      first();
      await sleep(Math.floor(i / 2) % 4);
      second();
      if (i % 4 === 0) sweep();
      const ended = (await Promise.all(sweeps)).reduce((sum, n) => sum + n, 0);
      const cancelled = await cancelling;

      const row = await coupleRow(app.db, c.coupleId);
      const partners = await app.db('users').whereIn('id', c.userIds).pluck('couple_id');
      if (row) {
        outcomes.kept++;
        expect(cancelled).toBe(true);
        expect(ended).toBe(0);
        expect(row).toEqual({ breakup_due_at: null, breakup_by: null });
        expect(partners.map(Number)).toEqual([c.coupleId, c.coupleId]);
        expect(await ownedRows(app.db, c.coupleId)).toMatchObject({ messages: 1, events: 3, read_marks: 1, files: 1, blobs: 1, blob_chunks: 1 });
      } else {
        outcomes.ended++;
        expect(cancelled).toBe(false);
        expect(ended).toBe(1);
        expect(partners).toEqual([null, null]);
        expect(await ownedRows(app.db, c.coupleId)).toEqual(await none(app.db));
      }
    }
    expect(outcomes.ended + outcomes.kept).toBe(16);
  });

  it('a break-up that fell due while the app was down takes effect at the next start-up, before anyone visits', async () => {
    const { db, url, drop } = await backend.create();
    try {
      const first = await serveInstance(db, url, { breakupGraceMs: GRACE });
      const c = await newCouple(first.url, db, 'rst');
      await send(c.a, '재시작 전에 보낸 말');
      await c.a.get('/account');
      expect((await c.a.post('/couple/breakup', { password: PASSWORD })).status).toBe(303);
      await first.close();
      await sleep((await dueAtOf(db, c.coupleId)) - Date.now() + 20);

      const second = await serveInstance(db, url, { breakupGraceMs: GRACE });
      const sweeper = startBreakupSweeper(second.app.context); // as src/server.ts does at start-up
      await sweeper.firstSweep;
      sweeper.stop();
      expect(await db('couples').where({ id: c.coupleId }).first()).toBeUndefined();
      expect(await messageCount(db, c.coupleId)).toBe(0);
      expect(await db('users').whereIn('id', [c.aId, c.bId]).pluck('couple_id')).toEqual([null, null]);
      const res = await rawRequest(`${second.url}/chat`, 'GET', { cookie: c.b.cookieHeader() });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/pair');
      await second.close();
    } finally {
      await drop();
    }
  });
});

describe.each(combos())('the purge on $name', (combo) => {
  let app: UploadApp;
  beforeAll(async () => {
    app = await startUploadApp(combo, { breakupGraceMs: GRACE });
  });
  afterAll(() => app.close());

  /** A conversation with texts, a deleted message, a photo (with its thumbnail), a file and read marks. */
  async function converse(c: Couple) {
    const text = `${c.aLogin}의 말`;
    await send(c.a, text);
    const gone = await send(c.b, `${c.bLogin}의 지운 말`);
    await c.b.post(`/chat/messages/${gone}/delete`, {}, HX);
    expect((await upload(c.a, [filePart('photo.jpg', await jpeg(), 'image/jpeg')], { htmx: true })).status).toBe(200);
    const bytes = Buffer.from(`bytes of ${c.aLogin}`);
    expect((await upload(c.b, [filePart('note.txt', bytes, 'text/plain')], { htmx: true })).status).toBe(200);
    const last = await send(c.a, '마지막');
    await c.b.post('/chat/read', { up_to: String(last) }, HX);
    return { text, bytes };
  }

  it('deletes the couple’s messages, files and their bytes, events and read marks, and nothing of another couple', async () => {
    const ending = await newCouple(app.url, app.db, 'end');
    const other = await newCouple(app.url, app.db, 'keep');
    await converse(ending);
    const kept = await converse(other);
    const endingKeys = await referencedKeys(app.db, { couple_id: ending.coupleId });
    const otherKeys = await referencedKeys(app.db, { couple_id: other.coupleId });
    expect(endingKeys).toHaveLength(3); // photo, its thumbnail, the file
    for (const key of [...endingKeys, ...otherKeys]) expect(await keyExists(app, key)).toBe(true);
    const otherRows = await ownedRows(app.db, other.coupleId);
    expect(otherRows).toMatchObject({ messages: 5, files: 2, read_marks: 1, events: 7 });
    const otherFile = await app.db('files').where({ couple_id: other.coupleId, name: 'note.txt' }).first('id');
    const endingFile = await app.db('files').where({ couple_id: ending.coupleId, name: 'note.txt' }).first('id');

    await startAndWait(app.db, ending);
    expect((await ending.a.get('/chat')).location).toBe('/pair');

    expect(await ownedRows(app.db, ending.coupleId)).toEqual(await none(app.db));
    for (const key of endingKeys) expect(await keyExists(app, key), key).toBe(false);
    expect(await orphans(app)).toEqual([]);
    expect((await fetchFile(ending.b, `/files/${endingFile.id}`)).status).toBe(404);

    // the other couple: every row still there, its messages and files read back whole
    expect(await ownedRows(app.db, other.coupleId)).toEqual(otherRows);
    expect(await app.db('users').whereIn('id', [other.aId, other.bId]).pluck('couple_id')).toEqual([other.coupleId, other.coupleId]);
    for (const key of otherKeys) expect(await keyExists(app, key), key).toBe(true);
    const page = await other.b.get('/chat');
    expect(page.status).toBe(200);
    expect(page.text).toContain(kept.text);
    const file = await fetchFile(other.a, `/files/${otherFile.id}?download=1`);
    expect(file.status).toBe(200);
    expect(file.body.equals(kept.bytes)).toBe(true);
  });
});

/** A couple written straight into the database: two users, a message with a file and its bytes, events and a read mark. */
async function seedCouple(db: Db, tag: string): Promise<{ coupleId: number; userIds: number[] }> {
  const now = Date.now();
  const stem = `${tag}_${randomBytes(2).toString('hex')}`;
  const [coupleId] = (await db('couples').insert({ started_at: now, event_seq: 2 })).map(Number);
  const userIds: number[] = [];
  for (const side of ['a', 'b']) {
    const [id] = await db('users').insert({ login_id: `${stem}_${side}`, password_hash: 'x', couple_id: coupleId, created_at: now });
    userIds.push(Number(id));
  }
  const [messageId] = await db('messages').insert({ couple_id: coupleId, sender_id: userIds[0], body: 'seeded', client_id: `seed-${stem}`, created_at: now });
  for (const seq of [1, 2]) await db('events').insert({ couple_id: coupleId, seq, type: 'message', payload: JSON.stringify({ id: Number(messageId) }), created_at: now });
  await db('read_marks').insert({ user_id: userIds[1], couple_id: coupleId, up_to: messageId });
  const [blobId] = await db('blobs').insert({ couple_id: coupleId, size: 3, complete: true, created_at: now });
  await db('blob_chunks').insert({ blob_id: blobId, n: 0, data: Buffer.from('abc') });
  await db('files').insert({
    couple_id: coupleId,
    message_id: messageId,
    name: 'seed.txt',
    mime: 'text/plain',
    kind: 'file',
    size: 3,
    storage_key: `db:${Number(blobId)}`,
    created_at: now,
  });
  return { coupleId, userIds };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('the server process', () => {
  it('ends at start-up a break-up that fell due while it was down', async () => {
    const { db, url, drop } = await backends()[0].create();
    try {
      const due = await seedCouple(db, 'proc');
      await db('couples').where({ id: due.coupleId }).update({ breakup_due_at: Date.now() - 1_000, breakup_by: due.userIds[0] });
      const pending = await seedCouple(db, 'wait');
      await db('couples').where({ id: pending.coupleId }).update({ breakup_due_at: Date.now() + HOUR, breakup_by: pending.userIds[1] });

      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        env: { ...process.env, NODE_ENV: 'development', PORT: String(await freePort()), DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        await expect.poll(() => out, { timeout: 20_000 }).toContain('listening');
        await expect.poll(() => coupleRow(db, due.coupleId), { timeout: 10_000 }).toBeUndefined();
        expect(await db('users').whereIn('id', due.userIds).pluck('couple_id')).toEqual([null, null]);
        expect(await ownedRows(db, due.coupleId)).toEqual(await none(db));
        expect(Number((await coupleRow(db, pending.coupleId)).breakup_due_at)).toBeGreaterThan(Date.now());
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    } finally {
      await drop();
    }
  });
});
