import type { Db } from '../db';
import { calledName } from '../couple/names';
import { isLang, type Lang } from '../i18n/index';

/** A partner who may be reminded, with what their reminders are made of. */
export interface ReminderRecipient {
  userId: number;
  coupleId: number;
  lang: Lang;
  /** as they set it (null: APP_TIMEZONE) */
  timeZone: string | null;
  /** what they call their partner, else the partner's login ID */
  partnerName: string;
  /** whether they let notifications show what was sent: off, a D-day's title stays off the lock screen */
  previews: boolean;
  partnerBirthday: string | null;
  startedOn: string | null;
  startedAt: number;
  dday: { date: string; title: string } | null;
}

/**
 * Every partner with notifications on (a device subscribed) in a couple that is together:
 * no break-up pending, as the wish of one partner to part makes "내일은 우리 300일이에요"
 * the wrong thing to hear (it comes again if the break-up is taken back in time), and a
 * couple whose break-up took effect is gone. One query across couples, as the break-up
 * sweep reads due couples: the reminders are the server's, not any one request's.
 */
export async function reminderRecipients(db: Db): Promise<ReminderRecipient[]> {
  const rows = await db('users as u')
    .join('couples as c', 'c.id', 'u.couple_id')
    .join('users as p', (on) => on.on('p.couple_id', '=', 'u.couple_id').andOn('p.id', '<>', 'u.id'))
    .leftJoin('calendar_events as d', (on) => on.on('d.couple_id', '=', 'c.id').andOnVal('d.dday', '=', true).andOnNull('d.deleted_at'))
    .whereNull('c.breakup_due_at')
    .whereExists((q) => q.select(db.raw('1')).from('push_subscriptions as s').whereRaw('s.user_id = u.id'))
    .orderBy('u.id')
    .orderBy('d.id')
    .select(
      'u.id as user_id',
      'u.couple_id',
      'u.language',
      'u.time_zone',
      'u.partner_nickname',
      'u.push_previews',
      'p.login_id as partner_login_id',
      'p.birthday as partner_birthday',
      'c.started_on',
      'c.started_at',
      'd.date as dday_date',
      'd.title as dday_title',
    );
  const byUser = new Map<number, ReminderRecipient>();
  for (const r of rows) {
    const userId = Number(r.user_id);
    if (byUser.has(userId)) continue; // one D-day per couple, kept so by the writes; the first if ever more
    byUser.set(userId, {
      userId,
      coupleId: Number(r.couple_id),
      lang: isLang(r.language) ? r.language : 'ko',
      timeZone: r.time_zone ?? null,
      partnerName: calledName(String(r.partner_login_id), r.partner_nickname),
      previews: Number(r.push_previews) !== 0,
      partnerBirthday: r.partner_birthday ?? null,
      startedOn: r.started_on ?? null,
      startedAt: Number(r.started_at),
      dday: r.dday_date ? { date: String(r.dday_date), title: String(r.dday_title) } : null,
    });
  }
  return [...byUser.values()];
}
