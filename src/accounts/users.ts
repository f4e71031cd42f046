import { isUniqueViolation, type Db } from '../db';
import { isLang } from '../i18n/index';
import type { CurrentUser } from '../web/context';

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

