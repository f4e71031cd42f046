import Router from '@koa/router';
import type { Context } from 'koa';
import { hasErrors, type FieldErrors } from '../web/form';
import { findCouple } from '../couple/couples';
import { birthdaysOf } from '../couple/profile';
import { latestSeq } from '../realtime/eventLog';
import { dayOf, parseDate } from '../time';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { field, idParam, queryField } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { monthOf, parseMonth, type Month } from './dates';
import { addCalendarEvent, clearDday, deleteCalendarEvent, markDayAsDday, markDday, restoreCalendarEvent } from './events';
import { marksOn } from './marks';
import { togetherSince } from '../couple/together';
import { cleanTitle, planErrors, type PlanField } from './parse';
import { calendarPage, monthPath } from './views';

export const calendarRoutes = new Router();

/** The add form's date from the address (`?date=`, a tap on a day without JavaScript), when it is one. */
const chosenDate = (ctx: Context): string | null => {
  const date = queryField(ctx, 'date');
  return parseDate(date) ? date : null;
};

interface AddForm {
  values: { date: string; title: string };
  errors: FieldErrors<PlanField>;
}

const thisMonth = (ctx: Context): Month => monthOf(dayOf(ctx.deps.clock.now(), viewerTimeZone(ctx)));

/** The month's calendar as this viewer sees it, with the add form (empty, or as it was sent). */
async function calendarView(ctx: Context, month: Month, form?: AddForm) {
  const me = userOf(ctx);
  const coupleId = coupleIdOf(ctx);
  const couple = await findCouple(ctx.deps.db, coupleId, me.id);
  if (!couple) throw notFound();
  const page = await calendarPage(ctx.deps.db, {
    coupleId,
    month,
    weekStart: me.weekStart,
    couple,
    birthdays: await birthdaysOf(ctx.deps.db, coupleId),
    now: ctx.deps.clock.now(),
    timeZone: viewerTimeZone(ctx),
    t: ctx.state.t,
  });
  const date = page.today.startsWith(page.month) ? page.today : `${page.month}-01`;
  return { ...page, values: form?.values ?? { date, title: '' }, errors: form?.errors ?? {} };
}

async function renderCalendar(ctx: Context, month: Month, form?: AddForm, status?: number) {
  // The stream resumes from the event this render saw, so nothing between render and connect is missed.
  const seq = await latestSeq(ctx.deps.db, coupleIdOf(ctx));
  ctx.render('calendar/calendar', { seq, ...(await calendarView(ctx, month, form)) }, { status, fragment: 'calendar/_calendar' });
}

/** After a change: the month of the day it touched (for htmx, that month's calendar in place). */
async function backTo(ctx: Context, month: Month) {
  const location = monthPath(month);
  ctx.set('HX-Push-Url', location); // htmx shows the month's address; a plain form's browser follows the 303 there
  ctx.done(location, { view: 'calendar/_calendar', data: await calendarView(ctx, month) });
}

calendarRoutes.get('/calendar', requireCouple, async (ctx) => {
  const date = chosenDate(ctx);
  const month = parseMonth(queryField(ctx, 'month')) ?? (date ? monthOf(date) : thisMonth(ctx));
  await renderCalendar(ctx, month, date ? { values: { date, title: '' }, errors: {} } : undefined);
});

calendarRoutes.post('/calendar/events', requireCouple, async (ctx) => {
  const values = { date: field(ctx, 'date').trim(), title: field(ctx, 'title') };
  const title = cleanTitle(values.title);
  const errors = planErrors(values.date, title);
  if (hasErrors(errors)) {
    const month = (errors.date ? null : monthOf(values.date)) ?? parseMonth(field(ctx, 'month')) ?? thisMonth(ctx);
    return renderCalendar(ctx, month, { values, errors }, 422);
  }
  await addCalendarEvent(ctx.changes, coupleIdOf(ctx), userOf(ctx).id, values.date, title);
  ctx.flash('info', 'calendar.added');
  await backTo(ctx, monthOf(values.date));
});

calendarRoutes.post('/calendar/events/:id/delete', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  const date = id === null ? null : await deleteCalendarEvent(ctx.changes, coupleIdOf(ctx), id);
  if (!date) throw notFound();
  ctx.flash('info', 'undo.deleted', undefined, { action: `/calendar/events/${id}/restore` });
  await backTo(ctx, monthOf(date));
});

/** Undoes a delete ("되돌리기"): the plan as it was. Again, or for a plan that is there, changes nothing. */
calendarRoutes.post('/calendar/events/:id/restore', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  const date = id === null ? null : await restoreCalendarEvent(ctx.changes, coupleIdOf(ctx), id);
  if (!date) throw notFound();
  ctx.flash('info', 'calendar.restored');
  await backTo(ctx, monthOf(date));
});

calendarRoutes.post('/calendar/events/:id/dday', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  const change = id === null ? null : await markDday(ctx.changes, coupleIdOf(ctx), id);
  if (!change) throw notFound();
  ctx.flash('info', 'calendar.dday.marked');
  await backTo(ctx, monthOf(change.date));
});

calendarRoutes.post('/calendar/dday/clear', requireCouple, async (ctx) => {
  const date = await clearDday(ctx.changes, coupleIdOf(ctx));
  ctx.flash('info', 'calendar.dday.cleared');
  await backTo(ctx, date ? monthOf(date) : thisMonth(ctx));
});

/** A day of the couple's own (an anniversary, a birthday) as the D-day: `date` must be one of them (this app's addition). */
calendarRoutes.post('/calendar/dday/mark', requireCouple, async (ctx) => {
  const date = field(ctx, 'date').trim();
  const coupleId = coupleIdOf(ctx);
  const couple = parseDate(date) ? await findCouple(ctx.deps.db, coupleId, userOf(ctx).id) : null;
  const [label] = couple ? marksOn(togetherSince(couple, viewerTimeZone(ctx)), await birthdaysOf(ctx.deps.db, coupleId), date, ctx.state.t) : [];
  if (!label) throw new AppError(422, 'calendar.mark.none');
  await markDayAsDday(ctx.changes, coupleId, userOf(ctx).id, date, label);
  ctx.flash('info', 'calendar.dday.marked');
  await backTo(ctx, monthOf(date));
});
