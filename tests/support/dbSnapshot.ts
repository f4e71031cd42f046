// Every row of every table, to show that a request changed nothing (or exactly what it changed).
import { createHash } from 'node:crypto';
import { isSQLite, type Db } from '../../src/db';

export type Snapshot = Record<string, string[]>;

/** Columns left out of a snapshot, by table (e.g. a session's expiry that a visit may extend). */
export type Ignore = Record<string, string[]>;

export async function tableNames(db: Db): Promise<string[]> {
  if (isSQLite(db)) {
    const rows = await db.raw(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`);
    return rows.map((r: { name: string }) => r.name);
  }
  const [rows] = await db.raw(`select table_name as name from information_schema.tables where table_schema = database() order by table_name`);
  return rows.map((r: { name: string }) => r.name);
}

function cell(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `bytes:${createHash('sha256').update(value).digest('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  return String(value);
}

/** Each table as a sorted list of its rows (JSON, columns in name order, ignored columns left out). */
export async function snapshot(db: Db, ignore: Ignore = {}): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const table of await tableNames(db)) {
    const skip = new Set(ignore[table] ?? []);
    const rows = (await db(table).select()) as Record<string, unknown>[];
    out[table] = rows
      .map((row) => JSON.stringify(Object.keys(row).sort().filter((k) => !skip.has(k)).map((k) => [k, cell(row[k])])))
      .sort();
  }
  return out;
}

export interface TableChange {
  table: string;
  added: string[];
  removed: string[];
}

/** The rows that came and went between two snapshots, table by table (an updated row is both). */
export function changes(before: Snapshot, after: Snapshot): TableChange[] {
  const out: TableChange[] = [];
  for (const table of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    const added = [...now].filter((r) => !was.has(r));
    const removed = [...was].filter((r) => !now.has(r));
    if (added.length || removed.length) out.push({ table, added, removed });
  }
  return out;
}
