import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/appProcess';
import { backends } from '../support/backends';
import { messageCount, newCouple, send } from '../support/chatHttp';
import { hasRedisServer as hasRedis, startRedis } from '../support/redisServer';
import { isMessage, SseStream } from '../support/sse';
import { startTestApp, type TestApp } from '../support/testApp';

// A Redis of its own, so that stopping it disturbs no other suite.
describe.skipIf(!hasRedis && process.env.REQUIRE_SERVICES !== '1')('when Redis goes away', () => {
  let app: TestApp;
  let redis: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    app = await startTestApp(backends()[0], { redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await app.close();
    redis.kill('SIGKILL');
  });

  it('a send still succeeds, is stored once, and reaches the streams of this instance', async () => {
    const couple = await newCouple(app.url, app.db, 'rdown');
    const stream = await SseStream.forClient(couple.b);
    const first = await send(couple.a, 'with redis');
    await stream.waitFor(isMessage(first));

    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    const before = await messageCount(app.db, couple.coupleId);
    const id = await send(couple.a, 'while redis is away');
    expect(await messageCount(app.db, couple.coupleId)).toBe(before + 1);
    await stream.waitFor(isMessage(id), 5_000);

    // back again: delivery goes through Redis as before
    redis = await startRedis(port);
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await send(couple.a, 'redis is back');
    await stream.waitFor(isMessage(after), 8_000);
    stream.close();
  });
});
