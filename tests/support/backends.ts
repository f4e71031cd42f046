import { randomBytes } from 'node:crypto';
import { createDb, migrate, type Db } from '../../src/db';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Backend {
  name: 'sqlite' | 'mysql';
  /** a fresh, migrated, empty database, and how to throw it away */
  create(): Promise<{ db: Db; url: string; drop(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'cc-test-'));
    const url = `sqlite:${join(dir, 'test.sqlite')}`;
    const db = createDb(url);
    await migrate(db);
    return {
      db,
      url,
      async drop() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Fresh databases on the MySQL/MariaDB server at `serverUrl` (a test may put a proxy in front of the shared one). */
export function mysqlBackend(serverUrl: string): Backend {
  return {
    name: 'mysql',
    async create() {
      const name = `cc_test_${randomBytes(5).toString('hex')}`;
      const admin = createDb(serverUrl.replace(/\/[^/]*$/, '/mysql'));
      await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.destroy();
      const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
      const db = createDb(url);
      await migrate(db);
      return {
        db,
        url,
        async drop() {
          await db.raw(`DROP DATABASE \`${name}\``);
          await db.destroy();
        },
      };
    },
  };
}

/**
 * SQLite always; MariaDB/MySQL too when TEST_MYSQL_URL names a server, unless the run
 * asks for SQLite only (TEST_BACKENDS=sqlite: the date runs of vitest.config.ts, where
 * what changes is the date, not the database).
 */
export function backends(): Backend[] {
  const url = process.env.TEST_MYSQL_URL;
  return url && process.env.TEST_BACKENDS !== 'sqlite' ? [sqlite, mysqlBackend(url)] : [sqlite];
}
