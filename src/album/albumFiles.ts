import type { Db } from '../db';
import { filesOf } from '../files/files';
import { wallClock } from '../time';

/** One tile of the album: a photo or a video the couple shared, and the message it came with. */
export interface AlbumFile {
  id: number;
  messageId: number;
  name: string;
  kind: 'image' | 'video';
  hasThumb: boolean;
  createdAt: number;
}

export const ALBUM_PAGE = 30;

const toAlbumFile = (r: Record<string, unknown>): AlbumFile => ({
  id: Number(r.id),
  messageId: Number(r.message_id),
  name: String(r.name),
  kind: r.kind as AlbumFile['kind'],
  hasThumb: r.thumb_key !== null && r.thumb_key !== undefined,
  createdAt: Number(r.created_at),
});

/** The couple's photos and videos, and nothing else they sent (documents stay in the chat). */
const mediaOf = (db: Db, coupleId: number) =>
  filesOf(db, coupleId).whereIn('kind', ['image', 'video']).select('id', 'message_id', 'name', 'kind', 'thumb_key', 'created_at');

/** A page of the album, newest first: those sent before the file `before` (or the newest), and whether more are older. */
export async function albumPage(db: Db, coupleId: number, before: number | null): Promise<{ files: AlbumFile[]; older: boolean }> {
  const query = mediaOf(db, coupleId).orderBy('id', 'desc').limit(ALBUM_PAGE + 1);
  if (before !== null) query.andWhere('id', '<', before);
  const rows = (await query).map(toAlbumFile);
  return { files: rows.slice(0, ALBUM_PAGE), older: rows.length > ALBUM_PAGE };
}

export async function findAlbumFile(db: Db, coupleId: number, id: number): Promise<AlbumFile | null> {
  const row = await mediaOf(db, coupleId).andWhere({ id }).first();
  return row ? toAlbumFile(row) : null;
}

/** The tiles beside one in the album's order: the newer one before it, the older one after it. */
export async function neighboursOf(db: Db, coupleId: number, id: number): Promise<{ newer: AlbumFile | null; older: AlbumFile | null }> {
  const [newer, older] = await Promise.all([
    mediaOf(db, coupleId).andWhere('id', '>', id).orderBy('id', 'asc').first(),
    mediaOf(db, coupleId).andWhere('id', '<', id).orderBy('id', 'desc').first(),
  ]);
  return { newer: newer ? toAlbumFile(newer) : null, older: older ? toAlbumFile(older) : null };
}

/** 'YYYY-MM' of an instant in a zone: the album's month headings. */
export function monthOf(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}
