import { monthOf } from '../calendar/dates';
import { monthPath } from '../calendar/views';
import { translator, type MessageKey } from '../i18n/index';
import { shorten, type Payload } from '../push/payload';
import { occasionKey, type Occasion, type Reminder } from './occasions';
import type { ReminderRecipient } from './recipients';

/** Each occasion's text: [the day before, the day itself]. */
const TEXTS: Record<Occasion['kind'], [MessageKey, MessageKey]> = {
  days: ['push.reminder.days.eve', 'push.reminder.days.day'],
  years: ['push.reminder.years.eve', 'push.reminder.years.day'],
  dday: ['push.reminder.dday.eve', 'push.reminder.dday.day'],
  birthday: ['push.reminder.birthday.eve', 'push.reminder.birthday.day'],
};

/** The D-day's texts when the recipient keeps what was written off the lock screen: its title is the couple's words. */
const PRIVATE_DDAY: [MessageKey, MessageKey] = ['push.reminder.dday.eve.private', 'push.reminder.dday.day.private'];

function paramsOf(occasion: Occasion, partnerName: string): Record<string, string | number> {
  if (occasion.kind === 'dday') return { title: occasion.title };
  if (occasion.kind === 'birthday') return { partner: partnerName };
  return { n: occasion.n };
}

/**
 * The notification of a reminder, in the recipient's language, titled with the partner's
 * name as a message from them is: "내일은 우리 300일이에요". It opens the occasion's day on
 * the calendar; the day itself replaces the day before's notification (same tag).
 */
export function reminderPayload(reminder: Reminder, recipient: Pick<ReminderRecipient, 'lang' | 'partnerName' | 'previews'>): Payload {
  const t = translator(recipient.lang);
  const [eve, day] = reminder.occasion.kind === 'dday' && !recipient.previews ? PRIVATE_DDAY : TEXTS[reminder.occasion.kind];
  return {
    title: recipient.partnerName,
    body: shorten(t(reminder.lead === 1 ? eve : day, paramsOf(reminder.occasion, recipient.partnerName))),
    url: `${monthPath(monthOf(reminder.on))}#day-${reminder.on}`,
    tag: `reminder-${occasionKey(reminder.occasion)}-${reminder.on}`,
  };
}
