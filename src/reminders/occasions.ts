import { addDays, anniversaries } from '../calendar/dates';

/** What a reminder is of: a 100일 step or a yearly anniversary (as the calendar marks them), the D-day, the partner's birthday. */
export type Occasion = { kind: 'days'; n: number } | { kind: 'years'; n: number } | { kind: 'dday'; title: string } | { kind: 'birthday' };

export interface Reminder {
  occasion: Occasion;
  /** the occasion's date, 'YYYY-MM-DD' */
  on: string;
  /** 1: the day before it; 0: the day itself */
  lead: 0 | 1;
}

/** The dates a partner is reminded of. */
export interface CoupleDates {
  /** 사귄 날 in the recipient's zone (see startDay.ts) */
  startDay: string;
  partnerBirthday: string | null;
  dday: { date: string; title: string } | null;
}

/** How a reminder is stored (reminders_sent.occasion): one per occasion and date, whatever a D-day's title becomes. */
export const occasionKey = (occasion: Occasion): string =>
  occasion.kind === 'days' || occasion.kind === 'years' ? `${occasion.kind}-${occasion.n}` : occasion.kind;

/**
 * The reminders due on the recipient's date `today`: of what falls on today (the day of)
 * and on tomorrow (the day before). The 100일 steps and anniversaries are the ones the
 * calendar marks; a birthday is the birth date's yearly return, by the same arithmetic
 * (29 February on the 28th in common years).
 */
export function remindersOn(today: string, dates: CoupleDates): Reminder[] {
  const tomorrow = addDays(today, 1);
  const lead = (date: string): 0 | 1 => (date === today ? 0 : 1);
  const due: Reminder[] = [];
  for (const [date, marks] of anniversaries(dates.startDay, today, tomorrow)) {
    for (const occasion of marks) due.push({ occasion, on: date, lead: lead(date) });
  }
  const { dday, partnerBirthday } = dates;
  if (dday && (dday.date === today || dday.date === tomorrow)) due.push({ occasion: { kind: 'dday', title: dday.title }, on: dday.date, lead: lead(dday.date) });
  if (partnerBirthday) {
    for (const [date, marks] of anniversaries(partnerBirthday, today, tomorrow)) {
      if (marks.some((m) => m.kind === 'years')) due.push({ occasion: { kind: 'birthday' }, on: date, lead: lead(date) });
    }
  }
  return due;
}
