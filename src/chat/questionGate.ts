// The question as the chat meets it: chatting on waits for my answer (409 with the
// question); the sends of text and of files share the gate.
import type { Context, Next } from 'koa';
import { findAsked, questionWaitingFor, type AskedQuestion } from '../questions/asked';
import { renderQuestion } from '../questions/card';
import { coupleIdOf, userOf } from '../web/auth';
import { notFound } from '../web/errors';
import { field } from '../web/form';
import { clientIdOf } from './parse';

/**
 * Chatting waits for my answer to the open question: 409 with the question, which the
 * chat page opens as a dialog (without JavaScript, a page that keeps the message).
 */
export async function questionGate(ctx: Context, next: Next): Promise<void> {
  const waiting = await questionWaitingFor(ctx.deps.db, coupleIdOf(ctx), userOf(ctx).id);
  if (!waiting) return next();
  await renderWaiting(ctx, waiting);
}

/** The 409 of a send that a question held back (see sendMessage's QuestionWaiting). */
export async function renderQuestionWaiting(ctx: Context, questionId: number): Promise<void> {
  const waiting = await findAsked(ctx.deps.db, coupleIdOf(ctx), questionId);
  if (!waiting) throw notFound();
  await renderWaiting(ctx, waiting);
}

async function renderWaiting(ctx: Context, waiting: AskedQuestion) {
  const body = ctx.is('multipart') ? '' : field(ctx, 'body');
  await renderQuestion(ctx, waiting, 409, { body, clientId: clientIdOf(field(ctx, 'client_id')), held: true });
}

