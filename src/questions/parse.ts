import type { MessageKey } from '../i18n/index';
import { MAX_ANSWER_CHARS } from './asked';

/** An answer as stored: trimmed, lone surrogates mended, NUL and other control characters (but newlines and tabs) taken out. */
export function cleanAnswer(raw: string): string {
  return raw
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .trim();
}

export function answerError(answer: string): MessageKey | null {
  if (answer === '') return 'question.answer.blank';
  if ([...answer].length > MAX_ANSWER_CHARS) return 'question.answer.tooLong';
  return null;
}
