import { execute, isSQLite, queryRows, type Db } from '../db';
import type { CoupleChanges } from '../realtime/coupleChanges';

/** Up to which message each partner has read: user id → message id. */
export async function readMarksOf(db: Db, coupleId: number): Promise<Map<number, number>> {
  const rows = await db('read_marks').where({ couple_id: coupleId }).select('user_id', 'up_to');
  return new Map(rows.map((r) => [Number(r.user_id), Number(r.up_to)]));
}

/**
 * Moves my read mark forward to `upTo` (never back, never past the newest message of
 * the partner) and records a read event when it moved.
 */
export async function markRead(changes: CoupleChanges, coupleId: number, userId: number, upTo: number): Promise<boolean> {
  return changes.change(coupleId, async ({ trx, lock, emit }) => {
    await lock();
    // (not max(): MariaDB scans the couple's rows for it)
    const [newest] = await queryRows(trx, 'select `id` from `messages` where `couple_id` = ? and `sender_id` <> ? and `id` <= ? order by `id` desc limit 1', [coupleId, userId, upTo]);
    const target = Number(newest?.id ?? 0);
    const [current] = await queryRows(trx, 'select `up_to`, `couple_id` from `read_marks` where `user_id` = ?', [userId]);
    const from = current && Number(current.couple_id) === coupleId ? Number(current.up_to) : 0;
    if (target <= from) return false;
    const merge = isSQLite(trx)
      ? 'on conflict (`user_id`) do update set `couple_id` = excluded.`couple_id`, `up_to` = excluded.`up_to`'
      : 'on duplicate key update `couple_id` = values(`couple_id`), `up_to` = values(`up_to`)';
    await execute(trx, `insert into \`read_marks\` (\`user_id\`, \`couple_id\`, \`up_to\`) values (?, ?, ?) ${merge}`, [userId, coupleId, target]);
    await emit('read', { reader: userId, from, to: target });
    return true;
  });
}
