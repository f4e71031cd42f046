import type { Knex } from 'knex';

// A deleted plan is kept for a while, marked, so that "되돌리기" can bring it back exactly
// (its title, its date, whether it was the D-day); later deletes sweep the old ones away.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('calendar_events', (t) => {
    t.bigInteger('deleted_at').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('calendar_events', (t) => {
    t.dropColumn('deleted_at');
  });
}
