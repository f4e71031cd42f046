import type { Context } from 'koa';
import { rotateCsrfToken } from '../web/csrf';

/** Starts a logged-in session under a new id (no fixation) with a new CSRF token. */
export async function startSession(ctx: Context, userId: number): Promise<void> {
  if (!ctx.session) throw new Error('session middleware missing');
  ctx.session.userId = userId;
  await ctx.session.regenerate();
  rotateCsrfToken(ctx, ctx.deps.config.production);
}

export function endSession(ctx: Context): void {
  ctx.session = null;
  rotateCsrfToken(ctx, ctx.deps.config.production);
}
