import type { Knex } from 'knex';
import type { Db } from '../db';

/** What sending a message needs to know of a couple's questions, true as of one event number. */
export interface QuestionsState {
  /** the couple's event number it is true at */
  seq: number;
  /** the question asked and not yet answered by both, and who has answered it */
  open: { id: number; answeredBy: readonly number[] } | null;
  /** the bank ids of every question the couple has had */
  had: ReadonlySet<number>;
}

/** Sending is held while a question waits for this partner's answer. */
export class QuestionWaiting extends Error {
  constructor(readonly questionId: number) {
    super(`question ${questionId} waits for an answer`);
  }
}

export function waitingFor(state: QuestionsState, userId: number): number | null {
  return state.open && !state.open.answeredBy.includes(userId) ? state.open.id : null;
}

/** Reads the state inside a transaction that holds the couple's lock and has taken event number `seq`. */
async function readState(trx: Knex.Transaction, coupleId: number, seq: number): Promise<QuestionsState> {
  const rows = await trx('couple_questions').where({ couple_id: coupleId }).select('id', 'question_id', 'revealed_at');
  const openId = Math.max(0, ...rows.filter((r) => r.revealed_at === null).map((r) => Number(r.id)));
  const answeredBy = openId ? (await trx('answers').where({ couple_id: coupleId, couple_question_id: openId }).pluck('user_id')).map(Number) : [];
  return { seq: seq - 1, open: openId ? { id: openId, answeredBy } : null, had: new Set(rows.map((r) => Number(r.question_id))) };
}

const MAX_COUPLES = 20_000;

/**
 * Each couple's questions state as this process last saw it, so that most sends read
 * nothing to know whether a question waits or which one a word may ask. A state is used
 * only while it is current: every change to a couple's questions takes an event number
 * under the couple's lock, so a state at the number just before a transaction's own is
 * still true in it, whatever other instances did. States are remembered after commit only.
 */
class QuestionsMemo {
  private readonly states = new Map<number, QuestionsState>();

  current(coupleId: number, seqBefore: number): QuestionsState | null {
    const state = this.states.get(coupleId);
    return state && state.seq === seqBefore ? state : null;
  }

  remember(coupleId: number, state: QuestionsState): void {
    const known = this.states.get(coupleId);
    if (known && known.seq >= state.seq) return; // a later commit got here first
    this.states.delete(coupleId); // re-inserted last: the oldest couple is dropped first
    this.states.set(coupleId, state);
    if (this.states.size > MAX_COUPLES) this.states.delete(this.states.keys().next().value!);
  }
}

const memos = new WeakMap<Db, QuestionsMemo>();

function memoOf(db: Db): QuestionsMemo {
  let memo = memos.get(db);
  if (!memo) memos.set(db, (memo = new QuestionsMemo()));
  return memo;
}

/** The couple's questions state inside a transaction that has taken event number `seq`: remembered, else read. */
export async function questionsState(db: Db, trx: Knex.Transaction, coupleId: number, seq: number): Promise<QuestionsState> {
  return memoOf(db).current(coupleId, seq - 1) ?? readState(trx, coupleId, seq);
}

/** Call once the transaction that led to `state` has committed. */
export function rememberQuestions(db: Db, coupleId: number, state: QuestionsState): void {
  memoOf(db).remember(coupleId, state);
}

/**
 * After an answer committed as event `seq`: the remembered state just before it, if
 * there is one, moves on without a read.
 */
export function rememberAnswer(db: Db, coupleId: number, seq: number, questionId: number, userId: number, revealed: boolean): void {
  const memo = memoOf(db);
  const before = memo.current(coupleId, seq - 1);
  if (!before || before.open?.id !== questionId) return;
  const open = revealed ? null : { id: questionId, answeredBy: [...before.open.answeredBy, userId] };
  memo.remember(coupleId, { ...before, seq, open });
}

/**
 * After a commit whose events (numbers `seqs`) change nothing of the couple's questions:
 * a read mark, a deletion, an upload, a plan. A state just before them moves on over
 * them, so the partner's read mark between two sends does not cost the next send a read.
 */
export function questionsUntouched(db: Db, coupleId: number, seqs: readonly number[]): void {
  const memo = memoOf(db);
  for (const seq of seqs) { // in the order the transaction took them
    const before = memo.current(coupleId, seq - 1);
    if (!before) return;
    memo.remember(coupleId, { ...before, seq });
  }
}
