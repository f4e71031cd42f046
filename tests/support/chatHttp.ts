// Chat steps for HTTP tests: a fresh couple on the chat page, sending as the page does.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { createApp } from '../../src/app';
import { createHttpServer } from '../../src/web/httpServer';
import type { Config } from '../../src/config';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createDb, type Db } from '../../src/db';
import type { Backend } from './backends';
import { Client, pairUp, type Reply } from './client';
import { testConfig } from './testApp';
import { testClock } from './clock';

export interface Couple {
  a: Client;
  b: Client;
  aId: number;
  bId: number;
  coupleId: number;
  aLogin: string;
  bLogin: string;
}

let counter = 0;

/** Two new users, paired, both with the chat page open (so their CSRF tokens are current). */
export async function newCouple(base: string, db: Db, tag = 'c'): Promise<Couple> {
  counter += 1;
  const stem = `${tag.slice(0, 8)}${counter}_${randomBytes(2).toString('hex')}`;
  const [aLogin, bLogin] = [`${stem}_a`, `${stem}_b`];
  const [a, b] = await pairUp(base, aLogin, bLogin);
  await Promise.all([a.get('/chat'), b.get('/chat')]);
  const rows = await db('users').whereIn('login_id', [aLogin, bLogin]).select('id', 'login_id', 'couple_id');
  const byLogin = new Map(rows.map((r) => [String(r.login_id), r]));
  return {
    a,
    b,
    aLogin,
    bLogin,
    aId: Number(byLogin.get(aLogin)!.id),
    bId: Number(byLogin.get(bLogin)!.id),
    coupleId: Number(byLogin.get(aLogin)!.couple_id),
  };
}

export const newClientId = () => randomBytes(12).toString('base64url');

export const HX = { 'HX-Request': 'true' };

/** The composer's plain form post (no JavaScript): 303 on success. */
export function sendForm(client: Client, body: string, clientId = newClientId()): Promise<Reply> {
  return client.post('/chat/messages', { body, client_id: clientId });
}

/** The composer with htmx: 200 and the message's <li>. */
export function sendHx(client: Client, body: string, clientId = newClientId()): Promise<Reply> {
  return client.post('/chat/messages', { body, client_id: clientId }, HX);
}

/** Sends and returns the new message's id (fails the test when the send did not succeed). */
export async function send(client: Client, body: string, clientId = newClientId()): Promise<number> {
  const res = await sendHx(client, body, clientId);
  const id = /<li class="msg[^"]*" id="m-(\d+)"/.exec(res.text)?.[1];
  if (res.status !== 200 || !id) throw new Error(`send failed: ${res.status} ${res.text.slice(0, 200)}`);
  return Number(id);
}

export const messageCount = async (db: Db, coupleId: number): Promise<number> =>
  Number((await db('messages').where({ couple_id: coupleId }).count({ n: '*' }))[0].n);

export const eventCount = async (db: Db, coupleId: number): Promise<number> =>
  Number((await db('events').where({ couple_id: coupleId }).count({ n: '*' }))[0].n);

/** The `<li class="msg">` ids a page shows, in order. */
export const shownMessageIds = (html: string): number[] => [...html.matchAll(/<li class="msg[^"]*" id="m-(\d+)"/g)].map((m) => Number(m[1]));

/** The `<li>` of one message in a page, or '' when it is not there. */
export function messageItem(html: string, id: number): string {
  const start = html.indexOf(`id="m-${id}"`);
  if (start === -1) return '';
  const from = html.lastIndexOf('<li', start);
  return html.slice(from, html.indexOf('</li>', start) + 5);
}

/** The number in the page's `sse-connect="/chat/stream?lastEventId=N"`. */
export const renderedEventId = (html: string): number => Number(/sse-connect="\/chat\/stream\?lastEventId=(\d+)"/.exec(html)?.[1] ?? NaN);

export interface Instance {
  url: string;
  app: Koa;
  close(): Promise<void>;
}

/**
 * One more app process stand-in over an existing database (a restart, or a second
 * instance behind a load balancer): its own hub and broker, the same session keys.
 */
export async function serveInstance(db: Db, databaseUrl: string, overrides: Partial<Config> = {}): Promise<Instance> {
  const app = createApp({ db, config: testConfig(databaseUrl, overrides), clock: testClock });
  await app.context.ready;
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    async close() {
      if (closed) return;
      closed = true;
      app.context.hub.closeAll();
      await app.context.rateStore.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A database of the suite's own and app instances over it, started per test and stopped
 * after it. `ownPool` gives an instance a connection pool of its own, as another process
 * has (what one process remembers, the other then does not share).
 */
export function suiteInstances(backend: Backend) {
  const suite = { db: null as unknown as Db, url: '' };
  let drop: () => Promise<void>;
  const running: Instance[] = [];
  beforeAll(async () => {
    ({ db: suite.db, url: suite.url, drop } = await backend.create());
  });
  afterEach(async () => {
    for (const i of running.splice(0)) await i.close();
  });
  afterAll(() => drop());
  async function start(options: { ownPool?: boolean } = {}): Promise<Instance> {
    const db = options.ownPool ? createDb(suite.url) : suite.db;
    const instance = await serveInstance(db, suite.url);
    const close = async () => {
      await instance.close();
      if (db !== suite.db) await db.destroy();
    };
    running.push({ ...instance, close });
    return { ...instance, close };
  }
  return { suite, start };
}
