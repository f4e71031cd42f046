import type { Db } from '../db';
import type { CoupleChanges } from '../realtime/coupleChanges';
import { messagesOf } from './messages';

/** The reactions a message can have: a small fixed set, as in the chat apps couples know. */
export const EMOJIS = ['❤️', '😂', '😮', '😢', '👍'] as const;
export type Emoji = (typeof EMOJIS)[number];

/** The form's emoji, if it is one of the set (a heart sent without its variation selector is the heart too). */
export function emojiOf(raw: string): Emoji | null {
  const value = raw === '❤' ? '❤️' : raw;
  return (EMOJIS as readonly string[]).includes(value) ? (value as Emoji) : null;
}

export interface Reaction {
  userId: number;
  emoji: Emoji;
}

/** The reactions of the couple's messages, by message id, oldest first. */
export async function reactionsOf(db: Db, coupleId: number, messageIds: number[]): Promise<Map<number, Reaction[]>> {
  const out = new Map<number, Reaction[]>();
  if (messageIds.length === 0) return out;
  const rows = await db('message_reactions').where({ couple_id: coupleId }).whereIn('message_id', [...new Set(messageIds)]).orderBy('id').select('message_id', 'user_id', 'emoji');
  for (const r of rows) {
    const emoji = emojiOf(String(r.emoji));
    if (!emoji) continue;
    const list = out.get(Number(r.message_id)) ?? [];
    list.push({ userId: Number(r.user_id), emoji });
    out.set(Number(r.message_id), list);
  }
  return out;
}

/**
 * Reacts to one of the couple's messages that is still there: one reaction per person, so
 * another emoji replaces mine and the same one again takes it back. False when there is no
 * such message. Under the couple's lock, with its event, so both pages (and a page that
 * reconnects later) show the message's reactions as they now are.
 */
export async function toggleReaction(changes: CoupleChanges, coupleId: number, userId: number, messageId: number, emoji: Emoji): Promise<boolean> {
  return changes.change(coupleId, async ({ trx, lock, emit, now }) => {
    await lock();
    const message = await messagesOf(trx, coupleId).andWhere({ id: messageId }).first('deleted_at');
    if (!message || message.deleted_at !== null) return false;
    const mine = trx('message_reactions').where({ couple_id: coupleId, message_id: messageId, user_id: userId });
    const before = await mine.clone().first('emoji');
    await mine.clone().delete();
    if (!before || before.emoji !== emoji) {
      await trx('message_reactions').insert({ couple_id: coupleId, message_id: messageId, user_id: userId, emoji, created_at: now });
    }
    await emit('reaction', { id: messageId });
    return true;
  });
}
