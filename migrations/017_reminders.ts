import type { Knex } from 'knex';
import { unicodeTable } from './tables';

// Each reminder a partner was sent (or is being sent): inserting its row is how an
// instance claims it, so the unique key is what makes a reminder go once, whatever the
// restarts and however many instances sweep at 9:00. The rows belong to the couple
// (gone with it when a break-up takes effect): a new couple's 100일 on the same date
// is another reminder. occasion: 'days-100', 'years-2', 'dday', 'birthday'; occasion_on
// its date ('YYYY-MM-DD'); lead_days 1 for the day before, 0 for the day itself.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('reminders_sent', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.string('occasion', 16).notNullable();
    t.string('occasion_on', 10).notNullable();
    t.tinyint('lead_days').notNullable();
    t.bigInteger('sent_at').notNullable();
    t.unique(['couple_id', 'user_id', 'occasion_on', 'occasion', 'lead_days'], { indexName: 'reminders_sent_once' });
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('reminders_sent');
}
