import type { Knex } from 'knex';
import { queryRows, type Db } from '../db';
import type { CommitListener } from '../realtime/coupleChanges';
import type { EventRow } from '../realtime/events';

/** What sending a message needs to know of a couple's questions, true as of one event number. */
export interface QuestionsState {
  /** the couple's event number it is true at */
  seq: number;
  /** the question asked and not yet answered by both, and who has answered it */
  open: { id: number; answeredBy: readonly number[] } | null;
  /** the bank ids of every question the couple has had */
  had: ReadonlySet<number>;
  /** when the couple's latest questions were asked (at most RECENT_ASKS of them, oldest first) */
  recentAsks: readonly number[];
  /** when the couple paired */
  startedAt: number;
}

/** How many of the latest asking times a state keeps: more than any sensible QUESTIONS_PER_DAY. */
const RECENT_ASKS = 50;
const keepRecent = (times: number[]) => times.sort((a, b) => a - b).slice(-RECENT_ASKS);

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
  // the couple's start and its questions in one query (a couple with none: one row of nulls)
  const joined = await queryRows(
    trx,
    'select `c`.`started_at`, `q`.`id`, `q`.`question_id`, `q`.`revealed_at`, `q`.`asked_at` from `couples` as `c` left join `couple_questions` as `q` on `q`.`couple_id` = `c`.`id` where `c`.`id` = ?',
    [coupleId],
  );
  const rows = joined.filter((r) => r.id !== null);
  const openId = Math.max(0, ...rows.filter((r) => r.revealed_at === null).map((r) => Number(r.id)));
  const answeredBy = openId ? (await trx('answers').where({ couple_id: coupleId, couple_question_id: openId }).pluck('user_id')).map(Number) : [];
  return {
    seq: seq - 1,
    open: openId ? { id: openId, answeredBy } : null,
    had: new Set(rows.map((r) => Number(r.question_id))),
    recentAsks: keepRecent(rows.map((r) => Number(r.asked_at))),
    startedAt: Number(joined[0]?.started_at ?? 0),
  };
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
 * After a commit of this process: the state remembered just before its events moves on
 * over them, as they say, so that the next send reads nothing. A question asked says which
 * of the bank it was; an answer who gave it; a reveal closes the question; every other
 * event (a message, a read mark, a deletion, a plan, a break-up) changes nothing of it.
 */
export function advanceQuestions(db: Db): CommitListener {
  const memo = memoOf(db);
  return ({ coupleId, events }) => {
    for (const event of events) { // in the order the change took them
      const before = memo.current(coupleId, event.seq - 1);
      if (!before) return;
      const after = stateAfter(before, event);
      if (!after) return;
      memo.remember(coupleId, after);
    }
  };
}

function stateAfter(before: QuestionsState, event: EventRow): QuestionsState | null {
  const seq = event.seq;
  switch (event.type) {
    case 'question': {
      const { bank, at } = event.payload;
      if (bank === undefined || at === undefined) return null;
      return { ...before, seq, open: { id: event.payload.id, answeredBy: [] }, had: new Set([...before.had, bank]), recentAsks: keepRecent([...before.recentAsks, at]) };
    }
    case 'answered':
      if (before.open?.id !== event.payload.id) return null;
      return { ...before, seq, open: { id: event.payload.id, answeredBy: [...before.open.answeredBy, event.payload.user] } };
    case 'revealed':
      return { ...before, seq, open: null };
    default:
      return { ...before, seq };
  }
}
