import type { Knex } from 'knex';
import { forUpdate, type Db } from '../db';
import type { CoupleChanges } from '../realtime/coupleChanges';
import { calledName } from './names';

export interface PendingBreakup {
  dueAt: number;
  /** who started it */
  byUserId: number;
  /** the name they show by for the other partner (see calledName) */
  byLoginId: string;
}

/** A couple as the break-up sees it: gone (already ended), together, or breaking up. */
export type CoupleState = { kind: 'gone' } | { kind: 'together' } | ({ kind: 'breakingUp' } & PendingBreakup);

export async function coupleState(db: Db, coupleId: number): Promise<CoupleState> {
  const row = await db('couples as c')
    .leftJoin('users as u', 'u.id', 'c.breakup_by')
    // the other partner, who sees the banner's name: as they call the one who started it
    .leftJoin('users as o', (on) => on.on('o.couple_id', 'c.id').andOn('o.id', '<>', 'c.breakup_by'))
    .where('c.id', coupleId)
    .first('c.breakup_due_at', 'c.breakup_by', 'u.login_id', 'o.partner_nickname');
  if (!row) return { kind: 'gone' };
  if (row.breakup_due_at === null) return { kind: 'together' };
  return { kind: 'breakingUp', dueAt: Number(row.breakup_due_at), byUserId: Number(row.breakup_by ?? 0), byLoginId: calledName(String(row.login_id ?? ''), row.partner_nickname) };
}

/** The couple's due time, read under the couple's row lock (taken first, as appending an event needs). */
async function lockedDueAt(trx: Knex.Transaction, coupleId: number): Promise<number | null | undefined> {
  const row = await forUpdate(trx, trx('couples').where({ id: coupleId }).first('breakup_due_at'));
  if (!row) return undefined;
  return row.breakup_due_at === null ? null : Number(row.breakup_due_at);
}

/**
 * Starts a break-up due `graceMs` from now, with its event, in one transaction.
 * Resolves to the due time, or null (and changes nothing) when one is already pending
 * or the couple is gone.
 */
export async function startBreakup(changes: CoupleChanges, coupleId: number, userId: number, graceMs: number): Promise<number | null> {
  return changes.change(coupleId, async ({ trx, emit, now }) => {
    if ((await lockedDueAt(trx, coupleId)) !== null) return null;
    const dueAt = now + graceMs;
    await trx('couples').where({ id: coupleId }).update({ breakup_due_at: dueAt, breakup_by: userId });
    await emit('breakup', { dueAt, by: userId });
    return dueAt;
  });
}

/** Cancels the pending break-up, with its event; false when there was none to cancel. */
export async function cancelBreakup(changes: CoupleChanges, coupleId: number): Promise<boolean> {
  return changes.change(coupleId, async ({ trx, emit }) => {
    const dueAt = await lockedDueAt(trx, coupleId);
    if (dueAt === null || dueAt === undefined) return false;
    await trx('couples').where({ id: coupleId }).update({ breakup_due_at: null, breakup_by: null });
    await emit('breakup', { dueAt: null });
    return true;
  });
}

/** Whether my couple ended by a break-up since I last saw the pairing page; asking clears it. */
export async function takeCoupleEndedNotice(db: Db, userId: number): Promise<boolean> {
  return (await db('users').where({ id: userId }).whereNotNull('couple_ended_at').update({ couple_ended_at: null })) > 0;
}
