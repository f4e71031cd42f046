import type { Knex } from 'knex';

// A pending break-up is its due time on the couple (null: none), and who started it.
// The sweeper looks couples up by due time, hence the index.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('couples', (t) => {
    t.bigInteger('breakup_due_at').nullable();
    t.integer('breakup_by').nullable();
    t.index(['breakup_due_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('couples', (t) => {
    t.dropIndex(['breakup_due_at']);
    t.dropColumn('breakup_due_at');
    t.dropColumn('breakup_by');
  });
}
