import type { Knex } from 'knex';
import { unicodeTable } from './tables';

export async function up(db: Knex): Promise<void> {
  // Bytes of uploads when STORAGE=db: chunks small enough for any MySQL packet limit.
  await db.schema.createTable('blobs', (t) => {
    unicodeTable(db, t);
    t.bigIncrements('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.bigInteger('size').notNullable().defaultTo(0);
    t.boolean('complete').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
  });
  await db.schema.createTable('blob_chunks', (t) => {
    unicodeTable(db, t);
    t.bigInteger('blob_id').unsigned().notNullable().references('blobs.id').onDelete('CASCADE');
    t.integer('n').notNullable();
    t.specificType('data', db.client.dialect === 'mysql' ? 'mediumblob' : 'blob').notNullable();
    t.primary(['blob_id', 'n']);
  });

  await db.schema.createTable('files', (t) => {
    unicodeTable(db, t);
    t.bigIncrements('id');
    t.integer('couple_id').unsigned().notNullable().references('couples.id').onDelete('CASCADE');
    t.bigInteger('message_id').unsigned().nullable();
    t.string('name', 255).notNullable(); // as the user named it: shown and used for downloads only
    t.string('mime', 100).notNullable(); // decided by the bytes, not the name
    t.string('kind', 10).notNullable(); // image | video | file
    t.bigInteger('size').notNullable();
    t.string('storage_key', 100).notNullable(); // server-made
    t.string('thumb_key', 100).nullable();
    t.bigInteger('thumb_size').nullable();
    t.integer('width').nullable();
    t.integer('height').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['couple_id', 'message_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('files');
  await db.schema.dropTableIfExists('blob_chunks');
  await db.schema.dropTableIfExists('blobs');
}
