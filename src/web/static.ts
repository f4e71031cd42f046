import type { Middleware } from 'koa';
import { staticAssets } from './assets';

/**
 * Serves static/ from memory under /static/: by hashed name with a year of immutable
 * caching, by plain name for an hour; brotli or gzip when the browser takes it.
 */
export function staticFiles(): Middleware {
  const assets = staticAssets();
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/static/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const found = assets.find(ctx.path.slice('/static/'.length));
    if (!found) return next();
    const { asset, immutable } = found;
    ctx.type = asset.type;
    ctx.etag = asset.etag;
    ctx.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    ctx.vary('Accept-Encoding');
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    // brotli first whatever order the browser lists them in: it is the smaller
    let body = asset.body;
    if (asset.br && ctx.acceptsEncodings('br') === 'br') {
      body = asset.br;
      ctx.set('Content-Encoding', 'br');
    } else if (asset.gzip && ctx.acceptsEncodings('gzip') === 'gzip') {
      body = asset.gzip;
      ctx.set('Content-Encoding', 'gzip');
    }
    ctx.compress = false; // already as small as it gets
    ctx.length = body.length;
    if (ctx.method === 'GET') ctx.body = body;
  };
}

/**
 * GET /sw.js: the service worker, served from the root so that its scope is the whole
 * site, and revalidated every time so that a new version is picked up at once. It is
 * static/sw.js with the static shell it caches written in front: the hashed names of
 * this build's files, so a new build is a new worker and a fresh cache.
 */
export function serviceWorker(): Middleware {
  const assets = staticAssets();
  return async (ctx, next) => {
    if (ctx.path !== '/sw.js' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const source = assets.find('sw.js');
    if (!source) return next();
    const shell = assets.shell();
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.etag = `"${assets.version()}-${source.asset.etag.slice(1, -1)}"`;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = `var SHELL_VERSION = ${JSON.stringify(assets.version())};\nvar SHELL = ${JSON.stringify(shell)};\n${source.asset.body.toString('utf8')}`;
  };
}
