import type { Db } from '../db';

export interface CoupleView {
  id: number;
  startedAt: number;
  partnerLoginId: string;
}

/** The couple as one partner sees it. */
export async function findCouple(db: Db, coupleId: number, userId: number): Promise<CoupleView | null> {
  const row = await db('couples as c')
    .join('users as p', 'p.couple_id', 'c.id')
    .where('c.id', coupleId)
    .whereNot('p.id', userId)
    .first('c.id', 'c.started_at', 'p.login_id');
  return row ? { id: Number(row.id), startedAt: Number(row.started_at), partnerLoginId: row.login_id } : null;
}
