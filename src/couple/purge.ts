import type { Knex } from 'knex';
import { forUpdate, transaction, type Db } from '../db';

/** The couple's rows of one table (in a transaction, or not: a count in a test). */
type Rows = (db: Knex, coupleId: number) => Knex.QueryBuilder;

const byCoupleId = (table: string) => ({ table, rows: ((db, coupleId) => db(table).where({ couple_id: coupleId })) as Rows });

/**
 * Every table that holds a couple's own data, in an order safe to delete in (rows that
 * refer to others go first). EVERY NEW COUPLE-OWNED TABLE MUST BE ADDED HERE: a break-up
 * deletes exactly these, and a table missing from the list keeps a former couple's data
 * (or, with a foreign key to couples, makes every break-up fail).
 */
export const COUPLE_OWNED_TABLES: readonly { table: string; rows: Rows }[] = [
  byCoupleId('message_reactions'), // before messages, which they react to
  byCoupleId('answers'), // before couple_questions, which they answer
  byCoupleId('couple_questions'),
  byCoupleId('word_counts'),
  byCoupleId('rank_exclusions'),
  byCoupleId('calendar_events'),
  byCoupleId('reminders_sent'),
  byCoupleId('read_marks'),
  byCoupleId('events'),
  byCoupleId('files'),
  // the bytes of uploads kept in the database, before the blobs they belong to
  { table: 'blob_chunks', rows: (db, coupleId) => db('blob_chunks').whereIn('blob_id', db('blobs').where({ couple_id: coupleId }).select('id')) },
  byCoupleId('blobs'),
  byCoupleId('messages'),
];

export interface Purged {
  /** the two former partners */
  userIds: number[];
  /** storage keys of the couple's files (and thumbnails), to remove from outside the database after commit */
  storageKeys: string[];
}

/**
 * Deletes a couple whose break-up is due, and everything it owns, in one transaction:
 * both partners are single afterwards. The couple's row is locked and its due time read
 * again first, so a break-up cancelled meanwhile, or a couple another instance (or the
 * partner's request) already ended, is left alone: then it resolves to null.
 */
export async function purgeCoupleIfDue(db: Db, coupleId: number, now: number): Promise<Purged | null> {
  return transaction(db, async (trx) => {
    const couple = await forUpdate(trx, trx('couples').where({ id: coupleId }).first('breakup_due_at'));
    if (!couple || couple.breakup_due_at === null || Number(couple.breakup_due_at) > now) return null;
    const userIds = (await trx('users').where({ couple_id: coupleId }).orderBy('id').pluck('id')).map(Number);
    const files = await trx('files').where({ couple_id: coupleId }).select('storage_key', 'thumb_key');
    const storageKeys = files.flatMap((f) => [String(f.storage_key), ...(f.thumb_key ? [String(f.thumb_key)] : [])]);
    for (const owned of COUPLE_OWNED_TABLES) await owned.rows(trx, coupleId).delete();
    await trx('users').where({ couple_id: coupleId }).update({ couple_id: null, couple_ended_at: now, partner_nickname: null }); // the name given belongs to the couple
    await trx('couples').where({ id: coupleId }).delete();
    return { userIds, storageKeys };
  });
}
