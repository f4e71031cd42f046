import type { Db } from '../db';

export const WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES = 10;

// Attempts are kept in the database, so the throttle holds across restarts and instances.
const subjects = (loginId: string, ip: string) => [`id:${loginId.slice(0, 40)}`, `ip:${ip.slice(0, 60)}`];

export interface Attempt {
  ids: number[];
  /** seconds to wait when this attempt is over the limit, else 0 */
  retryAfter: number;
}

/**
 * Counts a log-in attempt against its ID and its address *before* the password is
 * checked, so a burst of parallel guesses cannot all slip under the limit while each
 * is being hashed. Over the limit, the attempt is taken back (a refused attempt does
 * not extend the wait) and the seconds to wait are returned.
 */
export async function beginLoginAttempt(db: Db, loginId: string, ip: string, now: number): Promise<Attempt> {
  const ids: number[] = [];
  for (const subject of subjects(loginId, ip)) {
    const [id] = await db('login_failures').insert({ subject, at: now });
    ids.push(Number(id));
  }
  let waitMs = 0;
  for (const subject of subjects(loginId, ip)) {
    const recent = await db('login_failures')
      .where({ subject })
      .andWhere('at', '>', now - WINDOW_MS)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(MAX_FAILURES + 1)
      .pluck('at');
    if (recent.length > MAX_FAILURES) waitMs = Math.max(waitMs, Number(recent[MAX_FAILURES]) + WINDOW_MS - now);
  }
  if (waitMs > 0) await forgetAttempt(db, ids);
  return { ids, retryAfter: Math.ceil(waitMs / 1000) };
}

export async function forgetAttempt(db: Db, ids: number[]): Promise<void> {
  await db('login_failures').whereIn('id', ids).delete();
}

/** A successful log-in clears the ID's count and its own attempt (earlier failures from the address stay). */
export async function loginSucceeded(db: Db, loginId: string, attempt: Attempt, now: number): Promise<void> {
  await db('login_failures').where({ subject: subjects(loginId, '')[0] }).delete();
  await forgetAttempt(db, attempt.ids);
  await db('login_failures').where('at', '<', now - WINDOW_MS).delete();
}
