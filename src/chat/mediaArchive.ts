import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Db } from '../db';
import { filesOf } from '../files/files';
import { cleanFileName } from '../files/fileName';
import type { Storage } from '../files/storage';
import { dayOf, wallClock } from '../time';
import { transcript, transcriptFileName, type TranscriptOptions } from './transcript';

interface MediaRow {
  name: string;
  size: number;
  key: string;
  createdAt: number;
}

/** The archive's name: the transcript's, as a .zip (couple-chat-2026-12-07.zip). */
export const archiveFileName = (now: number, timeZone: string) => transcriptFileName(now, timeZone).replace(/\.txt$/, '.zip');

const two = (n: number) => String(n).padStart(2, '0');

/** When it was sent, in the viewer's zone, as a name sorts: 2026-12-07_21-05-03. */
export function stampOf(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${dayOf(ms, timeZone)}_${two(w.hour)}-${two(w.minute)}-${two(w.second)}`;
}

/**
 * media/<when>_<name>, unique in the archive (case folded, as a phone's or Windows' disk
 * would see it): a second photo.jpg of the same second becomes photo-2.jpg.
 */
export function mediaNamer(timeZone: string): (row: { name: string; createdAt: number }) => string {
  const taken = new Set<string>();
  return ({ name, createdAt }) => {
    const base = `${stampOf(createdAt, timeZone)}_${cleanFileName(name)}`;
    const dot = base.lastIndexOf('.');
    const [stem, ext] = dot > 20 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
    taken.add(candidate.toLowerCase());
    return `media/${candidate}`;
  };
}

async function mediaOf(db: Db, coupleId: number): Promise<MediaRow[]> {
  // a row is ~100 bytes: the list of a large album is small beside one of its photos
  const rows = await filesOf(db, coupleId).orderBy('created_at').orderBy('id').select('name', 'size', 'storage_key', 'created_at');
  return rows.map((r) => ({ name: String(r.name), size: Number(r.size), key: String(r.storage_key), createdAt: Number(r.created_at) }));
}

/**
 * The conversation as a ZIP, written as it is read: the transcript, then every file of the
 * couple under media/. yazl pulls one source at a time (addReadStreamLazy opens a file only
 * when the archive reaches it) and waits for the client to take what it wrote, so memory
 * holds a chunk or two of one file whatever the album's size. Photos and videos are already
 * compressed: stored as they are, only the transcript is deflated.
 */
export async function mediaArchive(db: Db, storage: Storage, coupleId: number, options: TranscriptOptions): Promise<Readable> {
  const media = await mediaOf(db, coupleId);
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  let current: Readable | null = null;
  // a client gone mid-download (or a file gone mid-read): stop reading, close what is open
  const stop = (err?: Error) => {
    current?.destroy();
    current = null;
    if (!output.destroyed) output.destroy(err);
  };
  zip.on('error', stop);
  output.on('close', () => stop());
  // a source that cannot even be opened (a key of the other storage driver, a missing
  // file) ends the archive like one failing mid-read: thrown inside yazl's pump, it would
  // take the process down
  const open = (read: () => Readable) => (cb: (err: Error | null, source: Readable) => void) => {
    // gone between two files: open nothing more (it would wait forever on a closed download)
    if (output.destroyed) return cb(new Error('the download was closed'), Readable.from([]));
    let source: Readable;
    try {
      source = read();
    } catch (err) {
      return cb(err as Error, Readable.from([]));
    }
    current = source;
    source.on('error', stop);
    cb(null, source);
  };

  const mtime = new Date(options.now);
  zip.addReadStreamLazy(transcriptFileName(options.now, options.timeZone), { mtime }, open(() => Readable.from(transcript(db, coupleId, options))));
  const nameOf = mediaNamer(options.timeZone);
  for (const file of media) {
    const read = () => (file.size === 0 ? Readable.from([]) : storage.read(file.key, 0, file.size - 1));
    zip.addReadStreamLazy(nameOf(file), { size: file.size, compress: false, mtime: new Date(file.createdAt) }, open(read));
  }
  zip.end();
  return output;
}
