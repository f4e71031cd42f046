import type { Knex } from 'knex';
import { execute, isSQLite, type Db } from './db';

/** `column` contains `text`, case-insensitively in every script, with LIKE's % and _ (and \) taken literally. */
export function likeContains(db: Db, query: Knex.QueryBuilder, column: string, text: string): Knex.QueryBuilder {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  // MySQL's utf8mb4_unicode_ci columns compare without case already.
  if (!isSQLite(db)) return query.andWhereRaw(`?? like ? escape '\\\\'`, [column, pattern]);
  // SQLite's LIKE folds ASCII letters itself; Korean has no case. Only a word with other
  // cased letters (é, Д, Σ…) needs the Unicode lower() registered in db.ts, which costs
  // a call per row.
  return hasNonAsciiCase(text)
    ? query.andWhereRaw(`unicode_lower(??) like ? escape '\\'`, [column, pattern])
    : query.andWhereRaw(`?? like ? escape '\\'`, [column, pattern]);
}

function hasNonAsciiCase(text: string): boolean {
  for (const c of text) if (c > '\u007f' && c.toLowerCase() !== c.toUpperCase()) return true;
  return false;
}

/**
 * Inserts one chunk of an upload's bytes. On MySQL through a prepared statement: the
 * binary protocol sends the bytes as they are, where a plain query would spell every
 * byte out as two hex digits for the server to parse back.
 */
export async function insertBlobChunk(db: Db, blobId: number, n: number, data: Buffer): Promise<void> {
  if (isSQLite(db)) {
    await db('blob_chunks').insert({ blob_id: blobId, n, data });
    return;
  }
  const client = db.client as { acquireConnection(): Promise<MySqlConnection>; releaseConnection(c: MySqlConnection): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    await new Promise<void>((resolve, reject) =>
      connection.execute('insert into blob_chunks (blob_id, n, data) values (?, ?, ?)', [blobId, n, data], (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    await client.releaseConnection(connection);
  }
}

interface MySqlConnection {
  execute(sql: string, values: unknown[], callback: (err: Error | null) => void): void;
}

/** Adds to counters keyed by `key` columns, creating the rows that are missing, in one statement. */
export async function addToCounts(trx: Knex.Transaction, table: string, key: string[], rows: Array<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  // a prepared statement (see db.ts execute): it runs with every message that has words
  const q = (name: string) => `\`${name}\``;
  const columns = Object.keys(rows[0]);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const merge = isSQLite(trx)
    ? `on conflict (${key.map(q).join(', ')}) do update set \`count\` = ${q(table)}.\`count\` + excluded.\`count\``
    : `on duplicate key update \`count\` = ${q(table)}.\`count\` + values(\`count\`)`;
  const sql = `insert into ${q(table)} (${columns.map(q).join(', ')}) values ${rows.map(() => tuple).join(', ')} ${merge}`;
  await execute(trx, sql, rows.flatMap((row) => columns.map((column) => row[column] as string | number | null)));
}
