import type { Db } from '../db';

export const WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES = 10;

// Failures are kept in the database, so the throttle holds across restarts and instances.
const subjects = (loginId: string, ip: string) => [`id:${loginId.slice(0, 40)}`, `ip:${ip.slice(0, 60)}`];

/** Seconds until another attempt is allowed, or 0 when the ID and the address are both under the limit. */
export async function loginRetryAfter(db: Db, loginId: string, ip: string, now = Date.now()): Promise<number> {
  let waitMs = 0;
  for (const subject of subjects(loginId, ip)) {
    const recent = await db('login_failures')
      .where({ subject })
      .andWhere('at', '>', now - WINDOW_MS)
      .orderBy('at', 'desc')
      .limit(MAX_FAILURES)
      .pluck('at');
    if (recent.length >= MAX_FAILURES) {
      const oldestCounted = Number(recent[recent.length - 1]);
      waitMs = Math.max(waitMs, oldestCounted + WINDOW_MS - now);
    }
  }
  return Math.ceil(waitMs / 1000);
}

export async function recordLoginFailure(db: Db, loginId: string, ip: string, now = Date.now()): Promise<void> {
  const rows = subjects(loginId, ip).map((subject) => ({ subject, at: now }));
  await db('login_failures').insert(rows);
  await db('login_failures').where('at', '<', now - WINDOW_MS).delete();
}

/** A successful log-in clears the ID's count (the address's count stays: it may be guessing other IDs). */
export async function clearLoginFailures(db: Db, loginId: string): Promise<void> {
  await db('login_failures').where({ subject: subjects(loginId, '')[0] }).delete();
}
