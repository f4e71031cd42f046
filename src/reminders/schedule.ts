import type { DefaultContext } from 'koa';
import { togetherSince } from '../couple/together';
import { addDays } from '../calendar/dates';
import type { DeliveryOptions } from '../push/sender';
import { canonicalZone, dayOf, wallClock } from '../time';
import { claimReminder, reminderKey, sentReminders } from './claims';
import { remindersOn } from './occasions';
import { reminderPayload } from './payload';
import { reminderRecipients, type ReminderRecipient } from './recipients';

/** What sending reminders needs: the database, config and clock, and the notifier (a ctx or app.context). */
export type ReminderParts = Pick<DefaultContext, 'deps' | 'push'>;

/**
 * Reminders go from 9:00 in the recipient's zone. One the server could not send by 21:00
 * (it was down all day) is not sent at all: a late-evening "오늘은 우리 300일이에요" is
 * still worth having, one at midnight or the next day is not (the day itself still comes
 * the next morning when the day before was missed).
 */
export const REMIND_FROM_HOUR = 9;
export const REMIND_UNTIL_HOUR = 21;

/** A reminder is of today or tomorrow: a phone that is off gets it within half a day, or never. */
const DELIVERY: DeliveryOptions = { ttl: 12 * 3600, urgency: 'normal' };

/** Sends the recipient what is due and not yet sent; how many it sent. */
async function remind(app: ReminderParts, recipient: ReminderRecipient, now: number): Promise<number> {
  const zone = (recipient.timeZone && canonicalZone(recipient.timeZone)) || app.deps.config.timeZone;
  const hour = wallClock(now, zone).hour;
  if (hour < REMIND_FROM_HOUR || hour >= REMIND_UNTIL_HOUR) return 0;
  const today = dayOf(now, zone);
  const startDay = togetherSince(recipient, zone);
  const due = remindersOn(today, { startDay, partnerBirthday: recipient.partnerBirthday, dday: recipient.dday });
  if (due.length === 0) return 0;
  const { coupleId, userId } = recipient;
  const sent = await sentReminders(app.deps.db, coupleId, userId, [today, addDays(today, 1)]);
  let count = 0;
  for (const reminder of due.filter((r) => !sent.has(reminderKey(r)))) {
    if (!(await claimReminder(app.deps.db, coupleId, userId, reminder, now))) continue; // another instance has it
    await app.push.toUser(userId, reminderPayload(reminder, recipient), DELIVERY);
    count++;
  }
  return count;
}

/**
 * Sends every reminder due at `now` that was not sent yet, by this instance or another;
 * resolves to how many it sent. The due work is read from the database, so a restart
 * (or the server coming back at 11:00 after being down at 9:00) sends what is owed.
 */
export async function sendDueReminders(app: ReminderParts, now: number): Promise<number> {
  let sent = 0;
  for (const recipient of await reminderRecipients(app.deps.db)) {
    sent += await remind(app, recipient, now).catch((err: Error) => {
      console.error(`reminders: user ${recipient.userId}: ${err.message}`);
      return 0;
    });
  }
  return sent;
}

export const REMIND_EVERY_MS = 60_000;

/**
 * Reminders go out at 9:00 in each recipient's zone whoever is online: one sweep at
 * start-up (a restart at 11:00 sends the morning's), then one a minute, on the app's
 * clock. Several instances may sweep at once; each reminder's claim (a unique row)
 * decides which one sends it. stop() resolves when a sweep in flight has finished.
 */
export function startReminders(app: ReminderParts, everyMs = REMIND_EVERY_MS): { firstSweep: Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const sweep = () => {
    running ??= sendDueReminders(app, app.deps.clock.now())
      .then(() => undefined)
      .catch((err) => console.error(`reminders sweep: ${(err as Error).message}`))
      .finally(() => (running = null));
    return running;
  };
  const firstSweep = sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    firstSweep,
    stop: () => {
      clearInterval(timer);
      return running ?? Promise.resolve();
    },
  };
}
