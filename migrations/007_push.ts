import type { Knex } from 'knex';
import { unicodeTable } from './tables';

// A Web Push subscription is one browser on one device of a user. Its endpoint is a URL
// of up to 2 KB, too long for a unique index on MySQL, so its SHA-256 stands in for it.
// The rows belong to the user (gone with the account), not to the couple.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('push_subscriptions', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.text('endpoint').notNullable();
    t.string('endpoint_hash', 64).notNullable();
    t.string('p256dh', 100).notNullable();
    t.string('auth', 40).notNullable();
    t.string('user_agent', 200).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_ok_at').nullable();
    t.unique(['user_id', 'endpoint_hash']);
    t.index(['endpoint_hash']);
  });
  await db.schema.alterTable('users', (t) => {
    t.boolean('push_previews').notNullable().defaultTo(true);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('push_previews');
  });
  await db.schema.dropTableIfExists('push_subscriptions');
}
