import type { Knex } from 'knex';
import { questionBank } from './data/questionBank';
import { retiredTriggers } from './data/retiredTriggers';

// Words that name no topic stop asking questions (see data/retiredTriggers.ts).
export async function up(db: Knex): Promise<void> {
  await db('question_triggers').whereIn('word', [...retiredTriggers]).delete();
}

export async function down(db: Knex): Promise<void> {
  for (const q of questionBank) {
    const back = [...q.triggers.ko.map((word) => ({ word, lang: 'ko' })), ...q.triggers.en.map((word) => ({ word, lang: 'en' }))].filter((t) => retiredTriggers.includes(t.word));
    if (!back.length) continue;
    const row = await db('questions').where({ key: q.key }).first('id');
    if (row) await db('question_triggers').insert(back.map((t) => ({ ...t, question_id: Number(row.id) })));
  }
}
