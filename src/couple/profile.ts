import type { Db } from '../db';
import type { MessageKey } from '../i18n/index';
import { cleanText, looksBlank } from '../language/text';
import type { CoupleChanges } from '../realtime/coupleChanges';
import { parseDate } from '../time';
import type { FieldErrors } from '../web/form';
import { calledName } from './names';

export const MAX_NICKNAME_CHARS = 20;

export type ProfileField = 'partner_nickname' | 'started_on' | 'birthday';

/** The profile form as it was sent (kept as typed, to show again with its errors). */
export type ProfileForm = Record<ProfileField, string>;

/** What the form sets: my name for my partner, 사귄 날 (the couple's), my birthday; null clears each. */
export interface ProfileInput {
  partnerNickname: string | null;
  startedOn: string | null;
  birthday: string | null;
}

/** '' is no date (null); otherwise a real 'YYYY-MM-DD' from 1900 up to today. */
function dateError(value: string, today: string): MessageKey | null {
  if (value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'profile.date.invalid';
  if (value < '1900-01-01') return 'profile.date.tooEarly';
  if (!parseDate(value)) return 'profile.date.invalid';
  if (value > today) return 'profile.date.future';
  return null;
}

/**
 * The profile form, checked: a nickname of nothing visible is none (the login ID shows),
 * one over 20 characters is refused; dates must be real, not before 1900 and not after
 * `today` (the viewer's date): nobody starts dating, or is born, tomorrow.
 */
export function parseProfile(form: ProfileForm, today: string): { input: ProfileInput; errors: FieldErrors<ProfileField> } {
  const errors: FieldErrors<ProfileField> = {};
  const nickname = cleanText(form.partner_nickname).replace(/\s+/g, ' ');
  if ([...nickname].length > MAX_NICKNAME_CHARS) errors.partner_nickname = 'profile.nickname.tooLong';
  const [startedOn, birthday] = [form.started_on.trim(), form.birthday.trim()];
  const startedError = dateError(startedOn, today);
  if (startedError) errors.started_on = startedError;
  const birthdayError = dateError(birthday, today);
  if (birthdayError) errors.birthday = birthdayError;
  return {
    input: { partnerNickname: looksBlank(nickname) ? null : nickname, startedOn: startedOn || null, birthday: birthday || null },
    errors,
  };
}

/**
 * Stores the profile with its event (the partner's open pages show the change); the same
 * profile again changes nothing and announces nothing. Resolves to whether it changed.
 */
export async function saveProfile(changes: CoupleChanges, coupleId: number, userId: number, input: ProfileInput): Promise<boolean> {
  return changes.change(coupleId, async ({ trx, emit, lock }) => {
    await lock(); // first: the couple's lock, before anything is read
    const couple = await trx('couples').where({ id: coupleId }).first('started_on');
    const me = await trx('users').where({ id: userId, couple_id: coupleId }).first('partner_nickname', 'birthday');
    if (!couple || !me) return false;
    if ((couple.started_on ?? null) === input.startedOn && (me.partner_nickname ?? null) === input.partnerNickname && (me.birthday ?? null) === input.birthday) return false;
    await trx('couples').where({ id: coupleId }).update({ started_on: input.startedOn });
    await trx('users').where({ id: userId, couple_id: coupleId }).update({ partner_nickname: input.partnerNickname, birthday: input.birthday });
    await emit('profile', { by: userId });
    return true;
  });
}

export interface Partner {
  id: number;
  loginId: string;
  /** as the other partner calls them */
  name: string;
  birthday: string | null;
}

export interface CoupleProfile {
  startedAt: number;
  startedOn: string | null;
  photoFileId: number | null;
  me: Partner & { partnerNickname: string | null };
  partner: Partner;
}

/** The couple's profile as one of its partners sees it; null when they are not in it. */
export async function coupleProfile(db: Db, coupleId: number, viewerId: number): Promise<CoupleProfile | null> {
  const couple = await db('couples').where({ id: coupleId }).first('started_at', 'started_on', 'photo_file_id');
  const users = await db('users').where({ couple_id: coupleId }).select('id', 'login_id', 'partner_nickname', 'birthday');
  const me = users.find((u) => Number(u.id) === viewerId);
  const partner = users.find((u) => Number(u.id) !== viewerId);
  if (!couple || !me || !partner) return null;
  const person = (u: Record<string, unknown>, other: Record<string, unknown>): Partner => ({
    id: Number(u.id),
    loginId: String(u.login_id),
    name: calledName(String(u.login_id), (other.partner_nickname as string | null) ?? null),
    birthday: (u.birthday as string | null) ?? null,
  });
  return {
    startedAt: Number(couple.started_at),
    startedOn: couple.started_on ?? null,
    photoFileId: couple.photo_file_id === null || couple.photo_file_id === undefined ? null : Number(couple.photo_file_id),
    me: { ...person(me, partner), partnerNickname: me.partner_nickname ?? null },
    partner: person(partner, me),
  };
}

/** Each partner's birthday with the name it shows under (for the calendar): none when not set. */
export async function birthdaysOf(db: Db, coupleId: number): Promise<{ userId: number; name: string; birthday: string }[]> {
  const users = await db('users').where({ couple_id: coupleId }).orderBy('id').select('id', 'login_id', 'partner_nickname', 'birthday');
  return users.flatMap((u, i) => (u.birthday ? [{ userId: Number(u.id), name: calledName(String(u.login_id), users[1 - i]?.partner_nickname ?? null), birthday: String(u.birthday) }] : []));
}
