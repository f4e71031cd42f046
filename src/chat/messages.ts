import type { Knex } from 'knex';
import { execute, isUniqueViolation, queryRows, type Db } from '../db';
import { insertFile, type StoredFile } from '../files/files';
import { askTriggeredQuestion } from '../questions/asked';
import { QuestionWaiting, questionsState, rememberQuestions, waitingFor, type QuestionsState } from '../questions/questionsState';
import type { Bank } from '../questions/bank';
import type { QuestionCadence } from '../config';
import { countWords, uncountWords } from '../ranking/wordCounts';
import type { CoupleChanges } from '../realtime/coupleChanges';
import { dayOf } from '../time';
import { rawWords } from '../language/words';
import { AppError } from '../web/errors';
export { parseId as messageId } from '../web/form';

export interface MessageRow {
  id: number;
  sender_id: number;
  body: string;
  client_id: string;
  created_at: number;
  deleted_at: number | null;
  /** the message this one answers (a reply), or null */
  reply_to: number | null;
}

export const MAX_BODY_CHARS = 4_000;
export const PAGE_SIZE = 50;

export const COLUMNS = ['id', 'sender_id', 'body', 'client_id', 'created_at', 'deleted_at', 'reply_to'] as const;

/** Every read of messages starts here: a couple's messages and nothing else. */
export const messagesOf = (db: Db | Knex.Transaction, coupleId: number) => db('messages').where({ couple_id: coupleId });

export const toRow = (r: Record<string, unknown>): MessageRow => ({
  id: Number(r.id),
  sender_id: Number(r.sender_id),
  body: String(r.body),
  client_id: String(r.client_id),
  created_at: Number(r.created_at),
  deleted_at: r.deleted_at === null || r.deleted_at === undefined ? null : Number(r.deleted_at),
  reply_to: r.reply_to === null || r.reply_to === undefined ? null : Number(r.reply_to),
});

export async function findMessage(db: Db, coupleId: number, id: number): Promise<MessageRow | null> {
  const row = await messagesOf(db, coupleId).andWhere({ id }).first(COLUMNS);
  return row ? toRow(row) : null;
}

export async function findMessages(db: Db, coupleId: number, ids: number[]): Promise<Map<number, MessageRow>> {
  if (ids.length === 0) return new Map();
  const rows = await messagesOf(db, coupleId).whereIn('id', ids).select(COLUMNS);
  return new Map(rows.map((r) => [Number(r.id), toRow(r)]));
}

/**
 * Messages by id, each with when the one just before it was sent (for its day separator),
 * in one query however many there are.
 */
export async function messagesWithPreviousTime(db: Db, coupleId: number, ids: number[]): Promise<Map<number, { row: MessageRow; previousAt: number | null }>> {
  if (ids.length === 0) return new Map();
  const previousAt = db('messages as p')
    .where('p.couple_id', coupleId)
    .andWhere('p.id', '<', db.ref('m.id'))
    .orderBy('p.id', 'desc')
    .limit(1)
    .select('p.created_at');
  const rows = await db('messages as m')
    .where('m.couple_id', coupleId)
    .whereIn('m.id', [...new Set(ids)])
    .select(...COLUMNS.map((c) => `m.${c}`), previousAt.as('previous_at'));
  return new Map(rows.map((r) => [Number(r.id), { row: toRow(r), previousAt: r.previous_at === null ? null : Number(r.previous_at) }]));
}

/** The newest page, oldest first. */
export async function latestMessages(db: Db, coupleId: number, limit = PAGE_SIZE): Promise<MessageRow[]> {
  const rows = await messagesOf(db, coupleId).orderBy('id', 'desc').limit(limit).select(COLUMNS);
  return rows.map(toRow).reverse();
}

export async function messagesBefore(db: Db, coupleId: number, beforeId: number, limit = PAGE_SIZE): Promise<MessageRow[]> {
  const rows = await messagesOf(db, coupleId).andWhere('id', '<', beforeId).orderBy('id', 'desc').limit(limit).select(COLUMNS);
  return rows.map(toRow).reverse();
}

export async function messagesAfter(db: Db, coupleId: number, afterId: number, limit = PAGE_SIZE): Promise<MessageRow[]> {
  const rows = await messagesOf(db, coupleId).andWhere('id', '>', afterId).orderBy('id').limit(limit).select(COLUMNS);
  return rows.map(toRow);
}

/** The message just before a given one, to know whether a day separator belongs above it. */
export async function messageBefore(db: Db, coupleId: number, id: number): Promise<MessageRow | null> {
  const [row] = await messagesBefore(db, coupleId, id, 1);
  return row ?? null;
}

/**
 * A message event's payload, as the change that stored the message recorded it, → the
 * message and the time of the one before it: what rendering the event for the streams
 * would read again (the hub is handed this process's committed events as they are). An
 * event read back from the log is a new object, not in here.
 */
const storedWith = new WeakMap<object, { row: MessageRow; previousAt: number | null }>();

/** The message a just-committed message event stored, with the time of the one before it; null for an event read from the log. */
export const storedMessageOf = (payload: object) => storedWith.get(payload) ?? null;

export interface SendResult {
  message: MessageRow;
  created: boolean;
  /** when the message just before it was sent (null: none), for its day separator; read with it when it was stored now */
  previousAt?: number | null;
  /** the question this message asked the couple, if it asked one */
  questionId: number | null;
}

/** What storing a message needs besides the message: the question bank, and the sender's zone for the day its words count on. */
export interface WordContext {
  bank: Bank;
  timeZone: string;
  cadence: QuestionCadence;
}

