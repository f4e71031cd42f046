// Break-up steps for HTTP tests: starting one, waiting until it is due, what a couple owns,
// and couples written straight into the database for tests that need many.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { COUPLE_OWNED_TABLES } from '../../src/couple/purge';
import type { Db } from '../../src/db';
import type { Couple } from './chatHttp';
import { PASSWORD, type Client } from './client';
import { testClock } from './clock';

export const HOUR = 3_600_000;
/** a grace short enough for a break-up to take effect within a test */
export const GRACE = 1_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export const coupleRow = (db: Db, coupleId: number) => db('couples').where({ id: coupleId }).first('breakup_due_at', 'breakup_by');
export const dueAtOf = async (db: Db, coupleId: number) => Number((await coupleRow(db, coupleId))?.breakup_due_at);

/** The banner of a page, or '' when it shows none (only the empty placeholder). */
export const bannerOf = (html: string) => /<section id="breakup-banner"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

/** How many rows of each couple-owned table (of those that exist) belong to the couple. */
export async function ownedRows(db: Db, coupleId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const owned of COUPLE_OWNED_TABLES) out[owned.table] = Number((await owned.rows(db, coupleId).count({ n: '*' }))[0].n);
  return out;
}

/** What ownedRows says of a couple that is gone: a zero for every table. */
export const noRows = async (db: Db) => Object.fromEntries(COUPLE_OWNED_TABLES.map((owned) => [owned.table, 0]));

/** The account page's break-up form, sent. */
export async function startBreakup(client: Client, password = PASSWORD) {
  await client.get('/account');
  return client.post('/couple/breakup', { password });
}

/** Starts a break-up as `by` and waits until it is due. */
export async function startAndWait(db: Db, c: Couple, by: Client = c.a): Promise<number> {
  const res = await startBreakup(by);
  expect(res.status).toBe(303);
  const due = await dueAtOf(db, c.coupleId);
  await sleep(due - testClock.now() + 20);
  return due;
}

/** `a` asks `b` (whose login id is `bLogin`) to pair and `b` accepts; resolves to the new couple's id. */
export async function pairAgain(db: Db, a: Client, b: Client, bLogin: string): Promise<number> {
  await a.get('/pair');
  expect((await a.post('/pair/requests', { login_id: bLogin })).status).toBe(303);
  const id = /\/pair\/requests\/(\d+)\/accept/.exec((await b.get('/pair')).text)?.[1];
  expect((await b.post(`/pair/requests/${id}/accept`)).location).toBe('/chat');
  return Number((await db('users').where({ login_id: bLogin }).first('couple_id')).couple_id);
}

/** A couple written straight into the database: two users, a message with a file and its bytes, two events and a read mark. */
export async function seedCouple(db: Db, tag: string): Promise<{ coupleId: number; userIds: number[] }> {
  const now = testClock.now();
  const stem = `${tag}_${randomBytes(2).toString('hex')}`;
  const [coupleId] = (await db('couples').insert({ started_at: now, event_seq: 2 })).map(Number);
  const userIds: number[] = [];
  for (const side of ['a', 'b']) {
    const [id] = await db('users').insert({ login_id: `${stem}_${side}`, password_hash: 'x', couple_id: coupleId, created_at: now });
    userIds.push(Number(id));
  }
  const [messageId] = await db('messages').insert({ couple_id: coupleId, sender_id: userIds[0], body: 'seeded', client_id: `seed-${stem}`, created_at: now });
  for (const seq of [1, 2]) await db('events').insert({ couple_id: coupleId, seq, type: 'message', payload: JSON.stringify({ id: Number(messageId) }), created_at: now });
  await db('read_marks').insert({ user_id: userIds[1], couple_id: coupleId, up_to: messageId });
  const [blobId] = await db('blobs').insert({ couple_id: coupleId, size: 3, complete: true, created_at: now });
  await db('blob_chunks').insert({ blob_id: blobId, n: 0, data: Buffer.from('abc') });
  await db('files').insert({
    couple_id: coupleId,
    message_id: messageId,
    name: 'seed.txt',
    mime: 'text/plain',
    kind: 'file',
    size: 3,
    storage_key: `db:${Number(blobId)}`,
    created_at: now,
  });
  return { coupleId, userIds };
}
