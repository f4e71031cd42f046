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
    await db.migrate.down({ migrationSource, name: '009_push_endpoint_unique' }); // as at 008, where an endpoint could be held twice
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

  it('014 places each question revealed before it after the last message sent by its reveal', async () => {
    await db.migrate.down({ migrationSource, name: '014_revealed_after' });
    const [user] = await db('users').insert({ login_id: 'mig_q', password_hash: 'x', created_at: 1 });
    const [couple] = await db('couples').insert({ started_at: 1 });
    const message = async (at: number) => Number((await db('messages').insert({ couple_id: Number(couple), sender_id: Number(user), body: 'm', client_id: `c${at}`, created_at: at }))[0]);
    const first = await message(100);
    const second = await message(200);
    await message(300);
    const bank = (await db('questions').orderBy('id').limit(3).pluck('id')).map(Number);
    const asked = async (revealedAt: number | null) =>
      Number((await db('couple_questions').insert({ couple_id: Number(couple), question_id: bank.shift(), trigger_word: 'w', asked_at: 50, revealed_at: revealedAt }))[0]);
    const atSecond = await asked(250);
    const atFirst = await asked(100); // a message and a reveal in the same millisecond: the message came first
    const open = await asked(null);

    await db.migrate.up({ migrationSource });

    const placed = new Map((await db('couple_questions').where({ couple_id: Number(couple) }).select('id', 'revealed_after')).map((r) => [Number(r.id), r.revealed_after === null ? null : Number(r.revealed_after)]));
    expect([placed.get(atSecond), placed.get(atFirst), placed.get(open)]).toEqual([second, first, null]);
  });

  it('gives every foreign key an index that starts with it, so no lookup or delete by it reads a whole table', async () => {
    const sqlite = db.client.dialect !== 'mysql';
    const keys: string[] = [];
    const indexed = new Set<string>();
    if (sqlite) {
      const tables: string[] = (await db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').pluck('name')).map(String);
      for (const table of tables) {
        for (const fk of await db.raw(`pragma foreign_key_list('${table}')`)) keys.push(`${table}.${fk.from}`);
        for (const index of await db.raw(`pragma index_list('${table}')`)) {
          const first = (await db.raw(`pragma index_info('${index.name}')`)).find((c: { seqno: number }) => c.seqno === 0);
          if (first) indexed.add(`${table}.${first.name}`);
        }
        const primary = (await db.raw(`pragma table_info('${table}')`)).find((c: { pk: number }) => c.pk === 1);
        if (primary) indexed.add(`${table}.${primary.name}`);
      }
    } else {
      const [fks] = await db.raw('select table_name as t, column_name as c from information_schema.key_column_usage where table_schema = database() and referenced_table_name is not null');
      for (const fk of fks) keys.push(`${fk.t}.${fk.c}`);
      const [firsts] = await db.raw('select table_name as t, column_name as c from information_schema.statistics where table_schema = database() and seq_in_index = 1');
      for (const i of firsts) indexed.add(`${i.t}.${i.c}`);
    }
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !indexed.has(key))).toEqual([]);
    if (sqlite) {
      const [plan] = await db.raw('explain query plan select id from users where couple_id = 1');
      expect(plan.detail).toMatch(/USING (COVERING )?INDEX/);
    }
  });
});
