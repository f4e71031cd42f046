import { Readable, Transform } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import type { Clock } from '../clock';
import { isUniqueViolation, transaction, type Db } from '../db';
import { nextEventSeq, recordEvent } from '../realtime/eventLog';
import { insertMessage, messagesOf, toRow, COLUMNS, type MessageRow, type WordContext } from './messages';
import { questionsUntouched } from '../questions/questionsState';
import { sniff, SNIFF_BYTES } from '../files/sniff';
import type { Storage } from '../files/storage';
import { makeThumbnail } from '../files/thumbnails';
import { cleanFileName } from '../files/fileName';
import { withoutLocation } from '../files/location';

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

/**
 * Stores one uploaded file as a message of its own (with an optional caption): the
 * bytes stream to storage under the size cap (a JPEG's location left out on the way),
 * the type is read from the bytes, images get a thumbnail, then the message, the file
 * row and the event are written together.
 * A client_id already used returns that message and stores nothing.
 */
export async function storeUpload(
  db: Db,
  storage: Storage,
  coupleId: number,
  senderId: number,
  part: UploadPart,
  clientId: string,
  caption: string,
  maxBytes: number,
  context: WordContext,
  clock: Clock,
): Promise<{ message: MessageRow; created: boolean }> {
  const existing = async () => {
    const row = await messagesOf(db, coupleId).andWhere({ sender_id: senderId, client_id: clientId }).first(COLUMNS);
    return row ? { message: toRow(row), created: false } : null;
  };
  const before = await existing();
  if (before) {
    part.stream.resume();
    return before;
  }

  // the part may have broken (a cut body) while the lookup above was awaited
  if (part.stream.errored || part.stream.destroyed) throw part.stream.errored ?? new Error('upload broken');
  const scrub = withoutLocation();
  const { tap, seen } = byteTap();
  part.stream.on('error', (err) => scrub.destroy(err));
  scrub.on('error', (err) => tap.destroy(err));
  tap.on('error', () => {}); // reported by storage.put's reading, or moot once it has stopped
  part.stream.pipe(scrub).pipe(tap);
  let stored;
  try {
    stored = await storage.put(coupleId, tap, maxBytes);
  } catch (err) {
    // storage stopped reading (too large, or the upload broke): let the rest of the part drain
    part.stream.unpipe(scrub);
    part.stream.resume();
    throw err;
  }
  const keys = [stored.key];
  try {
    if (stored.size === 0) throw new EmptyFile();
    let { mime, kind } = await sniff(seen.head);
    let thumb = null;
    if (kind === 'image') {
      const bytes = seen.image ?? (stored.size <= MAX_THUMB_SOURCE ? await readAll(storage.read(stored.key, 0, stored.size - 1)) : null);
      thumb = bytes ? await makeThumbnail(Array.isArray(bytes) ? Buffer.concat(bytes) : bytes) : null;
      if (!thumb) ({ mime, kind } = { mime: 'application/octet-stream', kind: 'file' }); // corrupt or a pixel bomb: a plain file
    }
    const thumbKey = thumb ? (await storage.put(coupleId, Readable.from([thumb.webp]), maxBytes)).key : null;
    const thumbSize = thumb ? thumb.webp.length : null;
    if (thumbKey) keys.push(thumbKey);

    const saved = await transaction(db, async (trx) => {
      const seq = await nextEventSeq(trx, coupleId);
      const now = clock.now();
      const message = await insertMessage(trx, coupleId, senderId, caption, clientId, context, now);
      await trx('files').insert({
        couple_id: coupleId,
        message_id: message.id,
        name: cleanFileName(part.name),
        mime,
        kind,
        size: stored.size,
        storage_key: stored.key,
        thumb_key: thumbKey,
        thumb_size: thumbSize,
        width: thumb?.width ?? null,
        height: thumb?.height ?? null,
        created_at: message.created_at,
      });
      await recordEvent(trx, coupleId, seq, 'message', { id: message.id }, now);
      return { message, created: true, seq };
    });
    questionsUntouched(db, coupleId, [saved.seq]); // a file asks no question
    return { message: saved.message, created: true };
  } catch (err) {
    await Promise.all(keys.map((key) => storage.remove(key)));
    if (isUniqueViolation(err)) {
      const raced = await existing();
      if (raced) return raced;
    }
    throw err;
  }
}
