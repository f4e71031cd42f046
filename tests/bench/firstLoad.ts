// What a phone downloads to open the chat for the first time: the page with its newest
// 50 messages and every script, style sheet and manifest it links, compressed as a
// browser asks for them (images left out), counted as bytes on the wire.
import { request } from 'node:http';
import { PROXY_HEADERS } from './appMode';
import type { AppProcess } from './appProcess';
import type { SeededCouple } from './seed';

const ACCEPT_ENCODING = 'gzip, deflate, br';
const IMAGE = /\.(svg|png|jpe?g|webp|gif|ico)$/;

interface Fetched {
  url: string;
  status: number;
  encoding: string;
  /** header and body bytes as sent */
  bytes: number;
  body: Buffer;
}

function fetchRaw(url: string, headers: Record<string, string>): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { ...PROXY_HEADERS, 'accept-encoding': ACCEPT_ENCODING, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const headerBytes = res.rawHeaders.reduce((n, h, i) => n + Buffer.byteLength(h) + (i % 2 ? 2 : 2), 0) + 20;
        resolve({ url, status: res.statusCode ?? 0, encoding: String(res.headers['content-encoding'] ?? 'none'), bytes: headerBytes + body.length, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface FirstLoad {
  total: number;
  parts: Fetched[];
  messages: number;
}

export async function measureFirstLoad(app: AppProcess, couple: SeededCouple): Promise<FirstLoad> {
  const page = await fetchRaw(`${app.base}/chat`, { cookie: couple.a.cookie });
  const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
  const html = (page.encoding === 'br' ? brotliDecompressSync(page.body) : page.encoding === 'gzip' ? gunzipSync(page.body) : page.body).toString('utf8');
  const linked = [...new Set([...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]))].filter((u) => !IMAGE.test(u));
  const parts = [page, ...(await Promise.all(linked.map((u) => fetchRaw(app.base + u, { cookie: couple.a.cookie }))))];
  return { total: parts.reduce((n, p) => n + p.bytes, 0), parts, messages: html.split('class="msg ').length - 1 };
}
