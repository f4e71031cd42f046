import type { Middleware } from 'koa';
import { AppError } from './errors';
import { inlineScriptSources, inlineStyleSources } from './assets';

// No inline style or script but the few allowed by their hash (src/web/assets.ts), and no
// style attribute: htmx is configured (in the layout's meta tag) not to inject its
// indicator styles and not to eval, so this policy holds with JavaScript on.
const CSP = [
  "default-src 'self'",
  ["script-src 'self'", ...inlineScriptSources()].join(' '),
  ["style-src 'self'", ...inlineStyleSources()].join(' '),
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every response, including those written outside Koa (see httpServer.ts). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export function securityHeaders(production: boolean): Middleware {
  return async (ctx, next) => {
    ctx.set(SECURITY_HEADERS);
    if (production) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}

/** host[:port], a name or an IP: what a Host header should be, so the redirect's target is that host. */
const HOST_HEADER = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * In production everything goes over HTTPS (the PaaS router says so in X-Forwarded-Proto):
 * a page asked over plain HTTP is sent to its HTTPS address, and any other request is
 * refused before it can set a Secure cookie on a connection that can't carry one. The
 * health check stays reachable for the platform's probes. The address is this request's
 * Host header, never X-Forwarded-Host (which Koa's ctx.host prefers behind a proxy, and a
 * client can send through a router that passes it on): the redirect cannot be aimed at
 * another site.
 */
export function httpsOnly(production: boolean): Middleware {
  return async (ctx, next) => {
    if (!production || ctx.secure || ctx.path === '/healthz') return next();
    const host = ctx.get('Host');
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && HOST_HEADER.test(host)) {
      ctx.status = 308;
      ctx.redirect(`https://${host}${ctx.originalUrl.startsWith('/') ? ctx.originalUrl : '/'}`);
      return;
    }
    throw new AppError(403, 'error.httpsOnly');
  };
}

/** A cookie's name: in production with the __Host- prefix (this host only, HTTPS, the whole site). */
export const cookieName = (production: boolean, name: string) => (production ? `__Host-${name}` : name);
