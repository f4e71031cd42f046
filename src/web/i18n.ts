import type { Context, Middleware } from 'koa';
import { isLang, LANGS, translator, type Lang } from '../i18n/index';
import { cookieName } from './security';

export const LANG_COOKIE = 'cc.lang';

/** The switch's cookie, else the browser's Accept-Language, else Korean (a logged-in user's own setting wins later: see loadUser). */
function chooseLang(ctx: Context): Lang {
  const fromCookie = ctx.cookies.get(cookieName(ctx.deps.config.production, LANG_COOKIE));
  if (isLang(fromCookie)) return fromCookie;
  return browserLang(ctx) ?? 'ko';
}

/** The browser's first choice of ours by Accept-Language and its q weights (ko-KR is ko), or null. */
export function browserLang(ctx: Context): Lang | null {
  const lang = ctx.acceptsLanguages(...LANGS);
  return isLang(lang) ? lang : null;
}

export function setLang(ctx: Context, lang: Lang): void {
  ctx.cookies.set(cookieName(ctx.deps.config.production, LANG_COOKIE), lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400_000, secure: ctx.secure });
  speak(ctx, lang);
}

/** This request's pages and messages from here on are in `lang`. */
export function speak(ctx: Context, lang: Lang): void {
  ctx.state.lang = lang;
  ctx.state.t = translator(lang);
}

/** Mounted first, so that even a request that fails before its user is known gets its language. */
export function i18n(): Middleware {
  return async (ctx, next) => {
    speak(ctx, chooseLang(ctx));
    ctx.vary('Accept-Language');
    await next();
  };
}
