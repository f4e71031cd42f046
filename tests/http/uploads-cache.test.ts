// How long a browser may keep a couple's files: never past their deletion. A file and its
// thumbnail are revalidated on each use (ETag → 304), so a deleted message's photo, or a
// couple's photos after a break-up took effect, answer 404 instead of showing from cache.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { dueAtOf, GRACE, startBreakup } from '../support/breakup';
import { newClientId, newCouple } from '../support/chatHttp';
import type { Client } from '../support/client';
import { testClock } from '../support/clock';
import { fetchFile, filePart, fileRows, jpeg, upload } from '../support/uploads';

describe.each(backends())('files in the browser’s cache on $name', (backend) => {
  const { app } = httpSuite(backend, { config: { breakupGraceMs: GRACE } });

  /** A couple with a photo sent by a; the ETags b's browser got for the photo and its thumbnail. */
  async function photoSeen() {
    const c = await newCouple(app.url, app.db, 'cache');
    expect((await upload(c.a, [{ name: 'client_id', value: newClientId() }, filePart('우리.jpg', await jpeg())])).status).toBe(303);
    const [file] = await fileRows(app.db, c.coupleId);
    const paths = [`/files/${file.id}`, `/files/${file.id}/thumb`, `/files/${file.id}?download=1`];
    const etags = new Map<string, string>();
    for (const path of paths) {
      const res = await fetchFile(c.b, path);
      expect(res.status).toBe(200);
      etags.set(path, res.headers.get('etag')!);
    }
    return { ...c, file, etags };
  }

  const revalidate = (client: Client, etags: Map<string, string>) =>
    Promise.all([...etags].map(async ([path, etag]) => (await fetchFile(client, path, { 'if-none-match': etag })).status));

  it('a file and its thumbnail are private and asked about each time: never immutable, never kept for long', async () => {
    const { b, etags } = await photoSeen();
    for (const path of etags.keys()) {
      const cacheControl = (await fetchFile(b, path)).headers.get('cache-control') ?? '';
      expect(cacheControl, path).toMatch(/\bprivate\b/);
      expect(cacheControl, path).toMatch(/\bno-cache\b/);
      expect(cacheControl, path).not.toMatch(/immutable|max-age=[1-9]/);
    }
  });

  it('while the file is there, asking again with its ETag costs a 304 and no bytes', async () => {
    const { b, etags } = await photoSeen();
    for (const [path, etag] of etags) {
      const res = await fetchFile(b, path, { 'if-none-match': etag });
      expect(res.status, path).toBe(304);
      expect(res.body.length, path).toBe(0);
    }
  });

  it('a browser that names several ETags, or ours as a weak one, gets its 304 as well', async () => {
    const { b, etags } = await photoSeen();
    for (const [path, etag] of etags) {
      expect((await fetchFile(b, path, { 'if-none-match': `"elsewhere", ${etag}` })).status, path).toBe(304);
      expect((await fetchFile(b, path, { 'if-none-match': `W/${etag}` })).status, path).toBe(304);
      expect((await fetchFile(b, path, { 'if-none-match': '"elsewhere"' })).status, path).toBe(200);
    }
  });

  it('after the message is deleted, asking with the old ETag gets 404 (not 304): for both partners', async () => {
    const { a, b, file, etags } = await photoSeen();
    expect((await a.post(`/chat/messages/${file.message_id}/delete`)).status).toBe(303);
    expect(await revalidate(a, etags)).toEqual([404, 404, 404]);
    expect(await revalidate(b, etags)).toEqual([404, 404, 404]);
  });

  it('after a break-up takes effect, asking with the old ETag gets 404', async () => {
    const { a, b, coupleId, etags } = await photoSeen();
    expect((await startBreakup(a)).status).toBe(303);
    await testClock.at((await dueAtOf(app.db, coupleId)) + 1, async () => {
      expect((await b.get('/chat')).location).toBe('/pair');
      expect(await revalidate(b, etags)).toEqual([404, 404, 404]);
      expect(await revalidate(a, etags)).toEqual([404, 404, 404]);
    });
  });
});
