import { createRequire } from 'node:module';

// Packages a process may never need, loaded on first use rather than at start: a fresh
// process stays small (ioredis ~9 MB, sharp ~10 MB, file-type ~8 MB of RSS) when it has no
// REDIS_URL or nobody has uploaded yet.
const require = createRequire(import.meta.url);

export const loadIoredis = () => require('ioredis') as typeof import('ioredis');

let sharpLoaded: typeof import('sharp') | null = null;
export function loadSharp(): typeof import('sharp') {
  if (!sharpLoaded) {
    sharpLoaded = require('sharp') as typeof import('sharp');
    // One libvips thread, no cache: photos wait a little, and one of the two cores stays free
    // for the chat's event loop.
    sharpLoaded.concurrency(1);
    sharpLoaded.cache(false);
  }
  return sharpLoaded;
}

export const loadFileType = () => import('file-type');

/** esbuild, to minify a page script once per build (kept on disk after; see web/assets.ts): no process after the build loads it. */
export const loadEsbuild = () => require('esbuild') as typeof import('esbuild');

/** web-push (~2 MB of RSS with its ASN.1 and JWT packages): needed only once someone has subscribed, or for a development key pair. */
export const loadWebPush = () => require('web-push') as typeof import('web-push');

/**
 * One Intl.Segmenter of a kind, made on first use: ICU's break rules and data are paged in
 * only then (a few MB of RSS that a process serving only streams and pages never touches).
 */
export function lazySegmenter(locale: string | undefined, granularity: 'word' | 'grapheme'): () => Intl.Segmenter {
  let made: Intl.Segmenter | null = null;
  return () => (made ??= new Intl.Segmenter(locale, { granularity }));
}
