import Router from '@koa/router';
import { rateLimit } from '../web/rateLimit';
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { bodyError, clientIdOf, cleanBody } from '../chat/parse';
import { looksBlank } from '../text';
import { messageBefore } from '../chat/messages';
import { messageViews, viewContext } from '../chat/views';
import { viewerTimeZone } from '../web/timeZone';
import { filesOfMessages } from './files';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { idParam } from '../web/form';
import { limiter } from '../limiter';
import { findFile, type FileRow } from './files';
import { parseRange } from './range';
import { servedInline } from './sniff';
import { TooLarge } from './storage';
import { EmptyFile, storeUpload } from './uploads';
import { wordContext } from '../chat/wordContext';
import { questionGate } from '../questions/routes';
import { notifyPartner } from '../push/notify';

export const fileRoutes = new Router();

/** attachment/inline with the name both as plain ASCII and as UTF-8 (a Korean name survives). */
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
  if (ctx.get('If-None-Match') === etag) {
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

interface Parsed {
  created: number[];
  messages: Awaited<ReturnType<typeof storeUpload>>['message'][];
}

/**
 * Reads a multipart upload as it arrives: each `file` part streams to storage and
 * becomes a message of its own, in order (the first carries the optional `body`).
 * Fields must come before the files, as the page's form puts them.
 */
async function receiveUploads(ctx: Context): Promise<Parsed> {
  const { db, config } = ctx.deps;
  const coupleId = coupleIdOf(ctx);
  const me = userOf(ctx).id;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: ctx.req.headers,
      defParamCharset: 'utf8',
      limits: { files: 10, fileSize: config.uploadMaxBytes + 1, fields: 10, fieldSize: 20_000, parts: 30 },
    });
  } catch {
    throw new AppError(415, 'error.unsupported');
  }
  const context = await wordContext(ctx);
  const fields: Record<string, string> = {};
  const parsed: Parsed = { created: [], messages: [] };
  let failure: unknown = null;
  let broken = false; // the body was cut short or malformed, or the client went away
  let malformed = false; // the multipart itself could not be read (e.g. control characters in a part's header)
  const open = new Set<Readable>();
  let index = 0;
  let work = Promise.resolve();
  parser.on('field', (name, value) => (fields[name] = value));
  parser.on('file', (name, stream, info) => {
    // at once, before anything awaits: a stream error with no listener would crash the process
    stream.on('error', () => (broken = true));
    open.add(stream);
    stream.on('close', () => open.delete(stream));
    if (name !== 'file' || failure) return void stream.resume();
    const i = index++;
    work = work.then(async () => {
      if (failure) return void stream.resume();
      try {
        const typed = i === 0 ? cleanBody(fields.body ?? '') : '';
        const caption = looksBlank(typed) ? '' : typed; // a caption of nothing visible is no caption
        const captionError = bodyError(caption === '' ? 'x' : caption);
        if (captionError) throw new AppError(422, captionError);
        const base = clientIdOf(fields.client_id ?? '');
        const clientId = i === 0 ? base : `${base.slice(0, 56)}-${i}`;
        const result = await storeUpload(db, ctx.storage, coupleId, me, { stream, name: info.filename ?? '' }, clientId, caption, config.uploadMaxBytes, context, ctx.deps.clock);
        parsed.messages.push(result.message);
        if (result.created) parsed.created.push(result.message.id);
      } catch (err) {
        failure = err;
        stream.resume();
      }
    });
  });
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', (err: Error) => {
      malformed = /^Malformed/.test(err.message); // busboy's word for what no browser sends; a cut body is "Unexpected end of form"
      reject(err);
    });
    ctx.req.on('aborted', () => {
      // a file stream waiting for bytes that will never come is ended with an error,
      // so storage removes what it had and the request settles
      for (const stream of open) stream.destroy(new Error('upload aborted'));
      reject(new Error('aborted'));
    });
  });
  ctx.req.pipe(parser);
  try {
    await finished;
  } catch {
    broken = true;
  }
  await work;
  if (failure instanceof TooLarge) throw new AppError(413, 'upload.tooLarge');
  if (malformed) throw new AppError(400, 'upload.malformed');
  if (broken) throw new AppError(400, 'upload.broken');
  if (failure instanceof EmptyFile) throw new AppError(422, 'upload.empty');
  if (failure) throw failure;
  if (parsed.messages.length === 0) throw new AppError(422, 'upload.none');
  return parsed;
}

// Uploads are read two at a time per process; others wait unread (TCP holds them back),
// so a burst of big files cannot starve the chat's event loop.
const inUploadTurn = limiter(2);

fileRoutes.post('/chat/uploads', requireCouple, rateLimit((limits) => limits.upload), questionGate, async (ctx) => {
  const { messages, created } = await inUploadTurn(() => receiveUploads(ctx));
  if (created.length) {
    await ctx.hub.published(coupleIdOf(ctx));
    notifyPartner(ctx, [{ kind: 'upload', messageIds: created }]);
  }
  if (!ctx.state.htmx) return ctx.done('/chat#latest');
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const vc = await viewContext(db, coupleId, ctx.state.lang, viewerTimeZone(ctx), false);
  const files = await filesOfMessages(db, coupleId, messages.map((m) => m.id));
  const previous = await messageBefore(db, coupleId, messages[0].id);
  const items = messageViews(messages, previous, vc, files);
  ctx.render('chat/_items', { items, csrf: null }, { fragment: 'chat/_items' });
});
