import type { Knex } from 'knex';

/**
 * Every MySQL table in utf8mb4 whatever the server's default: a hosted database often
 * defaults to latin1, where Korean text and emoji would not fit.
 */
export function unicodeTable(db: Knex, t: Knex.CreateTableBuilder): void {
  if (db.client.dialect !== 'mysql') return;
  t.engine('InnoDB');
  t.charset('utf8mb4');
  t.collate('utf8mb4_unicode_ci');
}
