// Uploads take turns (two at a time per process, one per couple while another waits): a
// request that is gone gives its place up at once, a trickle is cut, and one couple's slow
// uploads never stop another couple's. Slow, trickling and vanishing clients are raw sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadTurns } from '../../src/chat/uploadRoutes';
import { newClientId, newCouple } from '../support/chatHttp';
import { SlowUpload } from '../support/slowUpload';
import { combos, filePart, fileRows, orphans, startUploadApp, stored, upload, type UploadApp } from '../support/uploads';

/** The reply, or a clear failure after a generous bound (an upload that hangs behind a lost turn). */
const within = <T>(ms: number, reply: Promise<T>, what = 'the upload'): Promise<T> =>
  Promise.race([reply, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms, uploads are stuck`)), ms))]);

const parts = (name: string, size = 50_000) => [{ name: 'client_id', value: newClientId() }, filePart(name, Buffer.alloc(size, 7))];

describe.each(combos())('upload turns on $name', (combo) => {
  let app: UploadApp;
  beforeAll(async () => {
    app = await startUploadApp(combo);
  });
  afterAll(() => app.close());

  const couple = (tag: string) => newCouple(app.url, app.db, tag);
  const turns = () => uploadTurns(app.app);

  it('two uploads given up while they wait leave the queue at once, and later uploads go through', async () => {
    const [first, second, quitter, next] = [await couple('first'), await couple('second'), await couple('quit'), await couple('next')];
    const holding = [await SlowUpload.start(first.a, parts('a.bin'), 1000), await SlowUpload.start(second.a, parts('b.bin'), 1000)];
    await expect.poll(() => turns().counts.running, { timeout: 10_000 }).toBe(2);
    const quitting = [await SlowUpload.start(quitter.a, parts('q1.bin'), 1000), await SlowUpload.start(quitter.b, parts('q2.bin'), 1000)];
    await expect.poll(() => turns().counts.waiting, { timeout: 10_000 }).toBe(2);
    for (const q of quitting) q.abort();
    await expect.poll(() => turns().counts.waiting, { timeout: 10_000 }).toBe(0);

    expect((await Promise.all(holding.map((h) => within(10_000, h.finish())))).map((r) => r.status)).toEqual([303, 303]);
    expect((await within(10_000, upload(next.a, parts('next.txt', 100)))).status).toBe(303);
    expect((await within(10_000, upload(quitter.a, parts('again.txt', 100)))).status).toBe(303);
    expect((await fileRows(app.db, quitter.coupleId)).map((f) => f.name)).toEqual(['again.txt']);
    expect(turns().counts).toEqual({ running: 0, waiting: 0 });
    expect(await orphans(app)).toEqual([]);
  });

  it('one couple’s slow uploads do not stop another couple’s; theirs then all go through', async () => {
    const [slow, other] = [await couple('slow'), await couple('other')];
    const holding: SlowUpload[] = [];
    for (const [i, who] of [slow.a, slow.b, slow.a].entries()) holding.push(await SlowUpload.start(who, parts(`slow${i}.bin`), 1000));
    await expect.poll(() => turns().counts.running + turns().counts.waiting, { timeout: 10_000 }).toBe(3);
    expect((await within(10_000, upload(other.a, parts('quick.txt', 100)), 'the other couple’s')).status).toBe(303);
    // (which of them waits first depends on which request the server got to first)
    const replies = await Promise.all(holding.map((h, i) => within(10_000, h.finish(), `slow${i}`)));
    expect(replies.map((r) => r.status)).toEqual([303, 303, 303]);
    expect((await fileRows(app.db, slow.coupleId)).map((f) => f.name).sort()).toEqual(['slow0.bin', 'slow1.bin', 'slow2.bin']);
  });

  describe('a stall limit of half a second', () => {
    let hasty: UploadApp;
    beforeAll(async () => {
      hasty = await startUploadApp(combo, { uploadStallMs: 500 });
    });
    afterAll(() => hasty.close());

    it('an upload that trickles a byte at a time is cut with 408 and a clear message; nothing is stored and its turn is free', async () => {
      const c = await newCouple(hasty.url, hasty.db, 'trickle');
      const trickling = await SlowUpload.start(c.a, parts('drip.bin'), 1000);
      const reply = await within(15_000, trickling.trickle(100));
      expect(reply.status).toBe(408);
      expect(reply.text).toContain('파일이 오랫동안 거의 오지 않아 받기를 멈췄어요.');
      expect(await fileRows(hasty.db, c.coupleId)).toHaveLength(0);
      expect(await stored(hasty)).toEqual({ blobs: 0, chunks: 0, diskFiles: 0 });
      expect(uploadTurns(hasty.app).counts).toEqual({ running: 0, waiting: 0 });
      expect((await within(10_000, upload(c.a, parts('ok.bin')))).status).toBe(303);
    });
  });
});
