// The couple photo's upload (POST /couple/photo), read by the chat's own upload pipeline.
import busboy from 'busboy';
import type { Context } from 'koa';
import { EmptyFile, storeFile } from './attachments';
import type { StoredFile } from '../files/files';
import { TooLarge, type Storage } from '../files/storage';
import { AppError } from '../web/errors';

/**
 * Reads the one `photo` part of a multipart request into storage through the chat's own
 * upload pipeline (storeFile: size cap, type from the bytes, a JPEG's location left out,
 * sharp's upright WebP of at most 480 px with no metadata at all). The couple photo is
 * that WebP; the original goes again at once, so no EXIF of it is ever kept or served.
 */
export async function receivePhoto(ctx: Context, coupleId: number): Promise<StoredFile> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: ctx.deps.config.uploadMaxBytes + 1, fields: 5, fieldSize: 2_000, parts: 10 } });
  } catch {
    throw new AppError(415, 'error.unsupported');
  }
  let work: Promise<StoredFile | null> = Promise.resolve(null);
  parser.on('file', (name, stream, info) => {
    stream.on('error', () => {});
    if (name !== 'photo') return void stream.resume();
    work = storeFile(ctx.storage, coupleId, { stream, name: info.filename ?? '' }, ctx.deps.config.uploadMaxBytes);
    work.catch(() => stream.resume());
  });
  const read = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
    ctx.req.on('error', reject);
  });
  ctx.req.pipe(parser);
  let stored: StoredFile | null;
  try {
    await read;
    stored = await work;
  } catch (err) {
    const file = await work.catch(() => null);
    if (file) await removeAll(ctx.storage, file);
    if (err instanceof TooLarge) throw new AppError(413, 'upload.tooLarge');
    if (err instanceof EmptyFile) throw new AppError(422, 'profile.photo.none');
    throw new AppError(400, 'upload.broken');
  }
  if (!stored) throw new AppError(422, 'profile.photo.none');
  if (stored.kind !== 'image' || !stored.thumb) {
    await removeAll(ctx.storage, stored);
    throw new AppError(422, 'profile.photo.notImage');
  }
  await ctx.storage.remove(stored.storageKey); // the original, as sent: only the clean WebP stays
  const { key, size, width, height } = stored.thumb;
  return { name: 'couple.webp', mime: 'image/webp', kind: 'image', size, storageKey: key, thumb: { key, size, width, height } };
}

async function removeAll(storage: Storage, file: StoredFile): Promise<void> {
  await storage.remove(file.storageKey);
  if (file.thumb) await storage.remove(file.thumb.key);
}
