import type { Db } from '../db';
import type { Lang } from '../i18n/index';
import { dayOf, formatDay, formatTime } from '../time';
import { filesOfMessages, type FileView } from '../files/files';
import { coupleMembers, sideOf, type Members } from '../couple/couples';
import { coupleNames } from '../couple/names';
import { findMessages, type MessageRow } from './messages';
import { linkParts, type TextPart } from './links';
import { EMOJIS, reactionsOf, type Reaction } from './reactions';
import { readMarksOf } from './readMarks';

export interface MessageView {
  id: number;
  side: 'a' | 'b';
  /** who wrote it: the login ID */
  sender: string;
  /** who wrote it as their partner calls them, for screen readers (sight has the side; the writer's own page says "나") */
  senderName: string;
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
  /** the message it answers, quoted above it */
  quote: QuoteView | null;
  /** its reactions, one entry per emoji */
  reactions: ReactionView[];
}

/** The snippet of the message a reply answers: who, and its first line or its photo. */
export interface QuoteView {
  id: number;
  /** who wrote it, as their partner calls them; its own writer sees "my message" instead */
  sender: string;
  /** the writer's side ('' for a deleted one): the page of that side shows the quote as its own */
  side: 'a' | 'b' | '';
  /** its text's first line, cut short; a file's name when it has no text */
  text: string;
  /** a photo's thumbnail (the file id) */
  thumb: number | null;
  /** deleted, or gone with its sender's account */
  deleted: boolean;
}

/** One emoji under a message: how many, and who (by side, so each page marks its own; by name, for the title). */
export interface ReactionView {
  emoji: string;
  count: number;
  /** 'a', 'b' or 'a b' */
  sides: string;
  who: string;
}

/** What a message shows besides itself: the messages its replies quote (with their files), and reactions. */
export interface MessageExtras {
  originals: Map<number, { row: MessageRow; files: FileView[] }>;
  reactions: Map<number, Reaction[]>;
  /** how each member is called by the other */
  names?: ReadonlyMap<number, string>;
}

export const noExtras = (): MessageExtras => ({ originals: new Map(), reactions: new Map() });

/** The quoted originals and the reactions of these messages, in three queries however many. */
export async function extrasOf(db: Db, coupleId: number, rows: MessageRow[]): Promise<MessageExtras> {
  const quoted = [...new Set(rows.flatMap((row) => (row.reply_to === null ? [] : [row.reply_to])))];
  const [originals, files, reactions, names] = await Promise.all([
    findMessages(db, coupleId, quoted),
    filesOfMessages(db, coupleId, quoted),
    reactionsOf(db, coupleId, rows.filter((row) => row.deleted_at === null).map((row) => row.id)),
    rows.length ? coupleNames(db, coupleId) : undefined,
  ]);
  return { originals: new Map([...originals].map(([id, row]) => [id, { row, files: files.get(id) ?? [] }])), reactions, names };
}

const QUOTE_CHARS = 60;

export function quoteView(id: number, original: { row: MessageRow; files: FileView[] } | undefined, members: Members, names?: ReadonlyMap<number, string>): QuoteView {
  // who wrote a deleted one is left out: a deletion's live update of the quotes knows only its id
  if (!original || original.row.deleted_at !== null) return { id, sender: '', side: '', text: '', thumb: null, deleted: true };
  const { row, files } = original;
  const line = row.body.split('\n').find((l) => l.trim() !== '') ?? '';
  const chars = [...line.trim()];
  const photo = files.find((f) => f.kind === 'image' && f.hasThumb);
  return {
    id,
    sender: names?.get(row.sender_id) ?? members.logins.get(row.sender_id) ?? '',
    side: sideOf(members, row.sender_id),
    text: chars.length > QUOTE_CHARS ? chars.slice(0, QUOTE_CHARS).join('') + '…' : chars.join('') || (photo ? '' : (files[0]?.name ?? '')),
    thumb: photo ? photo.id : null,
    deleted: false,
  };
}

export function reactionViews(reactions: Reaction[], members: Members): ReactionView[] {
  return EMOJIS.flatMap((emoji) => {
    const by = reactions.filter((r) => r.emoji === emoji);
    if (by.length === 0) return [];
    return [{ emoji, count: by.length, sides: by.map((r) => sideOf(members, r.userId)).join(' '), who: by.map((r) => members.logins.get(r.userId) ?? '').join(', ') }];
  });
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
export function messageView(row: MessageRow, previousAt: number | null, vc: ViewContext, files: FileView[] = [], extras: MessageExtras = noExtras()): MessageView {
  const day = dayOf(row.created_at, vc.timeZone);
  const recipient = row.sender_id === vc.members.a ? vc.members.b : vc.members.a;
  return {
    id: row.id,
    side: sideOf(vc.members, row.sender_id),
    sender: vc.members.logins.get(row.sender_id) ?? '',
    senderName: extras.names?.get(row.sender_id) ?? vc.members.logins.get(row.sender_id) ?? '',
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
    quote: row.reply_to === null || row.deleted_at !== null ? null : quoteView(row.reply_to, extras.originals.get(row.reply_to), vc.members, extras.names),
    reactions: row.deleted_at === null ? reactionViews(extras.reactions.get(row.id) ?? [], vc.members) : [],
  };
}

/** Views of consecutive messages; `previous` is the one just before the first. */
export function messageViews(rows: MessageRow[], previous: MessageRow | null, vc: ViewContext, files = new Map<number, FileView[]>(), extras = noExtras()): MessageView[] {
  return rows.map((row, i) => messageView(row, (i === 0 ? previous : rows[i - 1])?.created_at ?? null, vc, files.get(row.id) ?? [], extras));
}
