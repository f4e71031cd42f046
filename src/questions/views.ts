import type { Lang } from '../i18n/index';
import type { Members } from '../couple/couples';
import { formatDate } from '../time';
import { questionText } from './bank';
import type { AskedQuestion } from './asked';

/** A question as the card and the history show it. Sides, not "me / partner", so both partners get the same HTML. */
export interface QuestionView {
  id: number;
  text: string;
  askedOn: string;
  revealed: boolean;
  /** the sides that have answered: a card hides its form by CSS for those */
  answered: string;
  /** both answers, only once both exist */
  answers: { a: { login: string; body: string }; b: { login: string; body: string } } | null;
  /** once revealed: the id of the message the pair of answers shows after in the conversation (0: before any) */
  after: number | null;
}

/** `names`: how each partner is called by the other (coupleNames); needed once the answers show, else their login IDs. */
export function questionView(q: AskedQuestion, members: Members, lang: Lang, timeZone: string, names: ReadonlyMap<number, string> = members.logins): QuestionView {
  const { a, b } = members;
  const side = (id: number) => ({ login: names.get(id) ?? '', body: q.answers.get(id) ?? '' });
  return {
    id: q.id,
    text: questionText({ text_ko: q.textKo, text_en: q.textEn }, lang),
    askedOn: formatDate(q.askedAt, lang, timeZone),
    revealed: q.revealedAt !== null,
    answered: [q.answers.has(a) ? 'a' : '', q.answers.has(b) ? 'b' : ''].filter(Boolean).join(' '),
    answers: q.revealedAt !== null ? { a: side(a), b: side(b) } : null,
    after: q.revealedAt !== null ? (q.revealedAfter ?? 0) : null,
  };
}

/**
 * The revealed questions of a stretch of the conversation, by the message each shows after:
 * a question whose message is not among `messageIds` (one from before the first, or 0)
 * goes before them all, under 0.
 */
export function revealsByMessage(reveals: QuestionView[], messageIds: number[]): Map<number, QuestionView[]> {
  const shown = new Set(messageIds);
  const out = new Map<number, QuestionView[]>();
  for (const q of reveals) {
    const key = q.after !== null && shown.has(q.after) ? q.after : 0;
    out.set(key, [...(out.get(key) ?? []), q]);
  }
  return out;
}
