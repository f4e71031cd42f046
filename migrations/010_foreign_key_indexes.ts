import type { Knex } from 'knex';

// Every foreign key gets an index that starts with it. InnoDB makes one by itself; SQLite
// does not, and then scans the whole child table: for the partner looked up on every
// notification (users.couple_id), a couple's read marks on every chat page, and on each
// delete of a parent row (a user's account: all messages and word counts; a break-up's
// purge: all users, read marks, blobs and answers), under the database's one write lock.
const INDEXES: Array<[table: string, column: string]> = [
  ['users', 'couple_id'],
  ['messages', 'sender_id'],
  ['read_marks', 'couple_id'],
  ['blobs', 'couple_id'],
  ['question_triggers', 'question_id'],
  ['couple_questions', 'question_id'],
  ['answers', 'user_id'],
  ['answers', 'couple_id'],
  ['word_counts', 'user_id'],
  ['calendar_events', 'created_by'],
];

export async function up(db: Knex): Promise<void> {
  if (db.client.dialect === 'mysql') return;
  for (const [table, column] of INDEXES) await db.schema.alterTable(table, (t) => t.index([column]));
}

export async function down(db: Knex): Promise<void> {
  if (db.client.dialect === 'mysql') return;
  for (const [table, column] of INDEXES) await db.schema.alterTable(table, (t) => t.dropIndex([column]));
}
