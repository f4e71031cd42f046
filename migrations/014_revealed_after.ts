import type { Knex } from 'knex';

// A revealed pair of answers is part of the conversation: it shows after the message that
// was the newest when the second answer came in. Stored as that message's id (taken under
// the couple's lock, as message ids are), not derived from times, which a standing clock
// or two writes in one millisecond would tie. Questions revealed before this go after the
// last message sent by the moment of their reveal.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('couple_questions', (t) => {
    t.bigInteger('revealed_after').nullable();
  });
  await db('couple_questions')
    .whereNotNull('revealed_at')
    .update({
      revealed_after: db('messages as m')
        .max('m.id')
        .where('m.couple_id', db.ref('couple_questions.couple_id'))
        .andWhere('m.created_at', '<=', db.ref('couple_questions.revealed_at')),
    });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('couple_questions', (t) => {
    t.dropColumn('revealed_after');
  });
}
