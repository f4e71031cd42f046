import { Readable, Transform } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import type { StoredFile } from '../files/files';
import type { CoupleChanges } from '../realtime/coupleChanges';
import { createMessage, type SendResult, type WordContext } from './messages';
import { sniff, SNIFF_BYTES } from '../files/sniff';
import type { Storage } from '../files/storage';
import { makeThumbnail } from '../files/thumbnails';
import { withoutLocation } from '../files/location';

/** The most files one message carries (an album); the page sends more as several messages. */
export const MAX_FILES_PER_MESSAGE = 10;

/** A zero-byte file: nothing to send. */
export class EmptyFile extends Error {}

const MAX_THUMB_SOURCE = 60 * 1024 * 1024;

export interface UploadPart {
  stream: Readable;
  name: string;
}

/**
 * A pass-through that keeps what storeUpload needs of the bytes going by: the first ones
 * (for the type) and, for a photo, all of them (for its thumbnail, so they are not read
 * back from storage). A Transform, not a 'data' listener, so nothing flows before storage
 * reads and nothing is lost in between.
 */
function byteTap() {
  const seen = { head: Buffer.alloc(0), image: null as Buffer[] | null };
  let early: Buffer[] | null = []; // the chunks before the type is known: part of the photo if it is one
  let imageSize = 0;
  const keep = (chunk: Buffer) => {
    if (!seen.image) return;
    imageSize += chunk.length;
    if (imageSize <= MAX_THUMB_SOURCE) seen.image!.push(chunk);
    else seen.image = null; // too big to thumbnail: a plain file
  };
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (seen.head.length < SNIFF_BYTES) seen.head = Buffer.concat([seen.head, chunk.subarray(0, SNIFF_BYTES - seen.head.length)]);
      if (!early) {
        keep(chunk);
        return done(null, chunk);
      }
      const before = early;
      before.push(chunk);
      if (seen.head.length < SNIFF_BYTES) return done(null, chunk);
      sniff(seen.head).then(({ kind }) => {
        seen.image = kind === 'image' ? [] : null;
        if (seen.image) before.forEach(keep);
        early = null;
        done(null, chunk);
      }, done);
    },
  });
  return { tap, seen };
}

/** The files of one upload, already in storage, and what their message needs besides them. */
export interface Album {
  senderId: number;
  clientId: string;
  caption: string;
  context: WordContext;
  files: StoredFile[];
  /** the message it answers (a reply) */
  replyTo?: number | null;
}

/** The keys a stored file takes in storage: its bytes and its thumbnail's. */
const keysOf = (file: StoredFile) => (file.thumb ? [file.storageKey, file.thumb.key] : [file.storageKey]);

/** Takes files out of storage again: an upload refused, or one already sent. */
export async function removeStored(storage: Storage, files: StoredFile[]): Promise<void> {
  await Promise.all(files.flatMap(keysOf).map((key) => storage.remove(key)));
}

/**
 * Streams one uploaded file to storage under the size cap (a JPEG's location left out on
 * the way), reads its type from the bytes and gives a photo its thumbnail. Nothing of it
 * stays in storage when it fails (too large, empty, broken).
 */
export async function storeFile(storage: Storage, coupleId: number, part: UploadPart, maxBytes: number): Promise<StoredFile> {
  const stored = await storeBytes(storage, coupleId, part, maxBytes);
  try {
    if (stored.size === 0) throw new EmptyFile();
    return { ...(await describe(storage, coupleId, stored, maxBytes)), name: part.name };
  } catch (err) {
    await storage.remove(stored.key);
    throw err;
  }
}

/**
 * Sends stored files as one message with its optional caption (several files: one bubble,
 * an album): createMessage stores the message, the file rows and the event together (and
 * refuses while a question waits). Whatever is not kept leaves storage: all or nothing.
 * A client_id already used returns that message and keeps none of these files.
 */
export async function sendFiles(changes: CoupleChanges, storage: Storage, coupleId: number, album: Album): Promise<SendResult> {
  try {
    const { senderId, clientId, caption, context, files, replyTo } = album;
    const sent = await createMessage(changes, coupleId, { senderId, body: caption, clientId, context, files, replyTo });
    if (!sent.created) await removeStored(storage, files); // the same upload, stored meanwhile
    return sent;
  } catch (err) {
    await removeStored(storage, album.files);
    throw err;
  }
}

interface StoredBytes {
  key: string;
  size: number;
  head: Buffer;
  image: Buffer[] | null;
}

/** Streams a part's bytes to storage (its location left out, what the type and thumbnail need kept). */
async function storeBytes(storage: Storage, coupleId: number, part: UploadPart, maxBytes: number): Promise<StoredBytes> {
  // the part may have broken (a cut body) while the lookup before was awaited
  if (part.stream.errored || part.stream.destroyed) throw part.stream.errored ?? new Error('upload broken');
  const scrub = withoutLocation();
  const { tap, seen } = byteTap();
  part.stream.on('error', (err) => scrub.destroy(err));
  scrub.on('error', (err) => tap.destroy(err));
  tap.on('error', () => {}); // reported by storage.put's reading, or moot once it has stopped
  part.stream.pipe(scrub).pipe(tap);
  try {
    const stored = await storage.put(coupleId, tap, maxBytes);
    return { ...stored, head: seen.head, image: seen.image };
  } catch (err) {
    // storage stopped reading (too large, or the upload broke): let the rest of the part drain
    part.stream.unpipe(scrub);
    part.stream.resume();
    throw err;
  }
}

/** The stored bytes' type, and a photo's thumbnail (stored too); a photo sharp cannot read is a plain file. */
async function describe(storage: Storage, coupleId: number, stored: StoredBytes, maxBytes: number): Promise<Omit<StoredFile, 'name'>> {
  let { mime, kind } = await sniff(stored.head);
  let thumb: StoredFile['thumb'] = null;
  if (kind === 'image') {
    const bytes = stored.image ?? (stored.size <= MAX_THUMB_SOURCE ? await readAll(storage.read(stored.key, 0, stored.size - 1)) : null);
    const made = bytes ? await makeThumbnail(Array.isArray(bytes) ? Buffer.concat(bytes) : bytes) : null;
    if (made) thumb = { key: (await storage.put(coupleId, Readable.from([made.webp]), maxBytes)).key, size: made.webp.length, width: made.width, height: made.height };
    else ({ mime, kind } = { mime: 'application/octet-stream', kind: 'file' }); // corrupt or a pixel bomb: a plain file
  }
  return { mime, kind, size: stored.size, storageKey: stored.key, thumb };
}
