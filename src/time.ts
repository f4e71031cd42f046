import { LRUCache } from 'lru-cache';
import { translator, type Lang } from './i18n/index';

// Times are stored as UTC milliseconds; days, hours and dates are shown and searched in a
// time zone (the user's, else APP_TIMEZONE). Intl formatters are costly to make (a fifth of
// a millisecond, tens of kB each), so kept: per zone, and the zone comes from a browser's
// cookie. Every cache here is bounded, least recently used out first, so no client can
// grow them; a few dozen zones are in use at once on a server, so the bounds are generous.
// Kept over Luxon 3.7 and the Temporal polyfills (measured on Node 20): all agree on
// the tricky days tested here, but an instant's day and hour, on every message rendered,
// cost 0.23 µs here against 7 µs (Luxon) and 12-16 µs (Temporal), and they add 1-4.6 MB.

const ZONES_KEPT = 64;

/** A name as given (cookie, setting) → its canonical spelling, or '' when it is no zone. */
const zoneNames = new LRUCache<string, string>({ max: 256 });

/**
 * The zone's canonical name as Intl spells it, or null when it is none. Intl takes a
 * zone's name in any case and by its old aliases (asia/seoul, ASIA/SEOUL, US/Eastern):
 * one spelling per zone keeps every cache below to one entry per zone.
 */
export function canonicalZone(value: string): string | null {
  let name = zoneNames.get(value);
  if (name === undefined) {
    name = value.length <= 64 && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value) ? resolvedZone(value) : '';
    zoneNames.set(value, name);
  }
  return name || null;
}

function resolvedZone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return '';
  }
}

const partsFormatters = new LRUCache<string, Intl.DateTimeFormat>({ max: ZONES_KEPT });

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone, from Intl: exact, and slow. */
function formattedWallClock(ms: number, timeZone: string) {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

const HOUR = 3_600_000;
const MAX_HOURS_PER_ZONE = 5_000;
/** Per zone, the offset of each UTC hour that has one offset throughout (NaN: it changes in that hour). */
const hourOffsets = new LRUCache<string, Map<number, number>>({ max: ZONES_KEPT });

/**
 * The zone's offset at an instant when its hour has a single one. Chat shows many times
 * from the same few hours, and an offset changes at most once in an hour, so the same at
 * both ends of it means the same all through.
 */
function steadyOffset(ms: number, timeZone: string): number | null {
  const hour = Math.floor(ms / HOUR) * HOUR;
  let offsets = hourOffsets.get(timeZone);
  if (!offsets) hourOffsets.set(timeZone, (offsets = new Map()));
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const first = exactOffset(hour, timeZone);
    offset = first === exactOffset(hour + HOUR - 1000, timeZone) ? first : NaN;
    if (offsets.size >= MAX_HOURS_PER_ZONE) offsets.clear();
    offsets.set(hour, offset);
  }
  return Number.isNaN(offset) ? null : offset;
}

function exactOffset(ms: number, timeZone: string): number {
  const w = formattedWallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(ms: number, timeZone: string) {
  const offset = steadyOffset(ms, timeZone);
  if (offset === null) return formattedWallClock(ms, timeZone);
  const local = new Date(ms + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** How far the zone's clock is ahead of UTC at that instant, in ms. */
export function zoneOffset(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** 'YYYY-MM-DD' of an instant in a zone. */
export function dayOf(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** A real calendar date 'YYYY-MM-DD' (2024-02-30 is not), as numbers; else null. */
export function parseDate(value: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return { year, month, day };
}

/**
 * The first instant of a local date in a zone: the earliest instant whose date there is
 * this date or later. DST-safe, and exact where the clocks skip midnight itself (Santiago,
 * Havana: the day begins at the skip, e.g. 01:00, or 00:17:15 in 1916) or a whole date
 * (Apia skipped 30 December 2011: that date's start is the 31st's, and the 29th is 24 hours
 * long). The offset at the guess is nearly always right; else a search by the second.
 */
export function startOfDay(date: { year: number; month: number; day: number }, timeZone: string): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day);
  const wanted = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  const reached = (t: number) => dayOf(t, timeZone) >= wanted;
  let start = guess - zoneOffset(guess, timeZone);
  start = guess - zoneOffset(start, timeZone);
  if (reached(start) && !reached(start - 1)) return start;
  // every offset since 1900 is within ±15 h, so the start lies in this window
  let before = Math.floor((guess - 15 * 3_600_000) / 1000);
  let after = Math.ceil((guess + 15 * 3_600_000) / 1000);
  if (reached(before * 1000) || !reached(after * 1000)) return start;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (reached(mid * 1000)) after = mid;
    else before = mid;
  }
  return after * 1000; // offsets change on whole seconds
}

/** [start, end) in UTC ms of a local date in a zone. */
export function dayRange(date: { year: number; month: number; day: number }, timeZone: string): [number, number] {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return [
    startOfDay(date, timeZone),
    startOfDay({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone),
  ];
}

/** by what they show (5 kinds), locale (2) and zone */
const displayFormatters = new LRUCache<string, Intl.DateTimeFormat>({ max: 10 * ZONES_KEPT });
function display(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions, key: string) {
  const id = `${key}|${locale}|${timeZone}`;
  let f = displayFormatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    displayFormatters.set(id, f);
  }
  return f;
}

const localeOf = (lang: Lang) => (lang === 'ko' ? 'ko-KR' : 'en-US');

/** "오후 3:05" / "3:05 PM" */
export function formatTime(ms: number, lang: Lang, timeZone: string): string {
  if (lang !== 'ko') return display(localeOf(lang), timeZone, { hour: 'numeric', minute: '2-digit' }, 'time').format(ms);
  // Some Node builds' ICU data print "AM"/"PM" for Korean; KakaoTalk-style 오전/오후 is made here.
  const t = translator(lang);
  const { hour, minute } = wallClock(ms, timeZone);
  return t('time.clock', {
    period: t(hour < 12 ? 'time.am' : 'time.pm'),
    hour: hour % 12 === 0 ? 12 : hour % 12,
    minute: String(minute).padStart(2, '0'),
  });
}

/** "2026년 11월 29일 일요일" / "Sunday, November 29, 2026" */
export function formatDay(ms: number, lang: Lang, timeZone: string): string {
  return display(localeOf(lang), timeZone, { dateStyle: 'full' }, 'day').format(ms);
}

/** "2026. 11. 29. 오후 3:05" / "Nov 29, 2026, 3:05 PM" */
export function formatDateTime(ms: number, lang: Lang, timeZone: string): string {
  if (lang !== 'ko') return display(localeOf(lang), timeZone, { dateStyle: 'medium', timeStyle: 'short' }, 'datetime').format(ms);
  return `${formatDate(ms, lang, timeZone, 'medium')} ${formatTime(ms, lang, timeZone)}`;
}

/** "2026년 11월 29일" / "November 29, 2026" (long) or the medium form. */
export function formatDate(ms: number, lang: Lang, timeZone: string, style: 'long' | 'medium' = 'long'): string {
  return display(localeOf(lang), timeZone, { dateStyle: style }, `date-${style}`).format(ms);
}

/** How many entries the caches hold (for tests: they stay bounded whatever zones are asked for). */
export function timeCacheSizes() {
  return { zoneNames: zoneNames.size, partsFormatters: partsFormatters.size, hourOffsets: hourOffsets.size, displayFormatters: displayFormatters.size };
}
