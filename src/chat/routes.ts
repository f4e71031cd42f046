import Router from '@koa/router';
import type { Context } from 'koa';
import { ddayView } from '../calendar/views';
import { filesOfMessages, removeFilesOfMessage } from '../files/files';
import { MAX_FILES_PER_MESSAGE } from './attachments';
import { latestSeq } from '../realtime/eventLog';
import { dayOf } from '../time';
import { findCouple } from '../couple/couples';
import { sinceLine } from '../couple/profileView';
import { coupleNames } from '../couple/names';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { field, idParam, queryField } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import {
  deleteMessage,
  findMessage,
  latestMessages,
  messageBefore,
  messagesAfter,
  messagesBefore,
  PAGE_SIZE,
  createMessage,
  canReplyTo,
  findMessages,
  replyGone,
  type MessageRow,
} from './messages';
import { bodyError, cleanBody, clientIdOf, messageId, newClientId } from './parse';
import { markRead } from './readMarks';
import { tooFastToSend } from './sendLimit';
import { signalTyping } from './typing';
import { questionBank } from '../questions/bank';
import { openQuestion, revealedAmong } from '../questions/asked';
import { renderQuestionWaiting } from './questionGate';
import { QuestionWaiting } from '../questions/questionsState';
import { questionView, revealsByMessage, type QuestionView } from '../questions/views';
import { wordContext } from './wordContext';
import { showsUnread } from './unread';
import { extrasOf, messageView, messageViews, quoteView, viewContext, type QuoteView, type ViewContext } from './views';
import { sideOf } from '../couple/couples';

export const chatRoutes = new Router();

const viewContextOf = (ctx: Context, withReadMarks = true) =>
  viewContext(ctx.deps.db, coupleIdOf(ctx), ctx.state.lang, viewerTimeZone(ctx), withReadMarks);

/** Marks what this page shows as read (opening the chat is seeing it), unless it already is. */
async function markShownRead(ctx: Context, rows: MessageRow[], readMarks: Map<number, number>) {
  if (ctx.method === 'HEAD') return; // a link checker or a prefetch saw nothing
  const me = userOf(ctx).id;
  const newestTheirs = rows.findLast((row) => row.sender_id !== me);
  if (!newestTheirs || newestTheirs.id <= (readMarks.get(me) ?? 0)) return;
  await markRead(ctx.changes, coupleIdOf(ctx), me, newestTheirs.id);
}

