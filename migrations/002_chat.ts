import type { Knex } from 'knex';
import { unicodeTable } from './tables';

export async function up(db: Knex): Promise<void> {
  // The couple's event counter: taking the next number locks the couple's row, so a
  // couple's events commit in the order of their numbers and a reader never sees 12
  // before 11 (what makes replay by Last-Event-ID exact).
  await db.schema.alterTable('couples', (t) => {
    t.bigInteger('event_seq').notNullable().defaultTo(0);
  });

  await db.schema.createTable('messages', (t) => {
    unicodeTable(db, t);
    t.bigIncrements('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.integer('sender_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.text('body').notNullable();
    t.string('client_id', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('deleted_at').nullable();
    t.unique(['couple_id', 'sender_id', 'client_id']); // a retried send is one message
    t.index(['couple_id', 'id']);
    t.index(['couple_id', 'created_at']);
  });

  await db.schema.createTable('events', (t) => {
    unicodeTable(db, t);
    t.bigIncrements('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.bigInteger('seq').notNullable();
    t.string('type', 32).notNullable();
    t.text('payload').notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['couple_id', 'seq']);
  });

  await db.schema.createTable('read_marks', (t) => {
    unicodeTable(db, t);
    t.integer('user_id').unsigned().primary().references('users.id').onDelete('CASCADE');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.bigInteger('up_to').notNullable().defaultTo(0);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('read_marks');
  await db.schema.dropTableIfExists('events');
  await db.schema.dropTableIfExists('messages');
  await db.schema.alterTable('couples', (t) => t.dropColumn('event_seq'));
}
