import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { PROXY_HEADERS } from './appMode';
import { readRss, type AppProcess } from './appProcess';
import { newAgent } from './httpClient';
import { measureLatency, type LatencyOptions, type LatencyResult } from './latency';
import type { SeededCouple, SeededUser } from './seed';
import { sleep, summarize, type Summary } from './stats';

/**
 * Uploads as the chat page sends them (POST /chat/uploads, multipart, htmx): the body is
 * streamed from a generator, so a 200 MB file is never in this process's memory either.
 */

export interface UploadAnswer {
  status: number;
  /** request started → last byte of the answer, ms */
  elapsed: number;
  /** id of the file the answer shows, when it shows one */
  fileId: number | null;
  hasThumb: boolean;
  text: string;
}

const FILE_ID = /\/files\/(\d+)/;

/** A multipart body: the client_id field, then one `file` part whose bytes come from `data`. */
function multipart(clientId: string, fileName: string, mime: string, data: () => Iterable<Buffer>, dataSize: number) {
  const boundary = `----ccbench${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n${clientId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${mime}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + dataSize + tail.length,
    *body() {
      yield head;
      yield* data();
      yield tail;
    },
  };
}

export async function upload(
  agent: Agent,
  app: AppProcess,
  user: SeededUser,
  clientId: string,
  fileName: string,
  mime: string,
  data: () => Iterable<Buffer>,
  dataSize: number,
  timeoutMs = 120_000,
): Promise<UploadAnswer> {
  const form = multipart(clientId, fileName, mime, data, dataSize);
  const started = performance.now();
  return new Promise<UploadAnswer>((resolve, reject) => {
    const req = request(
      `${app.base}/chat/uploads`,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: {
          ...PROXY_HEADERS,
          cookie: user.cookie,
          'x-csrf-token': user.csrf,
          'hx-request': 'true',
          'content-type': form.contentType,
          'content-length': String(form.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const id = FILE_ID.exec(text)?.[1];
          resolve({ status: res.statusCode ?? 0, elapsed: performance.now() - started, fileId: id ? Number(id) : null, hasThumb: /\/files\/\d+\/thumb/.test(text), text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    // the app may answer (413, 403) before the body is all sent: that answer is the result
    pipeline(Readable.from(form.body()), req).catch(() => {});
  });
}

/** Size of a stored file, from a one-byte Range request (Content-Range: bytes 0-0/SIZE). */
async function storedSize(app: AppProcess, user: SeededUser, fileId: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${app.base}/files/${fileId}`, { headers: { ...PROXY_HEADERS, cookie: user.cookie, range: 'bytes=0-0' } }, (res) => {
      res.resume();
      const m = /\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
      resolve(m ? Number(m[1]) : NaN);
    });
    req.on('error', () => resolve(NaN));
    req.end();
  });
}

const ok = (a: UploadAnswer) => a.status === 200 || a.status === 303;
const describe = (a: UploadAnswer) => `${a.status} ${a.text.replace(/\s+/g, ' ').slice(0, 160)}`;

// ---- 1. a big file: the app's RSS before, at its peak during, after -------------------------

export interface BigUploadResult {
  bytes: number;
  status: number;
  error: string | null;
  seconds: number;
  storedSize: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  samples: number;
}

/** Reads VmRSS every `everyMs` while `work` runs. */
export async function sampleRss<T>(pid: number, everyMs: number, work: () => Promise<T>): Promise<{ value: T; peak: number; samples: number }> {
  let peak = readRss(pid);
  let samples = 1;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, readRss(pid));
      samples++;
    } catch {
      /* the process went away: the work will say so */
    }
  }, everyMs);
  try {
    const value = await work();
    peak = Math.max(peak, readRss(pid));
    return { value, peak, samples: samples + 1 };
  } finally {
    clearInterval(timer);
  }
}

