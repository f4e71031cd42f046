import type { Lang, Translate } from '../i18n/index';
import { dayOf, formatDate } from '../time';
import type { CoupleProfile, ProfileField, ProfileForm } from './profile';
import type { FieldErrors } from '../web/form';
import { togetherDays, togetherSince, type TogetherStart } from './together';

/** A calendar date ('YYYY-MM-DD', no zone) as words: "2024년 5월 1일", "May 1, 2024". */
export const formatCalendarDate = (date: string, lang: Lang): string =>
  formatDate(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))), lang, 'UTC');

/** "2024년 5월 1일부터 함께 · 100일째": the chat header's line under the names. */
export function sinceLine(couple: TogetherStart, now: number, timeZone: string, lang: Lang, t: Translate): string {
  const since = togetherSince(couple, timeZone);
  return t('chat.sinceDays', { date: formatCalendarDate(since, lang), n: togetherDays(since, dayOf(now, timeZone)) });
}

/** Everything GET /couple shows, with the form as it is stored or as it was sent. */
export function profilePage(profile: CoupleProfile, now: number, timeZone: string, lang: Lang, t: Translate, form?: { values: ProfileForm; errors: FieldErrors<ProfileField> }) {
  const since = togetherSince(profile, timeZone);
  const birthday = (date: string | null) => (date ? formatCalendarDate(date, lang) : t('profile.birthday.unset'));
  return {
    photoFileId: profile.photoFileId,
    me: { loginId: profile.me.loginId, name: profile.me.name, birthday: birthday(profile.me.birthday) },
    partner: { loginId: profile.partner.loginId, name: profile.partner.name, birthday: birthday(profile.partner.birthday) },
    since: formatCalendarDate(since, lang),
    together: togetherDays(since, dayOf(now, timeZone)),
    values: form?.values ?? { partner_nickname: profile.me.partnerNickname ?? '', started_on: profile.startedOn ?? '', birthday: profile.me.birthday ?? '' },
    errors: form?.errors ?? {},
    pairingDay: dayOf(profile.startedAt, timeZone),
    today: dayOf(now, timeZone),
  };
}
