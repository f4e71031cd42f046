import Router from '@koa/router';
import { canonicalZone } from '../time';
import { isLang } from '../i18n/index';
import { requireUser, userOf } from '../web/auth';
import { field, localPath } from '../web/form';
import { setLang } from '../web/i18n';
import { revokeSessions } from './session';
import { deleteUnpairedUser } from './deletion';
import { hashPassword } from './passwords';
import { validatePasswordChange } from './rules';
import { hasErrors } from '../web/form';
import { endSession } from './session';
import { users } from './users';
import { passwordMatches, renderAccount, type AccountErrors } from './accountPage';

export const accountRoutes = new Router();


accountRoutes.get('/account', requireUser, (ctx) => renderAccount(ctx));

accountRoutes.post('/account/password', requireUser, async (ctx) => {
  const input = {
    currentPassword: field(ctx, 'current_password'),
    newPassword: field(ctx, 'new_password'),
    newPasswordConfirm: field(ctx, 'new_password_confirm'),
  };
  const errors: AccountErrors = validatePasswordChange(input);
  if (!errors.current_password && !(await passwordMatches(ctx, input.currentPassword))) {
    errors.current_password = 'password.wrong';
  }
  if (hasErrors(errors)) return renderAccount(ctx, errors, 422);

  const user = userOf(ctx);
  await users(ctx.deps.db).where({ id: user.id }).update({ password_hash: await hashPassword(input.newPassword) });
  // Every session of the user ends, streams included; this device carries on under a new session id.
  const now = ctx.deps.clock.now();
  await revokeSessions(ctx.deps.db, user.id, now);
  await ctx.hub.endUser(user.id);
  ctx.session!.issuedAt = now;
  await ctx.session!.regenerate();
  ctx.flash('info', 'account.password.done');
  ctx.done('/account');
});

accountRoutes.post('/account/settings', requireUser, async (ctx) => {
  const settings = { language: field(ctx, 'language'), week_start: field(ctx, 'week_start'), time_zone: field(ctx, 'time_zone') };
  const errors: AccountErrors = {};
  if (!isLang(settings.language)) errors.language = 'account.settings.invalid';
  if (settings.week_start !== '0' && settings.week_start !== '1') errors.week_start = 'account.settings.invalid';
  const timeZone = settings.time_zone === '' ? null : canonicalZone(settings.time_zone);
  if (settings.time_zone !== '' && !timeZone) errors.time_zone = 'account.settings.invalid';
  if (hasErrors(errors)) return renderAccount(ctx, errors, 422, settings);

  const language = settings.language as 'ko' | 'en';
  await users(ctx.deps.db)
    .where({ id: userOf(ctx).id })
    .update({ language, week_start: Number(settings.week_start), time_zone: timeZone });
  setLang(ctx, language);
  ctx.flash('info', 'account.settings.done');
  ctx.done('/account');
});

accountRoutes.post('/account/delete', requireUser, async (ctx) => {
  if (userOf(ctx).coupleId !== null) return renderAccount(ctx, { password: 'account.delete.paired' }, 409);
  if (!(await passwordMatches(ctx, field(ctx, 'password')))) {
    return renderAccount(ctx, { password: 'password.wrong' }, 422);
  }
  if (!(await deleteUnpairedUser(ctx.deps.db, userOf(ctx).id))) {
    return renderAccount(ctx, { password: 'account.delete.paired' }, 409);
  }
  await endSession(ctx);
  ctx.flash('info', 'account.delete.done');
  ctx.done('/login');
});

/** The language switch in every page's footer; also works before log-in. */
accountRoutes.post('/language', async (ctx) => {
  const language = field(ctx, 'language');
  if (isLang(language)) {
    setLang(ctx, language);
    if (ctx.state.user) await users(ctx.deps.db).where({ id: ctx.state.user.id }).update({ language });
  }
  ctx.done(localPath(field(ctx, 'back')));
});
