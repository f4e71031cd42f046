// Preloaded into the app process under BENCH_PROFILE=1 only: times every query knex runs
// (better-sqlite3: the synchronous execution itself; mysql2: the round trip) and writes
// the totals per SQL text to $BENCH_SQL_TIMES when the process exits.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const totals = new Map<string, { count: number; ms: number }>();
type Query = (this: unknown, connection: unknown, obj: { sql: string }) => unknown;

function record(sql: string, started: number) {
  const entry = totals.get(sql) ?? { count: 0, ms: 0 };
  entry.count++;
  entry.ms += performance.now() - started;
  totals.set(sql, entry);
}

// better-sqlite3 runs the statement synchronously before _query's first await: time that part.
const sqlite = (require('knex/lib/dialects/better-sqlite3/index.js') as { prototype: { _query: Query } }).prototype;
const sqliteQuery = sqlite._query;
sqlite._query = function (connection, obj) {
  const started = performance.now();
  const result = sqliteQuery.call(this, connection, obj);
  record(obj.sql, started);
  return result;
};

const mysql = (require('knex/lib/dialects/mysql/index.js') as { prototype: { _query: Query } }).prototype;
const mysqlQuery = mysql._query;
mysql._query = async function (connection, obj) {
  const started = performance.now();
  try {
    return await mysqlQuery.call(this, connection, obj);
  } finally {
    record(obj.sql, started);
  }
};

process.on('exit', () => {
  const file = process.env.BENCH_SQL_TIMES;
  if (file) writeFileSync(file, JSON.stringify([...totals].map(([sql, t]) => ({ sql, ...t }))));
});
