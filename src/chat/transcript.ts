import type { Db } from '../db';
import { filesOfMessages } from '../files/files';
import { translator, type Lang } from '../i18n/index';
import { dayOf, formatDateTime, formatDay, formatTime } from '../time';
import { findMessages, messagesAfter, type MessageRow } from './messages';
import { coupleNames } from '../couple/names';

// A long chat (100,000 messages) is read and written a batch at a time: memory stays flat.
const BATCH = 500;
/** how much of the message a reply answers its line quotes */
const QUOTE_CHARS = 30;

export interface TranscriptOptions {
  lang: Lang;
  timeZone: string;
  /** when the export was made (its heading says so) */
  now: number;
}

/** The file's name: the day of the export in the viewer's zone (couple-chat-2026-11-29.txt). */
export const transcriptFileName = (now: number, timeZone: string) => `couple-chat-${dayOf(now, timeZone)}.txt`;

/**
 * The couple's whole conversation as readable text, oldest first, in pieces: a heading,
 * then a line per day and per message ("[오후 3:05] alice: 안녕"), deleted messages
 * marked, attachments named with their sizes, a reply with what it answers. Dates and times are in the viewer's zone.
 */
export async function* transcript(db: Db, coupleId: number, { lang, timeZone, now }: TranscriptOptions): AsyncGenerator<string> {
  const t = translator(lang);
  // each by the name the other gave them: the transcript is the couple's, for either to keep
  const names = await coupleNames(db, coupleId);
  const [a, b] = [...names.values()];
  yield `${t('export.title')}\n${t('export.members', { a: a ?? '', b: b ?? '' })}\n` +
    `${t('export.exportedAt', { date: formatDateTime(now, lang, timeZone), zone: timeZone })}\n`;

  let day = '';
  let after = 0;
  for (;;) {
    const rows = await messagesAfter(db, coupleId, after, BATCH);
    if (rows.length === 0) break;
    const [files, originals] = await Promise.all([
      filesOfMessages(db, coupleId, rows.map((row) => row.id)),
      findMessages(db, coupleId, [...new Set(rows.flatMap((row) => (row.reply_to === null ? [] : [row.reply_to])))]),
    ]);
    // a reply says what it answers: "(↪ 지호: 점심 맛있게 먹어!)"
    const quoteOf = (original: MessageRow | undefined): string => {
      if (!original || original.deleted_at !== null) return t('export.replyToDeleted');
      const line = [...(original.body.split('\n').find((l) => l.trim() !== '') ?? '').trim()];
      const text = line.length > QUOTE_CHARS ? line.slice(0, QUOTE_CHARS).join('') + '…' : line.join('') || t('export.replyToFile');
      return t('export.replyTo', { name: names.get(original.sender_id) ?? '?', text });
    };
    let text = '';
    for (const row of rows) {
      const rowDay = dayOf(row.created_at, timeZone);
      if (rowDay !== day) text += `\n--- ${formatDay(row.created_at, lang, timeZone)} ---\n`;
      day = rowDay;
      const named = (files.get(row.id) ?? []).map((file) => t('export.file', { name: file.name, size: file.size }));
      const replied = row.reply_to !== null && row.deleted_at === null ? [quoteOf(originals.get(row.reply_to))] : [];
      const what = [...replied, ...named, row.deleted_at !== null ? t('export.deleted') : row.body]
        .filter(Boolean)
        .join(' ');
      text += `[${formatTime(row.created_at, lang, timeZone)}] ${names.get(row.sender_id) ?? '?'}: ${what.replace(/\n/g, '\n    ')}\n`;
    }
    yield text;
    after = rows[rows.length - 1].id;
    if (rows.length < BATCH) break;
  }
  if (after === 0) yield `\n${t('export.empty')}\n`;
}
