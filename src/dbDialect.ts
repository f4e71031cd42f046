import type { Knex } from 'knex';
import { isSQLite, type Db } from './db';

/** `column` contains `text`, case-insensitively, with LIKE's % and _ (and \) taken literally. */
export function likeContains(db: Db, query: Knex.QueryBuilder, column: string, text: string): Knex.QueryBuilder {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  // SQLite's LIKE folds ASCII case only and MySQL's *_ci collations fold case anyway:
  // lower() on both sides covers the rest without a dialect-specific collation.
  return isSQLite(db)
    ? query.andWhereRaw(`lower(??) like lower(?) escape '\\'`, [column, pattern])
    : query.andWhereRaw(`?? like ? escape '\\\\'`, [column, pattern]);
}
