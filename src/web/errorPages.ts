import type { Middleware } from 'koa';
import { isDatabaseDown } from '../db';
import { CoupleGone } from '../realtime/eventLog';
import { AppError } from './errors';
import type { MessageKey } from '../i18n/index';

const KEYS_BY_STATUS: Record<number, MessageKey> = {
  400: 'error.badRequest',
  403: 'error.csrf',
  404: 'error.notFound',
  405: 'error.method',
  413: 'error.tooLarge',
  415: 'error.unsupported',
  429: 'error.tooMany',
  503: 'error.unavailable',
};

/** zlib's errors from a request body's Content-Encoding: the client sent a broken body. */
function isCorruptBody(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (typeof e?.code === 'string' && e.code.startsWith('Z_')) || e?.message === 'Decompression failed';
}

/**
 * The one place errors become pages: AppErrors and client errors raised by libraries
 * (a malformed body, one too large) get their 4xx page; anything else is logged and
 * shown as a polite 500 (or 503 when the database is away).
 */
export function errorPages(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError(404, 'error.notFound');
    } catch (err) {
      let status = 500;
      let key: MessageKey = 'error.server';
      if (err instanceof AppError) {
        status = err.status;
        key = err.key;
        ctx.set(err.headers);
      } else if (err instanceof CoupleGone) {
        status = 409;
        key = 'error.coupleGone';
      } else if (isDatabaseDown(err)) {
        status = 503;
        key = 'error.unavailable';
        ctx.set('Retry-After', '5');
      } else if (isCorruptBody(err)) {
        status = 400; // a body said to be compressed that is not (or is cut short)
      } else {
        const e = err as { status?: number; expose?: boolean };
        if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
          status = e.status;
          key = KEYS_BY_STATUS[status] ?? 'error.badRequest';
        }
      }
      if (status >= 500 && status !== 503) ctx.app.emit('error', err, ctx);
      const message = ctx.state.t(key);
      if (ctx.state.htmx) {
        // htmx asked for a piece of a page: the message goes to the layout's alert
        // region instead of nesting a whole error page inside the target.
        ctx.set({ 'HX-Retarget': '#htmx-error', 'HX-Reswap': 'innerHTML' });
        return ctx.render('errors/error', { message }, { status, fragment: 'errors/_error' });
      }
      ctx.render('errors/error', { status, message }, { status });
    }
  };
}
