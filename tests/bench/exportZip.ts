import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PROXY_HEADERS } from './appMode';
import { readRss, type AppProcess } from './appProcess';
import { newAgent } from './httpClient';
import type { SeededUser } from './seed';
import { sleep } from './stats';
import { sampleRss, upload } from './uploads';

export interface ZipExportResult {
  /** bytes of files in the album, and of the archive that came back */
  albumBytes: number;
  files: number;
  zipBytes: number;
  status: number;
  error: string | null;
  seconds: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  samples: number;
}

const FILE_BYTES = 10 * 1024 * 1024;

/** The ZIP export as a phone downloads it: read to the end and thrown away, counted. */
function download(app: AppProcess, user: SeededUser): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.base}/chat/export?format=zip`, { headers: { ...PROXY_HEADERS, cookie: user.cookie } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * An album of `bytes` (files of 10 MB of noise, sent one by one as the chat sends them), then
 * GET /chat/export?format=zip read to its end: the app's RSS before, at its peak, after.
 */
export async function measureZipExport(app: AppProcess, user: SeededUser, bytes: number, tag: string): Promise<ZipExportResult> {
  const agent = newAgent(1);
  const block = randomBytes(1024 * 1024);
  let files = 0;
  for (let sent = 0; sent < bytes; sent += FILE_BYTES, files++) {
    const size = Math.min(FILE_BYTES, bytes - sent);
    const data = function* () {
      for (let out = 0; out < size; out += block.length) yield block.subarray(0, Math.min(block.length, size - out));
    };
    const answer = await upload(agent, app, user, `${tag}zip${files}`, `IMG_${String(files).padStart(4, '0')}.mov`, 'video/quicktime', data, size, 120_000);
    if (answer.status !== 200 && answer.status !== 303) throw new Error(`upload ${files} answered ${answer.status}`);
  }
  agent.destroy();
  await sleep(2_000);
  const rssBefore = readRss(app.pid);
  const started = performance.now();
  let result: { status: number; bytes: number } | null = null;
  let error: string | null = null;
  const { peak, samples } = await sampleRss(app.pid, 50, async () => {
    try {
      result = await download(app, user);
    } catch (err) {
      error = (err as Error).message;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await sleep(2_000);
  const got = result as { status: number; bytes: number } | null;
  return { albumBytes: bytes, files, zipBytes: got?.bytes ?? 0, status: got?.status ?? 0, error, seconds, rssBefore, rssPeak: peak, rssAfter: readRss(app.pid), samples };
}
