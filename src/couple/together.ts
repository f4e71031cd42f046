import { dayOf } from '../time';

/** What counting days together needs of a couple: the pairing instant and 사귄 날, when set. */
export interface TogetherStart {
  /** the pairing instant (couples.started_at) */
  startedAt: number;
  /** 사귄 날, the day they started dating ('YYYY-MM-DD'), or null: the pairing day */
  startedOn: string | null;
}

/**
 * The day a couple counts from, as a viewer in `timeZone` names it: 사귄 날 when they set
 * one, else the pairing day. Days together, the 100일 steps and the yearly anniversaries
 * (the calendar, the chat header, the reminders) all count from this one day.
 */
export function togetherSince(couple: TogetherStart, timeZone: string): string {
  return couple.startedOn ?? dayOf(couple.startedAt, timeZone);
}

const DAY_MS = 86_400_000;
const utcOf = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));

/** The day counted from is day 1, so on the 100th day 99 days have passed. */
export const togetherDays = (startDay: string, today: string): number => Math.max(1, Math.round((utcOf(today) - utcOf(startDay)) / DAY_MS) + 1);
