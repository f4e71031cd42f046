import type { Knex } from 'knex';
import type { Db } from '../db';
import type { CoupleChanges } from '../realtime/coupleChanges';
import { lockCouple } from '../realtime/eventLog';

/** A plan on the couple's calendar (a "calendar event"; not to be confused with the event log). */
export interface CalendarEventRow {
  id: number;
  date: string;
  title: string;
  dday: boolean;
  created_by: number | null;
  created_at: number;
}

const COLUMNS = ['id', 'date', 'title', 'dday', 'created_by', 'created_at'] as const;

/** Every read of plans starts here: a couple's plans and nothing else (not those deleted). */
export const calendarEventsOf = (db: Db | Knex.Transaction, coupleId: number) => db('calendar_events').where({ couple_id: coupleId }).whereNull('deleted_at');

/** A couple's deleted plans, kept for a while so a delete can be undone (see restoreCalendarEvent). */
const deletedCalendarEventsOf = (db: Db | Knex.Transaction, coupleId: number) => db('calendar_events').where({ couple_id: coupleId }).whereNotNull('deleted_at');

/** How long a deleted plan can be brought back: the notice with "되돌리기" is gone long before. */
export const UNDO_WINDOW_MS = 24 * 60 * 60 * 1000;

const toRow = (r: Record<string, unknown>): CalendarEventRow => ({
  id: Number(r.id),
  date: String(r.date),
  title: String(r.title),
  dday: Boolean(Number(r.dday)),
  created_by: r.created_by === null || r.created_by === undefined ? null : Number(r.created_by),
  created_at: Number(r.created_at),
});

const ordered = (query: Knex.QueryBuilder) => query.orderBy('date').orderBy('id');

function byDate(rows: Record<string, unknown>[]): Map<string, CalendarEventRow[]> {
  const out = new Map<string, CalendarEventRow[]>();
  for (const row of rows.map(toRow)) out.set(row.date, [...(out.get(row.date) ?? []), row]);
  return out;
}

/** Plans from `from` to `to` (inclusive), by date, each day's in the order they were added. */
export async function calendarEventsBetween(db: Db, coupleId: number, from: string, to: string): Promise<Map<string, CalendarEventRow[]>> {
  return byDate(await ordered(calendarEventsOf(db, coupleId).andWhereBetween('date', [from, to])).select(COLUMNS));
}

export async function calendarEventsOn(db: Db, coupleId: number, dates: string[]): Promise<Map<string, CalendarEventRow[]>> {
  if (dates.length === 0) return new Map();
  return byDate(await ordered(calendarEventsOf(db, coupleId).whereIn('date', dates)).select(COLUMNS));
}

export async function currentDday(db: Db, coupleId: number): Promise<CalendarEventRow | null> {
  const row = await calendarEventsOf(db, coupleId).andWhere({ dday: true }).orderBy('id').first(COLUMNS);
  return row ? toRow(row) : null;
}

type Announce = (dates: string[]) => Promise<void>;

/** A change of the couple's plans. It announces the days it touched: one 'calendar' event per date, so each day cell can be redrawn. */
async function calendarChange<T>(changes: CoupleChanges, coupleId: number, work: (trx: Knex.Transaction, announce: Announce, now: number) => Promise<T>): Promise<T> {
  return changes.change(coupleId, ({ trx, emit, now }) => {
    const announce: Announce = async (dates) => {
      for (const date of new Set(dates)) await emit('calendar', { date });
    };
    return work(trx, announce, now);
  });
}

export async function addCalendarEvent(changes: CoupleChanges, coupleId: number, userId: number, date: string, title: string): Promise<CalendarEventRow> {
  return calendarChange(changes, coupleId, async (trx, announce, now) => {
    await announce([date]); // first: taking the event number is the couple lock
    const createdAt = now;
    const [id] = await trx('calendar_events').insert({ couple_id: coupleId, date, title, dday: false, created_by: userId, created_at: createdAt });
    return { id: Number(id), date, title, dday: false, created_by: userId, created_at: createdAt };
  });
}

/**
 * The plan of this couple with this id, read under the couple lock (taken first, as
 * before any append: see lockCouple) so that concurrent changes apply one after another.
 */
