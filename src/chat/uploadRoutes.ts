import Router from '@koa/router';
import type Koa from 'koa';
import type { Context } from 'koa';
import { filesOfMessages } from '../files/files';
import { fairLimiter, type FairTurns } from '../limiter';
import { coupleIdOf, requireCouple } from '../web/auth';
import { AppError } from '../web/errors';
import { rateLimit } from '../web/rateLimit';
import { viewerTimeZone } from '../web/timeZone';
import { messageBefore } from './messages';
import { QuestionWaiting } from '../questions/questionsState';
import { questionGate, renderQuestionWaiting } from './questionGate';
import { receiveUploads } from './receiveUploads';
import { extrasOf, messageViews, viewContext } from './views';

/** POST /chat/uploads: photos, videos and files sent into the chat; those sent together are one message (several photos: an album). */
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
  let received;
  try {
    received = await uploadTurns(ctx.app).inTurn(coupleIdOf(ctx), gone, () => receiveUploads(ctx, gone));
  } catch (err) {
    // a question asked while the files were on their way holds them back, as it does a text
    if (err instanceof QuestionWaiting) return renderQuestionWaiting(ctx, err.questionId);
    throw err;
  }
  const { message } = received;
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const vc = await viewContext(db, coupleId, ctx.state.lang, viewerTimeZone(ctx), false);
  const files = await filesOfMessages(db, coupleId, [message.id]);
  const previous = await messageBefore(db, coupleId, message.id);
  const items = messageViews([message], previous, vc, files, await extrasOf(db, coupleId, [message]));
  ctx.done('/chat#latest', { view: 'chat/_items', data: { items, csrf: null } });
});
