import type { Db } from '../db';
import { likeContains } from '../dbDialect';
import type { MessageKey } from '../i18n/index';
import { dayRange, parseDate } from '../time';
import { COLUMNS, messagesOf, toRow, type MessageRow } from './messages';

export const SEARCH_PAGE = 20;
export const MAX_QUERY_CHARS = 100;

export interface SearchQuery {
  q: string;
  date: string;
  from: '' | 'me' | 'partner';
  before: number | null;
}

export type SearchErrors = Partial<Record<'q' | 'date' | 'from', MessageKey>>;

export function validateSearch(input: { q: string; date: string; from: string }): SearchErrors {
  const errors: SearchErrors = {};
  if ([...input.q].length > MAX_QUERY_CHARS) errors.q = 'search.q.tooLong';
  if (input.date !== '' && !parseDate(input.date)) errors.date = 'search.date.invalid';
  if (!['', 'me', 'partner'].includes(input.from)) errors.from = 'search.from.invalid';
  return errors;
}

export const isEmptySearch = (query: SearchQuery) => query.q === '' && query.date === '';

/**
 * Messages of the couple matching every filter given, newest first, one page after
 * `before`. The word is a case-insensitive substring (so a Korean word is found inside
 * an unspaced sentence) with % and _ taken literally; the date is a day in `timeZone`.
 */
export async function searchMessages(
  db: Db,
  coupleId: number,
  userId: number,
  query: SearchQuery,
  timeZone: string,
): Promise<{ rows: MessageRow[]; more: boolean }> {
  const q = messagesOf(db, coupleId).whereNull('deleted_at');
  if (query.q !== '') likeContains(db, q, 'body', query.q);
  if (query.date !== '') {
    const [start, end] = dayRange(parseDate(query.date)!, timeZone);
    q.andWhere('created_at', '>=', start).andWhere('created_at', '<', end);
  }
  if (query.from === 'me') q.andWhere({ sender_id: userId });
  if (query.from === 'partner') q.whereNot({ sender_id: userId });
  if (query.before !== null) q.andWhere('id', '<', query.before);
  const rows = await q.orderBy('id', 'desc').limit(SEARCH_PAGE + 1).select(COLUMNS);
  const mapped = rows.slice(0, SEARCH_PAGE).map(toRow);
  return { rows: mapped, more: rows.length > SEARCH_PAGE };
}

/** The text cut into plain and matching parts, for <mark>ing without raw HTML. */
export function highlight(text: string, word: string): { text: string; match: boolean }[] {
  // lower-casing that changes lengths (rare scripts) would misplace marks: then none
  if (word === '' || text.toLowerCase().length !== text.length) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const needle = word.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1 && needle.length > 0; i = lower.indexOf(needle, at)) {
    if (i > at) parts.push({ text: text.slice(at, i), match: false });
    parts.push({ text: text.slice(i, i + word.length), match: true });
    at = i + word.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
