import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Storage as StorageConfig } from '../config';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { insertBlobChunk } from '../dbDialect';

/** The stream was longer than allowed; nothing of it is kept. */
export class TooLarge extends Error {}

export interface Stored {
  key: string;
  size: number;
}

/** Where the bytes of uploads live. Keys are made here, never from a user's file name. */
export interface Storage {
  put(coupleId: number, source: Readable, maxBytes: number): Promise<Stored>;
  /** the bytes from start to end inclusive */
  read(key: string, start: number, end: number): Readable;
  remove(key: string): Promise<void>;
}

// 1 MB: few enough statements (and commits) per photo, far below MySQL's 16 MB packets.
const CHUNK = 1024 * 1024;

/** Counts bytes through a stream and fails it past the limit. */
async function* limited(source: Readable, maxBytes: number, counted: { size: number }) {
  for await (const chunk of source) {
    counted.size += (chunk as Buffer).length;
    if (counted.size > maxBytes) throw new TooLarge();
    yield chunk as Buffer;
  }
}

/**
 * Bytes in the database, in 1 MB chunks: on a PaaS dyno whose disk is wiped at each
 * deploy nothing is lost, and a backup of the database is a backup of everything.
 */
export class DbStorage implements Storage {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async put(coupleId: number, source: Readable, maxBytes: number): Promise<Stored> {
    const [blobId] = await this.db('blobs').insert({ couple_id: coupleId, size: 0, complete: false, created_at: this.clock.now() });
    const counted = { size: 0 };
    let n = 0;
    // every chunk but the last is exactly CHUNK bytes: a range read finds byte b in chunk b / CHUNK.
    // One buffer is filled and written again and again (the database has copied it once the
    // insert is done), so a long upload leaves no trail of joined megabytes for the GC.
    const chunk = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    const write = async () => {
      await insertBlobChunk(this.db, Number(blobId), n++, chunk.subarray(0, filled));
      filled = 0;
    };
    try {
      for await (const piece of limited(source, maxBytes, counted)) {
        for (let from = 0; from < piece.length; ) {
          const take = Math.min(CHUNK - filled, piece.length - from);
          piece.copy(chunk, filled, from, from + take);
          filled += take;
          from += take;
          if (filled === CHUNK) await write();
        }
      }
      if (filled > 0) await write();
      await this.db('blobs').where({ id: blobId }).update({ size: counted.size, complete: true });
      return { key: `db:${Number(blobId)}`, size: counted.size };
    } catch (err) {
      await this.remove(`db:${Number(blobId)}`);
      throw err;
    }
  }

  read(key: string, start: number, end: number): Readable {
    const blobId = Number(key.slice(3));
    const db = this.db;
    return Readable.from(
      (async function* () {
        // one chunk in memory at a time, whatever the file's size
        for (let n = Math.floor(start / CHUNK); n <= Math.floor(end / CHUNK); n++) {
          const row = await db('blob_chunks').where({ blob_id: blobId, n }).first('data');
          if (!row) return;
          const data = Buffer.from(row.data);
          const from = n * CHUNK;
          yield data.subarray(Math.max(0, start - from), Math.min(data.length, end - from + 1));
        }
      })(),
    );
  }

  async remove(key: string): Promise<void> {
    const blobId = Number(key.slice(3));
    await this.db('blob_chunks').where({ blob_id: blobId }).delete();
    await this.db('blobs').where({ id: blobId }).delete();
  }
}

/** A key of DbStorage: its bytes are rows of the couple (blobs, blob_chunks), not outside the database. */
export const inDatabase = (key: string): boolean => key.startsWith('db:');

/** Bytes in files under a folder, for a server with a real disk. */
export class DiskStorage implements Storage {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    const name = key.slice(5);
    if (!/^[0-9a-f]{32}$/.test(name)) throw new Error('not a disk storage key');
    return join(this.root, name.slice(0, 2), name);
  }

  async put(_coupleId: number, source: Readable, maxBytes: number): Promise<Stored> {
    const key = `disk:${randomBytes(16).toString('hex')}`;
    const file = this.path(key);
    await mkdir(join(file, '..'), { recursive: true });
    const counted = { size: 0 };
    // opened (created) before any byte flows: a stream that opens its file lazily could
    // create it after a failure's unlink below, leaving an orphan on disk
    const handle = await open(file, 'wx');
    try {
      await pipeline(Readable.from(limited(source, maxBytes, counted)), handle.createWriteStream());
      return { key, size: counted.size };
    } catch (err) {
      await unlink(file).catch(() => {});
      throw err;
    }
  }

  read(key: string, start: number, end: number): Readable {
    return createReadStream(this.path(key), { start, end });
  }

  async remove(key: string): Promise<void> {
    await unlink(this.path(key)).catch(() => {});
  }
}

export function createStorage(config: StorageConfig, db: Db, clock: Clock): Storage {
  return config.kind === 'disk' ? new DiskStorage(config.path) : new DbStorage(db, clock);
}
