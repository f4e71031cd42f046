import type { Knex } from 'knex';
import { unicodeTable } from './tables';

// Times are UTC milliseconds since the epoch in BIGINT columns: the same on SQLite and MySQL.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('couples', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.bigInteger('started_at').notNullable();
  });

  await db.schema.createTable('users', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.string('login_id', 20).notNullable().unique();
    t.string('password_hash', 100).notNullable();
    t.integer('couple_id').unsigned().nullable().references('couples.id').onDelete('SET NULL');
    t.string('language', 5).nullable();
    t.tinyint('week_start').notNullable().defaultTo(0);
    t.string('time_zone', 64).nullable();
    t.bigInteger('sessions_valid_after').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
  });

  await db.schema.createTable('sessions', (t) => {
    unicodeTable(db, t);
    t.string('id', 64).primary(); // sha-256 of the cookie value: a leaked table opens no session
    t.integer('user_id').unsigned().nullable().references('users.id').onDelete('CASCADE');
    t.text('data').notNullable();
    t.bigInteger('expires_at').notNullable().index();
    t.index(['user_id']);
  });

  await db.schema.createTable('pair_requests', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    // unique: a person has at most one request out at a time
    t.integer('from_user_id').unsigned().notNullable().unique().references('users.id').onDelete('CASCADE');
    t.integer('to_user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.index(['to_user_id']);
  });

  await db.schema.createTable('login_failures', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.string('subject', 80).notNullable(); // "id:<login id>" or "ip:<address>"
    t.bigInteger('at').notNullable();
    t.index(['subject', 'at']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['login_failures', 'pair_requests', 'sessions', 'users', 'couples']) {
    await db.schema.dropTableIfExists(table);
  }
}
