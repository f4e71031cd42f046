import type { Db } from '../db';
import { dayOf } from '../time';

export const RANK_SIZES = [3, 5, 10] as const;
export type RankSize = (typeof RANK_SIZES)[number];

/** ?n=3|5|10; anything else is 5. */
export function rankSize(raw: string): RankSize {
  const n = Number(raw);
  return (RANK_SIZES as readonly number[]).includes(n) && /^\d+$/.test(raw) ? (n as RankSize) : 5;
}

export interface RankedWord {
  word: string;
  count: number;
}

/** The first day of the rolling week that ends today (today and the six days before), in a zone. */
export function weekStart(now: number, timeZone: string): string {
  const [y, m, d] = dayOf(now, timeZone).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 6)).toISOString().slice(0, 10);
}

/**
 * One partner's most used words since a day: counts summed from the daily tallies,
 * excluded words left out, ties in the words' alphabetical (code point) order.
 */
export async function topWords(db: Db, coupleId: number, userId: number, fromDay: string, n: number, excluded: readonly string[]): Promise<RankedWord[]> {
  const query = db('word_counts').where({ couple_id: coupleId, user_id: userId }).andWhere('day', '>=', fromDay);
  // the couple's exclusions as a list, read once for both partners: as a subquery, MariaDB
  // ran it for every group (a third of the ranking's time)
  if (excluded.length) query.whereNotIn('word', excluded);
  const rows = await query
    .groupBy('word')
    .havingRaw('sum(??) > 0', ['count'])
    .orderByRaw('sum(??) desc', ['count'])
    .orderBy('word')
    .limit(n)
    .select('word', db.raw('sum(??) as total', ['count']));
  return rows.map((r) => ({ word: String(r.word), count: Number(r.total) }));
}

export async function excludedWords(db: Db, coupleId: number): Promise<string[]> {
  return (await db('rank_exclusions').where({ couple_id: coupleId }).orderBy('word').pluck('word')).map(String);
}

export async function excludeWord(db: Db, coupleId: number, word: string, now: number): Promise<void> {
  await db('rank_exclusions').insert({ couple_id: coupleId, word, created_at: now }).onConflict(['couple_id', 'word']).ignore();
}

export async function restoreWord(db: Db, coupleId: number, word: string): Promise<void> {
  await db('rank_exclusions').where({ couple_id: coupleId, word }).delete();
}
