import type { Knex } from 'knex';
import { queryRows, type Db } from '../db';
import type { Change, CoupleChanges } from '../realtime/coupleChanges';
import type { QuestionCadence } from '../config';
import { mostSpecific, triggeredQuestions, type Bank } from './bank';
import type { QuestionsState } from './questionsState';

/** A question as asked to one couple. */
export interface AskedQuestion {
  id: number;
  textKo: string;
  textEn: string;
  askedAt: number;
  revealedAt: number | null;
  /** once revealed: the id of the message it shows after in the conversation (0: before any) */
  revealedAfter: number | null;
  /** user id → answer */
  answers: Map<number, string>;
}

export const MAX_ANSWER_CHARS = 500;

/** Every read of asked questions starts here: a couple's and nothing else. */
const askedOf = (db: Db | Knex.Transaction, coupleId: number) =>
  db('couple_questions as cq').join('questions as q', 'q.id', 'cq.question_id').where('cq.couple_id', coupleId);

const COLUMNS = ['cq.id', 'q.text_ko', 'q.text_en', 'cq.asked_at', 'cq.revealed_at', 'cq.revealed_after'];

/** Up to this many ids a statement is prepared for the count; each count is a statement of its own, kept by the database. */
const FEW = 4;

async function withAnswers(db: Db, coupleId: number, rows: Record<string, unknown>[]): Promise<AskedQuestion[]> {
  const ids = rows.map((r) => Number(r.id));
  // the stream's question events ask for one or two: a prepared statement of their few shapes (one per count, so not for a long list)
  const answers =
    ids.length === 0
      ? []
      : ids.length <= FEW
        ? await queryRows(db, `select \`couple_question_id\`, \`user_id\`, \`body\` from \`answers\` where \`couple_id\` = ? and \`couple_question_id\` in (${ids.map(() => '?').join(', ')})`, [coupleId, ...ids])
        : await db('answers').where({ couple_id: coupleId }).whereIn('couple_question_id', ids).select('couple_question_id', 'user_id', 'body');
  return rows.map((r) => ({
    id: Number(r.id),
    textKo: String(r.text_ko),
    textEn: String(r.text_en),
    askedAt: Number(r.asked_at),
    revealedAt: r.revealed_at === null ? null : Number(r.revealed_at),
    revealedAfter: r.revealed_after === null || r.revealed_after === undefined ? null : Number(r.revealed_after),
    answers: new Map(answers.filter((a) => Number(a.couple_question_id) === Number(r.id)).map((a) => [Number(a.user_id), String(a.body)])),
  }));
}

/** The couple's asked questions by id, with their answers: two queries however many. */
export async function findAskedMany(db: Db, coupleId: number, ids: number[]): Promise<Map<number, AskedQuestion>> {
  if (ids.length === 0) return new Map();
  const rows = await askedOf(db, coupleId).whereIn('cq.id', [...new Set(ids)]).select(COLUMNS);
  return new Map((await withAnswers(db, coupleId, rows)).map((q) => [q.id, q]));
}

export async function findAsked(db: Db, coupleId: number, id: number): Promise<AskedQuestion | null> {
  const row = await askedOf(db, coupleId).andWhere('cq.id', id).first(COLUMNS);
  return row ? (await withAnswers(db, coupleId, [row]))[0] : null;
}

/** The couple's open question (asked, not yet answered by both), if any. */
export async function openQuestion(db: Db, coupleId: number): Promise<AskedQuestion | null> {
  const row = await askedOf(db, coupleId).whereNull('cq.revealed_at').orderBy('cq.id', 'desc').first(COLUMNS);
  return row ? (await withAnswers(db, coupleId, [row]))[0] : null;
}

/** The open question when this partner still owes it an answer: the gate before chatting on. */
export async function questionWaitingFor(db: Db, coupleId: number, userId: number): Promise<AskedQuestion | null> {
  const open = await openQuestion(db, coupleId);
  return open && !open.answers.has(userId) ? open : null;
}

