import type { Translate } from '../i18n/index';
import { addDays, anniversaries, anniversaryLabel, yearlyOn } from './dates';

/** A partner's birthday with the name it shows under (as the other calls them). */
export interface Birthday {
  name: string;
  birthday: string;
}

/** Whose birthdays fall on `date` (29 February's on the 28th in common years). */
export function birthdaysOn(birthdays: Birthday[], date: string): string[] {
  return birthdays.filter((b) => yearlyOn(b.birthday, Number(date.slice(0, 4))) === date).map((b) => b.name);
}

/** The day's marks as the calendar labels them: 100일, 1주년, 윤석 생일 … */
export function marksOn(startDay: string, birthdays: Birthday[], date: string, t: Translate): string[] {
  return [...(anniversaries(startDay, date, date).get(date) ?? []).map((a) => anniversaryLabel(a, t)), ...birthdaysOn(birthdays, date).map((name) => t('calendar.birthday', { name }))];
}

export interface DayMark {
  date: string;
  label: string;
}

/** The next of each: the next 100일 step, the next anniversary, each partner's next birthday (today counts), soonest first. */
export function upcomingMarks(startDay: string, birthdays: Birthday[], today: string, t: Translate): DayMark[] {
  const found: DayMark[] = [];
  const ahead = [...anniversaries(startDay, today, addDays(today, 366))].sort(([a], [b]) => a.localeCompare(b));
  for (const kind of ['days', 'years'] as const) {
    const next = ahead.find(([, marks]) => marks.some((m) => m.kind === kind));
    const mark = next?.[1].find((m) => m.kind === kind);
    if (next && mark) found.push({ date: next[0], label: anniversaryLabel(mark, t) });
  }
  for (const b of birthdays) {
    const year = Number(today.slice(0, 4));
    const thisYear = yearlyOn(b.birthday, year);
    found.push({ date: thisYear >= today ? thisYear : yearlyOn(b.birthday, year + 1), label: t('calendar.birthday', { name: b.name }) });
  }
  return found.sort((a, b) => a.date.localeCompare(b.date));
}
