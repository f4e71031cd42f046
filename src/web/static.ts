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
