import type { Knex } from 'knex';
import type { Db } from '../db';
import { cleanFileName } from './fileName';
import type { Storage } from './storage';

export interface FileRow {
  id: number;
  message_id: number;
  name: string;
  mime: string;
  kind: 'image' | 'video' | 'file';
  size: number;
  storage_key: string;
  thumb_key: string | null;
  thumb_size: number;
  width: number | null;
  height: number | null;
}

export interface FileView {
  id: number;
  name: string;
  kind: 'image' | 'video' | 'file';
  size: string;
  hasThumb: boolean;
  /** the thumbnail's size, so the page reserves the space before it loads */
  thumbWidth: number;
  thumbHeight: number;
}

const toFileRow = (r: Record<string, unknown>): FileRow => ({
  id: Number(r.id),
  message_id: Number(r.message_id),
  name: cleanFileName(String(r.name)), // again on the way out: names stored before a rule was added
  mime: String(r.mime),
  kind: r.kind as FileRow['kind'],
  size: Number(r.size),
  storage_key: String(r.storage_key),
  thumb_key: r.thumb_key ? String(r.thumb_key) : null,
  thumb_size: Number(r.thumb_size ?? 0),
  width: r.width === null ? null : Number(r.width),
  height: r.height === null ? null : Number(r.height),
});

/** Every read of files starts here: a couple's files and nothing else. */
export const filesOf = (db: Db, coupleId: number) => db('files').where({ couple_id: coupleId });

/** A file already in storage, with what was read of it: ready to go with a message. */
export interface StoredFile {
  name: string;
  mime: string;
  kind: 'image' | 'video' | 'file';
  size: number;
  storageKey: string;
  thumb: { key: string; size: number; width: number; height: number } | null;
}

/** The file's row, inside the transaction that stores its message. */
export async function insertFile(trx: Knex.Transaction, coupleId: number, messageId: number, file: StoredFile, createdAt: number): Promise<void> {
  await trx('files').insert({
    couple_id: coupleId,
    message_id: messageId,
    name: cleanFileName(file.name),
    mime: file.mime,
    kind: file.kind,
    size: file.size,
    storage_key: file.storageKey,
    thumb_key: file.thumb?.key ?? null,
    thumb_size: file.thumb?.size ?? null,
    width: file.thumb?.width ?? null,
    height: file.thumb?.height ?? null,
    created_at: createdAt,
  });
}

export async function findFile(db: Db, coupleId: number, id: number): Promise<FileRow | null> {
  const row = await filesOf(db, coupleId).andWhere({ id }).first();
  return row ? toFileRow(row) : null;
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function fileView(row: FileRow): FileView {
  const w = row.width ?? 0;
  const h = row.height ?? 0;
  const scale = w && h ? Math.min(1, 480 / Math.max(w, h)) : 1;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    size: humanSize(row.size),
    hasThumb: row.thumb_key !== null,
    thumbWidth: Math.max(1, Math.round(w * scale)),
    thumbHeight: Math.max(1, Math.round(h * scale)),
  };
}

/** The files attached to these messages, in the order they were sent: message id → its files (one, or an album of several). */
export async function filesOfMessages(db: Db, coupleId: number, messageIds: number[]): Promise<Map<number, FileView[]>> {
  const byMessage = new Map<number, FileView[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await filesOf(db, coupleId).whereIn('message_id', messageIds).orderBy('id').select();
  for (const r of rows) {
    const files = byMessage.get(Number(r.message_id)) ?? [];
    files.push(fileView(toFileRow(r)));
    byMessage.set(Number(r.message_id), files);
  }
  return byMessage;
}

/** A deleted message's file is gone for good: its bytes and its thumbnail's. */
export async function removeFilesOfMessage(db: Db, storage: Storage, coupleId: number, messageId: number): Promise<void> {
  const rows = (await filesOf(db, coupleId).andWhere({ message_id: messageId }).select()).map(toFileRow);
  // the row first: from then on the file is a 404, never a response cut short by missing bytes
  await filesOf(db, coupleId).andWhere({ message_id: messageId }).delete();
  for (const row of rows) {
    await storage.remove(row.storage_key);
    if (row.thumb_key) await storage.remove(row.thumb_key);
  }
}
