import { en } from './en';
import { ko } from './ko';

export type MessageKey = keyof typeof ko;
export type Lang = 'ko' | 'en';
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Ours, in the order a browser that takes any language gets them (Korean first). */
export const LANGS: readonly Lang[] = ['ko', 'en'];
const catalogs: Record<Lang, Record<MessageKey, string>> = { ko, en };

export function isLang(value: unknown): value is Lang {
  return LANGS.includes(value as Lang);
}

export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : text;
  };
}
