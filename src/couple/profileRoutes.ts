import Router from '@koa/router';
import type { Context } from 'koa';
import { latestSeq } from '../realtime/eventLog';
import { dayOf } from '../time';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { notFound } from '../web/errors';
import { field, hasErrors, type FieldErrors } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { receivePhoto } from '../chat/receivePhoto';
import { setCouplePhoto } from './photo';
import { coupleProfile, parseProfile, saveProfile, type ProfileField, type ProfileForm } from './profile';
import { formatCalendarDate, profilePage } from './profileView';
import { togetherSince } from './together';
import { upcomingMarks } from '../calendar/marks';

/** GET /couple, POST /couple/profile, POST /couple/photo: the couple's profile page and its two forms. */
export const profileRoutes = new Router();

async function profileData(ctx: Context, form?: { values: ProfileForm; errors: FieldErrors<ProfileField> }) {
  const profile = await coupleProfile(ctx.deps.db, coupleIdOf(ctx), userOf(ctx).id);
  if (!profile) throw notFound();
  const page = profilePage(profile, ctx.deps.clock.now(), viewerTimeZone(ctx), ctx.state.lang, ctx.state.t, form);
  // the days ahead that can be the D-day (POST /calendar/dday/mark)
  const birthdays = [profile.partner, profile.me].flatMap((p) => (p.birthday ? [{ name: p.name, birthday: p.birthday }] : []));
  const upcoming = upcomingMarks(togetherSince(profile, viewerTimeZone(ctx)), birthdays, page.today, ctx.state.t).map((m) => ({ ...m, when: formatCalendarDate(m.date, ctx.state.lang) }));
  return { ...page, upcoming };
}

async function renderProfile(ctx: Context, form?: { values: ProfileForm; errors: FieldErrors<ProfileField> }, status?: number) {
  // The stream resumes from the event this render saw, so nothing between render and connect is missed.
  const seq = await latestSeq(ctx.deps.db, coupleIdOf(ctx));
  ctx.render('couple/profile', { seq, ...(await profileData(ctx, form)) }, { status, fragment: 'couple/_profile' });
}

profileRoutes.get('/couple', requireCouple, (ctx) => renderProfile(ctx));

profileRoutes.post('/couple/profile', requireCouple, async (ctx) => {
  const values: ProfileForm = { partner_nickname: field(ctx, 'partner_nickname').slice(0, 200), started_on: field(ctx, 'started_on').slice(0, 40), birthday: field(ctx, 'birthday').slice(0, 40) };
  const { input, errors } = parseProfile(values, dayOf(ctx.deps.clock.now(), viewerTimeZone(ctx)));
  if (hasErrors(errors)) return renderProfile(ctx, { values, errors }, 422);
  await saveProfile(ctx.changes, coupleIdOf(ctx), userOf(ctx).id, input);
  ctx.flash('info', 'profile.saved');
  ctx.done('/couple', { view: 'couple/_profile', data: await profileData(ctx) });
});

profileRoutes.post('/couple/photo', requireCouple, async (ctx) => {
  const coupleId = coupleIdOf(ctx);
  const photo = await receivePhoto(ctx, coupleId);
  let replaced: string[];
  try {
    replaced = await setCouplePhoto(ctx.changes, coupleId, userOf(ctx).id, photo);
  } catch (err) {
    await ctx.storage.remove(photo.storageKey);
    throw err;
  }
  for (const key of replaced) await ctx.storage.remove(key).catch((err) => console.error(`couple photo of ${coupleId}: cannot remove ${key}: ${err.message}`));
  ctx.flash('info', 'profile.photo.saved');
  ctx.done('/couple');
});
