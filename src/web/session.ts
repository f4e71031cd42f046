import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Context } from 'koa';
import createSession from 'koa-session';
import type { Clock } from '../clock';
import { queryRows, type Db } from '../db';
import type { RequestUser, UserDirectory } from './context';
import { cookieName } from './security';

export const SESSION_MAX_AGE_MS = 30 * 86_400_000;
const SESSION_COOKIE = 'cc.sid';

/** What we use of koa-session's Session (the class itself is not exported). */
export interface SessionData {
  userId?: number;
  /** when the log-in happened: sessions older than the user's sessions_valid_after are void */
  issuedAt?: number;
  readonly isNew: boolean;
  regenerate(): Promise<void> | undefined;
}

declare module 'koa' {
  interface DefaultContext {
    session: SessionData | null;
  }
}

/** What the sessions table keys a session by: the cookie value is never stored. */
export const sessionHash = (id: string) => createHash('sha256').update(id).digest('hex');

/** The session and its user as loadUser needs it (UserDirectory.withUser's columns), on every request: a prepared statement. */
const SESSION_WITH_USER =
  'select `u`.*, `c`.`id` as `couple_found`, `c`.`breakup_due_at` as `couple_breakup_due_at`, `s`.`data` as `session_data`, `s`.`expires_at` as `session_expires_at` ' +
  'from `sessions` as `s` left join `users` as `u` on `u`.`id` = `s`.`user_id` left join `couples` as `c` on `c`.`id` = `u`.`couple_id` where `s`.`id` = ?';

/**
 * Sessions live in the database so they survive restarts, can be revoked one by one
 * (log-out) or all at once for a user (password change, account deletion), and are
 * shared by every app instance. Only a hash of the cookie value is stored.
 */
export function sessionStore(db: Db, clock: Clock, users: UserDirectory) {
  return {
    /**
     * The session, and in the same query its user as loadUser needs it (with the couple's
     * state): one round trip instead of two on every request. The user goes on the
     * request's state only when it is the user the session names.
     */
    async get(id: string, _maxAge?: unknown, options?: { ctx?: Context }) {
      const [row] = await queryRows<Record<string, string | number | null>>(db, SESSION_WITH_USER, [sessionHash(id)]);
      if (!row || Number(row.session_expires_at) < clock.now()) return undefined;
      const data = JSON.parse(String(row.session_data));
      if (options?.ctx) {
        const found = users.userOf(row);
        options.ctx.state.sessionUser = found?.user.id === data.userId ? found : null;
      }
      return data;
    },
    async set(id: string, data: Record<string, unknown>, maxAge: number) {
      const row = {
        id: sessionHash(id),
        user_id: typeof data.userId === 'number' ? data.userId : null,
        data: JSON.stringify(data),
        expires_at: clock.now() + (Number.isFinite(maxAge) ? maxAge : SESSION_MAX_AGE_MS),
      };
      await db('sessions').insert(row).onConflict('id').merge();
    },
    async destroy(id: string) {
      await db('sessions').where({ id: sessionHash(id) }).delete();
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStore>;

export function sessionMiddleware(app: Koa, store: SessionStore, production: boolean) {
  return createSession(
    {
      key: cookieName(production, SESSION_COOKIE),
      store,
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

/** A session of this user that a revocation has not voided. */
export function sessionStillValid(session: { issuedAt?: unknown } | undefined, validAfter: number | null | undefined): boolean {
  return typeof session?.issuedAt === 'number' && session.issuedAt >= Number(validAfter ?? 0);
}

/**
 * Who a request is, read from its session cookie without koa-session (which would write
 * the session back): for the chat's stream, which answers before any session is loaded.
 */
export async function sessionUserOf(ctx: Context, store: SessionStore, production: boolean): Promise<{ found: RequestUser; sessionHash: string } | null> {
  const sid = ctx.cookies.get(cookieName(production, SESSION_COOKIE), { signed: true });
  if (!sid) return null;
  const session = await store.get(sid, undefined, { ctx });
  const found = ctx.state.sessionUser;
  if (!session || !found || !sessionStillValid(session, found.sessionsValidAfter)) return null;
  return { found, sessionHash: sessionHash(sid) };
}

/** The session id from the request's cookie, as the sessions table keys it. */
export function requestSessionHash(ctx: Context, production: boolean): string | null {
  const sid = ctx.cookies.get(cookieName(production, SESSION_COOKIE), { signed: true });
  return sid ? sessionHash(sid) : null;
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db('sessions').where('expires_at', '<', now).delete();
}
