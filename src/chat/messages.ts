import type { Knex } from 'knex';
import { isUniqueViolation, transaction, type Db } from '../db';
import { askTriggeredQuestion } from '../questions/asked';
import { QuestionWaiting, questionsState, questionsUntouched, rememberQuestions, waitingFor, type QuestionsState } from '../questions/questionsState';
import type { Bank } from '../questions/bank';
import { countWords, uncountWords } from '../ranking/wordCounts';
import { appendEvent, lockCouple, nextEventSeq, recordEvent } from '../realtime/eventLog';
import { dayOf } from '../time';
import { rawWords } from '../language/words';

export interface MessageRow {
  id: number;
  sender_id: number;
  body: string;
  client_id: string;
  created_at: number;
  deleted_at: number | null;
}

export const MAX_BODY_CHARS = 4_000;
export const PAGE_SIZE = 50;

export const COLUMNS = ['id', 'sender_id', 'body', 'client_id', 'created_at', 'deleted_at'] as const;

/** Every read of messages starts here: a couple's messages and nothing else. */
export const messagesOf = (db: Db, coupleId: number) => db('messages').where({ couple_id: coupleId });

export const toRow = (r: Record<string, unknown>): MessageRow => ({
  id: Number(r.id),
  sender_id: Number(r.sender_id),
  body: String(r.body),
  client_id: String(r.client_id),
  created_at: Number(r.created_at),
  deleted_at: r.deleted_at === null || r.deleted_at === undefined ? null : Number(r.deleted_at),
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

export interface SendResult {
  message: MessageRow;
  created: boolean;
  /** the question this message asked the couple, if it asked one */
  questionId: number | null;
}

/** What storing a message needs besides the message: the question bank, and the sender's zone for the day its words count on. */
export interface WordContext {
  bank: Bank;
  timeZone: string;
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
): Promise<MessageRow> {
  const createdAt = now;
  const day = body ? dayOf(createdAt, context.timeZone) : null;
  const [id] = await trx('messages').insert({ couple_id: coupleId, sender_id: senderId, body, client_id: clientId, created_at: createdAt, words_day: day });
  if (day) await countWords(trx, coupleId, senderId, day, typed, context.bank.words);
  return { id: Number(id), sender_id: senderId, body, client_id: clientId, created_at: createdAt, deleted_at: null };
}

/**
 * Stores a message and its event in one transaction, and asks the question it triggers;
 * throws QuestionWaiting, storing nothing, while a question waits for the sender's answer.
 * A client_id this sender already used returns the message stored then: a double tap or
 * a retry is one message.
 */
export async function sendMessage(db: Db, coupleId: number, senderId: number, body: string, clientId: string, context: WordContext, now: number): Promise<SendResult> {
  const existing = async () => {
    const row = await messagesOf(db, coupleId).andWhere({ sender_id: senderId, client_id: clientId }).first(COLUMNS);
    return row ? { message: toRow(row), created: false, questionId: null } : null;
  };
  let before: QuestionsState | null = null;
  try {
    const { sent, after } = await transaction(db, async (trx) => {
      const seq = await nextEventSeq(trx, coupleId); // first: it is the couple lock too
      before = await questionsState(db, trx, coupleId, seq);
      const waiting = waitingFor(before, senderId);
      if (waiting) throw new QuestionWaiting(waiting);
      const typed = rawWords(body); // cut into words once, for the counts and the questions
      const message = await insertMessage(trx, coupleId, senderId, body, clientId, context, now, typed);
      await recordEvent(trx, coupleId, seq, 'message', { id: message.id, file: false }, now);
      const asked = await askTriggeredQuestion(trx, context.bank, coupleId, typed, before, seq, now);
      return { sent: { message, created: true, questionId: asked.questionId }, after: asked.after };
    });
    rememberQuestions(db, coupleId, after);
    return sent;
  } catch (err) {
    // rolled back, so the state read before it is still the couple's
    if (err instanceof QuestionWaiting) rememberQuestions(db, coupleId, before!);
    // the unique (couple, sender, client_id) index is the idempotency check
    if (!isUniqueViolation(err)) throw err;
    const earlier = await existing();
    if (!earlier) throw err;
    return earlier;
  }
}

/** Deletes one of my own messages (its text is gone for good). False when it is not mine or not there. */
export async function deleteMessage(db: Db, coupleId: number, senderId: number, id: number, bank: Bank, now: number): Promise<{ found: boolean; changed: boolean }> {
  const { seq, ...result } = await transaction(db, async (trx) => {
    await lockCouple(trx, coupleId);
    const row = await trx('messages').where({ couple_id: coupleId, sender_id: senderId, id }).first('deleted_at', 'body', 'words_day');
    if (!row) return { found: false, changed: false, seq: null };
    if (row.deleted_at !== null) return { found: true, changed: false, seq: null };
    if (row.words_day) await uncountWords(trx, coupleId, senderId, row.words_day, row.body, bank.words);
    await trx('messages').where({ id }).update({ deleted_at: now, body: '', words_day: null });
    return { found: true, changed: true, seq: await appendEvent(trx, coupleId, 'deleted', { id }, now) };
  });
  if (seq !== null) questionsUntouched(db, coupleId, [seq]);
  return result;
}
