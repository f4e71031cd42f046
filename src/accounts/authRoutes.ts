import Router from '@koa/router';
import { deleteSubscription } from '../push/subscriptions';
import { MAX_ENDPOINT_BYTES } from '../push/parse';
import type { Context } from 'koa';
import { rateLimit, rateWait, retrySeconds } from '../web/rateLimit';
import { requireAnonymous } from '../web/auth';
import { field, queryField } from '../web/form';
import { knownDevice, rememberDevice } from './deviceCookie';
import { beginLoginAttempt, loginSucceeded } from './loginThrottle';
import { hashPassword, verifyNothing, verifyPassword } from './passwords';
import { loginIdError, normalizeLoginId, validateSignup } from './rules';
import { hasErrors } from '../web/form';
import { endSession, startSession } from './session';
import { createUser, findUserByLoginId, loginIdTaken } from './users';

export const authRoutes = new Router();

authRoutes.get('/signup', requireAnonymous, (ctx) => {
  ctx.render('accounts/signup', { values: {}, errors: {} });
});

authRoutes.get('/signup/check-id', rateLimit((limits) => limits.idCheck), async (ctx) => {
  const loginId = normalizeLoginId(queryField(ctx, 'login_id'));
  const error = loginIdError(loginId);
  const status = error ? 'invalid' : (await loginIdTaken(ctx.deps.db, loginId)) ? 'taken' : 'available';
  const key = status === 'available' ? 'loginId.available' : status === 'taken' ? 'loginId.taken' : (error ?? 'loginId.invalid');
  ctx.render('accounts/_id_status', { status, key }, { fragment: 'accounts/_id_status' });
});

authRoutes.post('/signup', requireAnonymous, async (ctx) => {
  const { db } = ctx.deps;
  const input = {
    loginId: normalizeLoginId(field(ctx, 'login_id')),
    password: field(ctx, 'password'),
    passwordConfirm: field(ctx, 'password_confirm'),
  };
  const errors = validateSignup(input);
  if (!errors.login_id && (await loginIdTaken(db, input.loginId))) errors.login_id = 'loginId.taken';
  const again = (status = 422) => ctx.render('accounts/signup', { values: { login_id: field(ctx, 'login_id').slice(0, 100) }, errors }, { status });
  if (hasErrors(errors)) return again();
  // counted once the input is good: a typo costs nothing, an account costs a password hash
  const wait = await signupWait(ctx);
  if (wait) {
    ctx.set('Retry-After', String(retrySeconds(wait)));
    errors.login_id = 'signup.throttled';
    return again(429);
  }

  const userId = await createUser(db, input.loginId, await hashPassword(input.password), ctx.deps.clock.now());
  if (userId === null) {
    errors.login_id = 'loginId.taken';
    return again();
  }
  rememberDevice(ctx, input.loginId);
  await startSession(ctx, userId);
  ctx.flash('info', 'signup.done');
  ctx.done('/pair');
});

/** Sign-ups from this address, in ten minutes and in a day: the longer wait when over either. */
async function signupWait(ctx: Context): Promise<number> {
  const { signup, signupDaily } = ctx.rateLimits;
  return Math.max(await rateWait(ctx, signup), await rateWait(ctx, signupDaily));
}

authRoutes.get('/login', requireAnonymous, (ctx) => {
  ctx.render('accounts/login', { values: {}, error: null });
});

authRoutes.post('/login', requireAnonymous, async (ctx) => {
  const { db } = ctx.deps;
  const loginId = normalizeLoginId(field(ctx, 'login_id'));
  const password = field(ctx, 'password');
  const values = { login_id: field(ctx, 'login_id').slice(0, 100) };

  const attempt = await beginLoginAttempt(ctx.rateStore, { loginId, ip: ctx.ip, device: knownDevice(ctx, loginId) });
  if (attempt.retryAfter > 0) {
    ctx.set('Retry-After', String(attempt.retryAfter));
    const error = ctx.state.t('login.throttled', { minutes: Math.ceil(attempt.retryAfter / 60) });
    return ctx.render('accounts/login', { values, error }, { status: 429 });
  }

  const user = loginIdError(loginId) ? undefined : await findUserByLoginId(db, loginId);
  const ok = user ? await verifyPassword(password, user.password_hash) : await verifyNothing(password);
  if (!user || !ok) {
    return ctx.render('accounts/login', { values, error: ctx.state.t('login.failed') }, { status: 422 });
  }
  await loginSucceeded(ctx.rateStore, attempt);
  rememberDevice(ctx, user.login_id);
  await startSession(ctx, user.id);
  // straight to where they belong, as GET / would send them: on a slow network each redirect is a round trip
  ctx.done(user.couple_id === null ? '/pair' : '/chat');
});

authRoutes.post('/logout', async (ctx) => {
  if (ctx.state.user) {
    // the browser's subscription (app.js puts it in the form): its notifications stop with the log-out
    const endpoint = field(ctx, 'push_endpoint');
    if (endpoint !== '' && Buffer.byteLength(endpoint) <= MAX_ENDPOINT_BYTES) await deleteSubscription(ctx.deps.db, ctx.state.user.id, endpoint);
    await endSession(ctx);
    ctx.flash('info', 'logout.done');
  }
  ctx.done('/login');
});

