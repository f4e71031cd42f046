import type { Knex } from 'knex';
import { unicodeTable } from './tables';

// The log-in throttle counts in windows (rate-limiter-flexible, src/limits/) instead of a
// row per failure: one row per subject (an ID, an address, an ID from an address, an ID
// on a device) with its count and when its window ends. Counts of a throttle that are lost
// at the switch cost nothing but a fresh 15 minutes.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('rate_counts', (t) => {
    unicodeTable(db, t);
    t.string('subject', 191).primary(); // 191: a utf8mb4 key within InnoDB's oldest index limit
    t.integer('points').notNullable();
    t.bigInteger('expire').notNullable();
    t.index(['expire']);
  });
  await db.schema.dropTable('login_failures');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.createTable('login_failures', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.string('subject', 80).notNullable();
    t.bigInteger('at').notNullable();
    t.index(['subject', 'at']);
  });
  await db.schema.dropTable('rate_counts');
}
