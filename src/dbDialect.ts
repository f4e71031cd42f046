import type { Knex } from 'knex';
import { isSQLite, type Db } from './db';

/** `column` contains `text`, case-insensitively in every script, with LIKE's % and _ (and \) taken literally. */
export function likeContains(db: Db, query: Knex.QueryBuilder, column: string, text: string): Knex.QueryBuilder {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  // MySQL's utf8mb4_unicode_ci columns compare without case already; SQLite gets a
  // Unicode lower() of our own (registered in db.ts), its built-in one folds ASCII only.
  return isSQLite(db)
    ? query.andWhereRaw(`unicode_lower(??) like ? escape '\\'`, [column, pattern])
    : query.andWhereRaw(`?? like ? escape '\\\\'`, [column, pattern]);
}

/** Adds one to a counter column and returns the new value, in one statement. */
export async function incrementAndGet(trx: Knex.Transaction, table: string, column: string, id: number): Promise<number> {
  if (isSQLite(trx)) {
    const rows = await trx.raw(`update ?? set ?? = ?? + 1 where id = ? returning ??`, [table, column, column, id, column]);
    return Number(rows[0][column]);
  }
  // MySQL hands the value back as the statement's insert id
  const [result] = await trx.raw(`update ?? set ?? = last_insert_id(?? + 1) where id = ?`, [table, column, column, id]);
  return Number(result.insertId);
}
