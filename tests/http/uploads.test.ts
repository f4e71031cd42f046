// Sending photos, videos and files (POST /chat/uploads) on every backend with both storage
// drivers: messages in order, what the partner sees, size limits, broken and forged requests.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageCount, messageItem, newClientId, newCouple } from '../support/chatHttp';
import { Client } from '../support/client';
import { isMessage, SseStream } from '../support/sse';
import {
  combos,
  fetchFile,
  filePart,
  fileRows,
  idsIn,
  jpeg,
  multipart,
  orphans,
  png,
  startUploadApp,
  stored,
  upload,
  uploadRaw,
  type UploadApp,
} from '../support/uploads';

/**
 * The reply, or a clear failure when the app has not answered in 10 s (a hung upload). Not
 * less: on a loaded CI machine, with other test files beside this one, an upload near the
 * size limit can take seconds to be read and refused.
 */
const HANG_MS = 10_000;
const answered = <T>(reply: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout;
  const hung = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS / 1000} s: the upload hangs`)), HANG_MS);
  });
  return Promise.race([reply, hung]).finally(() => clearTimeout(timer));
};

const text100 = Buffer.from('0123456789'.repeat(10));

describe.each(combos())('uploads on $name', (combo) => {
  let app: UploadApp;
  beforeAll(async () => {
    app = await startUploadApp(combo);
  });
  afterAll(() => app.close());

  const couple = (tag = 'up') => newCouple(app.url, app.db, tag);

  describe('sending', () => {
    it('without JavaScript: the plain form (token in the query) gets 303 to the latest', async () => {
      const { a, coupleId } = await couple();
      const res = await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('사진.jpg', await jpeg(), 'image/jpeg')], { csrf: 'query' });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/chat#latest');
      expect(await fileRows(app.db, coupleId)).toHaveLength(1);
    });

    it('with htmx: 200 and the message <li> itself, the photo in it', async () => {
      const { a, coupleId } = await couple();
      const clientId = newClientId();
      const res = await upload(a, [{ name: 'client_id', value: clientId }, filePart('a.png', await png())], { htmx: true });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<html');
      const [file] = await fileRows(app.db, coupleId);
      expect(res.text).toMatch(new RegExp(`<li class="msg from-[ab]" id="m-${file.message_id}"[^>]*data-client-id="${clientId}"`));
      expect(res.text).toContain(`<img src="/files/${file.id}/thumb"`);
    });

    it('several files in one request are one message: an album of thumbnails in one bubble for both, in order, with the caption', async () => {
      const { a, b, coupleId } = await couple();
      const res = await upload(
        a,
        [
          { name: 'client_id', value: newClientId() },
          { name: 'body', value: '오늘 찍은 거 💕' },
          filePart('one.jpg', await jpeg()),
          filePart('two.png', await png()),
          filePart('three.jpg', await jpeg(40, 80)),
          filePart('four.txt', text100, 'text/plain'),
        ],
        { htmx: true },
      );
      expect(res.status).toBe(200);
      const files = await fileRows(app.db, coupleId);
      expect(files.map((f) => f.name)).toEqual(['one.jpg', 'two.png', 'three.jpg', 'four.txt']);
      const [messageId] = new Set(files.map((f) => Number(f.message_id)));
      expect(new Set(files.map((f) => Number(f.message_id))).size).toBe(1);
      expect(idsIn(res.text)).toEqual([messageId]);
      expect(await messageCount(app.db, coupleId)).toBe(1);
      expect((await app.db('messages').where({ id: messageId }).first('body')).body).toBe('오늘 찍은 거 💕');
      for (const html of [res.text, (await b.get('/chat')).text, (await a.get('/chat')).text]) {
        const item = messageItem(html, messageId);
        const album = /<div class="album"[^>]*aria-label="사진 3장"[^>]*>([\s\S]*?)<\/div>/.exec(item);
        expect(album).not.toBeNull();
        const thumbs = [...album![1].matchAll(/<a class="photo" href="\/files\/(\d+)" data-preview[^>]*><img src="\/files\/(\d+)\/thumb"/g)];
        expect(thumbs.map((m) => Number(m[1]))).toEqual(files.slice(0, 3).map((f) => Number(f.id)));
        expect(item).toContain(`href="/files/${files[3].id}?download=1"`); // the text file after the album
        expect(Client.visible(item)).toContain('오늘 찍은 거 💕');
      }
    });

    it('each file of an album is served to the couple only; another couple and a stranger get 404', async () => {
      const { a, b, coupleId } = await couple();
      const res = await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('p1.png', await png()), filePart('p2.png', await png(30, 30))]);
      expect(res.status).toBe(303);
      const files = await fileRows(app.db, coupleId);
      expect(files).toHaveLength(2);
      const other = await couple('other');
      const stranger = new Client(app.url);
      for (const f of files) {
        for (const path of [`/files/${f.id}`, `/files/${f.id}/thumb`]) {
          expect((await fetchFile(a, path)).status, path).toBe(200);
          expect((await fetchFile(b, path)).status, path).toBe(200);
          expect((await fetchFile(other.a, path)).status, path).toBe(404);
          expect((await fetchFile(stranger, path)).status, path).not.toBe(200);
        }
      }
    });

    it('deleting an album deletes every file of it and their bytes, for both', async () => {
      const { a, b, coupleId } = await couple();
      expect((await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('d1.jpg', await jpeg()), filePart('d2.jpg', await jpeg()), filePart('d3.txt', text100)])).status).toBe(303);
      const files = await fileRows(app.db, coupleId);
      expect(files).toHaveLength(3);
      expect((await a.post(`/chat/messages/${files[0].message_id}/delete`)).status).toBe(303);
      for (const f of files) {
        expect((await fetchFile(a, `/files/${f.id}`)).status).toBe(404);
        expect((await fetchFile(b, `/files/${f.id}/thumb`)).status).toBe(404);
      }
      expect(await fileRows(app.db, coupleId)).toHaveLength(0);
      expect(await orphans(app)).toEqual([]);
      expect(messageItem((await b.get('/chat')).text, Number(files[0].message_id))).not.toContain('class="album"');
    });

    it('an album reaches the partner’s open chat as one message', async () => {
      const { a, b, coupleId } = await couple();
      const s = await SseStream.forClient(b);
      try {
        expect((await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('l1.jpg', await jpeg()), filePart('l2.jpg', await jpeg())])).status).toBe(303);
        const files = await fileRows(app.db, coupleId);
        const event = await s.waitFor(isMessage(Number(files[0].message_id)));
        expect(event.data).toContain('class="album"');
        for (const f of files) expect(event.data).toContain(`<img src="/files/${f.id}/thumb"`);
      } finally {
        s.close();
      }
    });

    it('an album is named file by file in the export and found by its caption in search', async () => {
      const { a, b } = await couple();
      const parts = [{ name: 'client_id', value: newClientId() }, { name: 'body', value: '바다 사진' }, filePart('sea1.jpg', await jpeg()), filePart('sea2.jpg', await jpeg())];
      expect((await upload(a, parts)).status).toBe(303);
      const exported = await b.get('/chat/export');
      expect(exported.text).toMatch(/\[파일\] sea1\.jpg \([^)]+\) \[파일\] sea2\.jpg \([^)]+\) 바다 사진/);
      const found = await b.get(`/chat/search?q=${encodeURIComponent('바다')}`);
      expect(found.status).toBe(200);
      expect((found.text.match(/<img src="\/files\/\d+\/thumb"/g) ?? []).length).toBe(2);
      expect(found.text).toContain('class="album"');
    });

    it('the partner sees a photo as a thumbnail with its size reserved, a file as a link with name and size', async () => {
      const { a, b, coupleId } = await couple();
      expect((await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('wide.jpg', await jpeg(800, 400))])).status).toBe(303);
      expect((await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('메모.txt', text100, 'text/plain')])).status).toBe(303);
      const [photo, doc] = await fileRows(app.db, coupleId);
      const page = await b.get('/chat');
      const photoItem = messageItem(page.text, Number(photo.message_id));
      const img = new RegExp(`<img src="/files/${photo.id}/thumb" width="(\\d+)" height="(\\d+)"`).exec(photoItem);
      expect(img).not.toBeNull();
      expect([Number(img![1]), Number(img![2])]).toEqual([480, 240]); // the thumbnail's own size
      const docItem = messageItem(page.text, Number(doc.message_id));
      expect(docItem).toContain(`href="/files/${doc.id}?download=1"`);
      expect(docItem).not.toContain('<img');
      expect(Client.visible(docItem)).toContain('메모.txt');
      expect(Client.visible(docItem)).toContain('100 B');
    });

    it('reaches the partner’s open chat at once over the stream', async () => {
      const { a, b, coupleId } = await couple();
      const s = await SseStream.forClient(b);
      try {
        expect((await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('live.jpg', await jpeg())])).status).toBe(303);
        const [file] = await fileRows(app.db, coupleId);
        const event = await s.waitFor(isMessage(Number(file.message_id)));
        expect(event.data).toContain(`<img src="/files/${file.id}/thumb"`);
      } finally {
        s.close();
      }
    });

    it('is idempotent by client_id: the same upload of several files twice is one message with its files, stored once', async () => {
      const { a, coupleId } = await couple();
      const parts = [{ name: 'client_id', value: newClientId() }, filePart('again.jpg', await jpeg()), filePart('again2.txt', text100)];
      const first = await upload(a, parts, { htmx: true });
      const second = await upload(a, parts, { htmx: true });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(idsIn(first.text)).toHaveLength(1);
      expect(idsIn(second.text)).toEqual(idsIn(first.text));
      expect(await messageCount(app.db, coupleId)).toBe(1);
      expect(await fileRows(app.db, coupleId)).toHaveLength(2);
      expect(await orphans(app)).toEqual([]);
    });
  });

  describe('refused', () => {
    it('a zero-byte file: 422 "빈 파일은 보낼 수 없어요." and nothing stored', async () => {
      const { a, coupleId } = await couple();
      const res = await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('empty.txt', Buffer.alloc(0))], { htmx: true });
      expect(res.status).toBe(422);
      expect(Client.visible(res.text)).toContain('빈 파일은 보낼 수 없어요.');
      expect(await messageCount(app.db, coupleId)).toBe(0);
      expect(await fileRows(app.db, coupleId)).toHaveLength(0);
      expect(await orphans(app)).toEqual([]);
    });

    it('a good file with an empty one: 422 and nothing of either stored (all or nothing)', async () => {
      const { a, coupleId } = await couple();
      const parts = [{ name: 'client_id', value: newClientId() }, filePart('good.jpg', await jpeg()), filePart('empty.txt', Buffer.alloc(0))];
      const res = await upload(a, parts, { htmx: true });
      expect(res.status).toBe(422);
      expect(await messageCount(app.db, coupleId)).toBe(0);
      expect(await fileRows(app.db, coupleId)).toHaveLength(0);
      expect(await orphans(app)).toEqual([]);
    });

    it('more than 10 files at once: 413 saying 10 at most, and nothing stored', async () => {
      const { a, coupleId } = await couple();
      const photo = await png(8, 8);
      const parts = [{ name: 'client_id', value: newClientId() }, ...Array.from({ length: 11 }, (_, i) => filePart(`p${i}.png`, photo))];
      const res = await answered(upload(a, parts, { htmx: true }));
      expect(res.status).toBe(413);
      expect(Client.visible(res.text)).toContain('10개까지');
      expect(await messageCount(app.db, coupleId)).toBe(0);
      expect(await fileRows(app.db, coupleId)).toHaveLength(0);
      expect(await orphans(app)).toEqual([]);
      const ten = await upload(a, [{ name: 'client_id', value: newClientId() }, ...parts.slice(1, 11)]);
      expect(ten.status).toBe(303);
      expect(await fileRows(app.db, coupleId)).toHaveLength(10);
      expect(await messageCount(app.db, coupleId)).toBe(1);
    });

    it('no file part: 422', async () => {
      const { a, coupleId } = await couple();
      const res = await upload(a, [{ name: 'client_id', value: newClientId() }, { name: 'body', value: '파일 없음' }]);
      expect(res.status).toBe(422);
      expect(await messageCount(app.db, coupleId)).toBe(0);
    });

    it('a request that is not multipart: 4xx, never 500', async () => {
      const { a, coupleId } = await couple();
      const plain = await uploadRaw(a, Buffer.from('hello'), 'text/plain');
      expect(plain.status).toBeGreaterThanOrEqual(400);
      expect(plain.status).toBeLessThan(500);
      const json = await uploadRaw(a, Buffer.from('{"file":"x"}'), 'application/json');
      expect(json.status).toBeGreaterThanOrEqual(400);
      expect(json.status).toBeLessThan(500);
      const form = await a.post('/chat/uploads', { client_id: newClientId() });
      expect(form.status).toBeGreaterThanOrEqual(400);
      expect(form.status).toBeLessThan(500);
      const broken = await uploadRaw(a, Buffer.from('whatever'), 'multipart/form-data'); // no boundary
      expect(broken.status).toBeGreaterThanOrEqual(400);
      expect(broken.status).toBeLessThan(500);
      expect(await messageCount(app.db, coupleId)).toBe(0);
    });

    it('a file name with control characters in the part header: 400 saying it could not be read (not that it was cut off), nothing stored', async () => {
      const { a, coupleId } = await couple();
      for (const name of ['a\u0001b.txt', 'bell\u0007.txt', 'del\u007f.txt']) {
        const { body, contentType } = multipart([{ name: 'client_id', value: newClientId() }, filePart(name, Buffer.from('hello'))]);
        const res = await answered(uploadRaw(a, body, contentType));
        expect(res.status, JSON.stringify(name)).toBe(400);
        expect(res.text).toContain('보낸 내용을 읽을 수 없었어요.');
        expect(res.text).not.toContain('끝까지 받지 못했어요');
      }
      expect(await messageCount(app.db, coupleId)).toBe(0);
    });

    it('a body cut off in the middle of the file: 4xx and nothing stored', async () => {
      const { a, coupleId } = await couple();
      const { body, contentType } = multipart([{ name: 'client_id', value: newClientId() }, filePart('cut.jpg', await jpeg(300, 300))]);
      const cut = body.subarray(0, Math.floor(body.length * 0.6));
      const res = await answered(uploadRaw(a, cut, contentType));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await messageCount(app.db, coupleId)).toBe(0);
      expect(await orphans(app)).toEqual([]);
    });

    it('a connection dropped mid-file: nothing stored, and the app carries on', async () => {
      const { a, coupleId } = await couple();
      const { body, contentType } = multipart([{ name: 'client_id', value: newClientId() }, filePart('drop.jpg', await jpeg(300, 300))]);
      const before = await orphans(app);
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${app.url}/chat/uploads`, {
          method: 'POST',
          headers: { cookie: a.cookieHeader(), 'x-csrf-token': a.csrf, 'content-type': contentType, 'content-length': String(body.length) },
        });
        req.on('error', () => resolve());
        req.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => (req.destroy(), resolve()), 100));
      });
      await expect.poll(async () => (await orphans(app)).length, { timeout: 2000 }).toBe(before.length);
      expect(await messageCount(app.db, coupleId)).toBe(0);
      expect(await app.db('blobs').where({ couple_id: coupleId }).count({ n: '*' }).then((r) => Number(r[0].n))).toBe(0);
      const after = await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('ok.txt', text100)]);
      expect(after.status).toBe(303);
      expect((await a.get('/chat')).status).toBe(200);
    });

    it('a missing or wrong CSRF token: 403 and nothing stored', async () => {
      const { a, coupleId } = await couple();
      const parts = [{ name: 'client_id', value: newClientId() }, filePart('x.txt', text100)];
      expect((await upload(a, parts, { csrf: 'none' })).status).toBe(403);
      expect((await upload(a, parts, { csrf: 'query', token: 'forged' })).status).toBe(403);
      expect((await upload(a, parts, { token: 'forged' })).status).toBe(403);
      expect(await messageCount(app.db, coupleId)).toBe(0);
      expect(await fileRows(app.db, coupleId)).toHaveLength(0);
    });
  });

  describe('over UPLOAD_MAX_BYTES', () => {
    let small: UploadApp;
    beforeAll(async () => {
      small = await startUploadApp(combo, { uploadMaxBytes: 1000 });
    });
    afterAll(() => small.close());

    it('413 "파일이 너무 커요." and nothing stored: no message, no file row, no bytes', async () => {
      const { a, coupleId } = await newCouple(small.url, small.db, 'big');
      for (const size of [1001, 200_000]) {
        const res = await answered(upload(a, [{ name: 'client_id', value: newClientId() }, filePart('big.bin', Buffer.alloc(size, 7))], { htmx: true }));
        expect(res.status).toBe(413);
        expect(Client.visible(res.text)).toContain('파일이 너무 커요.');
      }
      expect(await messageCount(small.db, coupleId)).toBe(0);
      expect(await fileRows(small.db, coupleId)).toHaveLength(0);
      expect(await stored(small)).toEqual({ blobs: 0, chunks: 0, diskFiles: 0 });
    });

    it('the cap is for the whole upload: files each under it but over it together → 413, nothing stored', async () => {
      const { a, coupleId } = await newCouple(small.url, small.db, 'sum');
      const parts = [{ name: 'client_id', value: newClientId() }, filePart('half1.bin', Buffer.alloc(600, 7)), filePart('half2.bin', Buffer.alloc(600, 8))];
      const res = await answered(upload(a, parts, { htmx: true }));
      expect(res.status).toBe(413);
      expect(Client.visible(res.text)).toContain('한 번에 보내기에는 너무 커요.');
      expect(await messageCount(small.db, coupleId)).toBe(0);
      const second = [{ name: 'client_id', value: newClientId() }, filePart('small.bin', Buffer.alloc(10, 7)), filePart('huge.bin', Buffer.alloc(5000, 8))];
      const alone = await answered(upload(a, second, { htmx: true }));
      expect(alone.status).toBe(413);
      expect(Client.visible(alone.text)).toContain('파일이 너무 커요.'); // that one file alone is over it
      expect(await messageCount(small.db, coupleId)).toBe(0);
      expect(await fileRows(small.db, coupleId)).toHaveLength(0);
      expect(await stored(small)).toEqual({ blobs: 0, chunks: 0, diskFiles: 0 });
    });

    it('a file of exactly the limit is accepted', async () => {
      const { a, coupleId } = await newCouple(small.url, small.db, 'edge');
      const res = await upload(a, [{ name: 'client_id', value: newClientId() }, filePart('edge.bin', Buffer.alloc(1000, 7))]);
      expect(res.status).toBe(303);
      const [file] = await fileRows(small.db, coupleId);
      expect(Number(file.size)).toBe(1000);
    });
  });
});
