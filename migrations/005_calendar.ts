import type { Knex } from 'knex';
import { unicodeTable } from './tables';

export async function up(db: Knex): Promise<void> {
  // A plan is on a calendar day, not at an instant: the date is kept as 'YYYY-MM-DD',
  // the same for both partners whatever their zones.
  await db.schema.createTable('calendar_events', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.string('date', 10).notNullable();
    t.string('title', 100).notNullable();
    t.boolean('dday').notNullable().defaultTo(false); // at most one per couple, kept so by the writes
    t.integer('created_by').unsigned().nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.index(['couple_id', 'date']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('calendar_events');
}
