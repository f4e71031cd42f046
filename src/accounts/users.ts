import { isUniqueViolation, type Db } from '../db';
import { isLang, type Lang } from '../i18n/index';

export interface UserRow {
  id: number;
  login_id: string;
  password_hash: string;
  couple_id: number | null;
  language: string | null;
  week_start: number;
  time_zone: string | null;
  sessions_valid_after: number;
  created_at: number;
  /** 1/0 (a boolean column as the drivers return it): whether notifications may show what was sent */
  push_previews: number | boolean;
}

export interface CurrentUser {
  id: number;
  loginId: string;
  coupleId: number | null;
  language: Lang | null;
  weekStart: 0 | 1;
  timeZone: string | null;
  pushPreviews: boolean;
}

export function toCurrentUser(row: UserRow): CurrentUser {
  return {
    id: row.id,
    loginId: row.login_id,
    coupleId: row.couple_id ?? null,
    language: isLang(row.language) ? row.language : null,
    weekStart: Number(row.week_start) === 1 ? 1 : 0,
    timeZone: row.time_zone ?? null,
    pushPreviews: Number(row.push_previews ?? 1) !== 0,
  };
}

export const users = (db: Db) => db<UserRow>('users');

/**
 * A request's user, with what every request of a couple needs to know of its couple in
 * the same query: whether it still exists, and when a pending break-up is due.
 */
export async function findUserForRequest(
  db: Db,
  id: number,
): Promise<(UserRow & { couple_found: unknown; couple_breakup_due_at: unknown }) | undefined> {
  return db('users as u')
    .leftJoin('couples as c', 'c.id', 'u.couple_id')
    .where('u.id', id)
    .first('u.*', 'c.id as couple_found', 'c.breakup_due_at as couple_breakup_due_at');
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return users(db).where({ id }).first();
}

export async function findUserByLoginId(db: Db, loginId: string): Promise<UserRow | undefined> {
  return users(db).where({ login_id: loginId }).first();
}

export async function loginIdTaken(db: Db, loginId: string): Promise<boolean> {
  return (await users(db).where({ login_id: loginId }).first('id')) !== undefined;
}

/** Inserts the user; resolves to null when the ID was taken meanwhile (the unique index decides). */
export async function createUser(db: Db, loginId: string, passwordHash: string, now: number): Promise<number | null> {
  try {
    const [id] = await users(db).insert({ login_id: loginId, password_hash: passwordHash, created_at: now });
    return Number(id);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

