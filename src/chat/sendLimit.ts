import type { Context } from 'koa';
import { rateWait, retrySeconds } from '../web/rateLimit';

/**
 * Counts a send (a message, or one a question held back) against the user's send limit.
 * Over it: Retry-After is set and the reason returned, for the page to show beside the
 * text it keeps; else null.
 */
export async function tooFastToSend(ctx: Context): Promise<string | null> {
  const wait = await rateWait(ctx, ctx.rateLimits.send);
  if (!wait) return null;
  const seconds = retrySeconds(wait);
  ctx.set('Retry-After', String(seconds));
  return ctx.state.t('chat.body.tooFast', { seconds });
}