/** Every question the couple has had, newest first. */
export async function askedHistory(db: Db, coupleId: number): Promise<AskedQuestion[]> {
  const rows = await askedOf(db, coupleId).orderBy('cq.id', 'desc').select(COLUMNS);
  return withAnswers(db, coupleId, rows);
}

/**
 * The revealed questions that show among a stretch of the conversation: those after a
 * message from `from` to `to` (ids, inclusive; null: no bound), in the order they came.
 */
export async function revealedAmong(db: Db, coupleId: number, from: number | null, to: number | null): Promise<AskedQuestion[]> {
  const query = askedOf(db, coupleId).whereNotNull('cq.revealed_at');
  if (from !== null) query.andWhere('cq.revealed_after', '>=', from);
  if (to !== null) query.andWhere('cq.revealed_after', '<=', to);
  return withAnswers(db, coupleId, await query.orderBy('cq.revealed_after').orderBy('cq.id').select(COLUMNS));
}

const DAY_MS = 86_400_000;

/** Whether the cadence lets a question be asked now (see QuestionCadence). */
export function questionTimeNow(before: QuestionsState, cadence: QuestionCadence, now: number): boolean {
  if (before.open) return false;
  if (now - before.startedAt < cadence.quietStartMs) return false;
  const last = before.recentAsks.at(-1);
  if (last !== undefined && now - last < cadence.minGapMs) return false;
  return before.recentAsks.filter((at) => now - at < DAY_MS).length < cadence.perDay;
}

/**
 * Asks the question a just-stored message triggers, inside the message's change (which
 * holds the couple's lock and took the message's event number, so two messages can't both
 * open one): only when the cadence says it is question time, and only one the couple has
 * never had; of several, the most specific topic (see mostSpecific). `before` is the
 * couple's questions state just before the message; most messages ask nothing and read
 * nothing. Resolves to the question asked, if any.
 */
export async function askTriggeredQuestion(
  change: Change,
  words: { bank: Bank; cadence: QuestionCadence },
  coupleId: number,
  text: string | readonly string[],
  before: QuestionsState,
): Promise<number | null> {
  if (!questionTimeNow(before, words.cadence, change.now)) return null;
  const next = mostSpecific(triggeredQuestions(text, words.bank).filter((c) => !before.had.has(c.questionId)));
  if (!next) return null;
  const [inserted] = await change.trx('couple_questions').insert({ couple_id: coupleId, question_id: next.questionId, trigger_word: next.word, asked_at: change.now });
  const id = Number(inserted);
  await change.emit('question', { id, bank: next.questionId, at: change.now });
  return id;
}

export type AnswerResult = 'stored' | 'revealed' | 'not-found' | 'already-answered';

/**
 * Stores a partner's answer. The couple's lock (taken first) orders two answers given at
 * the same instant: the second one sees the first and reveals both.
 */
export async function answerQuestion(changes: CoupleChanges, coupleId: number, userId: number, id: number, body: string): Promise<AnswerResult> {
  return changes.change(coupleId, async ({ trx, lock, emit, now }) => {
    await lock();
    const asked = await trx('couple_questions').where({ couple_id: coupleId, id }).first('id');
    if (!asked) return 'not-found';
    const mine = await trx('answers').where({ couple_question_id: id, user_id: userId }).first('id');
    if (mine) return 'already-answered';
    await trx('answers').insert({ couple_id: coupleId, couple_question_id: id, user_id: userId, body, created_at: now });
    const [{ n }] = await trx('answers').where({ couple_question_id: id }).count({ n: '*' });
    if (Number(n) >= 2) {
      // it joins the conversation after the newest message (ids follow the couple's lock, which this holds)
      const [{ newest }] = await trx('messages').where({ couple_id: coupleId }).max({ newest: 'id' });
      await trx('couple_questions').where({ id }).update({ revealed_at: now, revealed_after: Number(newest ?? 0) });
      await emit('revealed', { id });
      return 'revealed';
    }
    await emit('answered', { id, user: userId });
    return 'stored';
  });
}
