import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fromRoot } from '../appRoot';
import { loadEsbuild } from '../lazyModules';

const root = fromRoot('static');
/** Compressed files kept between processes, by the content's hash: made at install (scripts/build.mjs), read at start. */
const COMPRESSED = fromRoot('dist', 'compressed');

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

// htmx first: every page's one script carries it, so nothing waits on a second download
const SITE = ['vendor/htmx.min.js', 'shared.js', 'app.js', 'push.js'];
const COUPLE = [...SITE, 'breakup.js', 'unread.js'];
const LIVE = [...COUPLE, 'vendor/htmx-ext-sse.min.js', 'optional-oob.js'];
const CHAT = ['page', 'timeZone', 'questionCard', 'scroll', 'readMarks', 'stream', 'composer', 'typing', 'grow', 'uploads', 'preview', 'messageMenu', 'replies'].map((m) => `chat/${m}.js`);

/**
 * The one script each page loads, every page its own: on a slow phone network every
 * request costs a round trip (2 s on Slow 3G), while the source stays in small files of
 * one concern each. Joined in this order once per process, with nothing generated on disk.
 * The layout picks site or couple; a page that needs more names its bundle (`scripts`).
 */
export const BUNDLES: Readonly<Record<string, readonly string[]>> = {
  'site.bundle.js': SITE,
  'couple.bundle.js': COUPLE,
  'calendar.bundle.js': [...LIVE, 'calendar.js'],
  'chat.bundle.js': [...LIVE, ...CHAT],
  'album.bundle.js': [...COUPLE, 'album.js'],
};

/**
 * What is written into the page itself, not fetched. The chat's stream opener must start
 * before anything else has arrived; the chat's script and the style sheet come in the
 * page because on Slow 3G each file fetched after the page waits its own 2 s round trip,
 * while the page's bytes flow during the stream's (the chat is live ~1 s sooner on a cold
 * cache, and no later on a warm one: the stream's round trip is the wait then). The
 * Content-Security-Policy allows each by its hash (src/web/security.ts), and nothing else inline.
 */
export const INLINE_SCRIPTS = ['chat/openStream.js', 'chat.bundle.js'] as const;
export type InlineScript = (typeof INLINE_SCRIPTS)[number];
export const INLINE_STYLES = ['app.css'] as const;
export type InlineStyle = (typeof INLINE_STYLES)[number];

const inlined = new Map<string, string>();

/**
 * The text of a static file or bundle as the page carries it between its tags: nothing
 * in it may end the element early (`</script`, `</style`) or, in a script, open the
 * tokenizer's escaped state (`<!--`).
 */
function inlineText(name: string, tag: 'script' | 'style'): string {
  let text = inlined.get(name);
  if (text === undefined) {
    const found = staticAssets().find(name);
    if (!found) throw new Error(`static/${name} cannot be inlined: there is no such file or bundle`);
    text = found.asset.body.toString('utf8');
    if (new RegExp(`</${tag}`, 'i').test(text) || (tag === 'script' && text.includes('<!--'))) throw new Error(`static/${name} cannot be inlined in <${tag}>`);
    inlined.set(name, text);
  }
  return text;
}

export const inlineScript = (name: InlineScript): string => inlineText(name, 'script');
export const inlineStyle = (name: InlineStyle): string => inlineText(name, 'style');

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The CSP sources that allow the inline scripts: 'sha256-…' each. */
export function inlineScriptSources(): string[] {
  return INLINE_SCRIPTS.map((name) => sha256(inlineScript(name)));
}

/** The CSP sources that allow the inline style sheets. */
export function inlineStyleSources(): string[] {
  return INLINE_STYLES.map((name) => sha256(inlineStyle(name)));
}

/**
 * A script as bundles carry it: minified by esbuild (already a dependency, for the server's
 * build), its syntax kept to ES2017 for old phones. About a third fewer bytes to download
 * and parse on a slow phone than the commented source. Kept on disk by the source's hash
 * as the compressed files are: made at the build, so a started process neither loads esbuild
 * nor starts its worker (some 15 MB of a fresh process's RSS).
 */
export function minifyScript(source: string): string {
  const made = kept(createHash('sha256').update(source).digest('hex'), 'min.js', () =>
    Buffer.from(loadEsbuild().transformSync(source, { loader: 'js', minify: true, target: 'es2017', charset: 'utf8' }).code),
  );
  return made.toString('utf8');
}

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

/**
 * Brotli and gzip at their best cost ~1.5 s of CPU for all of static/: done once per build
 * and kept on disk (written whole, then renamed, so a second process never reads half a
 * file), not at every start, when a restarted dyno's first requests are waiting.
 */
function kept(fullHash: string, kind: 'br' | 'gz' | 'min.js', make: () => Buffer): Buffer {
  const file = join(COMPRESSED, `${fullHash}.${kind}`);
  try {
    return readFileSync(file);
  } catch {
    const made = make();
    try {
      mkdirSync(COMPRESSED, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, made);
      renameSync(partial, file);
    } catch {
      // a read-only disk: this process keeps what it made in memory
    }
    return made;
  }
}

function compressed(name: string, body: Buffer): Asset {
  const ext = extname(name);
  const fullHash = createHash('sha256').update(body).digest('hex');
  const hash = fullHash.slice(0, 12);
  const compress = COMPRESSIBLE.has(ext) && body.length > 512;
  return {
    name,
    hashedName: `${name.slice(0, -ext.length)}.${hash}${ext}`,
    type: TYPES[ext],
    etag: `"${hash}"`,
    body,
    br: compress
      ? kept(fullHash, 'br', () => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }))
      : null,
    gzip: compress ? kept(fullHash, 'gz', () => gzipSync(body, { level: 9 })) : null,
  };
}

function load(path: string): Asset | null {
  if (!TYPES[extname(path)] || statSync(path).size > 5 * 1024 * 1024) return null;
  return compressed(relative(root, path).split(sep).join('/'), readFileSync(path));
}

/**
 * Each part minified on its own (so a part is still found in the bundle as minifyScript
 * makes it), and a ';' after: a part that ends without one would otherwise call the next
 * part's opening parenthesis.
 */
function bundle(name: string, parts: readonly string[], byName: Map<string, Asset>): Asset {
  const bodies = parts.map((part) => {
    const asset = byName.get(part);
    if (!asset) throw new Error(`static bundle ${name}: static/${part} is missing`);
    return Buffer.from(`${minifyScript(asset.body.toString('utf8'))};\n`);
  });
  return compressed(name, Buffer.concat(bodies));
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
    for (const [name, parts] of Object.entries(BUNDLES)) {
      const joined = bundle(name, parts, this.byName);
      this.byName.set(name, joined);
      this.byHashedName.set(joined.hashedName, joined);
    }
  }

  /** Every file served, bundles too. */
  all(): Asset[] {
    return [...this.byName.values()];
  }

  /** The URL pages use for a static file: its hashed name (the plain one if unknown). */
  url(name: string): string {
    return `/static/${this.byName.get(name)?.hashedName ?? name}`;
  }

  /**
   * What the service worker keeps for offline use: every style sheet, script and icon of
   * this build (not the worker itself), scripts as the bundles pages load rather than the
   * files joined into them, which would be a dozen downloads nobody asks for, and not what
   * pages carry inline (the chat's bundle).
   */
  shell(): string[] {
    const parts = new Set<string>([...Object.values(BUNDLES).flat(), ...INLINE_SCRIPTS]);
    return this.all()
      .filter((a) => !parts.has(a.name) && a.name !== 'sw.js' && !a.name.endsWith('.html'))
      .map((a) => `/static/${a.hashedName}`);
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
