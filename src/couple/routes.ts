import Router from '@koa/router';
import { passwordMatches, renderAccount } from '../accounts/accountPage';
import { formatDateTime } from '../time';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { AppError } from '../web/errors';
import { field, localPathOf } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { cancelBreakup, startBreakup } from './breakups';

export const coupleRoutes = new Router();

const alreadyPending = () => new AppError(409, 'breakup.error.pending');

coupleRoutes.post('/couple/breakup', requireCouple, async (ctx) => {
  if (ctx.state.breakup) throw alreadyPending();
  const password = field(ctx, 'password');
  if (password === '') return renderAccount(ctx, { breakup_password: 'password.required' }, 422);
  if (!(await passwordMatches(ctx, password))) return renderAccount(ctx, { breakup_password: 'password.wrong' }, 422);

  const coupleId = coupleIdOf(ctx);
  const dueAt = await startBreakup(ctx.changes, coupleId, userOf(ctx).id, ctx.deps.config.breakupGraceMs);
  if (dueAt === null) throw alreadyPending(); // the partner started one a moment ago
  ctx.flash('info', 'breakup.started', { date: formatDateTime(dueAt, ctx.state.lang, viewerTimeZone(ctx)) });
  ctx.done('/account');
});

coupleRoutes.post('/couple/breakup/cancel', requireCouple, async (ctx) => {
  // back to the page it was cancelled from, whole: more of a page than the banner speaks of
  // the break-up (the account page's section), and the notice shows there. Read before the
  // cancel, so that nothing a client sends can fail the request once it is done.
  const from = ctx.get('HX-Current-URL');
  const back = from ? localPathOf(from) : '/chat';
  const coupleId = coupleIdOf(ctx);
  if (!(await cancelBreakup(ctx.changes, coupleId))) throw new AppError(409, 'breakup.error.none');
  ctx.flash('info', 'breakup.cancelled');
  ctx.done(back === '/' ? '/chat' : back);
});
