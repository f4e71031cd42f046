import type { StoredFile } from '../files/files';
import type { CoupleChanges } from '../realtime/coupleChanges';

/**
 * Makes a stored photo the couple's, with its event; the photo it replaces goes (its row
 * now, its bytes after commit). Resolves to the keys to take out of storage.
 */
export async function setCouplePhoto(changes: CoupleChanges, coupleId: number, userId: number, photo: StoredFile): Promise<string[]> {
  return changes.change(coupleId, async ({ trx, emit, now }) => {
    await emit('profile', { by: userId }); // first: taking the event number is the couple lock
    const old = await trx('couples as c').join('files as f', 'f.id', 'c.photo_file_id').where('c.id', coupleId).where('f.couple_id', coupleId).first('f.id', 'f.storage_key');
    const [id] = await trx('files').insert({
      couple_id: coupleId,
      message_id: null,
      name: photo.name,
      mime: photo.mime,
      kind: 'image',
      size: photo.size,
      storage_key: photo.storageKey,
      thumb_key: null, // the photo is its own small version: one key, removed once
      thumb_size: null,
      width: photo.thumb?.width ?? null,
      height: photo.thumb?.height ?? null,
      created_at: now,
    });
    await trx('couples').where({ id: coupleId }).update({ photo_file_id: Number(id) });
    if (!old) return [];
    await trx('files').where({ id: old.id, couple_id: coupleId }).delete();
    return [String(old.storage_key)];
  });
}
