import type { Db } from '../db';
import { calledName } from './names';

export interface CoupleView {
  id: number;
  startedAt: number;
  /** 사귄 날 when set ('YYYY-MM-DD'); see togetherSince */
  startedOn: string | null;
  /** the couple photo (one of the couple's files), or null */
  photoFileId: number | null;
  partnerLoginId: string;
  /** the partner as this viewer calls them (see calledName) */
  partnerName: string;
}

/** The couple as one partner sees it. */
export async function findCouple(db: Db, coupleId: number, userId: number): Promise<CoupleView | null> {
  const row = await db('couples as c')
    .join('users as p', 'p.couple_id', 'c.id')
    .join('users as me', 'me.couple_id', 'c.id')
    .where('c.id', coupleId)
    .where('me.id', userId)
    .whereNot('p.id', userId)
    .first('c.id', 'c.started_at', 'c.started_on', 'c.photo_file_id', 'p.login_id', 'me.partner_nickname');
  if (!row) return null;
  return {
    id: Number(row.id),
    startedAt: Number(row.started_at),
    startedOn: row.started_on ?? null,
    photoFileId: row.photo_file_id === null || row.photo_file_id === undefined ? null : Number(row.photo_file_id),
    partnerLoginId: row.login_id,
    partnerName: calledName(row.login_id, row.partner_nickname),
  };
}

/** Partner "a" is the one with the lower user id: a message's side is the same for both viewers. */
export interface Members {
  a: number;
  b: number;
  /** login ids by user id (they never change while the couple exists) */
  logins: ReadonlyMap<number, string>;
}

// A couple's two members never change while the couple exists (and couple ids are never
// reused in a database), so they are asked once per database; a cache is simply emptied
// when it grows large.
const membersCaches = new WeakMap<Db, Map<number, Members>>();

export async function coupleMembers(db: Db, coupleId: number): Promise<Members> {
  let cache = membersCaches.get(db);
  if (!cache) membersCaches.set(db, (cache = new Map()));
  const cached = cache.get(coupleId);
  if (cached) return cached;
  const rows = await db('users').where({ couple_id: coupleId }).orderBy('id').select('id', 'login_id');
  const ids = rows.map((r) => Number(r.id));
  const members = { a: ids[0] ?? 0, b: ids[1] ?? 0, logins: new Map(rows.map((r) => [Number(r.id), String(r.login_id)])) };
  if (ids.length === 2) {
    if (cache.size > 10_000) cache.clear();
    cache.set(coupleId, members);
  }
  return members;
}

export function sideOf(members: Members, userId: number): 'a' | 'b' {
  return userId === members.a ? 'a' : 'b';
}
