import type { Db } from '../db';
import { likeContains } from '../dbDialect';
import type { MessageKey } from '../i18n/index';
import { normalizeWord } from '../language/words';
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

const HANGUL_WORD = /^[\uAC00-\uD7A3]+$/;

/**
 * What a message must contain to be found: each space-separated piece of the query, a
 * Korean word in the dictionary form the ranking counts it in (고양이를 → 고양이, so
 * 고양이가 and 고양이랑 are found too; `keep`: the words the ranking keeps whole, the
 * question bank's). Anything else is looked for as typed. A piece that
 * another contains is dropped: it adds nothing but a second scan of each row.
 */
export function searchTerms(q: string, keep: ReadonlySet<string> = new Set()): string[] {
  const pieces = q.normalize('NFC').split(/\s+/).filter((piece) => piece !== '');
  const terms = [...new Set(pieces.map((piece) => (HANGUL_WORD.test(piece) ? normalizeWord(piece, keep) : piece.toLowerCase())))];
  return terms.filter((term) => !terms.some((other) => other !== term && other.includes(term)));
}

/** What the results mark: each term, and the word as typed where it shows in full (떡볶이 over its stem 떡볶). */
export function markedWords(q: string, keep: ReadonlySet<string> = new Set()): string[] {
  const pieces = q.normalize('NFC').split(/\s+/).filter((piece) => piece !== '');
  return [...new Set([...pieces, ...searchTerms(q, keep)])];
}

/**
 * Messages of the couple matching every filter given, newest first, one page after
 * `before`. Each term of the word is a case-insensitive substring (so a Korean word is
 * found inside an unspaced sentence) with % and _ taken literally; the date is a day in
 * `timeZone`. The terms are checked on the rows the couple's index walks anyway, newest
 * first, so a stem costs what the word as typed did.
 */
export async function searchMessages(
  db: Db,
  coupleId: number,
  userId: number,
  query: SearchQuery,
  timeZone: string,
  keep: ReadonlySet<string> = new Set(),
): Promise<{ rows: MessageRow[]; more: boolean }> {
  const q = messagesOf(db, coupleId).whereNull('deleted_at');
  for (const term of searchTerms(query.q, keep)) likeContains(db, q, 'body', term);
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

/** The text cut into plain and matching parts, for <mark>ing without raw HTML: at each place the longest of `words` that is there. */
export function highlight(text: string, words: string[]): { text: string; match: boolean }[] {
  const lower = text.toLowerCase();
  // lower-casing that changes lengths (rare scripts) would misplace marks: then none
  const needles = words.map((word) => word.toLowerCase()).filter((word) => word !== '');
  if (needles.length === 0 || lower.length !== text.length) return [{ text, match: false }];
  needles.sort((x, y) => y.length - x.length);
  const parts: { text: string; match: boolean }[] = [];
  let plainFrom = 0;
  for (let i = 0; i < lower.length; ) {
    const needle = needles.find((n) => lower.startsWith(n, i));
    if (!needle) {
      i++;
      continue;
    }
    if (i > plainFrom) parts.push({ text: text.slice(plainFrom, i), match: false });
    parts.push({ text: text.slice(i, i + needle.length), match: true });
    i += needle.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom), match: false });
  return parts;
}
