import type { Db } from '../db';
import type { Lang } from '../i18n/index';
import { dayOf, formatDay, formatTime } from '../time';
import type { FileView } from '../files/files';
import { coupleMembers, sideOf, type Members } from '../couple/couples';
import type { MessageRow } from './messages';
import { linkParts, type TextPart } from './links';
import { readMarksOf } from './readMarks';

export interface MessageView {
  id: number;
  side: 'a' | 'b';
  /** who wrote it, for screen readers (sight has the side) */
  sender: string;
  body: string;
  /** the body as plain text and links */
  bodyParts: TextPart[];
  deleted: boolean;
  clientId: string;
  iso: string;
  time: string;
  unread: boolean;
  /** a day separator goes above this message */
  dayLabel: string | null;
  day: string;
  /** its files: one, or several shown together as an album */
  files: FileView[];
}

export interface ViewContext {
  members: Members;
  readMarks: Map<number, number>;
  lang: Lang;
  timeZone: string;
}

/**
 * What rendering messages needs. Read marks only matter for a page: a message just
 * sent is unread by definition, and a replayed one is corrected by the read events
 * that follow it.
 */
export async function viewContext(db: Db, coupleId: number, lang: Lang, timeZone: string, withReadMarks = true): Promise<ViewContext> {
  const [members, readMarks] = await Promise.all([
    coupleMembers(db, coupleId),
    withReadMarks ? readMarksOf(db, coupleId) : new Map<number, number>(),
  ]);
  return { members, readMarks, lang, timeZone };
}

/** `previousAt`: when the message just before this one was sent (null: none, so a day separator goes above). */
export function messageView(row: MessageRow, previousAt: number | null, vc: ViewContext, files: FileView[] = []): MessageView {
  const day = dayOf(row.created_at, vc.timeZone);
  const recipient = row.sender_id === vc.members.a ? vc.members.b : vc.members.a;
  return {
    id: row.id,
    side: sideOf(vc.members, row.sender_id),
    sender: vc.members.logins.get(row.sender_id) ?? '',
    body: row.body,
    bodyParts: linkParts(row.body),
    deleted: row.deleted_at !== null,
    clientId: row.client_id,
    iso: new Date(row.created_at).toISOString(),
    time: formatTime(row.created_at, vc.lang, vc.timeZone),
    unread: row.deleted_at === null && row.id > (vc.readMarks.get(recipient) ?? 0),
    dayLabel: previousAt !== null && dayOf(previousAt, vc.timeZone) === day ? null : formatDay(row.created_at, vc.lang, vc.timeZone),
    day,
    files: row.deleted_at === null ? files : [],
  };
}

/** Views of consecutive messages; `previous` is the one just before the first. */
export function messageViews(rows: MessageRow[], previous: MessageRow | null, vc: ViewContext, files = new Map<number, FileView[]>()): MessageView[] {
  return rows.map((row, i) => messageView(row, (i === 0 ? previous : rows[i - 1])?.created_at ?? null, vc, files.get(row.id) ?? []));
}
