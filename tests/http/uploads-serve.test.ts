// Serving uploaded files (GET /files/:id, /files/:id/thumb) on every backend with both storage
// drivers: types decided by bytes, thumbnails, headers, Range, privacy, deletion.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

let bombPng: Buffer | undefined;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageItem, newClientId, newCouple } from '../support/chatHttp';
import { Client } from '../support/client';
import {
  avif,
  combos,
  corruptJpeg,
  fetchFile,
  filePart,
  fileRows,
  getBytes,
  gif,
  heic,
  html,
  isWebp,
  jpeg,
  keyExists,
  png,
  rotatedJpeg,
  startUploadApp,
  svg,
  upload,
  video,
  webp,
  type Part,
  type UploadApp,
} from '../support/uploads';

/** 100 distinct bytes: byte i is i. */
const bytes100 = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

describe.each(combos())('serving files on $name', (combo) => {
  let app: UploadApp;
  beforeAll(async () => {
    app = await startUploadApp(combo);
  });
  afterAll(() => app.close());

  const couple = (tag = 'srv') => newCouple(app.url, app.db, tag);

  /** Uploads one file part as a of a new (or given) couple; returns the couple and the file row. */
  async function sent(part: Part, given?: Awaited<ReturnType<typeof couple>>) {
    const c = given ?? (await couple());
    const res = await upload(c.a, [{ name: 'client_id', value: newClientId() }, part]);
    expect(res.status).toBe(303);
    const rows = await fileRows(app.db, c.coupleId);
    return { ...c, file: rows[rows.length - 1] };
  }

  describe('types are decided by the bytes', () => {
    it.each([
      ['JPEG', jpeg, 'image/jpeg'],
      ['PNG', png, 'image/png'],
      ['GIF', gif, 'image/gif'],
      ['WebP', webp, 'image/webp'],
      ['AVIF', avif, 'image/avif'],
    ] as const)('a %s is a photo: inline with its type and a WebP thumbnail', async (_label, make, mime) => {
      const original = await make();
      const { b, file } = await sent(filePart('pic', original));
      expect(file.kind).toBe('image');
      const res = await fetchFile(b, `/files/${file.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(mime);
      expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
      expect(res.body.equals(original)).toBe(true);
      const thumb = await fetchFile(b, `/files/${file.id}/thumb`);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      expect(isWebp(thumb.body)).toBe(true);
    });

    it('a HEIC photo gets a thumbnail; as most browsers cannot show it, the file itself is a download', async () => {
      const { b, file } = await sent(filePart('IMG_0001.HEIC', await heic()));
      expect([file.kind, file.mime]).toEqual(['image', 'image/heic']);
      expect(isWebp((await fetchFile(b, `/files/${file.id}/thumb`)).body)).toBe(true);
      const res = await fetchFile(b, `/files/${file.id}`);
      expect([res.headers.get('content-type'), res.headers.get('content-disposition')?.split(';')[0]]).toEqual(['application/octet-stream', 'attachment']);
    });

    it.each([['isom', 'video/mp4'], ['qt  ', 'video/quicktime']] as const)('a video of brand %j is %s: played inline, no thumbnail', async (brand, mime) => {
      const { b, file } = await sent(filePart('clip', video(brand)));
      expect(file.kind).toBe('video');
      const res = await fetchFile(b, `/files/${file.id}`);
      expect([res.headers.get('content-type'), res.headers.get('content-disposition')?.split(';')[0]]).toEqual([mime, 'inline']);
      expect((await fetchFile(b, `/files/${file.id}/thumb`)).status).toBe(404);
      expect(messageItem((await b.get('/chat')).text, Number(file.message_id))).toContain(`<video class="video" src="/files/${file.id}"`);
    });

    it('a JPEG named x.txt is a photo with a thumbnail', async () => {
      const { b, file } = await sent(filePart('x.txt', await jpeg(), 'text/plain'));
      expect(file.kind).toBe('image');
      expect((await fetchFile(b, `/files/${file.id}/thumb`)).status).toBe(200);
      expect(messageItem((await b.get('/chat')).text, Number(file.message_id))).toContain(`<img src="/files/${file.id}/thumb"`);
    });

    it.each([
      ['SVG', svg],
      ['HTML', html],
    ] as const)('an %s named photo.jpg is a plain file, only ever an octet-stream attachment', async (_label, data) => {
      const { b, file } = await sent(filePart('photo.jpg', data, 'image/jpeg'));
      expect(file.kind).toBe('file');
      for (const path of [`/files/${file.id}`, `/files/${file.id}?download=1`]) {
        const res = await fetchFile(b, path);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/octet-stream');
        expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.body.equals(data)).toBe(true);
      }
      expect((await fetchFile(b, `/files/${file.id}/thumb`)).status).toBe(404);
      expect(messageItem((await b.get('/chat')).text, Number(file.message_id))).not.toContain('<img');
    });

    it('a corrupt JPEG is kept as a plain file without a thumbnail', async () => {
      const { b, file } = await sent(filePart('broken.jpg', corruptJpeg, 'image/jpeg'));
      expect(file.kind).toBe('file');
      expect(file.thumb_key).toBeNull();
      expect((await fetchFile(b, `/files/${file.id}/thumb`)).status).toBe(404);
      const res = await fetchFile(b, `/files/${file.id}`);
      expect(res.body.equals(corruptJpeg)).toBe(true);
      const item = messageItem((await b.get('/chat')).text, Number(file.message_id));
      expect(Client.visible(item)).toContain('broken.jpg');
    });

    it('a pixel bomb (a small file declaring 60 megapixels) is kept as a plain file, never a crash', async () => {
      bombPng ??= await sharp({ create: { width: 10_000, height: 6_000, channels: 3, background: '#000' } }).png({ compressionLevel: 9 }).toBuffer();
      const bomb = bombPng;
      const { b, file } = await sent(filePart('bomb.png', bomb, 'image/png'));
      expect(file.kind).toBe('file');
      expect(file.thumb_key).toBeNull();
      expect((await fetchFile(b, `/files/${file.id}`)).body.equals(bomb)).toBe(true);
      expect((await b.get('/chat')).status).toBe(200);
    });

    it('EXIF orientation 6: stored upright (width and height swapped), the thumbnail portrait, no metadata left', async () => {
      const { b, file } = await sent(filePart('turned.jpg', await rotatedJpeg(80, 40)));
      expect([Number(file.width), Number(file.height)]).toEqual([40, 80]);
      const thumb = await fetchFile(b, `/files/${file.id}/thumb`);
      const meta = await sharp(thumb.body).metadata();
      expect([meta.width, meta.height]).toEqual([40, 80]);
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(messageItem((await b.get('/chat')).text, Number(file.message_id))).toContain(`<img src="/files/${file.id}/thumb" width="40" height="80"`);
    });
  });

  describe('downloads and headers', () => {
    it('gives the original bytes; ?download=1 is an attachment; nosniff always', async () => {
      const original = randomBytes(3000);
      const c = await couple();
      const { a, b, file } = await sent(filePart('data.bin', original), c);
      for (const client of [a, b]) {
        const res = await fetchFile(client, `/files/${file.id}?download=1`);
        expect(res.status).toBe(200);
        expect(res.body.equals(original)).toBe(true);
        expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const photo = await sent(filePart('p.jpg', await jpeg()), c);
      expect((await fetchFile(b, `/files/${photo.file.id}?download=1`)).headers.get('content-disposition')).toMatch(/^attachment;/);
    });

    it('keeps a Korean file name: filename*=UTF-8\'\'…', async () => {
      const { b, file } = await sent(filePart('우리 사진.jpg', await jpeg()));
      expect(file.name).toBe('우리 사진.jpg');
      const res = await fetchFile(b, `/files/${file.id}?download=1`);
      const cd = res.headers.get('content-disposition')!;
      expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('우리 사진.jpg')}`);
      expect(cd).toContain("filename*=UTF-8''%EC%9A%B0%EB%A6%AC%20%EC%82%AC%EC%A7%84.jpg");
    });

    it('percent-encodes every character RFC 8187 does not allow in filename* (a name like "사진 (1)\'s.jpg")', async () => {
      const { b, file } = await sent(filePart("사진 (1)'s.jpg", await jpeg()));
      const cd = (await fetchFile(b, `/files/${file.id}?download=1`)).headers.get('content-disposition')!;
      const value = /filename\*=UTF-8''([^;\s]*)/.exec(cd)?.[1] ?? '';
      expect(value).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/); // attr-char / pct-encoded only
      expect(decodeURIComponent(value)).toBe("사진 (1)'s.jpg");
    });

    it('a name with a path or CR/LF is harmless: a valid header and a clean name', async () => {
      const c = await couple();
      const traversal = await sent(filePart('../../x', bytes100), c);
      const crlf = await sent({ name: 'file', filenameStar: 'evil%0D%0ASet-Cookie%3A%20a%3Db.txt', data: bytes100 }, c);
      for (const { file } of [traversal, crlf]) {
        expect(file.name).not.toMatch(/[\r\n/\\]/);
        expect(String(file.storage_key)).toMatch(/^(db:\d+|disk:[0-9a-f]{32})$/);
        const res = await fetchFile(c.b, `/files/${file.id}?download=1`);
        expect(res.status).toBe(200);
        expect(res.headers.get('set-cookie')).toBeNull();
        const cd = res.headers.get('content-disposition')!;
        expect(cd).not.toMatch(/[\r\n]|\.\.\//);
        expect(res.body.equals(bytes100)).toBe(true);
      }
      expect(traversal.file.name).toBe('x');
    });

    it('a thumbnail is not fetched twice: the browser revalidates it for a 304 (uploads-cache.test.ts says why not longer)', async () => {
      const { b, file } = await sent(filePart('c.jpg', await jpeg()));
      const first = await fetchFile(b, `/files/${file.id}/thumb`);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      expect((await fetchFile(b, `/files/${file.id}/thumb`, { 'if-none-match': etag! })).status).toBe(304);
    });
  });

  describe('Range', () => {
    let b: Client;
    let id: number;
    beforeAll(async () => {
      const s = await sent(filePart('range.bin', bytes100));
      b = s.b;
      id = Number(s.file.id);
    });
    const get = (range: string) => fetchFile(b, `/files/${id}`, { range });

    it('bytes=0-9 → 206 with Content-Range and those bytes', async () => {
      const res = await get('bytes=0-9');
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe('bytes 0-9/100');
      expect(res.headers.get('content-length')).toBe('10');
      expect(res.body.equals(bytes100.subarray(0, 10))).toBe(true);
    });

    it('a suffix range bytes=-10 → the last 10 bytes', async () => {
      const res = await get('bytes=-10');
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe('bytes 90-99/100');
      expect(res.body.equals(bytes100.subarray(90))).toBe(true);
    });

    it('an open-ended range bytes=5- → from byte 5 to the end', async () => {
      const res = await get('bytes=5-');
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe('bytes 5-99/100');
      expect(res.body.equals(bytes100.subarray(5))).toBe(true);
    });

    it('past the end bytes=999999- → 416 with Content-Range: bytes */100', async () => {
      const res = await get('bytes=999999-');
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe('bytes */100');
    });

    it('several ranges → 200 with the whole file', async () => {
      const res = await get('bytes=0-1,5-6');
      expect(res.status).toBe(200);
      expect(res.body.equals(bytes100)).toBe(true);
    });

    it('ranges of a 1.2 MB file (across the db driver’s chunks) give the right bytes (seeking in a video)', async () => {
      const big = randomBytes(1_200_000);
      const s = await sent(filePart('big.bin', big));
      const whole = await fetchFile(s.b, `/files/${s.file.id}`);
      expect.soft(whole.body.length, 'the whole file’s length').toBe(big.length);
      expect.soft(whole.body.equals(big), 'the whole file’s bytes').toBe(true);
      const res = await fetchFile(s.b, `/files/${s.file.id}`, { range: 'bytes=524200-524400' });
      expect(res.status).toBe(206);
      expect.soft(res.body.equals(big.subarray(524200, 524401)), 'the range’s bytes').toBe(true);
      const tail = await fetchFile(s.b, `/files/${s.file.id}`, { range: 'bytes=-100' });
      expect.soft(tail.body.equals(big.subarray(-100)), 'the last 100 bytes').toBe(true);
    });
  });

  describe('only for the couple', () => {
    it('another couple and an anonymous visitor get 404 for the file and its thumbnail', async () => {
      const { file } = await sent(filePart('private.jpg', await jpeg()));
      const other = await couple('oth');
      for (const path of [`/files/${file.id}`, `/files/${file.id}/thumb`, `/files/${file.id}?download=1`]) {
        expect((await fetchFile(other.a, path)).status).toBe(404);
        expect((await getBytes(app.url + path)).status).toBe(404);
      }
    });

    it('a file that is not a photo has no thumbnail: 404', async () => {
      const { b, file } = await sent(filePart('notes.txt', bytes100));
      expect((await fetchFile(b, `/files/${file.id}/thumb`)).status).toBe(404);
    });
  });

  describe('deleting the message', () => {
    it('deletes its file and its bytes', async () => {
      const { a, b, file } = await sent(filePart('bye.jpg', await jpeg()));
      const keys = [String(file.storage_key), String(file.thumb_key)];
      for (const key of keys) expect(await keyExists(app, key)).toBe(true);
      expect((await a.post(`/chat/messages/${file.message_id}/delete`)).status).toBe(303);
      for (const path of [`/files/${file.id}`, `/files/${file.id}/thumb`]) {
        expect((await fetchFile(a, path)).status).toBe(404);
        expect((await fetchFile(b, path)).status).toBe(404);
      }
      for (const key of keys) expect(await keyExists(app, key)).toBe(false);
      expect(await app.db('files').where({ id: file.id }).first()).toBeUndefined();
    });
  });
});
