import Router from '@koa/router';
import type { Context } from 'koa';
import { renderAccount } from '../accounts/accountPage';
import type { MessageKey } from '../i18n/index';
import { requireUser, userOf } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { field } from '../web/form';
import { MAX_ENDPOINT_BYTES, parsePreviews, parseSubscription } from './parse';
import { deleteSubscription, saveSubscription, setPreviews } from './subscriptions';

export const pushRoutes = new Router();

/** push.js posts with HX-Request and needs nothing back (204); a plain form goes back to the account page. */
function saved(ctx: Context, notice: MessageKey) {
  ctx.flash('info', notice);
  ctx.done('/account', 'nothing');
}

/**
 * The server's VAPID public key, which a browser subscribes with (applicationServerKey),
 * and the CSRF token in a header for the service worker, which has no page to read it
 * from when it posts a subscription the push service replaced (sw.js).
 */
pushRoutes.get('/push/key', requireUser, (ctx) => {
  ctx.type = 'text/plain';
  ctx.set({ 'Cache-Control': 'no-store', 'X-CSRF-Token': ctx.state.csrf });
  ctx.body = ctx.deps.config.vapid.publicKey;
});

/** This browser's subscription (the fields of PushSubscription.toJSON()), stored for the user. */
pushRoutes.post('/push/subscriptions', requireUser, async (ctx) => {
  const fields = { endpoint: field(ctx, 'endpoint'), p256dh: field(ctx, 'p256dh'), auth: field(ctx, 'auth') };
  const parsed = parseSubscription(fields, ctx.deps.config.production);
  if (parsed.error) throw new AppError(422, parsed.error);
  await saveSubscription(ctx.deps.db, userOf(ctx).id, parsed.ok, ctx.get('User-Agent'), ctx.deps.clock.now());
  saved(ctx, 'push.subscribed');
});

/** Turning notifications off on this browser; another user's subscription is not found (404). */
pushRoutes.post('/push/subscriptions/delete', requireUser, async (ctx) => {
  const endpoint = field(ctx, 'endpoint');
  if (endpoint === '' || Buffer.byteLength(endpoint) > MAX_ENDPOINT_BYTES) throw new AppError(422, 'push.error.endpoint');
  if (!(await deleteSubscription(ctx.deps.db, userOf(ctx).id, endpoint))) throw notFound();
  saved(ctx, 'push.unsubscribed');
});

/** Whether notifications may show what was sent (a checkbox: 'on', or nothing for off). */
pushRoutes.post('/account/push-previews', requireUser, async (ctx) => {
  const parsed = parsePreviews(field(ctx, 'previews'));
  if (parsed.error) return renderAccount(ctx, { previews: parsed.error }, 422);
  await setPreviews(ctx.deps.db, userOf(ctx).id, parsed.ok);
  ctx.flash('info', 'push.previews.done');
  ctx.done('/account');
});
