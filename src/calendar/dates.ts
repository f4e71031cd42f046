import type { Translate } from '../i18n/index';
import { parseDate } from '../time';

// Calendar dates are plain 'YYYY-MM-DD' strings with no zone: a plan is on a day, not at
// an instant. Only "today" and the pairing day come from instants, read in the viewer's
// zone by the caller (time.dayOf). The arithmetic runs on UTC midnights, where every day
// has 24 hours.

export interface Month {
  year: number;
  month: number;
}

export type WeekStart = 0 | 1;

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const utcOf = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const dateOfUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** '2026-05' → { 2026, 5 }; null for anything else (2024-13, 0000-01, abc, …). */
export function parseMonth(raw: string): Month | null {
  const m = /^(\d{4})-(\d{2})$/.exec(raw);
  if (!m || !parseDate(`${m[1]}-${m[2]}-01`)) return null;
  return { year: Number(m[1]), month: Number(m[2]) };
}

export const monthKey = (m: Month): string => `${pad(m.year, 4)}-${pad(m.month)}`;

/** The month a 'YYYY-MM-DD' date is in. */
export const monthOf = (date: string): Month => ({ year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) });

/** `n` months later (earlier when negative); null when that leaves the years dates may have. */
export function addMonths(m: Month, n: number): Month | null {
  const index = m.year * 12 + (m.month - 1) + n;
  return parseMonth(monthKey({ year: Math.floor(index / 12), month: (index % 12) + 1 }));
}

export const addDays = (date: string, n: number): string => dateOfUtc(utcOf(date) + n * DAY_MS);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((utcOf(to) - utcOf(from)) / DAY_MS);

/** 0 = Sunday … 6 = Saturday, in the order the week's columns go. */
export const weekdayOrder = (weekStart: WeekStart): number[] => [0, 1, 2, 3, 4, 5, 6].map((i) => (i + weekStart) % 7);

/**
 * The weeks shown for a month: whole weeks from the one holding the 1st to the one
 * holding the last day, so the first and last rows carry days of the months around it.
 */
export function monthGrid(m: Month, weekStart: WeekStart): string[][] {
  const first = Date.UTC(m.year, m.month - 1, 1);
  const daysInMonth = new Date(Date.UTC(m.year, m.month, 0)).getUTCDate();
  const lead = (new Date(first).getUTCDay() - weekStart + 7) % 7;
  const weeks = Math.ceil((lead + daysInMonth) / 7);
  const start = first - lead * DAY_MS;
  return Array.from({ length: weeks }, (_, w) => Array.from({ length: 7 }, (_, d) => dateOfUtc(start + (w * 7 + d) * DAY_MS)));
}

/** "D-3 생일" before the day, "D-Day 생일" on it, "D+2 생일" after it, `today` being the viewer's date. */
export function ddayLabel(target: string, today: string, title: string, t: Translate): string {
  const n = daysBetween(today, target);
  if (n > 0) return t('calendar.dday.before', { n, title });
  if (n === 0) return t('calendar.dday.today', { title });
  return t('calendar.dday.after', { n: -n, title });
}

export { togetherDays } from '../couple/together';

export type Anniversary = { kind: 'days'; n: number } | { kind: 'years'; n: number };

export const MILESTONE_DAYS = [100, 200, 300, 1000] as const;

/** A date's month and day in `year`; 29 February comes back on the 28th in common years. */
export function yearlyOn(date: string, year: number): string {
  const [month, day] = [Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(day, lastDay))}`;
}

/** The n-th yearly anniversary. */
const yearlyAnniversary = (startDay: string, n: number): string => yearlyOn(startDay, Number(startDay.slice(0, 4)) + n);

/** The days between `from` and `to` (inclusive) that mark 100, 200, 300 or 1000 days together, or a year. */
export function anniversaries(startDay: string, from: string, to: string): Map<string, Anniversary[]> {
  const found: [string, Anniversary][] = MILESTONE_DAYS.map((n) => [addDays(startDay, n - 1), { kind: 'days', n }]);
  const startYear = Number(startDay.slice(0, 4));
  for (let n = Math.max(1, Number(from.slice(0, 4)) - startYear); n <= Number(to.slice(0, 4)) - startYear; n++) {
    found.push([yearlyAnniversary(startDay, n), { kind: 'years', n }]);
  }
  const out = new Map<string, Anniversary[]>();
  for (const [date, anniversary] of found) {
    if (date >= from && date <= to) out.set(date, [...(out.get(date) ?? []), anniversary]);
  }
  return out;
}

export function anniversaryLabel(a: Anniversary, t: Translate): string {
  return a.kind === 'days' ? t('calendar.anniversary.days', { n: a.n }) : t('calendar.anniversary.years', { n: a.n });
}
