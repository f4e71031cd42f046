import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { cookieName } from '../web/security';

// A browser that has logged in to an ID before is known by this signed cookie, which
// names the ID and the device: guesses from elsewhere that lock the ID for strangers do
// not lock it out (OWASP's "device cookies"; see loginThrottle.ts).
const NAME = 'cc.device';
const MAX_AGE_MS = 365 * 86_400_000;
const VALUE = /^([a-z0-9_]{4,20})\.([A-Za-z0-9_-]{22})$/;

const nameOf = (ctx: Context) => cookieName(ctx.deps.config.production, NAME);

/** This browser's device id when its cookie names `loginId`, else null. */
export function knownDevice(ctx: Context, loginId: string): string | null {
  const match = VALUE.exec(ctx.cookies.get(nameOf(ctx), { signed: true }) ?? '');
  return match && match[1] === loginId ? match[2] : null;
}

/** After a log-in: this browser is a device of `loginId` (the same device again if it was). */
export function rememberDevice(ctx: Context, loginId: string): void {
  const device = knownDevice(ctx, loginId) ?? randomBytes(16).toString('base64url');
  ctx.cookies.set(nameOf(ctx), `${loginId}.${device}`, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: MAX_AGE_MS, overwrite: true });
}