interface Window {
  rows: MessageRow[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/**
 * A stretch of the conversation: its messages and the revealed questions among them.
 * `atEnd`: it reaches the newest message (so a question revealed after its last one is in
 * it); an older page never is, whether or not it shows a pager to newer ones.
 */
async function windowOf(
  ctx: Context,
  rows: MessageRow[],
  newerExists: boolean,
  atEnd: boolean,
  vc?: ViewContext,
): Promise<Window & { items: ReturnType<typeof messageViews>; reveals: Map<number, QuestionView[]> }> {
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const previous = rows.length ? await messageBefore(db, coupleId, rows[0].id) : null;
  const context = vc ?? (await viewContextOf(ctx));
  const [files, revealed] = await Promise.all([
    filesOfMessages(db, coupleId, rows.map((row) => row.id)),
    revealedAmong(db, coupleId, previous && rows.length ? rows[0].id : null, atEnd || !rows.length ? null : rows.at(-1)!.id),
  ]);
  const items = messageViews(rows, previous, context, files, await extrasOf(db, coupleId, rows));
  const names = revealed.length ? await coupleNames(db, coupleId) : undefined;
  const reveals = revealsByMessage(revealed.map((q) => questionView(q, context.members, context.lang, context.timeZone, names)), rows.map((row) => row.id));
  return { rows, items, reveals, hasOlder: previous !== null, hasNewer: newerExists };
}

/** The quote above the composer of a reply being written: the couple's message, still there; null for none. */
async function replyQuote(ctx: Context, id: number | null, vc: ViewContext): Promise<QuoteView | null> {
  if (id === null) return null;
  const coupleId = coupleIdOf(ctx);
  const [originals, files, names] = await Promise.all([findMessages(ctx.deps.db, coupleId, [id]), filesOfMessages(ctx.deps.db, coupleId, [id]), coupleNames(ctx.deps.db, coupleId)]);
  const row = originals.get(id);
  return row && row.deleted_at === null ? quoteView(id, { row, files: files.get(id) ?? [] }, vc.members, names) : null;
}

async function renderChat(ctx: Context, options: { around?: number; replyTo?: number | null; body?: string; error?: string; status?: number } = {}) {
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const me = userOf(ctx);
  // The stream resumes from the event this render saw, so nothing between render and connect is missed.
  const seq = await latestSeq(db, coupleId);
  const couple = await findCouple(db, coupleId, me.id);
  if (!couple) throw notFound();
  const vc = await viewContextOf(ctx);
  const open = options.around ? null : await openQuestion(db, coupleId);
  const question = open ? questionView(open, vc.members, ctx.state.lang, vc.timeZone) : null;
  let view;
  if (options.around) {
    const upTo = await messagesBefore(db, coupleId, options.around + 1, PAGE_SIZE / 2);
    const after = await messagesAfter(db, coupleId, options.around, PAGE_SIZE / 2 + 1);
    const newer = after.length > PAGE_SIZE / 2;
    view = await windowOf(ctx, [...upTo, ...after.slice(0, PAGE_SIZE / 2)], newer, !newer, vc);
  } else {
    const rows = await latestMessages(db, coupleId);
    view = await windowOf(ctx, rows, false, true, vc);
    await markShownRead(ctx, rows, vc.readMarks);
    if (showsUnread(ctx)) ctx.state.unread = { count: 0, seq, side: sideOf(vc.members, me.id) }; // read just now: its 채팅 tab shows none
  }
  ctx.render(
    'chat/chat',
    {
      couple,
      ...view,
      question,
      history: Boolean(options.around),
      around: options.around ?? null,
      seq,
      side: sideOf(vc.members, me.id),
      since: sinceLine(couple, ctx.deps.clock.now(), vc.timeZone, ctx.state.lang, ctx.state.t),
      dday: await ddayView(db, coupleId, dayOf(ctx.deps.clock.now(), vc.timeZone), ctx.state.t),
      clientId: newClientId(),
      uploadClientId: newClientId(),
      uploadLimits: { files: MAX_FILES_PER_MESSAGE, bytes: ctx.deps.config.uploadMaxBytes },
      body: options.body ?? '',
      error: options.error ?? null,
      replyTo: await replyQuote(ctx, options.replyTo ?? null, vc),
    },
    { status: options.status },
  );
}

/**
 * `?around=ID` opens the history at a message; `?reply_to=ID` (this app's addition: the
 * menu's 답장 without JavaScript) opens the chat with that message quoted above the composer.
 */
chatRoutes.get('/chat', requireCouple, async (ctx) => {
  const around = messageId(queryField(ctx, 'around'));
  if (around !== null && !(await findMessage(ctx.deps.db, coupleIdOf(ctx), around))) throw notFound();
  const replyTo = messageId(queryField(ctx, 'reply_to'));
  if (replyTo !== null && !(await canReplyTo(ctx.deps.db, coupleIdOf(ctx), replyTo))) throw notFound();
  await renderChat(ctx, { around: around ?? undefined, replyTo });
});

/** Older (?before=) or newer (?after=) history: a fragment for htmx, the page around it otherwise. */
chatRoutes.get('/chat/messages', requireCouple, async (ctx) => {
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const before = messageId(queryField(ctx, 'before'));
  const after = messageId(queryField(ctx, 'after'));
  if (before === null && after === null) {
    return ctx.done('/chat');
  }
  if (!ctx.state.htmx) return renderChat(ctx, { around: (before ?? after)! });
  let view;
  if (before !== null) {
    view = await windowOf(ctx, await messagesBefore(db, coupleId, before), false, false);
  } else {
    const rows = await messagesAfter(db, coupleId, after!, PAGE_SIZE + 1);
    view = { ...(await windowOf(ctx, rows.slice(0, PAGE_SIZE), rows.length > PAGE_SIZE, rows.length <= PAGE_SIZE)), hasOlder: false };
  }
  ctx.render('chat/_page', { ...view, direction: before !== null ? 'older' : 'newer' }, { fragment: 'chat/_page' });
});

/** A send refused: the reason where the composer shows it, and the typed text kept (in the box, or on the page again). */
async function refuseSend(ctx: Context, status: number, message: string, keptReply: number | null = null) {
  // with htmx the page keeps the text itself and shows the reason by the box; the whole page costs a dozen queries
  if (ctx.state.htmx) return ctx.render('chat/_send_error', { message }, { status, fragment: 'chat/_send_error' });
  return renderChat(ctx, { body: field(ctx, 'body'), error: message, status, replyTo: keptReply });
}

/** The form's reply_to: none (''), or a message id; anything else is a reply to nothing there. */
function replyToOf(raw: string): number | null {
  if (raw === '') return null;
  const id = messageId(raw);
  if (id === null) throw replyGone();
  return id;
}

// no gate in front: the send itself refuses while a question waits (QuestionWaiting)
chatRoutes.post('/chat/messages', requireCouple, async (ctx) => {
  const body = cleanBody(field(ctx, 'body'));
  const error = bodyError(body);
  const rawReply = field(ctx, 'reply_to');
  const keptReply = /^\d{1,15}$/.test(rawReply) ? Number(rawReply) : null; // shown again with a refused text, if still there
  if (error) return refuseSend(ctx, 422, ctx.state.t(error), keptReply);
  const tooFast = await tooFastToSend(ctx);
  if (tooFast) return refuseSend(ctx, 429, tooFast, keptReply);
  const coupleId = coupleIdOf(ctx);
  let sent;
  try {
    const replyTo = replyToOf(rawReply);
    sent = await createMessage(ctx.changes, coupleId, { senderId: userOf(ctx).id, body, clientId: clientIdOf(field(ctx, 'client_id')), context: await wordContext(ctx), replyTo });
  } catch (err) {
    if (err instanceof QuestionWaiting) return renderQuestionWaiting(ctx, err.questionId);
    if (err instanceof AppError && err.key === 'chat.reply.gone') return refuseSend(ctx, 422, ctx.state.t(err.key));
    throw err;
  }
  const previousAt = sent.previousAt !== undefined ? sent.previousAt : ((await messageBefore(ctx.deps.db, coupleId, sent.message.id))?.created_at ?? null);
  const vc = await viewContextOf(ctx, false);
  const m = messageView(sent.message, previousAt, vc, [], await extrasOf(ctx.deps.db, coupleId, [sent.message]));
  ctx.done('/chat#latest', { view: 'chat/_message_event', data: { m, csrf: null, oob: false, direct: true } });
});

/**
 * Deleting without JavaScript: the menu's 삭제 is a GET form to this page, which shows the
 * message and asks (삭제 posts below, 취소 goes back). With JavaScript the same button posts
 * at once after a confirm(). Only my own message that is still there; anything else is a 404.
 */
chatRoutes.get('/chat/messages/:id/delete', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  const row = id === null ? null : await findMessage(ctx.deps.db, coupleIdOf(ctx), id);
  if (!row || row.sender_id !== userOf(ctx).id || row.deleted_at !== null) throw notFound();
  const files = await filesOfMessages(ctx.deps.db, coupleIdOf(ctx), [row.id]);
  const [m] = messageViews([row], row, await viewContextOf(ctx, false), files);
  ctx.render('chat/delete', { m });
});

chatRoutes.post('/chat/messages/:id/delete', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  const coupleId = coupleIdOf(ctx);
  const result = id === null ? { found: false, changed: false } : await deleteMessage(ctx.changes, coupleId, userOf(ctx).id, id, await questionBank(ctx.deps.db));
  if (!result.found) throw notFound();
  if (result.changed) await removeFilesOfMessage(ctx.deps.db, ctx.storage, coupleId, id!);
  const row = (await findMessage(ctx.deps.db, coupleId, id!))!;
  const [m] = messageViews([row], row, await viewContextOf(ctx));
  ctx.done(`/chat#m-${id}`, { view: 'chat/_message', data: { m, csrf: null, oob: false } });
});

chatRoutes.post('/chat/read', requireCouple, async (ctx) => {
  const upTo = messageId(field(ctx, 'up_to'));
  if (upTo === null) throw new AppError(422, 'chat.read.invalid');
  await markRead(ctx.changes, coupleIdOf(ctx), userOf(ctx).id, upTo);
  ctx.done('/chat', 'nothing'); // the page reported what it saw; nothing to show
});

chatRoutes.post('/chat/typing', requireCouple, signalTyping);
