import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Middleware } from 'koa';

/** Below this a response goes as it is: the bytes saved are fewer than the compressor costs. */
export const COMPRESS_FROM = 1024;
/** Up to this a page is compressed in line; larger ones go through koa-compress's stream (the thread pool). */
export const COMPRESS_INLINE_UP_TO = 32 * 1024;

const EMPTY_STATUSES = new Set([204, 205, 206, 304]);

/**
 * Pages and fragments (HTML already in memory, up to 32 KB) compressed synchronously with
 * settings for small bodies: brotli at quality 4 with a 64 KB window (the default 4 MB window
 * costs more to set up than the whole fragment), else gzip at level 4. koa-compress streams every
 * body through a zlib stream, which for a 1–2 KB message fragment cost about 0.5–1 ms of
 * thread-pool hops and setup per response against ~60 µs here. It must be mounted after
 * koa-compress, which then leaves the already-encoded body alone.
 */
export function compressSmall(): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body;
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) return;
    if (ctx.method === 'HEAD' || EMPTY_STATUSES.has(ctx.status) || ctx.compress === false || ctx.res.headersSent) return;
    if (!(ctx.response.type ?? '').startsWith('text/html') || ctx.response.get('Content-Encoding')) return;
    // measured without copying: most fragments are below the threshold and go as they are
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    if (size < COMPRESS_FROM) {
      ctx.compress = false; // nor koa-compress
      return;
    }
    if (size > COMPRESS_INLINE_UP_TO) return;
    const raw = typeof body === 'string' ? Buffer.from(body) : body;
    // brotli whenever it is accepted at all (browsers list it after gzip, with equal weight)
    const encoding = ctx.acceptsEncodings('br') ? 'br' : ctx.acceptsEncodings('gzip') ? 'gzip' : null;
    if (!encoding) return;
    const encoded =
      encoding === 'br'
        ? brotliCompressSync(raw, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 16, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
          })
        : gzipSync(raw, { level: 4 });
    ctx.body = encoded; // koa sets the new Content-Length
    ctx.set('Content-Encoding', encoding);
    ctx.vary('Accept-Encoding');
  };
}
