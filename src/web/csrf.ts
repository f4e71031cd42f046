import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { AppError } from './errors';
import { cookieName } from './security';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** the routes whose (multipart) forms may carry their token in the query (see csrf below) */
const UPLOAD_PATHS: ReadonlySet<string> = new Set(['/chat/uploads', '/couple/photo']);

const CSRF_COOKIE = 'cc.csrf';

function cookieOptions(ctx: Context) {
  return { httpOnly: true, sameSite: 'lax' as const, signed: true, secure: ctx.secure, overwrite: true, path: '/' };
}

/** A fresh token, e.g. at log-in, so a token seen before log-in is worthless after it. */
export function rotateCsrfToken(ctx: Context, production: boolean): string {
  const token = randomBytes(24).toString('base64url');
  ctx.cookies.set(cookieName(production, CSRF_COOKIE), token, cookieOptions(ctx));
  ctx.state.csrf = token;
  return token;
}

// Koa 3's ctx.origin is the request's Origin header, so our own origin is built here.
function sameOrigin(ctx: Context, value: string): boolean {
  try {
    return new URL(value).origin === `${ctx.protocol}://${ctx.host}`;
  } catch {
    return false;
  }
}

function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** The token the request's own signed cookie carried (undefined: none, or a bad signature), as csrfToken read it. */
const cookieTokens = new WeakMap<Context, string | undefined>();

const cookieToken = (ctx: Context, production: boolean) =>
  cookieTokens.has(ctx) ? cookieTokens.get(ctx) : ctx.cookies.get(cookieName(production, CSRF_COOKIE), { signed: true });

/**
 * The request's token, from its signed cookie or a new one, early: a page rendered for an
 * error before the session is read (a body too large, the database away) still carries it.
 */
export function csrfToken(production: boolean): Middleware {
  return async (ctx, next) => {
    const fromCookie = ctx.cookies.get(cookieName(production, CSRF_COOKIE), { signed: true });
    cookieTokens.set(ctx, fromCookie); // the check reads it from here: a signature is checked once a request
    ctx.state.csrf = fromCookie ?? rotateCsrfToken(ctx, production);
    await next();
  };
}

/**
 * Signed double-submit token: the same random value sits in a signed HttpOnly cookie and
 * in every form (`_csrf`) or the htmx header (`X-CSRF-Token`). On top, a request whose
 * Origin (or Referer) names another site is refused before the token is looked at.
 */
export function csrf(production: boolean): Middleware {
  return async (ctx, next) => {
    if (!SAFE_METHODS.has(ctx.method)) {
      const existing = cookieToken(ctx, production);
      const origin = ctx.get('Origin') || ctx.get('Referer');
      const crossSite = ctx.get('Sec-Fetch-Site') === 'cross-site';
      if (crossSite || (origin && origin !== 'null' && !sameOrigin(ctx, origin)) || origin === 'null') {
        throw new AppError(403, 'error.csrf');
      }
      const body = ctx.request.body as Record<string, unknown> | undefined;
      // an upload is read as it streams, after this check: the plain (no-JS) upload form
      // carries its token in the action's query instead. Only there (and the couple photo's
      // form, read the same way): a token in a URL can leak (logs, Referer), so no other route takes one.
      const fromQuery = UPLOAD_PATHS.has(ctx.path) && ctx.is('multipart') ? ctx.query._csrf : undefined;
      const given = ctx.get('X-CSRF-Token') || body?._csrf || fromQuery;
      if (!existing || !tokensMatch(existing, given)) throw new AppError(403, 'error.csrf');
    }
    await next();
  };
}
