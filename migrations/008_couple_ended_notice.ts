import type { Knex } from 'knex';

// When a break-up took effect, for each former partner: so the one who was not there when
// it happened is told on their next visit to the pairing page, not only the one whose
// request ended it.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.bigInteger('couple_ended_at').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('couple_ended_at');
  });
}
