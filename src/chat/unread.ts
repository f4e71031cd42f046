import type { Context, Middleware } from 'koa';
import type { Db } from '../db';
import { coupleMembers } from '../couple/couples';
import { wantsFragment } from '../web/render';
import { messagesOf } from './messages';

/** Beyond this the tab says "99+": counting further would only cost the database. */
export const UNREAD_CAP = 99;

/** What every page of a couple shows of the chat: my partner's messages I have not read, and the log's newest event. */
export interface UnreadView {
  /** up to UNREAD_CAP + 1 */
  count: number;
  /** the couple's newest event: a page without a stream of its own opens one from here */
  seq: number;
  /** my side of the couple ('a' | 'b'): the stream's messages say whose they are by side */
  side: 'a' | 'b';
}

declare module 'koa' {
  interface DefaultState {
    /** for the 채팅 tab of a couple's page; null on anything else */
    unread: UnreadView | null;
  }
}

/**
 * The count and the couple's newest event in one query: my partner's messages after my read
 * mark that are not deleted, counted only up to the cap (LIMIT in a derived table, so a
 * long unread stretch costs no more than a short one).
 */
export async function unreadOf(db: Db, coupleId: number, userId: number): Promise<{ count: number; seq: number }> {
  const mark = db('read_marks').where({ user_id: userId, couple_id: coupleId }).select('up_to');
  const unread = messagesOf(db, coupleId)
    .whereNot({ sender_id: userId })
    .whereNull('deleted_at')
    .andWhere('id', '>', db.raw('coalesce((?), 0)', [mark]))
    .limit(UNREAD_CAP + 1)
    .select('id');
  const count = db.from(unread.as('u')).count({ n: '*' });
  const row = await db('couples').where({ id: coupleId }).first('event_seq', count.as('unread'));
  return { count: Number(row?.unread ?? 0), seq: Number(row?.event_seq ?? 0) };
}

/** A GET a browser shows as a page: HTML asked for, not an htmx fragment. */
export const showsUnread = (ctx: Context): boolean =>
  (ctx.method === 'GET' || ctx.method === 'HEAD') && !wantsFragment(ctx) && ctx.get('Accept').includes('text/html');

/**
 * The chat at its newest marks everything shown read and knows the newest event itself: it
 * sets its own view (renderChat), so the query here would be thrown away.
 */
const countsItsOwn = (ctx: Context): boolean => ctx.path === '/chat' && ctx.query.around === undefined;

/**
 * Before a couple's page is rendered (a GET a browser shows: HTML asked for, not an htmx
 * fragment), the unread count for the 채팅 tab goes on ctx.state.unread; everything else
 * (files, streams, fragments, form posts) pays nothing. Mounted after breakupOnRequest.
 */
export function unreadOnPages(): Middleware {
  return async (ctx, next) => {
    ctx.state.unread = null;
    const user = ctx.state.user;
    if (user && user.coupleId !== null && showsUnread(ctx) && !countsItsOwn(ctx)) {
      const [members, unread] = await Promise.all([coupleMembers(ctx.deps.db, user.coupleId), unreadOf(ctx.deps.db, user.coupleId, user.id)]);
      ctx.state.unread = { ...unread, side: members.a === user.id ? 'a' : 'b' };
    }
    await next();
  };
}
