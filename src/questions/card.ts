// A question as the pages show it: a card (htmx: into the chat's question slot) or a page
// of its own, with what the form kept.
import type { Context } from 'koa';
import { coupleMembers, sideOf } from '../couple/couples';
import { coupleNames } from '../couple/names';
import { coupleIdOf, userOf } from '../web/auth';
import { viewerTimeZone } from '../web/timeZone';
import type { AskedQuestion } from './asked';
import { questionView } from './views';

export async function viewOf(ctx: Context, q: AskedQuestion) {
  const members = await coupleMembers(ctx.deps.db, coupleIdOf(ctx));
  const names = q.revealedAt !== null ? await coupleNames(ctx.deps.db, coupleIdOf(ctx)) : undefined;
  return { q: questionView(q, members, ctx.state.lang, viewerTimeZone(ctx), names), side: sideOf(members, userOf(ctx).id) };
}

export interface Kept {
  answer?: string;
  error?: string | null;
  /** a chat message refused because of the question, sent once it is answered (no-JS) */
  body?: string;
  clientId?: string;
  back?: string | null;
  /** the card answers a send that the question held back: it says so (the page says it in its own words) */
  held?: boolean;
}

/** The question as a card (htmx: into the chat's question slot) or as a page of its own. */
export async function renderQuestion(ctx: Context, q: AskedQuestion, status: number, kept: Kept = {}) {
  ctx.render('questions/question', { ...(await viewOf(ctx, q)), ...kept, title: ctx.state.t('question.title') }, { status, fragment: 'questions/_card' });
}
