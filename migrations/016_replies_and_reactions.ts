import type { Knex } from 'knex';
import { unicodeTable } from './tables';

// Replies and reactions. A reply names the message it answers (reply_to): no foreign key,
// on purpose — a message whose sender deleted their account is gone, and its replies then
// quote "삭제된 메시지" as they do a deleted one, rather than losing the reply or being
// deleted with it; and no index, as nothing looks replies up by the message they quote
// (a deletion's quotes are updated on the pages by the message id, not by a query).
// A reaction is one per person per message (unique (message_id, user_id)): choosing
// another emoji replaces it. Reactions belong to the couple (purged with it) and go with
// their message or their person.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.bigInteger('reply_to').unsigned().nullable();
  });
  await db.schema.createTable('message_reactions', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.bigInteger('message_id').unsigned().notNullable().references('messages.id').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.string('emoji', 16).notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['message_id', 'user_id']);
    t.index(['couple_id']);
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('message_reactions');
  await db.schema.alterTable('messages', (t) => {
    t.dropColumn('reply_to');
  });
}
