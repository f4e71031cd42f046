import type { Knex } from 'knex';
import { execute, isSQLite, queryRows, type Db } from '../db';
import { isEventType, type EventPayloads, type EventRow, type EventType } from './events';

/** The couple ended (a break-up took effect) while a change to it was on its way: there is nothing to change. */
export class CoupleGone extends Error {
  constructor() {
    super('the couple has ended');
  }
}

export type { EventRow } from './events';

/**
 * Locks the couple's row for the rest of the transaction (and says its last event number). Call it first in every
 * transaction that will append an event: on InnoDB an insert into a table referencing
 * couples takes a shared lock on the couple's row, and two transactions holding that
 * shared lock and then both asking for the exclusive one deadlock.
 */
export async function lockCouple(trx: Knex.Transaction, coupleId: number): Promise<number> {
  // row locks where the dialect has them; SQLite's single writer serialises transactions anyway
  const forUpdate = isSQLite(trx) ? '' : ' for update';
  const [couple] = await queryRows(trx, `select \`event_seq\` from \`couples\` where \`id\` = ?${forUpdate}`, [coupleId]);
  if (!couple) throw new CoupleGone();
  return Number(couple.event_seq);
}

/**
 * Takes the couple's next event number. It locks the couple's row until commit, so
 * events become visible strictly in number order; taken first in a transaction, it is
 * also the couple lock (see lockCouple).
 */
export async function nextEventSeq(trx: Knex.Transaction, coupleId: number): Promise<number> {
  // one statement: SQLite returns the new value, MySQL hands it back as the statement's insert id
  let seq: number | null;
  if (isSQLite(trx)) {
    const [row] = await queryRows(trx, 'update `couples` set `event_seq` = `event_seq` + 1 where `id` = ? returning `event_seq`', [coupleId]);
    seq = row ? Number(row.event_seq) : null;
  } else {
    const result = await execute(trx, 'update `couples` set `event_seq` = last_insert_id(`event_seq` + 1) where `id` = ?', [coupleId]);
    seq = result.affectedRows ? result.insertId : null;
  }
  // the couple ended (a break-up took effect) while this request was on its way
  if (seq === null) throw new CoupleGone();
  return seq;
}

export async function recordEvent<T extends EventType>(trx: Knex.Transaction, coupleId: number, seq: number, type: T, payload: EventPayloads[T], now: number) {
  await execute(trx, 'insert into `events` (`couple_id`, `seq`, `type`, `payload`, `created_at`) values (?, ?, ?, ?, ?)', [coupleId, seq, type, JSON.stringify(payload), now]);
}

export async function latestSeq(db: Db, coupleId: number): Promise<number> {
  const [row] = await queryRows(db, 'select `event_seq` from `couples` where `id` = ?', [coupleId]);
  return row ? Number(row.event_seq) : 0;
}

export async function eventsSince(db: Db, coupleId: number, afterSeq: number, limit = 200): Promise<EventRow[]> {
  const rows = await db('events')
    .where({ couple_id: coupleId })
    .andWhere('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .select('seq', 'type', 'payload');
  // a type this version does not know (written by a newer one) is passed over
  return rows.filter((r) => isEventType(r.type)).map((r) => ({ seq: Number(r.seq), type: r.type, payload: JSON.parse(r.payload) }) as EventRow);
}
