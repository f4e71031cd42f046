import Router from '@koa/router';
import type { Context } from 'koa';
import { coupleIdOf } from '../web/auth';
import { notFound } from '../web/errors';
import { idParam } from '../web/form';
import { findFile, type FileRow } from './files';
import { parseRange } from './range';
import { servedInline } from './sniff';

export const fileRoutes = new Router();

/**
 * attachment/inline with the name both as plain ASCII and as UTF-8 (a Korean name survives).
 * Not Koa's ctx.attachment: its content-disposition leaves filename* out for an ASCII name
 * and puts Latin-1 letters (é) raw into filename=; here both forms are always there, and
 * the plain one is ASCII only.
 */
function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${type}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** Files are private to the couple: anyone else, logged in or not, finds nothing. */
async function fileOf(ctx: Context): Promise<FileRow> {
  const id = idParam(ctx);
  if (!ctx.state.user || ctx.state.user.coupleId === null || id === null) throw notFound();
  const file = await findFile(ctx.deps.db, coupleIdOf(ctx), id);
  if (!file) throw notFound();
  return file;
}

function serve(ctx: Context, key: string, size: number, mime: string, disposition: string) {
  const etag = `"${key.replace(/[^\w:]/g, '')}"`;
  ctx.set({
    'Accept-Ranges': 'bytes',
    'Content-Disposition': disposition,
    'Content-Security-Policy': "default-src 'none'; media-src 'self'; img-src 'self'; sandbox",
    // kept, but asked about each time: a deleted message's photo, or a couple's after a
    // break-up, must not live on in the browser's cache. The answer is a cheap 304 (or a 404).
    'Cache-Control': 'private, no-cache',
    ETag: etag,
  });
  ctx.type = mime;
  ctx.status = 200; // ctx.fresh weighs If-None-Match only for a 2xx answer
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  const range = parseRange(ctx.get('Range') || undefined, size);
  if (range.kind === 'unsatisfiable') {
    ctx.status = 416;
    ctx.set('Content-Range', `bytes */${size}`);
    ctx.body = '';
    return;
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, size - 1];
  ctx.status = range.kind === 'part' ? 206 : 200;
  if (range.kind === 'part') ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
  ctx.length = end - start + 1;
  ctx.body = size === 0 ? '' : ctx.storage.read(key, start, end);
}

fileRoutes.get('/files/:id', async (ctx) => {
  const file = await fileOf(ctx);
  const inline = servedInline(file.mime) && ctx.query.download !== '1';
  serve(ctx, file.storage_key, file.size, inline ? file.mime : 'application/octet-stream', contentDisposition(inline ? 'inline' : 'attachment', file.name));
});

fileRoutes.get('/files/:id/thumb', async (ctx) => {
  const file = await fileOf(ctx);
  if (!file.thumb_key) throw notFound();
  serve(ctx, file.thumb_key, file.thumb_size, 'image/webp', contentDisposition('inline', `${file.name}.webp`));
});
