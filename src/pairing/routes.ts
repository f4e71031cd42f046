import Router from '@koa/router';
import { takeCoupleEndedNotice } from '../couple/breakups';
import { rateLimit } from '../web/rateLimit';
import type { Context } from 'koa';
import { normalizeLoginId } from '../accounts/rules';
import type { MessageKey } from '../i18n/index';
import { requireSingle, userOf } from '../web/auth';
import { field, idParam } from '../web/form';
import { acceptPairRequest, cancelPairRequest, listPairRequests, rejectPairRequest, sendPairRequest } from './pairRequests';

export const pairingRoutes = new Router();

interface PairPage {
  errors?: { login_id?: MessageKey };
  values?: Record<string, string>;
  notice?: { kind: 'error' | 'info'; key: MessageKey };
  status?: number;
}

async function renderPair(ctx: Context, { errors = {}, values = {}, notice, status = 200 }: PairPage = {}) {
  const requests = await listPairRequests(ctx.deps.db, userOf(ctx).id);
  // the lists alone for htmx (the page polls them); with a field error, the page that shows it
  const fragment = Object.keys(errors).length ? undefined : 'pairing/_requests';
  ctx.render('pairing/pair', { requests, errors, values, notice }, { status, fragment });
}

/**
 * A request that is not there (withdrawn, its sender gone, or never mine): 404, with
 * the lists as they are now, so a stale page heals instead of dead-ending.
 */
const requestGone = (ctx: Context) => renderPair(ctx, { notice: { kind: 'error', key: 'pair.error.gone' }, status: 404 });

const requestsFragment = async (ctx: Context) => ({
  view: 'pairing/_requests',
  data: { requests: await listPairRequests(ctx.deps.db, userOf(ctx).id) },
});

// The page polls this (htmx) so the requester learns of an acceptance within seconds.
pairingRoutes.get('/pair', requireSingle, async (ctx) => {
  // a break-up that took effect while I was away: said once, here
  const ended = await takeCoupleEndedNotice(ctx.deps.db, userOf(ctx).id);
  await renderPair(ctx, ended ? { notice: { kind: 'info', key: 'breakup.done' } } : {});
});

pairingRoutes.post('/pair/requests', requireSingle, rateLimit((limits) => limits.pairRequest), async (ctx) => {
  const loginId = normalizeLoginId(field(ctx, 'login_id'));
  const values = { login_id: field(ctx, 'login_id').slice(0, 100) };
  const error: MessageKey | null = loginId === '' ? 'loginId.required' : await sendPairRequest(ctx.deps.db, userOf(ctx).id, loginId, ctx.deps.clock.now());
  if (error) return renderPair(ctx, { errors: { login_id: error }, values, status: 422 });
  ctx.flash('info', 'pair.sentDone', { loginId });
  ctx.done('/pair');
});

pairingRoutes.post('/pair/requests/:id/accept', requireSingle, async (ctx) => {
  const id = idParam(ctx);
  const result = id === null ? ({ ok: false, reason: 'not-found' } as const) : await acceptPairRequest(ctx.deps.db, userOf(ctx).id, id, ctx.deps.clock.now());
  if (!result.ok && result.reason === 'not-found') return requestGone(ctx);
  if (!result.ok) return renderPair(ctx, { notice: { kind: 'error', key: 'pair.error.partnerPaired' }, status: 409 });
  ctx.flash('info', 'pair.accepted');
  ctx.done('/chat');
});

pairingRoutes.post('/pair/requests/:id/reject', requireSingle, async (ctx) => {
  const id = idParam(ctx);
  if (id === null || !(await rejectPairRequest(ctx.deps.db, userOf(ctx).id, id))) return requestGone(ctx);
  ctx.flash('info', 'pair.rejected');
  ctx.done('/pair', await requestsFragment(ctx));
});

pairingRoutes.post('/pair/requests/:id/cancel', requireSingle, async (ctx) => {
  const id = idParam(ctx);
  if (id === null || !(await cancelPairRequest(ctx.deps.db, userOf(ctx).id, id))) return requestGone(ctx);
  ctx.flash('info', 'pair.cancelled');
  ctx.done('/pair', await requestsFragment(ctx));
});
