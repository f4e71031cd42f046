import { randomBytes } from 'node:crypto';
import type { MessageKey } from '../i18n/index';
import { cleanText, looksBlank } from '../language/text';
import { MAX_BODY_CHARS } from './messages';

/** Control characters other than newline and tab never reach the database. */
export const cleanBody = cleanText;

export function bodyError(body: string): MessageKey | null {
  if (looksBlank(body)) return 'chat.body.blank';
  if ([...body].length > MAX_BODY_CHARS) return 'chat.body.tooLong';
  return null;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The form's random id for idempotent sends; a missing or odd one gets a fresh id (no dedup then). */
export function clientIdOf(raw: string): string {
  return CLIENT_ID.test(raw) ? raw : newClientId();
}

export const newClientId = () => randomBytes(12).toString('base64url');

export { parseId as messageId } from '../web/form';

/** Last-Event-ID from the header (a reconnect) or the page's ?lastEventId= (a first connect); the larger wins. */
export function lastEventIdOf(header: string, query: string): number | null {
  const values = [header, query].filter((v) => /^\d{1,15}$/.test(v)).map(Number);
  return values.length ? Math.max(...values) : null;
}
