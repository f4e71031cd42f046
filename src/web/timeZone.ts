import type { Context } from 'koa';
import { canonicalZone } from '../time';

// Written by the page's script (static/chat/timeZone.js), not by us, so without cookieName's
// __Host- prefix: a zone's name is no secret, and a wrong one is only a wrong clock.
export const TZ_COOKIE = 'cc.tz';

/**
 * The zone dates are shown in: the user's setting, else what their browser reported, else
 * APP_TIMEZONE; always by its canonical name, however the cookie spells it.
 */
export function viewerTimeZone(ctx: Context, userTimeZone: string | null = ctx.state.user?.timeZone ?? null): string {
  const own = userTimeZone ? canonicalZone(userTimeZone) : null;
  if (own) return own;
  const reported = ctx.cookies.get(TZ_COOKIE);
  return (reported ? canonicalZone(reported) : null) ?? ctx.deps.config.timeZone;
}