async function lockedCalendarEvent(trx: Knex.Transaction, coupleId: number, id: number): Promise<CalendarEventRow | null> {
  await lockCouple(trx, coupleId);
  const row = await calendarEventsOf(trx, coupleId).andWhere({ id }).first(COLUMNS);
  return row ? toRow(row) : null;
}

/**
 * Deletes a plan, keeping it marked (with its D-day flag) so that it can be restored; the
 * couple's plans deleted longer ago than the undo window go for good. Its date, or null
 * when the couple has no such plan.
 */
export async function deleteCalendarEvent(changes: CoupleChanges, coupleId: number, id: number): Promise<string | null> {
  return calendarChange(changes, coupleId, async (trx, announce, now) => {
    const row = await lockedCalendarEvent(trx, coupleId, id);
    if (!row) return null;
    await deletedCalendarEventsOf(trx, coupleId).andWhere('deleted_at', '<', now - UNDO_WINDOW_MS).delete();
    await calendarEventsOf(trx, coupleId).andWhere({ id }).update({ deleted_at: now });
    await announce([row.date]);
    return row.date;
  });
}

/**
 * Brings a deleted plan back as it was: same date and title, and the D-day again if it was
 * the D-day (the plan marked since then stops being it). Restoring a plan that is there
 * changes nothing. Its date, or null when the couple has no such plan (or it is gone for good).
 */
export async function restoreCalendarEvent(changes: CoupleChanges, coupleId: number, id: number): Promise<string | null> {
  return calendarChange(changes, coupleId, async (trx, announce) => {
    const live = await lockedCalendarEvent(trx, coupleId, id);
    if (live) return live.date;
    const found = await deletedCalendarEventsOf(trx, coupleId).andWhere({ id }).first(COLUMNS);
    if (!found) return null;
    const row = toRow(found);
    const previous = row.dday ? (await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).pluck('date')).map(String) : [];
    if (row.dday) await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).update({ dday: false });
    await deletedCalendarEventsOf(trx, coupleId).andWhere({ id }).update({ deleted_at: null });
    await announce([row.date, ...previous]);
    return row.date;
  });
}

export interface DdayChange {
  date: string;
  changed: boolean;
}

/** Makes a plan the couple's one D-day (the previous one stops being it); null when there is no such plan. */
export async function markDday(changes: CoupleChanges, coupleId: number, id: number): Promise<DdayChange | null> {
  return calendarChange(changes, coupleId, async (trx, announce) => {
    const row = await lockedCalendarEvent(trx, coupleId, id);
    if (!row) return null;
    if (row.dday) return { date: row.date, changed: false };
    const previous = await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).pluck('date');
    await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).update({ dday: false });
    await calendarEventsOf(trx, coupleId).andWhere({ id }).update({ dday: true });
    await announce([row.date, ...previous.map(String)]);
    return { date: row.date, changed: true };
  });
}

/** The couple has no D-day afterwards; the date of the one it had, or null when there was none. */
export async function clearDday(changes: CoupleChanges, coupleId: number): Promise<string | null> {
  return calendarChange(changes, coupleId, async (trx, announce) => {
    await lockCouple(trx, coupleId);
    const dates = (await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).pluck('date')).map(String);
    if (dates.length === 0) return null;
    await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).update({ dday: false });
    await announce(dates);
    return dates[0];
  });
}

/**
 * Makes a day of the couple's own (an anniversary, a birthday) the D-day: a plan of that day
 * under its label becomes it, added first when there is none (this app's addition to the
 * contract's D-day, which marks plans). The previous D-day stops being it.
 */
export async function markDayAsDday(changes: CoupleChanges, coupleId: number, userId: number, date: string, title: string): Promise<void> {
  await calendarChange(changes, coupleId, async (trx, announce, now) => {
    await lockCouple(trx, coupleId);
    const previous = (await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).pluck('date')).map(String);
    await calendarEventsOf(trx, coupleId).andWhere({ dday: true }).update({ dday: false });
    const existing = await calendarEventsOf(trx, coupleId).andWhere({ date, title }).orderBy('id').first('id');
    if (existing) await calendarEventsOf(trx, coupleId).andWhere({ id: existing.id }).update({ dday: true });
    else await trx('calendar_events').insert({ couple_id: coupleId, date, title, dday: true, created_by: userId, created_at: now });
    await announce([date, ...previous]);
  });
}
