// What a break-up deletes when it takes effect, and that it takes effect exactly once:
// the couple's messages, files and bytes (in the database or on disk), events and read
// marks, in one transaction, never another couple's; safely against a racing cancel and
// a second instance; and at start-up when it fell due while the app was down.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBreakup } from '../../src/couple/breakups';
import { COUPLE_OWNED_TABLES } from '../../src/couple/purge';
import { startBreakupSweeper, sweepDueBreakups } from '../../src/couple/takeEffect';
import { freePort } from '../bench/appProcess';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { coupleRow, dueAtOf, GRACE, HOUR, noRows, ownedRows, seedCouple, sleep, startAndWait } from '../support/breakup';
import { HX, messageCount, newCouple, send, serveInstance, type Couple } from '../support/chatHttp';
import { PASSWORD, rawRequest } from '../support/client';
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
import { testClock } from '../support/clock';

describe.each(backends())('ending a couple on $name', (backend) => {
  const { app } = httpSuite(backend, { config: { breakupGraceMs: GRACE } });

  it('lists every table with a couple_id column (other than users) as couple-owned', async () => {
    const listed = new Set(COUPLE_OWNED_TABLES.map((owned) => owned.table));
    const tables: string[] =
      backend.name === 'sqlite'
        ? (await app.db('sqlite_master').where({ type: 'table' }).pluck('name')).filter((name: string) => !name.startsWith('sqlite_'))
        : (await app.db('information_schema.tables').whereRaw('table_schema = database()').select({ name: 'table_name' })).map((r) => r.name);
    const withCoupleId: string[] = [];
    for (const table of tables) if ('couple_id' in (await app.db(table).columnInfo())) withCoupleId.push(table);
    expect(withCoupleId).toContain('messages');
    expect(withCoupleId.filter((table) => table !== 'users' && !listed.has(table))).toEqual([]);
  });

  it('a sweep racing a cancel leaves the couple either ended entirely or intact with no due time', async () => {
    const outcomes = { ended: 0, kept: 0 };
    for (let i = 0; i < 16; i++) {
      const c = await seedCouple(app.db, `race${i}`);
      const due = testClock.now() + HOUR; // the sweep below is told the clock says due; the cancel believes it is not
      await app.db('couples').where({ id: c.coupleId }).update({ breakup_due_at: due, breakup_by: c.userIds[0] });
      const sweeps: Promise<number>[] = [];
      let cancelling: Promise<boolean> = Promise.resolve(false);
      const sweep = () => sweeps.push(sweepDueBreakups(app.app.context, due));
      const cancel = () => (cancelling = cancelBreakup(app.app.context.changes, c.coupleId));
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
        expect(await ownedRows(app.db, c.coupleId)).toEqual(await noRows(app.db));
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
      await sleep((await dueAtOf(db, c.coupleId)) - testClock.now() + 20);

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

    expect(await ownedRows(app.db, ending.coupleId)).toEqual(await noRows(app.db));
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


describe('the server process', () => {
  it('ends at start-up a break-up that fell due while it was down', async () => {
    const { db, url, drop } = await backends()[0].create();
    try {
      // the server below runs on the system's clock (nothing moves a real server's clock), not the test clock
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
        expect(await ownedRows(db, due.coupleId)).toEqual(await noRows(db));
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
