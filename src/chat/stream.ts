import type { Middleware } from 'koa';
import { sessionUserOf, type SessionStore } from '../web/session';
import { viewerTimeZone } from '../web/timeZone';
import { lastEventIdOf } from './parse';

/**
 * GET /chat/stream, mounted before the session middleware: a stream is long-lived and
 * its headers go out at once, so the session is only read here, never written.
 */
export function chatStream(store: SessionStore): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/chat/stream') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    const who = await sessionUserOf(ctx, store, ctx.deps.config.production);
    const coupleId = who?.found.user.coupleId ?? null;
    if (!who || coupleId === null) {
      ctx.status = 401;
      ctx.set('Cache-Control', 'no-store');
      return;
    }
    if (ctx.method === 'HEAD') {
      // the chat page asks this after its stream was refused: 200 would be a stream, 401 not
      ctx.status = 200;
      ctx.set('Cache-Control', 'no-store');
      return;
    }
    const lastEventId = lastEventIdOf(ctx.get('Last-Event-ID'), typeof ctx.query.lastEventId === 'string' ? ctx.query.lastEventId : '');
    const { user } = who.found;
    const viewer = { userId: user.id, lang: user.language ?? ctx.state.lang, timeZone: viewerTimeZone(ctx, user.timeZone) };
    await ctx.hub.connect(ctx.req, ctx.res, coupleId, viewer, who.sessionHash, lastEventId);
    ctx.respond = false; // the hub holds the response now
  };
}
