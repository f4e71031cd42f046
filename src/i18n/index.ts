import { en } from './en';
import { ko } from './ko';

export type MessageKey = keyof typeof ko;
export type Lang = 'ko' | 'en';
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export const LANGS: readonly Lang[] = ['ko', 'en'];
const catalogs: Record<Lang, Record<MessageKey, string>> = { ko, en };

export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}

export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : text;
  };
}

/** The first supported language in an Accept-Language header, by its q weights. */
export function langFromAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const found = ranked.find((entry) => isLang(entry.lang));
  return found ? (found.lang as Lang) : null;
}
