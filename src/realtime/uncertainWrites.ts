import type { Middleware } from 'koa';
import { isDatabaseDown } from '../db';

/**
 * A write whose COMMIT reached the database but whose answer was lost (the database went
 * away at that moment) is stored, yet its request fails with a 503 before it could tell the
 * hub: the couple's open streams would not show the event until some later one came. So
 * whenever a couple's request fails for the database, the hub is told that the couple's log
 * may have grown. Its streams read the log again, and keep trying each second until the
 * database answers; when nothing was written they find nothing new.
 */
export function announceUncertainWrites(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const coupleId = ctx.state.user?.coupleId;
      if (typeof coupleId === 'number' && isDatabaseDown(err)) await ctx.hub.published(coupleId);
      throw err;
    }
  };
}
