import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

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
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return next();
    ctx.type = type;
    ctx.length = info.size;
    ctx.lastModified = info.mtime;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    if (ctx.method === 'GET') ctx.body = createReadStream(file);
  };
}
