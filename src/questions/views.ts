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
}

export function questionView(q: AskedQuestion, members: Members, lang: Lang, timeZone: string): QuestionView {
  const { a, b } = members;
  const side = (id: number) => ({ login: members.logins.get(id) ?? '', body: q.answers.get(id) ?? '' });
  return {
    id: q.id,
    text: questionText({ text_ko: q.textKo, text_en: q.textEn }, lang),
    askedOn: formatDate(q.askedAt, lang, timeZone),
    revealed: q.revealedAt !== null,
    answered: [q.answers.has(a) ? 'a' : '', q.answers.has(b) ? 'b' : ''].filter(Boolean).join(' '),
    answers: q.revealedAt !== null ? { a: side(a), b: side(b) } : null,
  };
}
