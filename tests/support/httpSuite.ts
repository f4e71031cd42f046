// The setup every HTTP test file shares: one app per backend, started before the file's
// tests and closed after them.
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/config';
import type { Backend } from './backends';
import { newCouple } from './chatHttp';
import { startTestApp, type TestApp } from './testApp';

export interface SuiteOptions {
  /** config for this file's app (e.g. a short break-up grace) */
  config?: Partial<Config>;
  /** the start of the login IDs couple() makes, to tell a file's users apart in a failure */
  tag?: string;
}

/**
 * The real app over a fresh database of `backend`, for the describe block it is called in.
 * `app` reads through to the running app (so it is read inside the tests, not at collection);
 * `couple()` is two new users, paired, with the chat page open.
 */
export function httpSuite(backend: Backend, options: SuiteOptions = {}) {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(backend, options.config);
  });
  afterAll(() => started?.close());

  const running = (): TestApp => {
    if (!started) throw new Error('the suite’s app is read before its beforeAll started it');
    return started;
  };
  const app: TestApp = {
    get url() {
      return running().url;
    },
    get db() {
      return running().db;
    },
    get server() {
      return running().server;
    },
    get app() {
      return running().app;
    },
    close: () => running().close(),
  };
  const couple = (tag = options.tag ?? 'c') => newCouple(app.url, app.db, tag);
  return { app, couple };
}
