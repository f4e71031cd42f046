import type { Knex } from 'knex';
import { unicodeTable } from './tables';

export async function up(db: Knex): Promise<void> {
  // The couple's event counter: taking the next number locks the couple's row, so a
  // couple's events commit in the order of their numbers and a reader never sees 12
  // before 11 (what makes replay by Last-Event-ID exact).
  await db.schema.alterTable('couples', (t) => {
    t.bigInteger('event_seq').notNullable().defaultTo(0);
  });

  if (db.client.dialect === 'mysql') {
    await createMessagesClusteredByCouple(db);
  } else {
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
  }

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

/**
 * On InnoDB the primary key orders the rows on disk: keyed by (couple_id, id), one
 * couple's messages lie together, so a page of history or a search through a long
 * history reads one run of rows instead of jumping to each row from an index.
 */
async function createMessagesClusteredByCouple(db: Knex): Promise<void> {
  await db.raw(`
    create table messages (
      id bigint unsigned not null auto_increment,
      couple_id int unsigned not null,
      sender_id int unsigned not null,
      body text not null,
      client_id varchar(64) not null,
      created_at bigint not null,
      deleted_at bigint null,
      primary key (couple_id, id),
      unique key messages_id_unique (id),
      unique key messages_couple_id_sender_id_client_id_unique (couple_id, sender_id, client_id),
      key messages_couple_id_created_at_index (couple_id, created_at),
      constraint messages_couple_id_foreign foreign key (couple_id) references couples (id) on delete cascade,
      constraint messages_sender_id_foreign foreign key (sender_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
}
