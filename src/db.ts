import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import knexPkg, { type Knex } from 'knex';

const { knex } = knexPkg;
import { migrationSource } from '../migrations/index';

export type Db = Knex;

/** The one place that knows which SQL dialect we speak. */
export function isSQLite(db: Db): boolean {
  return db.client.driverName === 'better-sqlite3';
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

interface Statement {
  reader: boolean;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { lastInsertRowid: number | bigint; changes: number };
}
interface QueryObject {
  sql: string;
  bindings?: unknown[];
  options?: { safeIntegers?: boolean };
  response?: unknown;
  context?: { lastID: number | bigint; changes: number };
}
type KnexClientClass = new (config: Knex.Config) => {
  _formatBindings(bindings?: unknown[]): unknown[];
  _query(connection: SQLiteStatements, obj: QueryObject): Promise<QueryObject>;
};

const STATEMENTS_KEPT = 500;

interface SQLiteStatements {
  prepare(sql: string): Statement;
}
const kept = new WeakMap<object, Map<string, Statement>>();

/** The connection's prepared statement for `sql`, kept (the last STATEMENTS_KEPT of them, least recently used dropped). */
function preparedOn(connection: SQLiteStatements, sql: string): Statement {
  let statements = kept.get(connection);
  if (!statements) kept.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (statement) statements.delete(sql); // re-inserted below: the map's order is least recently used first
  else {
    statement = connection.prepare(sql);
    if (statements.size >= STATEMENTS_KEPT) statements.delete(statements.keys().next().value!);
  }
  statements.set(sql, statement);
  return statement;
}

/**
 * knex's better-sqlite3 client prepares every query afresh; this one keeps the last few
 * hundred prepared statements of its connection by their SQL (the app's queries are a few
 * dozen shapes), so a send stops paying SQLite's compiler a dozen times.
 */
function cachingSQLiteClient(): KnexClientClass {
  const Base = createRequire(import.meta.url)('knex/lib/dialects/better-sqlite3/index.js') as KnexClientClass;
  return class CachingSQLite extends Base {
    override async _query(connection: SQLiteStatements, obj: QueryObject): Promise<QueryObject> {
      if (!obj.sql || !connection || obj.options?.safeIntegers !== undefined) return super._query(connection, obj);
      const statement = preparedOn(connection, obj.sql);
      const bindings = this._formatBindings(obj.bindings);
      if (statement.reader) obj.response = statement.all(bindings);
      else {
        const result = statement.run(bindings);
        obj.response = result;
        obj.context = { lastID: result.lastInsertRowid, changes: result.changes };
      }
      return obj;
    }
  };
}

function createSQLite(path: string): Db {
  const filename = path === ':memory:' ? path : resolve(path);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  return knex({
    client: cachingSQLiteClient() as unknown as Knex.Config['client'],
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

type Row = Record<string, unknown>;
type Binding = string | number | null;
interface MySqlConnection {
  execute(sql: string, values: Binding[], callback: (err: Error | null, result: unknown) => void): void;
}
interface PooledClient {
  acquireConnection(): Promise<SQLiteStatements | MySqlConnection>;
  releaseConnection(connection: unknown): Promise<void>;
  emit(event: 'query', query: { sql: string; bindings: Binding[] }): void;
}

/**
 * Runs one statement of the send path as a prepared statement, without knex building it:
 * better-sqlite3's statements are kept per connection (preparedOn), mysql2 keeps the
 * statements it `execute`s per connection. On a transaction it runs on the transaction's
 * connection; on the database it waits for a connection of the pool as knex's queries do
 * (on SQLite the one connection, so never inside another request's transaction). `sql`
 * must read the same in both dialects (backquoted names, no placeholder in LIMIT).
 */
async function onConnection<T>(db: Db | Knex.Transaction, sql: string, bindings: Binding[], sqlite: (statement: Statement) => T, mysql: (result: unknown) => T): Promise<T> {
  const client = db.client as PooledClient;
  const connection = await client.acquireConnection();
  client.emit('query', { sql, bindings }); // as knex tells of its own queries (db.on('query'), the tests' query counts)
  try {
    if (isSQLite(db)) return sqlite(preparedOn(connection as SQLiteStatements, sql));
    return mysql(await new Promise<unknown>((resolve, reject) => (connection as MySqlConnection).execute(sql, bindings, (err, result) => (err ? reject(err) : resolve(result)))));
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The rows of a hot read (see onConnection). */
export function queryRows<T extends Row = Row>(db: Db | Knex.Transaction, sql: string, bindings: Binding[]): Promise<T[]> {
  return onConnection(db, sql, bindings, (statement) => statement.all(bindings) as T[], (rows) => rows as T[]);
}

/** A hot write (see onConnection): the id it inserted, and how many rows it changed. */
export function execute(db: Db | Knex.Transaction, sql: string, bindings: Binding[]): Promise<{ insertId: number; affectedRows: number }> {
  return onConnection(
    db,
    sql,
    bindings,
    (statement) => {
      const result = statement.run(bindings);
      return { insertId: Number(result.lastInsertRowid), affectedRows: result.changes };
    },
    (result) => {
      const header = result as { insertId: number; affectedRows: number };
      return { insertId: Number(header.insertId), affectedRows: Number(header.affectedRows) };
    },
  );
}
