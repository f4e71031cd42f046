import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../../static', import.meta.url));

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.css', '.js', '.svg', '.webmanifest', '.txt', '.html']);

export interface Asset {
  /** path under static/, with forward slashes: 'vendor/htmx.min.js' */
  name: string;
  /** the same with the content's hash in it: 'vendor/htmx.min.3f2a9c1d0b.js' */
  hashedName: string;
  type: string;
  etag: string;
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

function load(path: string): Asset | null {
  const ext = extname(path);
  const type = TYPES[ext];
  if (!type || statSync(path).size > 5 * 1024 * 1024) return null;
  const name = relative(root, path).split(sep).join('/');
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const compress = COMPRESSIBLE.has(ext) && body.length > 512;
  return {
    name,
    hashedName: `${name.slice(0, -ext.length)}.${hash}${ext}`,
    type,
    etag: `"${hash}"`,
    body,
    br: compress ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) : null,
    gzip: compress ? gzipSync(body, { level: 9 }) : null,
  };
}

/**
 * Every file of static/, read and compressed once per process (brotli and gzip at their
 * best, which is affordable once), by its plain and its content-hashed name. Pages link
 * the hashed names, which can be cached for good: a changed file gets a new name.
 */
export class Assets {
  private readonly byName = new Map<string, Asset>();
  private readonly byHashedName = new Map<string, Asset>();

  constructor() {
    for (const path of filesUnder(root)) {
      const asset = load(path);
      if (!asset) continue;
      this.byName.set(asset.name, asset);
      this.byHashedName.set(asset.hashedName, asset);
    }
  }

  /** The URL pages use for a static file: its hashed name (the plain one if unknown). */
  url(name: string): string {
    return `/static/${this.byName.get(name)?.hashedName ?? name}`;
  }

  /** What the service worker keeps for offline use: every style sheet, script and icon of this build (not the worker itself). */
  shell(): string[] {
    return [...this.byName.values()].filter((a) => a.name !== 'sw.js' && !a.name.endsWith('.html')).map((a) => `/static/${a.hashedName}`);
  }

  /** One name for this build's static files: it changes when any of them does. */
  version(): string {
    return createHash('sha256').update(this.shell().join('\n')).digest('hex').slice(0, 12);
  }

  find(path: string): { asset: Asset; immutable: boolean } | null {
    const hashed = this.byHashedName.get(path);
    if (hashed) return { asset: hashed, immutable: true };
    const plain = this.byName.get(path);
    return plain ? { asset: plain, immutable: false } : null;
  }
}

let assets: Assets | null = null;

export function staticAssets(): Assets {
  assets ??= new Assets();
  return assets;
}
