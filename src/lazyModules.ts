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
