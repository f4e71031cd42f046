import Router from '@koa/router';
import { coupleMembers } from '../couple/couples';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { field, idParam } from '../web/form';
import { emojiOf, reactionsOf, toggleReaction } from './reactions';
import { reactionViews } from './views';

/** POST /chat/messages/:id/reactions: an emoji on a message; the same one again takes it back. */
export const reactionRoutes = new Router();

reactionRoutes.post('/chat/messages/:id/reactions', requireCouple, async (ctx) => {
  const id = idParam(ctx);
  if (id === null) throw notFound();
  const emoji = emojiOf(field(ctx, 'emoji'));
  if (!emoji) throw new AppError(422, 'chat.reaction.invalid');
  const coupleId = coupleIdOf(ctx);
  if (!(await toggleReaction(ctx.changes, coupleId, userOf(ctx).id, id, emoji))) throw notFound();
  const db = ctx.deps.db;
  const [members, reactions] = await Promise.all([coupleMembers(db, coupleId), reactionsOf(db, coupleId, [id])]);
  const m = { id, reactions: reactionViews(reactions.get(id) ?? [], members) };
  ctx.done(`/chat#m-${id}`, { view: 'chat/_reactions', data: { m, oob: false } });
});
