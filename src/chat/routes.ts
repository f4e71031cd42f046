import Router from '@koa/router';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { findCouple } from '../pairing/couples';

export const chatRoutes = new Router();

chatRoutes.get('/chat', requireCouple, async (ctx) => {
  const couple = await findCouple(ctx.deps.db, coupleIdOf(ctx), userOf(ctx).id);
  ctx.render('chat/chat', { couple });
});
