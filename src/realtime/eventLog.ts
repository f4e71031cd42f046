import type { Knex } from 'knex';
import type { Db } from '../db';

export interface EventRow {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Appends an event to the couple's log inside the caller's transaction and returns its
 * number. Taking the number locks the couple's row until commit, so events become
 * visible strictly in number order.
 */
export async function appendEvent(trx: Knex.Transaction, coupleId: number, type: string, payload: Record<string, unknown>): Promise<number> {
  await trx('couples').where({ id: coupleId }).increment('event_seq', 1);
  const row = await trx('couples').where({ id: coupleId }).first('event_seq');
  const seq = Number(row.event_seq);
  await trx('events').insert({ couple_id: coupleId, seq, type, payload: JSON.stringify(payload), created_at: Date.now() });
  return seq;
}

export async function latestSeq(db: Db, coupleId: number): Promise<number> {
  const row = await db('couples').where({ id: coupleId }).first('event_seq');
  return row ? Number(row.event_seq) : 0;
}

export async function eventsSince(db: Db, coupleId: number, afterSeq: number, limit = 200): Promise<EventRow[]> {
  const rows = await db('events')
    .where({ couple_id: coupleId })
    .andWhere('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .select('seq', 'type', 'payload');
  return rows.map((r) => ({ seq: Number(r.seq), type: r.type, payload: JSON.parse(r.payload) }));
}
