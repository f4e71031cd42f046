import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import createSession from 'koa-session';
import type { Db } from '../db';

export const SESSION_MAX_AGE_MS = 30 * 86_400_000;

/** What we use of koa-session's Session (the class itself is not exported). */
export interface SessionData {
  userId?: number;
  readonly isNew: boolean;
  regenerate(): Promise<void> | undefined;
}

declare module 'koa' {
  interface DefaultContext {
    session: SessionData | null;
  }
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Sessions live in the database so they survive restarts, can be revoked one by one
 * (log-out) or all at once for a user (password change, account deletion), and are
 * shared by every app instance. Only a hash of the cookie value is stored.
 */
export function sessionStore(db: Db) {
  return {
    async get(id: string) {
      const row = await db('sessions').where({ id: hashId(id) }).first('data', 'expires_at');
      if (!row || Number(row.expires_at) < Date.now()) return undefined;
      return JSON.parse(row.data);
    },
    async set(id: string, data: Record<string, unknown>, maxAge: number) {
      const row = {
        id: hashId(id),
        user_id: typeof data.userId === 'number' ? data.userId : null,
        data: JSON.stringify(data),
        expires_at: Date.now() + (Number.isFinite(maxAge) ? maxAge : SESSION_MAX_AGE_MS),
      };
      await db('sessions').insert(row).onConflict('id').merge();
    },
    async destroy(id: string) {
      await db('sessions').where({ id: hashId(id) }).delete();
    },
  };
}

export function sessionCookieName(production: boolean): string {
  // __Host- binds the cookie to this exact host, over HTTPS, for the whole site.
  return production ? '__Host-cc.sid' : 'cc.sid';
}

export function sessionMiddleware(app: Koa, db: Db, production: boolean) {
  return createSession(
    {
      key: sessionCookieName(production),
      store: sessionStore(db),
      genid: () => randomBytes(32).toString('base64url'),
      maxAge: SESSION_MAX_AGE_MS,
      httpOnly: true,
      sameSite: 'lax',
      secure: production,
      signed: true,
      renew: true,
    },
    app,
  );
}

/** Ends every session of a user. */
export async function revokeSessions(db: Db, userId: number): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
}

export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db('sessions').where('expires_at', '<', Date.now()).delete();
}
