import { transaction, type Db } from '../db';
import { questionsUntouched } from '../questions/questionsState';
import { appendEvent, lockCouple } from '../realtime/eventLog';

/** Up to which message each partner has read: user id → message id. */
export async function readMarksOf(db: Db, coupleId: number): Promise<Map<number, number>> {
  const rows = await db('read_marks').where({ couple_id: coupleId }).select('user_id', 'up_to');
  return new Map(rows.map((r) => [Number(r.user_id), Number(r.up_to)]));
}

/**
 * Moves my read mark forward to `upTo` (never back, never past the newest message of
 * the partner) and records a read event when it moved.
 */
export async function markRead(db: Db, coupleId: number, userId: number, upTo: number, now: number): Promise<boolean> {
  const seq = await transaction(db, async (trx) => {
    await lockCouple(trx, coupleId);
    const newest = await trx('messages')
      .where({ couple_id: coupleId })
      .whereNot({ sender_id: userId })
      .andWhere('id', '<=', upTo)
      .orderBy('id', 'desc')
      .first('id'); // (not max(): MariaDB scans the couple's rows for it)
    const target = Number(newest?.id ?? 0);
    const current = await trx('read_marks').where({ user_id: userId }).first('up_to', 'couple_id');
    const from = current && Number(current.couple_id) === coupleId ? Number(current.up_to) : 0;
    if (target <= from) return null;
    await trx('read_marks')
      .insert({ user_id: userId, couple_id: coupleId, up_to: target })
      .onConflict('user_id')
      .merge(['couple_id', 'up_to']);
    return appendEvent(trx, coupleId, 'read', { reader: userId, from, to: target }, now);
  });
  if (seq === null) return false;
  questionsUntouched(db, coupleId, [seq]);
  return true;
}
