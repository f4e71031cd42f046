import { createHash } from 'node:crypto';
import { forUpdate, isUniqueViolation, queryRows, transaction, type Db } from '../db';
import type { SubscriptionInput } from './parse';

/** One browser on one device that gets a user's notifications. */
export interface PushTarget {
  id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A user's devices are few; the cap bounds what one message makes the server send. */
export const MAX_DEVICES = 10;

const endpointHash = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');

/** Every read of subscriptions starts here: one user's and nothing else. */
const subscriptionsOfUser = (db: Db, userId: number) => db('push_subscriptions').where({ user_id: userId });

/**
 * Stores (or refreshes the keys of) this browser's subscription for the user. A browser
 * has one subscription whoever is logged in, so when it was another user's, it moves: a
 * device tells only the person who turned notifications on there last. Beyond
 * MAX_DEVICES the oldest subscription goes.
 *
 * One user's saves take turns on the user's row (push.js posts from every open tab, and
 * the MAX_DEVICES count must see the rows the others added), and every write goes by
 * primary key: on MySQL a locking search that finds nothing locks the gap it looked in, and
 * two saves that then insert into the same gap deadlock.
 */
export async function saveSubscription(db: Db, userId: number, input: SubscriptionInput, userAgent: string, now: number): Promise<void> {
  const hash = endpointHash(input.endpoint);
  const keys = { endpoint: input.endpoint, p256dh: input.p256dh, auth: input.auth, user_agent: userAgent.slice(0, 200) || null };
  const save = () =>
    transaction(db, async (trx) => {
      await forUpdate(db, trx('users').where({ id: userId }).first('id'));
      const same = await trx('push_subscriptions').where({ endpoint_hash: hash }).select('id', 'user_id');
      const elsewhere = same.filter((r) => Number(r.user_id) !== userId).map((r) => Number(r.id));
      if (elsewhere.length) await trx('push_subscriptions').whereIn('id', elsewhere).delete();
      const mine = same.find((r) => Number(r.user_id) === userId);
      if (mine) {
        await trx('push_subscriptions').where({ id: Number(mine.id) }).update(keys);
        return;
      }
      await trx('push_subscriptions').insert({ ...keys, user_id: userId, endpoint_hash: hash, created_at: now });
      const newestFirst = await subscriptionsOfUser(trx, userId).orderBy('id', 'desc').pluck('id');
      const oldest = newestFirst.slice(MAX_DEVICES).map(Number);
      if (oldest.length) await trx('push_subscriptions').whereIn('id', oldest).delete();
    });
  try {
    await save();
  } catch (err) {
    // two users posted the same endpoint at once (the lock is per user): the other insert won, this one moves it
    if (!isUniqueViolation(err)) throw err;
    await save();
  }
}

/** Removes one of my subscriptions by its endpoint; false when I have none such (another user's stays). */
export async function deleteSubscription(db: Db, userId: number, endpoint: string): Promise<boolean> {
  return (await subscriptionsOfUser(db, userId).andWhere({ endpoint_hash: endpointHash(endpoint) }).delete()) > 0;
}

export async function subscriptionsOf(db: Db, userId: number): Promise<PushTarget[]> {
  // asked after every send (whom to notify): a prepared statement
  const rows = await queryRows(db, 'select `id`, `endpoint`, `p256dh`, `auth` from `push_subscriptions` where `user_id` = ? order by `id` asc', [userId]);
  return rows.map((r) => ({ id: Number(r.id), endpoint: String(r.endpoint), p256dh: String(r.p256dh), auth: String(r.auth) }));
}

/** The push service said the subscription is gone (404/410): nothing will ever reach it again. */
export async function removeSubscription(db: Db, id: number): Promise<void> {
  await db('push_subscriptions').where({ id }).delete();
}

export async function markDelivered(db: Db, id: number, now: number): Promise<void> {
  await db('push_subscriptions').where({ id }).update({ last_ok_at: now });
}

export async function setPreviews(db: Db, userId: number, on: boolean): Promise<void> {
  await db('users').where({ id: userId }).update({ push_previews: on });
}
