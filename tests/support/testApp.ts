import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import webpush from 'web-push';
import { createApp } from '../../src/app';
import { createHttpServer } from '../../src/web/httpServer';
import { EVERY_TRIGGER_ASKS, type Config } from '../../src/config';
import type { Db } from '../../src/db';
import type { AppDeps } from '../../src/appContext';
import { unlimited } from './limits';
import type { Backend } from './backends';
import { testClock } from './clock';

// one key pair per test process, as a server keeps its own across restarts
const vapidKeys = webpush.generateVAPIDKeys();
// every limit lifted, whatever it counts (a rule leaves out the subjects it does not count)
export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    databaseUrl,
    sessionKeys: ['test-secret-key-that-is-long-enough-000'],
    production: false,
    breakupGraceMs: 7 * 86_400_000,
    uploadMaxBytes: 50 * 1024 * 1024,
    storage: { kind: 'db' },
    redisUrl: null,
    timeZone: 'Asia/Seoul',
    // every trigger word asks at once, as the original's walk-through does; the cadence is tested on its own (question-cadence.test.ts)
    questionCadence: EVERY_TRIGGER_ASKS,
    vapid: { ...vapidKeys, subject: 'mailto:test@example.com' },
    // every test request comes from 127.0.0.1: the limits are tested on their own (throttling.test.ts)
    rateLimits: unlimited,
    // test files share one Redis and number their users from 1: the instances over one
    // database hear each other, and nothing of another file's (its events, who is online)
    redisPrefix: `couple-chat-test:${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 16)}`,
    ...overrides,
  };
}

export interface TestApp {
  url: string;
  db: Db;
  server: Server;
  /** the Koa app, for what server.ts does beside serving (e.g. the break-up sweeper on app.context) */
  app: Koa;
  close(): Promise<void>;
}

/** The real app on a real port over a fresh database of the given backend (and, for push tests, a network of their own). */
export async function startTestApp(backend: Backend, overrides: Partial<Config> = {}, deps: Pick<AppDeps, 'pushNetwork'> = {}): Promise<TestApp> {
  const { db, url: databaseUrl, drop } = await backend.create();
  const app = createApp({ db, config: testConfig(databaseUrl, overrides), clock: testClock, ...deps });
  await app.context.ready;
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    server,
    app,
    async close() {
      app.context.hub.closeAll();
      await app.context.rateStore.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await drop();
    },
  };
}
