import type { Db } from '../db';
import type { MessageKey, Translate } from '../i18n/index';
import { dayOf } from '../time';
import {
  addMonths,
  anniversaries,
  anniversaryLabel,
  ddayLabel,
  monthGrid,
  monthKey,
  monthOf,
  togetherDays,
  weekdayOrder,
  type Month,
  type WeekStart,
} from './dates';
import { calendarEventsBetween, currentDday, type CalendarEventRow } from './events';
import { togetherSince, type TogetherStart } from '../couple/together';
import { birthdaysOn, type Birthday } from './marks';

export interface PlanView {
  id: number;
  title: string;
  dday: boolean;
}

export interface DayCell {
  date: string;
  day: number;
  inMonth: boolean;
  today: boolean;
  anniversaries: string[];
  plans: PlanView[];
  /** the month view with the add form for this day (a tap on the day) */
  addHref: string;
  /** what that link says to a screen reader: "5월 14일 일정 추가" */
  addLabel: string;
}

export const planViews = (rows: CalendarEventRow[] = []): PlanView[] => rows.map((r) => ({ id: r.id, title: r.title, dday: r.dday }));

/** A catalog entry that is a comma-separated list (weekday and month names). */
const listOf = (t: Translate, key: MessageKey): string[] => t(key).split(',');

export const monthPath = (m: Month): string => `/calendar?month=${monthKey(m)}`;

/** The day's month with the add form ready for that day (`date`, the add form's own field). */
export const addPlanPath = (date: string): string => `${monthPath(monthOf(date))}&date=${date}#add`;

export interface DdayView {
  label: string;
  /** the D-day's month on the calendar */
  href: string;
}

/** A D-day plan as a viewer whose date is `today` sees it. */
export function ddayOf(dday: CalendarEventRow | null, today: string, t: Translate): DdayView | null {
  if (!dday) return null;
  return { label: ddayLabel(dday.date, today, dday.title, t), href: `${monthPath(monthOf(dday.date))}#day-${dday.date}` };
}

/** The couple's D-day as a viewer whose date is `today` sees it, or null when they have none. */
export async function ddayView(db: Db, coupleId: number, today: string, t: Translate): Promise<DdayView | null> {
  return ddayOf(await currentDday(db, coupleId), today, t);
}

export interface CalendarPageInput {
  coupleId: number;
  month: Month;
  weekStart: WeekStart;
  /** when the couple counts from (see togetherSince) */
  couple: TogetherStart;
  /** each partner's birthday, with the name it shows under */
  birthdays: Birthday[];
  now: number;
  timeZone: string;
  t: Translate;
}

/** Everything the month view shows: the grid with its plans and marks, the counts, the links around. */
export async function calendarPage(db: Db, input: CalendarPageInput) {
  const { month, t } = input;
  const today = dayOf(input.now, input.timeZone);
  const startDay = togetherSince(input.couple, input.timeZone);
  const grid = monthGrid(month, input.weekStart);
  const [from, to] = [grid[0][0], grid.at(-1)![6]];
  const plans = await calendarEventsBetween(db, input.coupleId, from, to);
  const marks = anniversaries(startDay, from, to);
  const weeks: DayCell[][] = grid.map((week) =>
    week.map((date) => ({
      date,
      day: Number(date.slice(8, 10)),
      inMonth: date.slice(0, 7) === monthKey(month),
      today: date === today,
      anniversaries: [...(marks.get(date) ?? []).map((a) => anniversaryLabel(a, t)), ...birthdaysOn(input.birthdays, date).map((name) => t('calendar.birthday', { name }))],
      plans: planViews(plans.get(date)),
      addHref: addPlanPath(date),
      addLabel: t('calendar.addOn', { monthName: listOf(t, 'calendar.monthNames')[Number(date.slice(5, 7)) - 1], day: Number(date.slice(8, 10)) }),
    })),
  );
  const link = (m: Month | null) => (m ? monthPath(m) : null);
  return {
    month: monthKey(month),
    monthTitle: t('calendar.monthTitle', { year: month.year, monthName: listOf(t, 'calendar.monthNames')[month.month - 1] }),
    weekdays: weekdayOrder(input.weekStart).map((d) => ({ short: listOf(t, 'calendar.weekdays')[d], long: listOf(t, 'calendar.weekdaysLong')[d] })),
    weeks,
    today,
    together: togetherDays(startDay, today),
    dday: await ddayView(db, input.coupleId, today, t),
    links: {
      prevYear: link(addMonths(month, -12)),
      prevMonth: link(addMonths(month, -1)),
      nextMonth: link(addMonths(month, 1)),
      nextYear: link(addMonths(month, 12)),
    },
  };
}
