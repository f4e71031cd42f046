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
