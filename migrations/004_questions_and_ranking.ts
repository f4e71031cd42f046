import type { Knex } from 'knex';
import { questionBank } from './data/questionBank';
import { unicodeTable } from './tables';

/** Words compare by their bytes on MySQL too, so 'ㅋ' and 'ㅎ' or 'a' and 'á' never merge. */
function binaryWord(db: Knex, t: Knex.CreateTableBuilder, name: string) {
  const column = t.string(name, 40).notNullable();
  if (db.client.dialect === 'mysql') column.collate('utf8mb4_bin');
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('questions', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.string('key', 64).notNullable().unique();
    t.string('text_ko', 300).notNullable();
    t.string('text_en', 300).notNullable();
  });
  await db.schema.createTable('question_triggers', (t) => {
    unicodeTable(db, t);
    binaryWord(db, t, 'word');
    t.integer('question_id').unsigned().notNullable().references('questions.id').onDelete('CASCADE');
    t.string('lang', 2).notNullable();
    t.primary(['word', 'question_id']);
  });

  // A question asked to a couple: at most once (unique), open until both have answered.
  await db.schema.createTable('couple_questions', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.integer('question_id').unsigned().notNullable().references('questions.id');
    t.string('trigger_word', 40).notNullable();
    t.bigInteger('asked_at').notNullable();
    t.bigInteger('revealed_at').nullable();
    t.unique(['couple_id', 'question_id']);
    t.index(['couple_id', 'revealed_at']);
  });
  await db.schema.createTable('answers', (t) => {
    unicodeTable(db, t);
    t.increments('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.integer('couple_question_id').unsigned().notNullable().references('couple_questions.id').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.text('body').notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['couple_question_id', 'user_id']); // answering twice is refused, even at the same instant
  });

  // Words each partner used per day (in the sender's zone), kept up to date on send and
  // delete so a ranking sums at most a week of rows instead of reading messages.
  if (db.client.dialect === 'mysql') {
    await db.schema.createTable('word_counts', (t) => {
      unicodeTable(db, t);
      t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
      t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
      t.string('day', 10).notNullable();
      binaryWord(db, t, 'word');
      t.integer('count').notNullable();
      t.primary(['couple_id', 'user_id', 'day', 'word']); // InnoDB keeps rows in this order: a week is one range
    });
  } else {
    // WITHOUT ROWID: the rows live in the key's order, so a week's sum reads one range
    // and never looks a row up elsewhere (twice as fast as a rowid table and its index)
    await db.raw(`create table word_counts (
      couple_id integer not null references couples(id) on delete cascade,
      user_id integer not null references users(id) on delete cascade,
      day varchar(10) not null,
      word varchar(40) not null,
      count integer not null,
      primary key (couple_id, user_id, day, word)
    ) without rowid`);
  }
  await db.schema.createTable('rank_exclusions', (t) => {
    unicodeTable(db, t);
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    binaryWord(db, t, 'word');
    t.bigInteger('created_at').notNullable();
    t.primary(['couple_id', 'word']);
  });
  // the day a message's words were counted under, to take them back off on delete
  await db.schema.alterTable('messages', (t) => {
    t.string('words_day', 10).nullable();
  });

  for (const q of questionBank) {
    const [id] = await db('questions').insert({ key: q.key, text_ko: q.ko, text_en: q.en });
    const triggers = [
      ...q.triggers.ko.map((word) => ({ word, question_id: Number(id), lang: 'ko' })),
      ...q.triggers.en.map((word) => ({ word, question_id: Number(id), lang: 'en' })),
    ];
    if (triggers.length) await db('question_triggers').insert(triggers);
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => t.dropColumn('words_day'));
  for (const table of ['rank_exclusions', 'word_counts', 'answers', 'couple_questions', 'question_triggers', 'questions']) {
    await db.schema.dropTable(table);
  }
}