export async function measureBigUpload(app: AppProcess, user: SeededUser, bytes: number, tag: string): Promise<BigUploadResult> {
  const block = randomBytes(1024 * 1024); // one 1 MB block, sent over and over
  const data = function* () {
    for (let sent = 0; sent < bytes; sent += block.length) yield block.subarray(0, Math.min(block.length, bytes - sent));
  };
  const agent = newAgent(1);
  await sleep(1_000);
  const rssBefore = readRss(app.pid);
  const started = performance.now();
  let answer: UploadAnswer | null = null;
  let error: string | null = null;
  const { peak, samples } = await sampleRss(app.pid, 50, async () => {
    try {
      answer = await upload(agent, app, user, `${tag}big`, 'big.bin', 'application/octet-stream', data, bytes, 300_000);
    } catch (err) {
      error = (err as Error).message;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await sleep(2_000);
  const rssAfter = readRss(app.pid);
  const a = answer as UploadAnswer | null;
  if (a && !ok(a)) error = describe(a);
  const size = a?.fileId ? await storedSize(app, user, a.fileId) : NaN;
  agent.destroy();
  return { bytes, status: a?.status ?? 0, error, seconds, storedSize: size, rssBefore, rssPeak: peak, rssAfter, samples };
}

// ---- 2. thumbnails of a 12-megapixel photo -----------------------------------------------------

let photo: Buffer | null = null;

/** A 4000×3000 JPEG of noise (quality 85), made once: a camera photo's size, not trivially compressible. */
export async function twelveMegapixelJpeg(): Promise<Buffer> {
  photo ??= await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
  return photo;
}

export interface PhotoUploads {
  n: number;
  timing: Summary;
  errors: number;
  firstError: string | null;
  withoutThumb: number;
}

function photoUploader(app: AppProcess, jpeg: Buffer, agent: Agent) {
  const times: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let withoutThumb = 0;
  const once = async (user: SeededUser, clientId: string) => {
    try {
      const a = await upload(agent, app, user, clientId, 'IMG_0001.jpg', 'image/jpeg', () => [jpeg], jpeg.length);
      if (!ok(a)) throw new Error(describe(a));
      times.push(a.elapsed);
      if (!a.hasThumb) withoutThumb++;
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message;
    }
  };
  const result = (): PhotoUploads => ({ n: times.length, timing: summarize(times), errors, firstError, withoutThumb });
  return { once, result };
}

export async function measurePhotoUploads(app: AppProcess, user: SeededUser, count: number, tag: string): Promise<PhotoUploads> {
  const jpeg = await twelveMegapixelJpeg();
  const agent = newAgent(1);
  const warm = photoUploader(app, jpeg, agent);
  for (let i = 0; i < 3; i++) await warm.once(user, `${tag}warm${i}`); // JIT, sharp's first load
  const measured = photoUploader(app, jpeg, agent);
  for (let i = 0; i < count; i++) await measured.once(user, `${tag}p${i}`);
  agent.destroy();
  return measured.result();
}

// ---- 3. chat delivery for other couples while photos upload -----------------------------------

export interface DeliveryUnderUploads {
  latency: LatencyResult;
  uploads: PhotoUploads;
}

/** `uploaders.length` loops, each uploading the photo again as soon as the last answer came, while `chatting` couples chat. */
export async function measureDeliveryUnderUploads(
  app: AppProcess,
  uploaders: SeededCouple[],
  chatting: SeededCouple[],
  latencyOptions: LatencyOptions,
  tag: string,
): Promise<DeliveryUnderUploads> {
  const jpeg = await twelveMegapixelJpeg();
  const agent = newAgent(uploaders.length);
  const uploader = photoUploader(app, jpeg, agent);
  let running = true;
  let k = 0;
  const loops = uploaders.map(async (couple) => {
    while (running) await uploader.once(couple.a, `${tag}u${couple.id}n${k++}`);
  });
  await sleep(500); // the uploads are under way before the chat starts
  let latency: LatencyResult;
  try {
    latency = await measureLatency(app, chatting, latencyOptions);
  } finally {
    running = false;
    await Promise.all(loops);
    agent.destroy();
  }
  return { latency, uploads: uploader.result() };
}
