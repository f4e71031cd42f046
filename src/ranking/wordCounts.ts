import type { Knex } from 'knex';
import { addToCounts } from '../dbDialect';
import { normalizeWord, rawWords } from '../language/words';

const KEY = ['couple_id', 'user_id', 'day', 'word'];

/** How often each word (in the ranking's form) comes among a message's typed words. */
function tally(typed: readonly string[], keep: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of typed.map((w) => normalizeWord(w, keep))) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Counts a stored message's words (as typed: rawWords) under its sender and day, in the message's transaction. */
export async function countWords(trx: Knex.Transaction, coupleId: number, userId: number, day: string, typed: readonly string[], keep: ReadonlySet<string>) {
  const rows = [...tally(typed, keep)].map(([word, count]) => ({ couple_id: coupleId, user_id: userId, day, word, count }));
  await addToCounts(trx, 'word_counts', KEY, rows);
}

/** Takes a deleted message's words back off the day they were counted under. */
export async function uncountWords(trx: Knex.Transaction, coupleId: number, userId: number, day: string, text: string, keep: ReadonlySet<string>) {
  const counts = tally(rawWords(text), keep);
  if (counts.size === 0) return;
  for (const [word, count] of counts) {
    await trx('word_counts').where({ couple_id: coupleId, user_id: userId, day, word }).decrement('count', count);
  }
  await trx('word_counts').where({ couple_id: coupleId, user_id: userId, day }).whereIn('word', [...counts.keys()]).andWhere('count', '<=', 0).delete();
}
