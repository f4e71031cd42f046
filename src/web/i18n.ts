import type { Context, Middleware } from 'koa';
import { isLang, LANGS, translator, type Lang } from '../i18n/index';
import { cookieName } from './security';

export const LANG_COOKIE = 'cc.lang';

/** A logged-in user's setting, else the switch's cookie, else the browser's Accept-Language, else Korean. */
export function chooseLang(ctx: Context): Lang {
  const fromUser = ctx.state.user?.language;
  if (isLang(fromUser)) return fromUser;
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
  ctx.state.lang = lang;
  ctx.state.t = translator(lang);
}

export function i18n(): Middleware {
  return async (ctx, next) => {
    const lang = chooseLang(ctx);
    ctx.state.lang = lang;
    ctx.state.t = translator(lang);
    ctx.vary('Accept-Language');
    await next();
  };
}
