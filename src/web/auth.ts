import type { Context, Middleware, Next } from 'koa';
import type { UserDirectory } from './context';
import { AppError } from './errors';
import { speak } from './i18n';
import { sessionStillValid } from './session';

/** Puts the logged-in user (or null) on ctx.state.user; a session whose user is gone is ended. */
export function loadUser(users: UserDirectory): Middleware {
  return async (ctx, next) => {
    ctx.state.user = null;
    ctx.state.couple = null;
    const userId = ctx.session?.userId;
    if (typeof userId === 'number') {
      // read with the session when the session came from the store in this request (see sessionStore)
      const prefetched = ctx.state.sessionUser;
      const found = prefetched?.user.id === userId ? prefetched : await users.find(userId);
      if (found && sessionStillValid(ctx.session!, found.sessionsValidAfter)) {
        ctx.state.user = found.user;
        ctx.state.couple = found.couple;
        if (found.user.language) speak(ctx, found.user.language); // over this browser's cookie and Accept-Language
      } else ctx.session = null;
    }
    await next();
  };
}

function toLogin(ctx: Context): void {
  if (ctx.get('HX-Request') === 'true') {
    ctx.status = 401;
    ctx.set('HX-Redirect', '/login');
    ctx.body = '';
    return;
  }
  ctx.status = 303;
  ctx.redirect('/login');
}

export async function requireUser(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user) return toLogin(ctx);
  await next();
}

/** Pages of a couple: a user who is not paired goes to /pair. */
export async function requireCouple(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user) return toLogin(ctx);
  if (ctx.state.user.coupleId === null) return ctx.done('/pair');
  await next();
}

/** Pairing pages: a paired user goes to /chat; a paired user's pairing action is a 409. */
export async function requireSingle(ctx: Context, next: Next): Promise<void> {
  if (!ctx.state.user) return toLogin(ctx);
  if (ctx.state.user.coupleId !== null) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw new AppError(409, 'pair.error.alreadyPaired');
    return ctx.done('/chat');
  }
  await next();
}

/** Log-in and sign-up pages: someone already logged in goes home. */
export async function requireAnonymous(ctx: Context, next: Next): Promise<void> {
  if (ctx.state.user) return ctx.done('/');
  await next();
}

/** The couple id for queries: always from the session, never from the request. */
export function coupleIdOf(ctx: Context): number {
  const coupleId = ctx.state.user?.coupleId;
  if (typeof coupleId !== 'number') throw new Error('coupleIdOf called outside requireCouple');
  return coupleId;
}

export function userOf(ctx: Context) {
  const user = ctx.state.user;
  if (!user) throw new Error('userOf called outside requireUser');
  return user;
}
