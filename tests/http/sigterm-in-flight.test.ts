// A deploy or a restart stops an instance with SIGTERM, and it finishes the requests it has
// in flight. What those store must still reach the partner's stream on another instance
// at once, through Redis: not wait, unseen, for the next message. Two app processes over
// one database and a Redis of their own (their channel names are the default ones).
import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppChild, type AppChild } from '../support/appChild';
import { backends } from '../support/backends';
import { newClientId, newCouple } from '../support/chatHttp';
import { freePort } from '../support/mariadbServer';
import { hasRedisServer, startRedis } from '../support/redisServer';
import { isMessage, messageIdsIn, SseStream } from '../support/sse';
import { filePart, multipart } from '../support/uploads';
import type { Db } from '../../src/db';

/** An upload whose headers are sent now and whose body when `finish` is called; resolves once the server has read the headers (100 Continue). */
function uploadInTwoHalves(base: string, cookie: string, csrf: string, body: Buffer, contentType: string) {
  return new Promise<{ finish: () => Promise<{ status: number; location: string | undefined }> }>((resolve, reject) => {
    const req = request(`${base}/chat/uploads`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': contentType, 'content-length': String(body.length), expect: '100-continue' },
    });
    const answered = new Promise<{ status: number; location: string | undefined }>((done) =>
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, location: res.headers.location }));
      }),
    );
    req.on('error', reject);
    req.on('continue', () =>
      resolve({
        finish: () => {
          req.end(body);
          return answered;
        },
      }),
    );
    req.flushHeaders();
  });
}

describe.skipIf(!hasRedisServer && process.env.REQUIRE_SERVICES !== '1')('SIGTERM with a request in flight, two instances and Redis', () => {
  let redis: ChildProcess;
  let db: Db;
  let drop: () => Promise<void>;
  let one: AppChild;
  let two: AppChild;
  beforeAll(async () => {
    const redisPort = await freePort();
    redis = await startRedis(redisPort);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    let url: string;
    ({ db, url, drop } = await backends()[0].create());
    one = await startAppChild(url, await freePort(), { REDIS_URL: redisUrl });
    two = await startAppChild(url, await freePort(), { REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    redis?.kill('SIGKILL');
    await drop?.();
  });

  it('what a stopping instance stores from a request in flight reaches the stream on the other instance at once', async () => {
    const couple = await newCouple(one.base, db, 'term');
    const stream = await SseStream.forClient(couple.b); // on instance one
    const { body, contentType } = multipart([{ name: 'client_id', value: newClientId() }, filePart('notes.txt', Buffer.from('sent while the instance stops'), 'text/plain')]);
    const upload = await uploadInTwoHalves(two.base, couple.a.cookieHeader(), couple.a.csrf, body, contentType);

    const stopping = two.stop();
    await expect.poll(() => two.output()).toContain('SIGTERM: shutting down');
    const answer = await upload.finish();
    expect(answer.status).toBe(303);
    await stopping;

    const event = await stream.waitFor(isMessage(), 3_000, 'the file message on the stream of the other instance');
    const [id] = messageIdsIn(event.data);
    expect(Number((await db('messages').where({ id }).first('couple_id')).couple_id)).toBe(couple.coupleId);
    expect(two.output()).not.toMatch(/broker:|rate limit:/);
    stream.close();
  });
});
