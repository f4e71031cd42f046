import type { Middleware } from 'koa';
import { viewerTimeZone } from '../web/timeZone';
import { bannerView } from './banner';
import { coupleState, takeCoupleEndedNotice } from './breakups';
import { endCoupleIfDue } from './takeEffect';

/**
 * After loadUser: a couple whose break-up is due ends at either partner's next request
 * (whatever the sweeper has done meanwhile), and that partner goes to /pair with a
 * notice. A pending break-up goes on ctx.state for the banner of every couple page.
 */
export function breakupOnRequest(): Middleware {
  return async (ctx, next) => {
    ctx.state.breakup = null;
    const user = ctx.state.user;
    const known = ctx.state.couple;
    // most requests: a couple with no break-up, known from the user's own query
    if (user && user.coupleId !== null && known?.found && known.breakupDueAt === null) return next();
    if (user && user.coupleId !== null) {
      const state = await coupleState(ctx.deps.db, user.coupleId);
      const now = ctx.deps.clock.now();
      if (state.kind === 'breakingUp' && state.dueAt <= now) {
        await endCoupleIfDue(ctx, user.coupleId, now);
        if ((await coupleState(ctx.deps.db, user.coupleId)).kind === 'gone') {
          user.coupleId = null;
          await takeCoupleEndedNotice(ctx.deps.db, user.id); // told right here, not again on /pair
          ctx.flash('info', 'breakup.done');
          return ctx.done('/pair');
        }
      } else if (state.kind === 'breakingUp') {
        ctx.state.breakup = bannerView(state, ctx.state.lang, viewerTimeZone(ctx), now, user.id);
      } else if (state.kind === 'gone') {
        user.coupleId = null; // the partner's request ended it a moment ago
      }
    }
    await next();
  };
}
