import type { Eta } from 'eta';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { translator } from '../i18n/index';
import { ofType } from '../realtime/events';
import type { EventRenderer } from '../realtime/hub';
import { dayOf, parseDate } from '../time';
import { calendarEventsOn, currentDday } from './events';
import { ddayOf, planViews } from './views';

/**
 * A calendar change as htmx out-of-band swaps: the changed day's list of plans and the
 * D-day label. Neither depends on the month a viewer has open (the day's list is
 * `data-oob-optional`: a page without that day, the chat's among them, drops it) nor on
 * who the viewer is: only on language and zone ("today" for the D-day count). A replayed
 * event shows the day as it is now.
 */
export function calendarEventRenderer(db: Db, eta: Eta, clock: Clock): EventRenderer {
  return async (coupleId, events) => {
    const ours = ofType(events, 'calendar');
    const dateOf = (payload: { date: string }) => (typeof payload.date === 'string' && parseDate(payload.date) ? payload.date : null);
    const dates = [...new Set(ours.map((e) => dateOf(e.payload)).filter((d) => d !== null))];
    const [plans, ddayPlan] = await Promise.all([calendarEventsOn(db, coupleId, dates), currentDday(db, coupleId)]);
    return (viewer) => {
      const t = translator(viewer.lang);
      const dday = ddayOf(ddayPlan, dayOf(clock.now(), viewer.timeZone), t);
      const out = new Map<number, string>();
      for (const event of ours) {
        const date = dateOf(event.payload);
        out.set(event.seq, eta.render('calendar/_event', { t, date, plans: date ? planViews(plans.get(date)) : [], dday }));
      }
      return out;
    };
  };
}
