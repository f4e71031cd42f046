import { forUpdate, isUniqueViolation, transaction, type Db } from '../db';
import type { MessageKey } from '../i18n/index';
import { findUserByLoginId } from '../accounts/users';

export interface PairRequestView {
  id: number;
  loginId: string;
  createdAt: number;
}

export interface PairRequests {
  sent: PairRequestView | null;
  received: PairRequestView[];
}

export async function listPairRequests(db: Db, userId: number): Promise<PairRequests> {
  const sent = await db('pair_requests as r')
    .join('users as u', 'u.id', 'r.to_user_id')
    .where('r.from_user_id', userId)
    .first('r.id', 'u.login_id as loginId', 'r.created_at as createdAt');
  const received = await db('pair_requests as r')
    .join('users as u', 'u.id', 'r.from_user_id')
    .where('r.to_user_id', userId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .select('r.id', 'u.login_id as loginId', 'r.created_at as createdAt');
  const view = (r: PairRequestView) => ({ id: Number(r.id), loginId: r.loginId, createdAt: Number(r.createdAt) });
  return { sent: sent ? view(sent) : null, received: received.map(view) };
}

/** Sends a request, or names what stops it (the key is shown next to the ID field). */
export async function sendPairRequest(db: Db, fromUserId: number, toLoginId: string, now: number): Promise<MessageKey | null> {
  const target = await findUserByLoginId(db, toLoginId);
  if (!target) return 'pair.error.unknown';
  if (target.id === fromUserId) return 'pair.error.self';
  const outstanding = await db('pair_requests').where({ from_user_id: fromUserId }).first('to_user_id');
  if (outstanding && Number(outstanding.to_user_id) === target.id) return 'pair.error.duplicate';
  if (outstanding) return 'pair.error.outstanding';
  if (target.couple_id !== null) return 'pair.error.partnerPaired';
  try {
    await db('pair_requests').insert({ from_user_id: fromUserId, to_user_id: target.id, created_at: now });
    return null;
  } catch (err) {
    if (isUniqueViolation(err)) return 'pair.error.outstanding';
    throw err;
  }
}

/** Withdraws my own request; false when there is no such request of mine. */
export async function cancelPairRequest(db: Db, userId: number, requestId: number): Promise<boolean> {
  return (await db('pair_requests').where({ id: requestId, from_user_id: userId }).delete()) > 0;
}

/** Declines a request sent to me; false when there is no such request to me. */
export async function rejectPairRequest(db: Db, userId: number, requestId: number): Promise<boolean> {
  return (await db('pair_requests').where({ id: requestId, to_user_id: userId }).delete()) > 0;
}

export type AcceptResult = { ok: true; coupleId: number } | { ok: false; reason: 'not-found' | 'partner-paired' };

/**
 * Accepts a request sent to me: both partners join a new couple, and every other
 * request from or to either of them is gone. One transaction; if either partner was
 * paired meanwhile, nothing changes.
 */
class PartnerPaired extends Error {}

export async function acceptPairRequest(db: Db, userId: number, requestId: number, now: number): Promise<AcceptResult> {
  try {
    return await transaction(db, async (trx) => {
      const request = await forUpdate(db, trx('pair_requests').where({ id: requestId, to_user_id: userId }).first());
      if (!request) return { ok: false, reason: 'not-found' } as const;
      const partners = [Number(request.from_user_id), userId].sort((a, b) => a - b);
      // both partners' rows locked first, always in id order, so two accepts wait in line
      await forUpdate(db, trx('users').whereIn('id', partners).orderBy('id').select('id'));
      const [coupleId] = await trx('couples').insert({ started_at: now });
      const joined = await trx('users').whereIn('id', partners).whereNull('couple_id').update({ couple_id: coupleId });
      if (joined !== 2) throw new PartnerPaired(); // rolls the couple back too
      // by primary key: a delete with OR over two columns may scan and lock the whole table on
      // InnoDB, and unrelated couples accepting at once would deadlock on each other's rows
      const stale = await trx('pair_requests').whereIn('from_user_id', partners).orWhereIn('to_user_id', partners).pluck('id');
      if (stale.length) await trx('pair_requests').whereIn('id', stale).delete();
      return { ok: true, coupleId: Number(coupleId) } as const;
    });
  } catch (err) {
    if (err instanceof PartnerPaired) return { ok: false, reason: 'partner-paired' };
    throw err;
  }
}
