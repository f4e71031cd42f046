import type { Knex } from 'knex';

// A browser's subscription belongs to one user at a time (it moves to whoever turned
// notifications on there last). Unique per endpoint, so two users posting the same one at
// the same instant can't both keep it: the second insert fails and moves it instead.
export async function up(db: Knex): Promise<void> {
  const doubled: Array<{ endpoint_hash: string; keep: number }> = await db('push_subscriptions')
    .select('endpoint_hash')
    .max({ keep: 'id' })
    .groupBy('endpoint_hash')
    .havingRaw('count(*) > 1');
  for (const d of doubled) await db('push_subscriptions').where({ endpoint_hash: d.endpoint_hash }).andWhereNot({ id: d.keep }).delete();
  await db.schema.alterTable('push_subscriptions', (t) => {
    t.dropIndex(['endpoint_hash']);
    t.unique(['endpoint_hash']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('push_subscriptions', (t) => {
    t.dropUnique(['endpoint_hash']);
    t.index(['endpoint_hash']);
  });
}
