import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrate, type Db } from '../../src/db';
import { onCleanup } from './cleanup';

export type BackendName = 'sqlite' | 'mariadb';

export interface BenchDatabase {
  backend: BackendName;
  /** DATABASE_URL for the app process */
  url: string;
  /** the bench's own connection, for seeding */
  db: Db;
  version: string;
  drop(): Promise<void>;
}

export const mysqlServerUrl = (): string | null => process.env.BENCH_MYSQL_URL || process.env.TEST_MYSQL_URL || null;

export async function freshDatabase(backend: BackendName): Promise<BenchDatabase> {
  return backend === 'sqlite' ? freshSQLite() : freshMariaDb(mysqlServerUrl()!);
}

async function freshSQLite(): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const url = `sqlite:${join(dir, 'bench.sqlite')}`;
  const db = createDb(url);
  const drop = onCleanup(
    `SQLite folder ${dir}`,
    async () => {
      await db.destroy().catch(() => {});
      removeDir();
    },
    removeDir,
  );
  await migrate(db);
  const [row] = (await db.raw('select sqlite_version() as v')) as { v: string }[];
  return { backend: 'sqlite', url, db, version: `SQLite ${row.v}`, drop };
}

async function freshMariaDb(serverUrl: string): Promise<BenchDatabase> {
  const name = `cc_bench_${randomBytes(4).toString('hex')}`;
  const withDb = (database: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = createDb(withDb('mysql'));
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = withDb(name);
  const db = createDb(url);
  const drop = onCleanup(`MariaDB database ${name}`, async () => {
    await db.destroy().catch(() => {});
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  });
  await migrate(db);
  const [rows] = (await db.raw('select version() as v')) as [{ v: string }[]];
  return { backend: 'mariadb', url, db, version: `MariaDB ${rows[0].v}`, drop };
}
