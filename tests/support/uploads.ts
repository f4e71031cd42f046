// Upload steps for HTTP tests: multipart bodies built by hand, binary GETs, the four
// backend × storage-driver combinations, and "was anything left behind?" checks.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Config } from '../../src/config';
import type { Db } from '../../src/db';
import { backends, type Backend } from './backends';
import { HX } from './chatHttp';
import { rawRequest, type Client, type Reply } from './client';
import { startTestApp, type TestApp } from './testApp';

export interface Part {
  name: string;
  /** a plain field */
  value?: string;
  /** a file part: the filename as the browser sends it (raw UTF-8 bytes) */
  filename?: string;
  /** a file part named with the RFC 5987 `filename*=` form instead (percent-encoded) */
  filenameStar?: string;
  data?: Buffer;
  type?: string;
}

export const filePart = (filename: string, data: Buffer, type = 'application/octet-stream'): Part => ({ name: 'file', filename, data, type });

/** A multipart/form-data body as a browser would send it, parts in the given order. */
export function multipart(parts: Part[], boundary = `----ccBoundary${randomBytes(8).toString('hex')}`): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    if (p.filenameStar !== undefined) disposition += `; filename*=UTF-8''${p.filenameStar}`;
    const isFile = p.filename !== undefined || p.filenameStar !== undefined;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${isFile ? `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), p.data ?? Buffer.from(p.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface UploadOptions {
  htmx?: boolean;
  /** how the CSRF token travels: the htmx header (default), the form action's query, or not at all */
  csrf?: 'header' | 'query' | 'none';
  /** a token to send instead of the client's own */
  token?: string;
  headers?: Record<string, string>;
}

/** POST /chat/uploads with these parts. */
export function upload(client: Client, parts: Part[], options: UploadOptions = {}): Promise<Reply> {
  const { body, contentType } = multipart(parts);
  return uploadRaw(client, body, contentType, options);
}

export function uploadRaw(client: Client, body: Buffer, contentType: string, options: UploadOptions = {}): Promise<Reply> {
  const token = options.token ?? client.csrf;
  const how = options.csrf ?? 'header';
  const path = how === 'query' ? `/chat/uploads?_csrf=${encodeURIComponent(token)}` : '/chat/uploads';
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(body.length),
    ...(how === 'header' ? { 'X-CSRF-Token': token } : {}),
    ...(options.htmx ? HX : {}),
    ...options.headers,
  };
  return client.request('POST', path, { body, headers });
}

export interface BinaryReply {
  status: number;
  headers: Headers;
  /** the raw header lines, to check they are well formed */
  rawHeaders: string[];
  body: Buffer;
}

/** A GET whose body is kept as bytes (Client.get decodes as UTF-8). */
export async function getBytes(url: string, headers: Record<string, string> = {}): Promise<BinaryReply> {
  const reply = await rawRequest(url, 'GET', headers);
  return { status: reply.status, headers: reply.headers, rawHeaders: reply.rawHeaders, body: reply.bytes };
}

export const fetchFile = (client: Client, path: string, headers: Record<string, string> = {}) =>
  getBytes(client.base + path, { cookie: client.cookieHeader(), ...headers });

// ---- images -------------------------------------------------------------------------------

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 120 } } });

export const jpeg = (width = 64, height = 48) => canvas(width, height).jpeg().toBuffer();
/** A landscape JPEG whose EXIF says "turn 90° clockwise": upright it is portrait. */
export const rotatedJpeg = (width = 80, height = 40) => canvas(width, height).jpeg().withMetadata({ orientation: 6 }).toBuffer();
/** Where the test photos were "taken": Seoul, as a phone writes it in Exif and XMP. */
export const SEOUL_XMP =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="37,33.2N" exif:GPSLongitude="126,58.0E"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

/** A phone's photo: landscape pixels with EXIF orientation 6 (upright it is portrait), a camera, a date, and where it was taken (Exif GPS and XMP). */
export const locatedJpeg = (width = 80, height = 40) =>
  canvas(width, height)
    .withExif({
      IFD0: { Make: 'TestCam' },
      IFD2: { DateTimeOriginal: '2026:01:02 03:04:05' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 33/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '126/1 58/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(SEOUL_XMP)
    .jpeg({ quality: 90 })
    .toBuffer();
export const png = (width = 64, height = 48) => canvas(width, height).png().toBuffer();
export const gif = (width = 64, height = 48) => canvas(width, height).gif().toBuffer();
export const webp = (width = 64, height = 48) => canvas(width, height).webp().toBuffer();
export const avif = (width = 64, height = 48) => canvas(width, height).avif().toBuffer();
/** A HEIF photo under an iPhone's `heic` brand; its pixels in AV1, as sharp's build decodes no HEVC. */
export const heic = async () => {
  const bytes = await avif();
  bytes.write('heic', 8, 'latin1');
  return bytes;
};

const box = (type: string, ...content: Buffer[]) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + content.reduce((n, b) => n + b.length, 0));
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, ...content]);
};
/** A video's boxes in the order ffmpeg writes them (ftyp with its brands, free, mdat): no encoder here to make frames. */
export const video = (brand: 'isom' | 'qt  ') => Buffer.concat([box('ftyp', Buffer.from(`${brand}\0\0\x02\0isomiso2avc1mp41`, 'latin1')), box('free'), box('mdat', randomBytes(6000))]);

export const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>');
export const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
/** A JPEG's first bytes, then garbage. */
export const corruptJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), randomBytes(2000)]);

export const isWebp = (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP';

// ---- apps over the four combinations -------------------------------------------------------

export interface Combo {
  name: string;
  backend: Backend;
  storage: 'db' | 'disk';
}

/** Every backend with both storage drivers. */
export const combos = (): Combo[] =>
  backends().flatMap((backend) => (['db', 'disk'] as const).map((storage) => ({ name: `${backend.name} + ${storage} storage`, backend, storage })));

export interface UploadApp extends TestApp {
  combo: Combo;
  /** the disk driver's folder, or null for the db driver */
  dir: string | null;
}

export async function startUploadApp(combo: Combo, overrides: Partial<Config> = {}): Promise<UploadApp> {
  const dir = combo.storage === 'disk' ? mkdtempSync(join(tmpdir(), 'cc-files-')) : null;
  const app = await startTestApp(combo.backend, { storage: dir ? { kind: 'disk', path: dir } : { kind: 'db' }, ...overrides });
  return {
    ...app,
    combo,
    dir,
    async close() {
      await app.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

const count = async (db: Db, table: string, where: Record<string, unknown> = {}) =>
  Number((await db(table).where(where).count({ n: '*' }))[0].n);

/** What storage holds: blob rows and chunks (db driver) or files in the folder (disk driver). */
export async function stored(app: UploadApp): Promise<{ blobs: number; chunks: number; diskFiles: number }> {
  return {
    blobs: await count(app.db, 'blobs'),
    chunks: await count(app.db, 'blob_chunks'),
    diskFiles: app.dir ? filesUnder(app.dir).length : 0,
  };
}

/** Every stored key a files row refers to. */
export async function referencedKeys(db: Db, where: Record<string, unknown> = {}): Promise<string[]> {
  const rows = await db('files').where(where).select('storage_key', 'thumb_key');
  return rows.flatMap((r) => [String(r.storage_key), ...(r.thumb_key ? [String(r.thumb_key)] : [])]);
}

/** Bytes in storage that no file row refers to (a partial or abandoned upload). */
export async function orphans(app: UploadApp): Promise<string[]> {
  const keys = new Set(await referencedKeys(app.db));
  if (app.dir) return filesUnder(app.dir).filter((path) => !keys.has(`disk:${path.split('/').pop()}`));
  const blobs = await app.db('blobs').select('id');
  const chunkOwners = await app.db('blob_chunks').distinct('blob_id');
  const ids = new Set([...blobs.map((b) => Number(b.id)), ...chunkOwners.map((c) => Number(c.blob_id))]);
  return [...ids].filter((id) => !keys.has(`db:${id}`)).map((id) => `db:${id}`);
}

/** Is the bytes of this key still in storage? */
export async function keyExists(app: UploadApp, key: string): Promise<boolean> {
  if (key.startsWith('disk:')) return app.dir !== null && filesUnder(app.dir).some((p) => p.endsWith(`/${key.slice(5)}`));
  const id = Number(key.slice(3));
  return (await count(app.db, 'blobs', { id })) + (await count(app.db, 'blob_chunks', { blob_id: id })) > 0;
}

export const fileRows = (db: Db, coupleId: number) => db('files').where({ couple_id: coupleId }).orderBy('id').select();

export const idsIn = (html: string): number[] => [...html.matchAll(/<li class="msg[^"]*" id="m-(\d+)"/g)].map((m) => Number(m[1]));
