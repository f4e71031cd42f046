// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), uploads: the
// caption, client_id, file name and type, and broken multipart bodies; the couple photo.
import { randomBytes } from 'node:crypto';
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import { newClientId } from '../../support/chatHttp';
import { HOSTILE, multipartBody, send, sendCut, wtf8, type Part } from '../../support/hostile';
import { chars, cleanText, FORM, HX, isId, looksBlank, short, UPLOAD_MAX, type Actor, type Case, type Expect } from '../../support/hostileCases';
import { hostileSuite } from '../../support/hostileSuite';
import sharp from 'sharp';
import { locatedJpeg } from '../../support/uploads';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (uploads) on $name', (backend) => {
  const h = hostileSuite(backend, 'uploads');
  const { app, M, uniq, nextTriggerWord, slow, actor, baseHeaders, opensQuestion, runGroup, check } = h;

  // ---- uploads --------------------------------------------------------------------------------

  slow('POST /chat/uploads: caption, client_id, reply_to, file name and type, and broken multipart bodies', async () => {
    const text = Buffer.from('hello hostile\n');
    const uploadHeaders = (who: Actor, contentType: string, extra: Record<string, string> = {}) => baseHeaders(who, { 'content-type': contentType, 'x-csrf-token': who.csrf(), ...extra });
    const postParts = (parts: Part[], opts: { htmx?: boolean; boundary?: string; headerType?: string; csrf?: 'header' | 'query' | 'none' | 'wrong' } = {}) => {
      const { body, contentType } = multipartBody(parts, opts.boundary);
      return () => {
        const a = actor(M.a);
        const how = opts.csrf ?? 'header';
        const headers = uploadHeaders(a, opts.headerType ?? contentType, opts.htmx ? HX : {});
        if (how !== 'header') delete headers['x-csrf-token'];
        if (how === 'wrong') headers['x-csrf-token'] = randomBytes(24).toString('base64url');
        return send(app.url + (how === 'query' ? `/chat/uploads?_csrf=${encodeURIComponent(a.csrf())}` : '/chat/uploads'), 'POST', headers, body);
      };
    };
    const fileOf = (clientId: string) =>
      app
        .db('files')
        .join('messages', 'messages.id', 'files.message_id')
        .where({ 'messages.couple_id': M.coupleId, 'messages.client_id': clientId })
        .first('files.id', 'files.name', 'files.mime', 'messages.body');
    const servedWell = async (fileId: number): Promise<string | null> => {
      for (const path of [`/files/${fileId}`, `/files/${fileId}?download=1`]) {
        const r = await M.a.get(path);
        if (r.status !== 200) return `GET ${path} → ${r.status}`;
        const cd = r.headers.get('content-disposition') ?? '';
        if (!/^(inline|attachment); filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]*$/.test(cd)) return `Content-Disposition ${short(cd)}`;
        if (r.headers.get('x-content-type-options') !== 'nosniff') return 'no nosniff';
        if (/html|svg|xml|javascript/.test(r.headers.get('content-type') ?? '')) return `served as ${r.headers.get('content-type')}`;
      }
      return null;
    };
    const sees = (v: string) => wtf8(v).subarray(0, 20_000).toString('utf8'); // busboy's fieldSize, invalid UTF-8 as U+FFFD

    const cases: Case[] = [];
    // the caption
    for (const h of HOSTILE) {
      const clientId = newClientId();
      const typed = cleanText(sees(h.value));
      const caption = looksBlank(typed) ? '' : typed; // nothing visible is no caption
      const ok = chars(caption) <= 4000;
      cases.push({
        label: `POST /chat/uploads body=<${h.label}>`,
        expect: ok ? 'accept' : [422],
        hostile: h.value,
        adds: { messages: 1, files: 1 },
        serial: ok && opensQuestion(caption),
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'body', value: h.value }, { name: 'file', filename: 'note.txt', contentType: 'text/plain', data: text }], { htmx: true }),
        verify: async (r) => {
          if (r.status >= 400) return null;
          const row = await fileOf(clientId);
          return row && row.body === caption ? null : `caption stored as ${short(String(row?.body))} instead of ${short(caption)}`;
        },
      });
    }
    // the client id: one already used (by the chat group's cases) is the same message again, nothing new
    const used = new Set((await app.db('messages').where({ couple_id: M.coupleId, sender_id: M.aId }).pluck('client_id')).map(String));
    for (const h of HOSTILE) {
      const again = used.has(sees(h.value));
      cases.push({
        label: `POST /chat/uploads client_id=<${h.label}>`,
        expect: 'accept',
        adds: again ? {} : { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: h.value }, { name: 'body', value: `hostile caption ${uniq()}` }, { name: 'file', filename: 'note.txt', contentType: 'text/plain', data: text }]),
      });
    }
    // reply_to: none, or one of the couple's messages still there (any id may be one); anything else refused, nothing stored
    for (const h of HOSTILE) {
      const seen = sees(h.value);
      const verdict: Case['expect'] = seen === '' ? 'accept' : isId(seen) ? 'either' : [422];
      cases.push({
        label: `POST /chat/uploads reply_to=<${h.label}>`,
        expect: verdict,
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'reply_to', value: h.value }, { name: 'file', filename: 'note.txt', contentType: 'text/plain', data: text }], { htmx: true }),
      });
    }
    // the file's name (in the part's header: quotes and line breaks break it) and its declared type
    const names = [...HOSTILE.filter((h) => h.value.length < 10_000), { label: 'emoji cut at 200', value: `x${'😀'.repeat(150)}` }, { label: 'dot-dot', value: '..' }, { label: 'html', value: 'page.html' }];
    for (const h of names) {
      const clientId = newClientId();
      cases.push({
        label: `POST /chat/uploads filename=<${h.label}>`,
        expect: 'either',
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'file', filename: h.value, contentType: 'text/html', data: Buffer.from('<script>alert(1)</script>') }]),
        verify: async (r) => {
          if (r.status >= 400) return null;
          const row = await fileOf(clientId);
          if (!row) return 'accepted, but no file';
          const name = String(row.name);
          if (!name.isWellFormed() || /[\u0000-\u001f\u007f/\\]/.test(name) || chars(name) > 200) return `file name stored as ${short(name)}`;
          // a name sent well formed is kept whole characters: shortened, never cut inside one (no U+FFFD where none was sent)
          if (h.value.isWellFormed() && !h.value.includes('\ufffd') && name.includes('\ufffd')) return `file name stored with a broken character at the cut: …${JSON.stringify([...name].slice(-3).join(""))}`;
          return servedWell(Number(row.id));
        },
      });
    }
    for (const star of ['%ED%A0%80.txt', '..%2F..%2Fetc%2Fpasswd', '%0D%0AX-Injected%3A%201', "bad'encoding", '%E0%A4%A']) {
      const clientId = newClientId();
      cases.push({
        label: `POST /chat/uploads filename*=${star}`,
        expect: 'either',
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'file', dispositionExtra: `; filename*=UTF-8''${star}`, data: text }]),
        verify: async (r) => {
          if (r.status >= 400) return null;
          const row = await fileOf(clientId);
          return row ? servedWell(Number(row.id)) : 'accepted, but no file';
        },
      });
    }
    for (const type of ['text/html', 'image/svg+xml', '../../x', '', 'image/jpeg; charset="><script>']) {
      const clientId = newClientId();
      cases.push({
        label: `POST /chat/uploads part Content-Type: ${short(type)}`,
        expect: 'accept',
        adds: { messages: 1, files: 1 },
        send: postParts([{ name: 'client_id', value: clientId }, { name: 'file', filename: 'a.svg', contentType: type, data: Buffer.from('<svg onload="alert(1)"/>') }]),
        verify: async () => {
          const row = await fileOf(clientId);
          return row ? servedWell(Number(row.id)) : 'no file';
        },
      });
    }

    // broken and odd bodies
    const good = (clientId = newClientId()): Part[] => [{ name: 'client_id', value: clientId }, { name: 'file', filename: 'a.txt', contentType: 'text/plain', data: text }];
    const full = multipartBody(good(), 'cutBoundary1234');
    const big = multipartBody([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'big.bin', data: randomBytes(100_000) }], 'cutBoundary5678');
    const raw = (label: string, expectation: Expect, contentType: string | null, body: Buffer | string, extra: Partial<Case> = {}): Case => ({
      label,
      expect: expectation,
      send: () => {
        const headers = uploadHeaders(actor(M.a), contentType ?? '');
        if (contentType === null) delete headers['content-type'];
        return send(app.url + '/chat/uploads', 'POST', headers, body);
      },
      ...extra,
    });
    cases.push(
      { label: 'POST /chat/uploads with no file part', expect: [422], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'body', value: 'no file' }]) },
      { label: 'POST /chat/uploads with an empty file', expect: [422], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'empty.txt', data: Buffer.alloc(0) }]) },
      { label: 'POST /chat/uploads with the file under another name', expect: [422], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'other', filename: 'a.txt', data: text }]) },
      { label: 'POST /chat/uploads with no parts at all', expect: 'refuse', send: postParts([]) },
      { label: `POST /chat/uploads with a file over UPLOAD_MAX_BYTES`, expect: [413], send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: 'big.bin', data: Buffer.alloc(UPLOAD_MAX + 1, 7) }]) },
      // files sent together are one message (an album) of at most 10, stored all or none
      { label: 'POST /chat/uploads with 10 files', expect: 'accept', adds: { messages: 1, files: 10 }, send: postParts([{ name: 'client_id', value: newClientId() }, ...Array.from({ length: 10 }, (_, i) => ({ name: 'file', filename: `f${i}.txt`, data: Buffer.from(`file ${i}`) }))]) },
      { label: 'POST /chat/uploads with 11 files', expect: [413], send: postParts([{ name: 'client_id', value: newClientId() }, ...Array.from({ length: 11 }, (_, i) => ({ name: 'file', filename: `f${i}.txt`, data: Buffer.from(`file ${i}`) }))]) },
      { label: 'POST /chat/uploads with 500 files', expect: [413], send: postParts([{ name: 'client_id', value: newClientId() }, ...Array.from({ length: 500 }, (_, i) => ({ name: 'file', filename: `f${i}.txt`, data: Buffer.from('x') }))]) },
      { label: 'POST /chat/uploads with two files over UPLOAD_MAX_BYTES together', expect: [413], send: postParts([{ name: 'client_id', value: newClientId() }, ...[1, 2].map((i) => ({ name: 'file', filename: `half${i}.bin`, data: Buffer.alloc(UPLOAD_MAX / 2 + 1, i) }))]) },
      { label: 'POST /chat/uploads with a good file and an empty one', expect: [422], send: postParts([...good(), { name: 'file', filename: 'empty.txt', data: Buffer.alloc(0) }]) },
      { label: 'POST /chat/uploads with a good file and one over UPLOAD_MAX_BYTES', expect: [413], send: postParts([...good(), { name: 'file', filename: 'big.bin', data: Buffer.alloc(UPLOAD_MAX + 1, 7) }]) },
      { label: 'POST /chat/uploads with a file and a part under another name', expect: 'accept', adds: { messages: 1, files: 1 }, send: postParts([...good(), { name: 'other', filename: 'b.txt', data: text }]) },
      { label: 'POST /chat/uploads with a second caption after the files', expect: 'accept', adds: { messages: 1, files: 2 }, send: postParts([...good(), { name: 'file', filename: 'b.txt', data: text }, { name: 'body', value: 'late' }]) },
      { label: 'POST /chat/uploads with 40 fields', expect: 'either', adds: { messages: 1, files: 1 }, send: postParts([...Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, value: 'x' })), ...good()]) },
      { label: 'POST /chat/uploads with the caption after the file', expect: 'accept', adds: { messages: 1, files: 1 }, send: postParts([...good(), { name: 'body', value: 'late caption' }]) },
      { label: 'POST /chat/uploads with the token in the query (no-JS form)', expect: [303], adds: { messages: 1, files: 1 }, send: postParts(good(), { csrf: 'query' }) },
      { label: 'POST /chat/uploads without a token', expect: [403], send: postParts(good(), { csrf: 'none' }) },
      { label: 'POST /chat/uploads with a wrong token', expect: [403], send: postParts(good(), { csrf: 'wrong' }) },
      { label: 'POST /chat/uploads with a wrong boundary', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/form-data; boundary=notTheBoundary' }) },
      { label: 'POST /chat/uploads with no boundary', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/form-data' }) },
      { label: 'POST /chat/uploads with an empty boundary', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/form-data; boundary=' }) },
      { label: 'POST /chat/uploads as multipart/mixed', expect: 'refuse', send: postParts(good(), { headerType: 'multipart/mixed; boundary=x' }) },
      { label: 'POST /chat/uploads with a 300-character boundary', expect: 'either', adds: { messages: 1, files: 1 }, send: postParts(good(), { boundary: 'b'.repeat(300) }) },
      raw('POST /chat/uploads cut mid-file (the length says so)', [400], full.contentType, full.body.subarray(0, full.body.length - 30)),
      raw('POST /chat/uploads cut inside the part headers', [400], full.contentType, full.body.subarray(0, 60)),
      raw('POST /chat/uploads with only the closing boundary', 'refuse', full.contentType, '--cutBoundary1234--\r\n'),
      raw('POST /chat/uploads with an empty body', 'refuse', full.contentType, ''),
      raw('POST /chat/uploads with garbage', 'refuse', full.contentType, randomBytes(5000)),
      raw('POST /chat/uploads with part headers of 100 kB', 'refuse', full.contentType, Buffer.concat([Buffer.from(`--cutBoundary1234\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nX-Pad: ${'p'.repeat(100_000)}\r\n\r\nhello\r\n--cutBoundary1234--\r\n`)])),
      raw('POST /chat/uploads with a part with no Content-Disposition', 'refuse', full.contentType, '--cutBoundary1234\r\nContent-Type: text/plain\r\n\r\nhello\r\n--cutBoundary1234--\r\n'),
      raw('POST /chat/uploads as urlencoded', 'refuse', FORM, 'client_id=abcdefgh123&file=hello'),
      raw('POST /chat/uploads as JSON', 'refuse', 'application/json', '{"file":"hello"}'),
      raw('POST /chat/uploads as text/plain', 'refuse', 'text/plain', 'hello'),
      raw('POST /chat/uploads with no Content-Type', 'refuse', null, 'hello'),
      {
        label: 'POST /chat/uploads cut off mid-file (the client goes away)',
        expect: 'either',
        cut: true,
        send: () => sendCut(app.url + '/chat/uploads', 'POST', uploadHeaders(actor(M.a), big.contentType), big.body.subarray(0, 50_000), big.body.length),
      },
      {
        label: 'POST /chat/uploads cut off in the headers (the client goes away)',
        expect: 'either',
        cut: true,
        send: () => sendCut(app.url + '/chat/uploads', 'POST', uploadHeaders(actor(M.a), big.contentType), big.body.subarray(0, 40), big.body.length),
      },
      {
        label: 'POST /chat/uploads with a caption that asks a question',
        expect: 'accept',
        adds: { messages: 1, files: 1 },
        serial: true,
        send: postParts([{ name: 'client_id', value: newClientId() }, { name: 'body', value: nextTriggerWord() }, ...good().slice(1)]),
      },
    );
    check(
      await runGroup({
        name: 'uploads',
        build: () => cases,
        announces: { table: 'messages', type: 'message' },
        tracked: ['messages', 'files'],
        side: ['events', 'couples', 'word_counts', 'blobs', 'couple_questions', 'answers'],
        after: async () => {
          // nothing half-stored: every blob belongs to a file (storage removes a cut upload's bytes)
          for (let i = 0; i < 30; i++) {
            const keys = new Set((await app.db('files').select('storage_key', 'thumb_key')).flatMap((f) => [String(f.storage_key), String(f.thumb_key)]));
            const orphans = (await app.db('blobs').select('id')).filter((b) => !keys.has(`db:${b.id}`));
            if (orphans.length === 0) return [];
            if (i === 29) return [`${orphans.length} stored uploads belong to no file`];
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return [];
        },
      }),
    );
  });

  // ---- the couple photo ----------------------------------------------------------------------

  slow('POST /couple/photo: file names and types, and broken multipart bodies', async () => {
    const photo = await locatedJpeg(120, 60);
    const photoHeaders = (who: Actor, contentType: string) => baseHeaders(who, { 'content-type': contentType, 'x-csrf-token': who.csrf() });
    const postPhoto = (parts: Part[], opts: { boundary?: string; headerType?: string; csrf?: 'header' | 'query' | 'none' | 'wrong' } = {}) => {
      const { body, contentType } = multipartBody(parts, opts.boundary);
      return () => {
        const a = actor(M.a);
        const how = opts.csrf ?? 'header';
        const headers = photoHeaders(a, opts.headerType ?? contentType);
        if (how !== 'header') delete headers['x-csrf-token'];
        if (how === 'wrong') headers['x-csrf-token'] = randomBytes(24).toString('base64url');
        return send(app.url + (how === 'query' ? `/couple/photo?_csrf=${encodeURIComponent(a.csrf())}` : '/couple/photo'), 'POST', headers, body);
      };
    };
    const good = (): Part[] => [{ name: 'photo', filename: 'us.jpg', contentType: 'image/jpeg', data: photo }];
    const full = multipartBody(good(), 'photoBoundary1234');
    const raw = (label: string, expectation: Expect, contentType: string | null, body: Buffer | string): Case => ({
      label,
      expect: expectation,
      send: () => {
        const headers = photoHeaders(actor(M.a), contentType ?? '');
        if (contentType === null) delete headers['content-type'];
        return send(app.url + '/couple/photo', 'POST', headers, body);
      },
    });
    // the couple's photo as it is served: a WebP with no metadata, whatever was sent
    const servedClean = async (): Promise<string | null> => {
      const row = await app.db('couples').where({ id: M.coupleId }).first('photo_file_id');
      if (!row?.photo_file_id) return 'no couple photo after an accepted upload';
      const got = await M.a.get(`/files/${Number(row.photo_file_id)}`);
      if (got.status !== 200) return `GET the photo → ${got.status}`;
      const meta = await sharp(got.bytes).metadata();
      return meta.format === 'webp' && !meta.exif && !meta.xmp ? null : `served ${meta.format} with ${meta.exif ? 'EXIF' : 'XMP'}`;
    };
    // the file's name is not kept (the photo is couple.webp): whatever it says, or breaks, nothing of it shows
    const cases: Case[] = HOSTILE.filter((h) => h.value.length < 10_000).map((h) => ({
      label: `POST /couple/photo filename=<${h.label}>`,
      expect: 'either' as const,
      send: postPhoto([{ name: 'photo', filename: h.value, contentType: 'image/jpeg', data: photo }]),
      verify: (reply) => (reply.status < 400 ? servedClean() : null),
    }));
    cases.push(
      { label: 'POST /couple/photo with no photo part', expect: [422], send: postPhoto([{ name: 'other', value: 'x' }]) },
      { label: 'POST /couple/photo with the photo under another name', expect: [422], send: postPhoto([{ name: 'file', filename: 'us.jpg', contentType: 'image/jpeg', data: photo }]) },
      { label: 'POST /couple/photo with an empty file', expect: [422], send: postPhoto([{ name: 'photo', filename: 'empty.jpg', data: Buffer.alloc(0) }]) },
      { label: 'POST /couple/photo with a text file', expect: [422], send: postPhoto([{ name: 'photo', filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('hello') }]) },
      { label: 'POST /couple/photo with an SVG', expect: [422], send: postPhoto([{ name: 'photo', filename: 'a.svg', contentType: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') }]) },
      { label: 'POST /couple/photo with HTML named .jpg', expect: [422], send: postPhoto([{ name: 'photo', filename: 'a.jpg', contentType: 'image/jpeg', data: Buffer.from('<!doctype html><script>alert(1)</script>') }]) },
      { label: 'POST /couple/photo with a corrupt JPEG', expect: [422], send: postPhoto([{ name: 'photo', filename: 'bad.jpg', contentType: 'image/jpeg', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), randomBytes(2000)]) }]) },
      { label: 'POST /couple/photo with a file over UPLOAD_MAX_BYTES', expect: [413], send: postPhoto([{ name: 'photo', filename: 'big.jpg', data: Buffer.alloc(UPLOAD_MAX + 1, 7) }]) },
      { label: 'POST /couple/photo with two photos', expect: 'either', send: postPhoto([...good(), ...good()]) },
      { label: 'POST /couple/photo with no parts at all', expect: 'refuse', send: postPhoto([]) },
      { label: 'POST /couple/photo with the token in the query (no-JS form)', expect: [303], send: postPhoto(good(), { csrf: 'query' }) },
      { label: 'POST /couple/photo without a token', expect: [403], send: postPhoto(good(), { csrf: 'none' }) },
      { label: 'POST /couple/photo with a wrong token', expect: [403], send: postPhoto(good(), { csrf: 'wrong' }) },
      { label: 'POST /couple/photo with a wrong boundary', expect: 'refuse', send: postPhoto(good(), { headerType: 'multipart/form-data; boundary=notTheBoundary' }) },
      { label: 'POST /couple/photo with no boundary', expect: 'refuse', send: postPhoto(good(), { headerType: 'multipart/form-data' }) },
      { label: 'POST /couple/photo as multipart/mixed', expect: 'refuse', send: postPhoto(good(), { headerType: 'multipart/mixed; boundary=x' }) },
      raw('POST /couple/photo cut mid-file (the length says so)', [400], full.contentType, full.body.subarray(0, full.body.length - 30)),
      raw('POST /couple/photo with an empty body', 'refuse', full.contentType, ''),
      raw('POST /couple/photo with garbage', 'refuse', full.contentType, randomBytes(5000)),
      raw('POST /couple/photo as urlencoded', 'refuse', FORM, 'photo=hello'),
      raw('POST /couple/photo as JSON', 'refuse', 'application/json', '{"photo":"hello"}'),
      raw('POST /couple/photo with no Content-Type', 'refuse', null, 'hello'),
    );
    check(
      await runGroup({
        name: 'couple photo',
        build: () => cases,
        perCase: true, // each accepted photo replaces the one before: judged one at a time
        side: ['files', 'couples', 'events', 'blobs', 'blob_chunks'],
        after: async () => {
          // nothing half-stored, nothing replaced left behind: every blob belongs to a file
          const keys = new Set((await app.db('files').select('storage_key', 'thumb_key')).flatMap((f) => [String(f.storage_key), String(f.thumb_key)]));
          const orphans = (await app.db('blobs').select('id')).filter((b) => !keys.has(`db:${b.id}`));
          return orphans.length === 0 ? [] : [`${orphans.length} stored uploads belong to no file`];
        },
      }),
    );
  });

  h.finish();
});
