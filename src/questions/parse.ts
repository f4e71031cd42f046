import type { MessageKey } from '../i18n/index';
import { cleanText, looksBlank } from '../language/text';
import { MAX_ANSWER_CHARS } from './asked';

/** An answer as stored: trimmed, lone surrogates mended, NUL and other control characters (but newlines and tabs) taken out. */
export const cleanAnswer = cleanText;

export function answerError(answer: string): MessageKey | null {
  if (looksBlank(answer)) return 'question.answer.blank';
  if ([...answer].length > MAX_ANSWER_CHARS) return 'question.answer.tooLong';
  return null;
}
