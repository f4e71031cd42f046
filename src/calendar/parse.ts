import type { FieldErrors } from '../web/form';
import { looksBlank } from '../language/text';
import { parseDate } from '../time';

export const MAX_TITLE_CHARS = 100;

export type PlanField = 'date' | 'title';

/** A title is one line: control characters (new lines and tabs too) become spaces, the ends are trimmed. */
export function cleanTitle(raw: string): string {
  return raw.toWellFormed().replace(/\p{Cc}/gu, ' ').trim();
}

/** What is wrong with a new plan's date and (cleaned) title, by field. */
export function planErrors(date: string, title: string): FieldErrors<PlanField> {
  const errors: FieldErrors<PlanField> = {};
  if (date === '') errors.date = 'calendar.date.required';
  else if (!parseDate(date)) errors.date = 'calendar.date.invalid';
  if (looksBlank(title)) errors.title = 'calendar.title.blank';
  else if ([...title].length > MAX_TITLE_CHARS) errors.title = 'calendar.title.tooLong';
  return errors;
}
