import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexPkg, { type Knex } from 'knex';

const { knex } = knexPkg;
import { migrationSource } from '../migrations/index';

export type Db = Knex;

/** The one place that knows which SQL dialect we speak. */
export function isSQLite(db: Db): boolean {
  return db.client.config.client === 'better-sqlite3';
}

export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith('sqlite:')) return createSQLite(databaseUrl.slice('sqlite:'.length));
  return knex({
    client: 'mysql2',
    connection: { uri: databaseUrl, charset: 'utf8mb4', timezone: 'Z', supportBigNumbers: true, bigNumberStrings: false },
    pool: { min: 0, max: 10 },
    acquireConnectionTimeout: 10_000,
  } as Knex.Config);
}

interface SQLiteConnection {
  pragma(statement: string): unknown;
  function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
}

function createSQLite(path: string): Db {
  const filename = path === ':memory:' ? path : resolve(path);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      // One connection: SQLite serialises writes anyway, and one connection keeps
      // transactions from waiting on each other's locks.
      min: 1,
      max: 1,
      afterCreate(conn: SQLiteConnection, done: (err: Error | null) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('synchronous = NORMAL');
        // SQLite's own lower() folds ASCII only; searches fold every script's case with this.
        conn.function('unicode_lower', { deterministic: true }, (text: unknown) =>
          typeof text === 'string' ? text.toLowerCase() : text,
        );
        done(null);
      },
    },
  });
}

/** Brings the schema up to date; resolves to the names of the migrations it ran (none when it already was). */
export async function migrate(db: Db): Promise<string[]> {
  const [, ran] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return ran;
}

export async function checkDb(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

/** Row locks where the dialect has them; SQLite's single writer serialises transactions anyway. */
export function forUpdate<Q extends Knex.QueryBuilder>(db: Db, query: Q): Q {
  return isSQLite(db) ? query : (query.forUpdate() as Q);
}

const isDeadlock = (err: unknown) => ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY'].includes((err as { code?: string })?.code ?? '');

/**
 * A transaction that is tried again (up to 3 times) when the database picked it as a
 * deadlock victim: MySQL may do so to either of two transactions touching the same rows.
 */
export async function transaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (!isDeadlock(err) || attempt >= 3) throw err;
    }
  }
}

/** A unique index refused the row (a duplicate ID, client_id, …). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Errors of reaching the database, as opposed to bugs in our own code: a 503, not a 500. */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; name?: string; fatal?: boolean };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'SQLITE_BUSY', 'ER_CON_COUNT_ERROR'].includes(e?.code ?? '') ||
    e?.name === 'KnexTimeoutError' ||
    // mysql2's mark of a connection that is gone, even without a code (knex's ROLLBACK on a
    // connection the server closed: "Can't add new command when connection is in closed state")
    e?.fatal === true
  );
}
