import type { Middleware } from 'koa';
import { findUserById } from '../accounts/users';
import { isLang } from '../i18n/index';
import { sessionCookieName, sessionHash, sessionStillValid, sessionStore } from '../web/session';
import { viewerTimeZone } from '../web/timeZone';
import { lastEventIdOf } from './parse';

/**
 * GET /chat/stream, mounted before the session middleware: a stream is long-lived and
 * its headers go out at once, so the session is only read here, never written.
 */
export function chatStream(): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/chat/stream') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    const { db, config, clock } = ctx.deps;
    const sid = ctx.cookies.get(sessionCookieName(config.production), { signed: true });
    const session = sid ? await sessionStore(db, clock).get(sid) : undefined;
    const user = typeof session?.userId === 'number' ? await findUserById(db, session.userId) : undefined;
    if (!sid || !user || user.couple_id === null || !sessionStillValid(session, user.sessions_valid_after)) {
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
    const viewer = {
      userId: user.id,
      lang: isLang(user.language) ? user.language : ctx.state.lang,
      timeZone: viewerTimeZone(ctx, user.time_zone),
    };
    await ctx.hub.connect(ctx, user.couple_id, viewer, sessionHash(sid), lastEventId);
  };
}
