// Exporting the conversation with its files (GET /chat/export?format=zip), on every backend
// with both storage drivers, checked with the real `unzip`: the transcript, every file
// byte for byte under media/ named by when it was sent in the viewer's zone, nothing of
// another couple, and a download cut short leaves nothing open.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, newCouple, send, type Couple } from '../support/chatHttp';
import { PASSWORD } from '../support/client';
import { bannerOf } from '../support/breakup';
import { combos, fetchFile, filePart, fileRows, jpeg, startUploadApp, upload, type UploadApp } from '../support/uploads';
import { testClock } from '../support/clock';

/** 21:05:03 on 7 December 2026 in Seoul (12:05:03 UTC). */
const SENT = Date.UTC(2026, 11, 7, 12, 5, 3);

/** Unpacks the archive with the real unzip into a new folder: name → bytes. */
function unzipped(zip: Buffer): Map<string, Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-zip-'));
  try {
    writeFileSync(join(dir, 'export.zip'), zip);
    execFileSync('unzip', ['-tq', 'export.zip'], { cwd: dir }); // every entry's CRC checks out
    execFileSync('unzip', ['-q', 'export.zip', '-d', 'out'], { cwd: dir });
    const out = new Map<string, Buffer>();
    const walk = (sub: string) => {
      for (const entry of readdirSync(join(dir, 'out', sub), { withFileTypes: true })) {
        const name = sub ? `${sub}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(name);
        else out.set(name, readFileSync(join(dir, 'out', name)));
      }
    };
    walk('');
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(combos())('export with files on $name', (combo) => {
  let app: UploadApp;
  beforeAll(async () => {
    app = await startUploadApp(combo);
  });
  afterAll(() => app.close());

  async function sendFile(c: Couple, side: 'a' | 'b', name: string, data: Buffer, type: string, at: number) {
    const res = await upload(c[side], [{ name: 'client_id', value: newClientId() }, filePart(name, data, type)]);
    expect(res.status).toBe(303);
    const rows = await fileRows(app.db, c.coupleId);
    const row = rows[rows.length - 1];
    await app.db('files').where({ id: row.id }).update({ created_at: at });
    return Number(row.id);
  }

  it('holds the transcript and every file byte for byte, named by when it was sent in the viewer’s zone; nothing of another couple', async () => {
    const c = await newCouple(app.url, app.db, 'zip');
    const other = await newCouple(app.url, app.db, 'zipo');
    await sendFile(other, 'a', 'secret.jpg', await jpeg(30, 30), 'image/jpeg', SENT);

    await send(c.a, '우리 사진 보내줄게');
    const photo = await sendFile(c, 'b', 'photo.jpg', await jpeg(120, 80), 'image/jpeg', SENT);
    const again = await sendFile(c, 'a', 'photo.jpg', await jpeg(60, 90), 'image/jpeg', SENT); // same name, same second
    const doc = await sendFile(c, 'a', '여행 계획.txt', Buffer.from('첫째 날: 부산\n'), 'text/plain', SENT + 3_600_000);
    const blob = randomBytes(300_000);
    const big = await sendFile(c, 'b', 'clip.bin', blob, 'application/octet-stream', SENT + 60_000);

    const res = await fetchFile(c.a, '/chat/export?format=zip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(testClock.now());
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="couple-chat-${today}.zip"`);
    expect(res.headers.get('content-length')).toBeNull(); // streamed, not measured first

    const files = unzipped(res.body);
    const served = async (id: number) => (await fetchFile(c.a, `/files/${id}?download=1`)).body;
    expect([...files.keys()].sort()).toEqual(
      [
        `couple-chat-${today}.txt`,
        'media/2026-12-07_21-05-03_photo.jpg',
        'media/2026-12-07_21-05-03_photo-2.jpg',
        'media/2026-12-07_21-06-03_clip.bin',
        'media/2026-12-07_22-05-03_여행 계획.txt',
      ].sort(),
    );
    const transcript = files.get(`couple-chat-${today}.txt`)!.toString('utf8');
    expect(transcript).toContain(`${c.aLogin}: 우리 사진 보내줄게`);
    expect(transcript).toContain('[파일] 여행 계획.txt');
    expect(files.get('media/2026-12-07_21-05-03_photo.jpg')).toEqual(await served(photo));
    expect(files.get('media/2026-12-07_21-05-03_photo-2.jpg')).toEqual(await served(again));
    expect(files.get('media/2026-12-07_22-05-03_여행 계획.txt')!.toString('utf8')).toBe('첫째 날: 부산\n');
    expect(files.get(`media/2026-12-07_21-06-03_clip.bin`)!.equals(blob)).toBe(true);
    expect(await served(doc)).toEqual(files.get('media/2026-12-07_22-05-03_여행 계획.txt'));
    expect(big).toBeGreaterThan(0);
    expect(transcript).not.toContain(other.aLogin);
  });

  it('names the files in the viewer’s own zone', async () => {
    const c = await newCouple(app.url, app.db, 'zipz');
    await sendFile(c, 'a', 'photo.jpg', await jpeg(), 'image/jpeg', SENT);
    await c.b.get('/account');
    await c.b.post('/account/settings', { language: 'en', week_start: '0', time_zone: 'America/New_York' });
    const files = unzipped((await fetchFile(c.b, '/chat/export?format=zip')).body);
    expect([...files.keys()]).toContain('media/2026-12-07_07-05-03_photo.jpg');
    expect([...files.keys()].find((name) => name.endsWith('.txt'))).toMatch(/^couple-chat-\d{4}-\d\d-\d\d\.txt$/);
  });

  it('is an archive with the transcript alone when nothing was shared', async () => {
    const c = await newCouple(app.url, app.db, 'zipe');
    const files = unzipped((await fetchFile(c.a, '/chat/export?format=zip')).body);
    expect([...files.keys()]).toHaveLength(1);
    expect(files.values().next().value!.toString('utf8')).toContain('(대화가 없어요)');
  });

  it('closes what it was reading when the client goes away mid-download, and serves the next one', async () => {
    const c = await newCouple(app.url, app.db, 'zipx');
    // more than the sockets' buffers between server and client hold, so the server is still reading
    for (let i = 0; i < 3; i++) await sendFile(c, 'a', `big${i}.bin`, randomBytes(16 * 1024 * 1024), 'application/octet-stream', SENT + i);
    // the disk driver's open files (a leak would keep a descriptor into the folder)
    const openInStorage = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return app.dir !== null && readlinkSync(`/proc/self/fd/${fd}`).startsWith(app.dir);
        } catch {
          return false;
        }
      }).length;
    const req = request(`${app.url}/chat/export?format=zip`, { headers: { cookie: c.a.cookieHeader() } });
    req.on('error', () => {});
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve).end());
    res.pause(); // the client stops taking bytes with megabytes still to come...
    if (app.dir) await expect.poll(openInStorage).toBeGreaterThan(0);
    req.destroy(); // ...and goes away
    await expect.poll(openInStorage).toBe(0);
    const next = await fetchFile(c.a, '/chat/export?format=zip');
    expect(next.status).toBe(200);
    expect([...unzipped(next.body).keys()].filter((name) => name.startsWith('media/'))).toHaveLength(3);
  });

  it('a file whose bytes cannot be read cuts the download short without taking the app down', async () => {
    const c = await newCouple(app.url, app.db, 'zipb');
    const id = await sendFile(c, 'a', 'lost.jpg', await jpeg(), 'image/jpeg', SENT);
    // bytes gone from under their row, or a key of the other storage driver (opening it throws)
    for (const key of ['db:987654321', 'disk:not-a-key']) {
      await app.db('files').where({ id }).update({ storage_key: key });
      const cut = await fetchFile(c.a, '/chat/export?format=zip').then(
        (res) => res.body,
        () => null, // the connection closed mid-answer
      );
      if (cut) expect(() => unzipped(cut), key).toThrow();
      expect((await c.a.get('/healthz')).status, key).toBe(200);
    }
  });

  it('is offered beside the text export, and first in the break-up banner', async () => {
    const c = await newCouple(app.url, app.db, 'zipl');
    expect((await c.a.get('/account')).text).toContain('href="/chat/export?format=zip"');
    await c.a.post('/couple/breakup', { password: PASSWORD });
    const banner = bannerOf((await c.b.get('/chat')).text);
    expect(banner).toContain('href="/chat/export?format=zip"');
    expect(banner.indexOf('format=zip')).toBeLessThan(banner.indexOf('href="/chat/export"'));
    expect((await fetchFile(c.b, '/chat/export?format=zip')).status).toBe(200);
  });
});
