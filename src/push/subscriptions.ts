import { createHash } from 'node:crypto';
import { clock } from '../clock';
import { isUniqueViolation, transaction, type Db } from '../db';
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
 */
export async function saveSubscription(db: Db, userId: number, input: SubscriptionInput, userAgent: string): Promise<void> {
  const hash = endpointHash(input.endpoint);
  const keys = { endpoint: input.endpoint, p256dh: input.p256dh, auth: input.auth, user_agent: userAgent.slice(0, 200) || null };
  const save = () =>
    transaction(db, async (trx) => {
      await trx('push_subscriptions').where({ endpoint_hash: hash }).andWhereNot({ user_id: userId }).delete();
      const updated = await trx('push_subscriptions').where({ user_id: userId, endpoint_hash: hash }).update(keys);
      if (updated) return;
      await trx('push_subscriptions').insert({ ...keys, user_id: userId, endpoint_hash: hash, created_at: clock.now() });
      const kept = await trx('push_subscriptions').where({ user_id: userId }).orderBy('id', 'desc').limit(MAX_DEVICES).select('id');
      await trx('push_subscriptions').where({ user_id: userId }).whereNotIn('id', kept.map((r) => Number(r.id))).delete();
    });
  try {
    await save();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await save(); // the same browser posted twice at once: the other insert won, this one updates
  }
}

/** Removes one of my subscriptions by its endpoint; false when I have none such (another user's stays). */
export async function deleteSubscription(db: Db, userId: number, endpoint: string): Promise<boolean> {
  return (await subscriptionsOfUser(db, userId).andWhere({ endpoint_hash: endpointHash(endpoint) }).delete()) > 0;
}

export async function subscriptionsOf(db: Db, userId: number): Promise<PushTarget[]> {
  const rows = await subscriptionsOfUser(db, userId).orderBy('id').select('id', 'endpoint', 'p256dh', 'auth');
  return rows.map((r) => ({ id: Number(r.id), endpoint: String(r.endpoint), p256dh: String(r.p256dh), auth: String(r.auth) }));
}

/** The push service said the subscription is gone (404/410): nothing will ever reach it again. */
export async function removeSubscription(db: Db, id: number): Promise<void> {
  await db('push_subscriptions').where({ id }).delete();
}

export async function markDelivered(db: Db, id: number): Promise<void> {
  await db('push_subscriptions').where({ id }).update({ last_ok_at: clock.now() });
}

export async function setPreviews(db: Db, userId: number, on: boolean): Promise<void> {
  await db('users').where({ id: userId }).update({ push_previews: on });
}
