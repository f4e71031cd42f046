import Router from '@koa/router';
import type { Context } from 'koa';
import { cleanBody, bodyError, clientIdOf } from '../chat/parse';
import { createMessage } from '../chat/messages';
import { tooFastToSend } from '../chat/sendLimit';
import { wordContext } from '../chat/wordContext';
import { coupleMembers } from '../couple/couples';
import { coupleNames, partnerName } from '../couple/names';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { field, idParam } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { answerQuestion, askedHistory, findAsked } from './asked';
import { answerError, cleanAnswer } from './parse';
import { QuestionWaiting } from './questionsState';
import { questionView } from './views';
import { renderQuestion, viewOf } from './card';

export const questionRoutes = new Router();

const backOf = (ctx: Context) => (field(ctx, 'back') === '/answers' ? '/answers' : '/chat#latest');

questionRoutes.post('/questions/:id/answer', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  const coupleId = coupleIdOf(ctx);
  const q = id === null ? null : await findAsked(ctx.deps.db, coupleId, id);
  if (!q) throw notFound();
  const me = userOf(ctx).id;
  if (q.answers.has(me)) throw new AppError(409, 'question.error.answered');
  const answer = cleanAnswer(field(ctx, 'answer'));
  const kept = { answer: field(ctx, 'answer'), body: field(ctx, 'body'), clientId: field(ctx, 'client_id'), back: field(ctx, 'back') === '/answers' ? '/answers' : null };
  const error = answerError(answer);
  if (error) return renderQuestion(ctx, q, 422, { ...kept, error: ctx.state.t(error) });
  // the held message counts as a send: over the limit, nothing happens yet and all is kept
  const tooFast = keptBody(ctx) === null ? null : await tooFastToSend(ctx);
  if (tooFast) return renderQuestion(ctx, q, 429, { ...kept, error: tooFast });

  const result = await answerQuestion(ctx.changes, coupleId, me, q.id, answer);
  if (result === 'not-found') throw notFound();
  if (result === 'already-answered') throw new AppError(409, 'question.error.answered');
  await sendKeptMessage(ctx);
  ctx.flash('info', result === 'revealed' ? 'question.revealedNotice' : 'question.answeredNotice');
  const now = (await findAsked(ctx.deps.db, coupleId, q.id))!;
  // revealed: the pair of answers joins the conversation (the stream brings it too; it shows once)
  ctx.done(backOf(ctx), { view: result === 'revealed' ? 'questions/_revealed_event' : 'questions/_card', data: await viewOf(ctx, now) });
});

/** The message a question held back, to send with the answer (no-JS; with htmx the chat keeps it itself). */
function keptBody(ctx: Context): string | null {
  const body = cleanBody(field(ctx, 'body'));
  return ctx.state.htmx || bodyError(body) ? null : body;
}

/** The message that was held back for the question goes out now, unless another question waits. */
async function sendKeptMessage(ctx: Context) {
  const body = keptBody(ctx);
  if (body === null) return;
  const message = { senderId: userOf(ctx).id, body, clientId: clientIdOf(field(ctx, 'client_id')), context: await wordContext(ctx) };
  try {
    await createMessage(ctx.changes, coupleIdOf(ctx), message);
  } catch (err) {
    if (err instanceof QuestionWaiting) return; // another question came first: the message stays on the page
    throw err;
  }
}

questionRoutes.get('/answers', requireCouple, async (ctx) => {
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const [members, names] = await Promise.all([coupleMembers(db, coupleId), coupleNames(db, coupleId)]);
  const me = userOf(ctx).id;
  const partner = members.a === me ? members.b : members.a;
  const items = (await askedHistory(db, coupleId)).map((q) => ({
    ...questionView(q, members, ctx.state.lang, viewerTimeZone(ctx), names),
    mine: q.answers.get(me) ?? null,
    theirs: q.revealedAt !== null ? (q.answers.get(partner) ?? '') : null,
  }));
  ctx.render('questions/answers', { items, partnerLogin: partnerName(names, me) });
});
