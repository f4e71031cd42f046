// Migrations that change data as well as the schema, run on a database that has the
// rows they must mend: on SQLite, and on MariaDB when there is one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation, type Db } from '../../src/db';
import { migrationSource } from '../../migrations/index';
import { backends } from '../support/backends';

describe.each(backends())('migrations on $name', (backend) => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await backend.create());
  });
  afterAll(() => drop());

  it('009 keeps one subscription per browser, the newest, and refuses a second one after', async () => {
    await db.migrate.down({ migrationSource }); // back to 008, where an endpoint could be held twice
    const [a] = await db('users').insert({ login_id: 'mig_a', password_hash: 'x', created_at: 1 });
    const [b] = await db('users').insert({ login_id: 'mig_b', password_hash: 'x', created_at: 1 });
    const row = (userId: number, hash: string) => ({ user_id: Number(userId), endpoint: `https://push.example/${hash}`, endpoint_hash: hash, p256dh: 'k', auth: 'a', created_at: 1 });
    await db('push_subscriptions').insert([row(a, 'shared'), row(a, 'only-a'), row(b, 'shared'), row(b, 'only-b')]);

    await db.migrate.up({ migrationSource });

    const left = await db('push_subscriptions').orderBy('endpoint_hash').select('user_id', 'endpoint_hash');
    expect(left.map((r) => [Number(r.user_id), r.endpoint_hash])).toEqual([
      [Number(a), 'only-a'],
      [Number(b), 'only-b'],
      [Number(b), 'shared'], // the later one
    ]);
    const again = await db('push_subscriptions').insert(row(a, 'shared')).catch((err) => err);
    expect(isUniqueViolation(again)).toBe(true);
  });
});
