import Router from '@koa/router';
import type Koa from 'koa';
import type { Context } from 'koa';
import { filesOfMessages } from '../files/files';
import { fairLimiter, type FairTurns } from '../limiter';
import { notifyPartner } from '../push/notify';
import { coupleIdOf, requireCouple } from '../web/auth';
import { AppError } from '../web/errors';
import { rateLimit } from '../web/rateLimit';
import { viewerTimeZone } from '../web/timeZone';
import { messageBefore } from './messages';
import { questionGate } from './questionGate';
import { receiveUploads } from './receiveUploads';
import { messageViews, viewContext } from './views';

/** POST /chat/uploads: photos, videos and files sent into the chat, each a message of its own. */
export const uploadRoutes = new Router();

// Uploads are read two at a time per process, one at a time per couple while another waits;
// others wait unread (TCP holds them back), so a burst of big files cannot starve the
// chat's event loop and no couple can hold every turn. One set of turns per app (per process
// in production; tests run several apps in one process).
const turnsOfApp = new WeakMap<Koa, FairTurns>();
export function uploadTurns(app: Koa): FairTurns {
  if (!turnsOfApp.has(app)) turnsOfApp.set(app, fairLimiter(2, 1));
  return turnsOfApp.get(app)!;
}

/** Aborts when the client goes away before its answer is sent; at once if it already has. */
function clientGone(ctx: Context): AbortSignal {
  const controller = new AbortController();
  const gone = () => {
    if (!ctx.res.writableFinished) controller.abort(new AppError(400, 'upload.broken'));
  };
  if (ctx.req.destroyed || ctx.res.destroyed || ctx.req.socket.destroyed) gone();
  else ctx.res.once('close', gone);
  return controller.signal;
}

uploadRoutes.post('/chat/uploads', requireCouple, rateLimit((limits) => limits.upload), questionGate, async (ctx) => {
  const gone = clientGone(ctx);
  const { messages, created } = await uploadTurns(ctx.app).inTurn(coupleIdOf(ctx), gone, () => receiveUploads(ctx, gone));
  if (created.length) {
    await ctx.hub.published(coupleIdOf(ctx));
    notifyPartner(ctx, [{ kind: 'upload', messageIds: created }]);
  }
  if (!ctx.state.htmx) return ctx.done('/chat#latest');
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const vc = await viewContext(db, coupleId, ctx.state.lang, viewerTimeZone(ctx), false);
  const files = await filesOfMessages(db, coupleId, messages.map((m) => m.id));
  const previous = await messageBefore(db, coupleId, messages[0].id);
  const items = messageViews(messages, previous, vc, files);
  ctx.render('chat/_items', { items, csrf: null }, { fragment: 'chat/_items' });
});
