import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Middleware } from 'koa';

const root = fileURLToPath(new URL('../../static', import.meta.url));
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves files under /static/ from static/: known types only, no dot-files, no way out of the folder. */
export function staticFiles(): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/static/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice('/static/'.length));
    } catch {
      return next();
    }
    const file = normalize(join(root, relative));
    const type = TYPES[extname(file)];
    if (!file.startsWith(root + sep) || !type || /(^|[/\\])\./.test(relative)) return next();
    if (!(await sendFile(ctx, file, type, 'public, max-age=3600'))) return next();
  };
}

/**
 * GET /sw.js: the service worker, served from the root so that its scope is the whole
 * site, and revalidated every time so that a new version is picked up at once.
 */
export function serviceWorker(): Middleware {
  const file = join(root, 'sw.js');
  return async (ctx, next) => {
    if (ctx.path !== '/sw.js' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    if (!(await sendFile(ctx, file, TYPES['.js'], 'no-cache'))) return next();
  };
}

/** Sends a file (304 when the browser's copy is current); false when there is no such file. */
async function sendFile(ctx: Context, file: string, type: string, cacheControl: string): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  ctx.type = type;
  ctx.length = info.size;
  ctx.lastModified = info.mtime;
  ctx.set('Cache-Control', cacheControl);
  ctx.status = 200;
  if (ctx.fresh) ctx.status = 304;
  else if (ctx.method === 'GET') ctx.body = createReadStream(file);
  return true;
}
