import Router from '@koa/router';
import { checkDb } from '../db';

export const homeRoutes = new Router();

homeRoutes.get('/', (ctx) => {
  const user = ctx.state.user;
  ctx.status = 303;
  ctx.redirect(!user ? '/login' : user.coupleId === null ? '/pair' : '/chat');
});

/**
 * The health report, mounted ahead of the session: a probe or a browser with a cookie
 * gets the same JSON while the database is away, not the error page a session read gives.
 */
export const healthRoutes = new Router();

healthRoutes.get('/healthz', async (ctx) => {
  const db = await checkDb(ctx.deps.db);
  ctx.status = db ? 200 : 503;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { status: db ? 'ok' : 'unavailable', db: db ? 'ok' : 'down' };
});
