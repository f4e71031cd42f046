import type { Context } from 'koa';
import { isTimeZone } from '../config';

export const TZ_COOKIE = 'cc.tz';

/** The zone dates are shown in: the user's setting, else what their browser reported, else APP_TIMEZONE. */
export function viewerTimeZone(ctx: Context, userTimeZone: string | null = ctx.state.user?.timeZone ?? null): string {
  if (userTimeZone) return userTimeZone;
  const reported = ctx.cookies.get(TZ_COOKIE);
  if (reported && reported.length <= 64 && isTimeZone(reported)) return reported;
  return ctx.deps.config.timeZone;
}
