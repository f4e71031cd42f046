import type { Context } from 'koa';
import type { Db } from '../db';
import { rotateCsrfToken } from '../web/csrf';
import { requestSessionHash } from '../web/session';

/** Starts a logged-in session under a new id (no fixation) with a new CSRF token. */
export async function startSession(ctx: Context, userId: number): Promise<void> {
  if (!ctx.session) throw new Error('session middleware missing');
  ctx.session.userId = userId;
  ctx.session.issuedAt = ctx.deps.clock.now();
  await ctx.session.regenerate();
  rotateCsrfToken(ctx, ctx.deps.config.production);
}

export async function endSession(ctx: Context): Promise<void> {
  const hash = requestSessionHash(ctx, ctx.deps.config.production);
  ctx.session = null;
  rotateCsrfToken(ctx, ctx.deps.config.production);
  if (hash) await ctx.hub.endSession(hash);
}

/**
 * Ends every session of a user. The rows go, and sessions issued before `now` are void
 * even if a request in flight writes its session back afterwards.
 */
export async function revokeSessions(db: Db, userId: number, now: number): Promise<void> {
  await db('users').where({ id: userId }).update({ sessions_valid_after: now });
  await db('sessions').where({ user_id: userId }).delete();
}
