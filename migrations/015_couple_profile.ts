import type { Knex } from 'knex';

// The couple's profile. 사귄 날 (started_on) is the day they started dating, a calendar date
// as they name it ('YYYY-MM-DD', no zone): null means the pairing day, as it was before.
// The couple photo is one of the couple's files. Each partner's birthday is theirs
// ('YYYY-MM-DD', kept across couples); the name a partner calls the other
// (partner_nickname) belongs to the couple they are in and is cleared when it ends.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('couples', (t) => {
    t.string('started_on', 10).nullable();
    t.integer('photo_file_id').unsigned().nullable();
  });
  await db.schema.alterTable('users', (t) => {
    t.string('partner_nickname', 20).nullable();
    t.string('birthday', 10).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('couples', (t) => {
    t.dropColumn('started_on');
    t.dropColumn('photo_file_id');
  });
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('partner_nickname');
    t.dropColumn('birthday');
  });
}
