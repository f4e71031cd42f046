import { Eta } from 'eta';
import type { Context, Middleware } from 'koa';
import type { Flash, RenderOptions } from './context';
import { translator, type Lang, type MessageKey } from '../i18n/index';
import { fromRoot } from '../appRoot';
import { inlineScript, inlineStyle, staticAssets } from './assets';
import { localPath } from './form';
import { cookieName } from './security';

const views = fromRoot('views');
const FLASH_COOKIE = 'cc.flash';
const flashCookie = (ctx: Context) => cookieName(ctx.deps.config.production, FLASH_COOKIE);

/** Compiled templates are kept (a change to a template needs a restart, as code does). */
export function createViews(): Eta {
  return new Eta({ views, cache: true, autoEscape: true, autoTrim: false });
}

/**
 * The error page for a request Koa never saw (its headers could not be read), so no
 * session, no cookie and no Accept-Language: the default language, no user.
 */
export function bareErrorPage(eta: Eta, status: number, key: MessageKey, lang: Lang = 'ko'): string {
  const assets = staticAssets();
  const t = translator(lang);
  return eta.render('errors/error', { lang, t, asset: (name: string) => assets.url(name), user: null, csrf: '', flash: null, path: '/', status, message: t(key) });
}

/** A location as a header value: percent-encoded, never raw non-ASCII or control characters. */
function headerSafe(location: string): string {
  try {
    return encodeURI(decodeURI(location));
  } catch {
    return '/';
  }
}

/**
 * Where a form that leaves this page (the footer's language switch) comes back to: the
 * page itself with its query (?n=10, ?month=…, a search) when it was asked for with GET;
 * after a POST that showed a page (a form with an error), the page the form was on.
 */
function pageAddress(ctx: Context): string {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return localPath(ctx.url);
  try {
    const from = new URL(ctx.get('Referer'));
    return from.host === ctx.host ? localPath(from.pathname + from.search) : '/';
  } catch {
    return '/';
  }
}

/** htmx asked for a piece of the page (a boosted navigation wants the whole page). */
export function wantsFragment(ctx: Context): boolean {
  return ctx.get('HX-Request') === 'true' && ctx.get('HX-Boosted') !== 'true';
}

function readFlash(ctx: Context): Flash | null {
  const raw = ctx.cookies.get(flashCookie(ctx), { signed: true });
  if (!raw) return null;
  ctx.cookies.set(flashCookie(ctx), null, { signed: true, secure: ctx.secure });
  try {
    const flash = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    return ctx.state.t(flash.key) === flash.key ? null : flash;
  } catch {
    return null;
  }
}

/**
 * The one place that decides page or fragment, and 303 or 200: handlers call
 * ctx.render(view, data, { fragment }) and ctx.done(location, fragment).
 */
export function rendering(eta: Eta): Middleware {
  const assets = staticAssets();
  const asset = (name: string) => assets.url(name);
  return async (ctx, next) => {
    ctx.state.htmx = wantsFragment(ctx);

    let pending: Flash | null = null;
    ctx.flash = (kind, key: MessageKey, params, undo) => {
      pending = { kind, key, params, undo };
      ctx.cookies.set(flashCookie(ctx), Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.secure,
        maxAge: 60_000,
      });
    };

    ctx.render = (view: string, data: Record<string, unknown> = {}, options: RenderOptions = {}) => {
      const fragment = ctx.state.htmx && options.fragment;
      const it = { ...ctx.state, asset, inlineScript, inlineStyle, appTimeZone: ctx.deps.config.timeZone, flash: fragment ? null : readFlash(ctx), path: ctx.path, here: pageAddress(ctx), ...data };
      ctx.status = options.status ?? 200;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = eta.render(fragment || view, it);
    };

    ctx.done = (location, fragment) => {
      if (ctx.state.htmx && fragment === 'nothing') {
        // the page asked in the background: no notice waits for its next page either
        if (pending) ctx.cookies.set(flashCookie(ctx), null, { signed: true, secure: ctx.secure });
        ctx.status = 204;
        return;
      }
      if (ctx.state.htmx && fragment && fragment !== 'nothing') {
        // the fragment shows the notice itself, so it must not wait for the next page (a
        // cookie the browser does not have needs no clearing: a send answers without a Set-Cookie)
        if (pending || ctx.cookies.get(flashCookie(ctx))) ctx.cookies.set(flashCookie(ctx), null, { signed: true, secure: ctx.secure });
        return ctx.render(fragment.view, { notice: pending, ...fragment.data }, { fragment: fragment.view });
      }
      if (ctx.state.htmx) {
        ctx.status = 200;
        ctx.set('HX-Redirect', headerSafe(location));
        ctx.body = '';
        return;
      }
      ctx.status = 303;
      ctx.redirect(location);
    };

    await next();
  };
}