/** Inserts a message and counts its words, inside the caller's transaction. */
export async function insertMessage(
  trx: Knex.Transaction,
  coupleId: number,
  senderId: number,
  body: string,
  clientId: string,
  context: WordContext,
  now: number,
  typed: readonly string[] = rawWords(body),
  replyTo: number | null = null,
): Promise<MessageRow> {
  const createdAt = now;
  const day = body ? dayOf(createdAt, context.timeZone) : null;
  const { insertId: id } = await execute(
    trx,
    'insert into `messages` (`couple_id`, `sender_id`, `body`, `client_id`, `created_at`, `words_day`, `reply_to`) values (?, ?, ?, ?, ?, ?, ?)',
    [coupleId, senderId, body, clientId, createdAt, day, replyTo],
  );
  if (day) await countWords(trx, coupleId, senderId, day, typed, context.bank.words);
  return { id: Number(id), sender_id: senderId, body, client_id: clientId, created_at: createdAt, deleted_at: null, reply_to: replyTo };
}

/** The message this sender already stored under this client_id, if any. */
export async function existingMessage(db: Db, coupleId: number, senderId: number, clientId: string): Promise<MessageRow | null> {
  const row = await messagesOf(db, coupleId).andWhere({ sender_id: senderId, client_id: clientId }).first(COLUMNS);
  return row ? toRow(row) : null;
}

export interface NewMessage {
  senderId: number;
  /** the text, or a file's caption ('' for none) */
  body: string;
  clientId: string;
  context: WordContext;
  /** files already in storage that the message carries (several: an album), in order */
  files?: StoredFile[];
  /** the message it answers (a reply): one of the couple's, still there */
  replyTo?: number | null;
}

/** A reply to a message that is not there (deleted, or never the couple's): refused, the same either way. */
export const replyGone = () => new AppError(422, 'chat.reply.gone');

/** Whether a message can be replied to: the couple's, and not deleted. */
export async function canReplyTo(db: Db | Knex.Transaction, coupleId: number, id: number): Promise<boolean> {
  const row = await messagesOf(db, coupleId).andWhere({ id }).first('deleted_at');
  return Boolean(row) && row.deleted_at === null;
}

/**
 * Stores a message (a text, or files with their caption), its files and its event in one
 * change, and asks the question a text triggers. While a question waits for the sender's
 * answer it throws QuestionWaiting and stores nothing, for a text and a file alike: the
 * gate is checked under the couple's lock, so nothing slips past a question asked a moment
 * before. A client_id this sender already used returns the message stored then: a double
 * tap or a retry is one message.
 */
export async function createMessage(changes: CoupleChanges, coupleId: number, m: NewMessage): Promise<SendResult> {
  const seen: { before?: QuestionsState } = {};
  try {
    return await changes.change(coupleId, async (change) => {
      const seq = await change.take(); // first: it is the couple lock too
      const before = (seen.before = await questionsState(changes.db, change.trx, coupleId, seq));
      const waiting = waitingFor(before, m.senderId);
      if (waiting) throw new QuestionWaiting(waiting);
      // under the couple's lock: a deletion of the original cannot slip in between
      if (m.replyTo && !(await canReplyTo(change.trx, coupleId, m.replyTo))) throw replyGone();
      const typed = rawWords(m.body); // cut into words once, for the counts and the questions
      const [previous] = await queryRows(change.trx, 'select `created_at` from `messages` where `couple_id` = ? order by `id` desc limit 1', [coupleId]);
      const previousAt = previous ? Number(previous.created_at) : null;
      const message = await insertMessage(change.trx, coupleId, m.senderId, m.body, m.clientId, m.context, change.now, typed, m.replyTo ?? null);
      const files = m.files ?? [];
      for (const file of files) await insertFile(change.trx, coupleId, message.id, file, message.created_at);
      const payload = { id: message.id, file: files.length > 0 };
      await change.record(seq, 'message', payload);
      storedWith.set(payload, { row: message, previousAt });
      const questionId = files.length ? null : await askTriggeredQuestion(change, m.context, coupleId, typed, before);
      // the state just before the message, from which the memo moves on over its events
      change.afterCommit(() => rememberQuestions(changes.db, coupleId, before));
      return { message, created: true, questionId, previousAt };
    });
  } catch (err) {
    // rolled back, so the state read before it is still the couple's
    if (err instanceof QuestionWaiting && seen.before) rememberQuestions(changes.db, coupleId, seen.before);
    // the unique (couple, sender, client_id) index is the idempotency check
    if (!isUniqueViolation(err)) throw err;
    const earlier = await existingMessage(changes.db, coupleId, m.senderId, m.clientId);
    if (!earlier) throw err;
    return { message: earlier, created: false, questionId: null };
  }
}

/** Deletes one of my own messages (its text is gone for good). False when it is not mine or not there. */
export async function deleteMessage(changes: CoupleChanges, coupleId: number, senderId: number, id: number, bank: Bank): Promise<{ found: boolean; changed: boolean }> {
  return changes.change(coupleId, async ({ trx, lock, emit, now }) => {
    await lock();
    const row = await trx('messages').where({ couple_id: coupleId, sender_id: senderId, id }).first('deleted_at', 'body', 'words_day');
    if (!row) return { found: false, changed: false };
    if (row.deleted_at !== null) return { found: true, changed: false };
    if (row.words_day) await uncountWords(trx, coupleId, senderId, row.words_day, row.body, bank.words);
    await trx('messages').where({ id }).update({ deleted_at: now, body: '', words_day: null });
    await trx('message_reactions').where({ couple_id: coupleId, message_id: id }).delete(); // a tombstone has none
    await emit('deleted', { id });
    return { found: true, changed: true };
  });
}
