import { isUniqueViolation, type Db } from '../db';
import { occasionKey, type Reminder } from './occasions';

/** Every read of sent reminders starts here: one partner's, in one couple. */
const sentTo = (db: Db, coupleId: number, userId: number) => db('reminders_sent').where({ couple_id: coupleId, user_id: userId });

const keyOf = (occasion: string, on: string, lead: number) => `${occasion}|${on}|${lead}`;
export const reminderKey = (r: Reminder): string => keyOf(occasionKey(r.occasion), r.on, r.lead);

/** The reminders already sent (or claimed) to this partner for occasions on these dates, by reminderKey. */
export async function sentReminders(db: Db, coupleId: number, userId: number, dates: string[]): Promise<Set<string>> {
  const rows = await sentTo(db, coupleId, userId).whereIn('occasion_on', dates).select('occasion', 'occasion_on', 'lead_days');
  return new Set(rows.map((r) => keyOf(String(r.occasion), String(r.occasion_on), Number(r.lead_days))));
}

/**
 * Claims a reminder for sending: true when this call stored it, false when it was sent
 * (or is being sent) already, by this instance or another. The unique key decides.
 * Claimed before it is sent, so a crash in between loses it rather than sending it twice.
 */
export async function claimReminder(db: Db, coupleId: number, userId: number, r: Reminder, now: number): Promise<boolean> {
  try {
    await db('reminders_sent').insert({ couple_id: coupleId, user_id: userId, occasion: occasionKey(r.occasion), occasion_on: r.on, lead_days: r.lead, sent_at: now });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
