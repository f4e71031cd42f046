import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { bodyError, clientIdOf, cleanBody } from './parse';
import type { MessageRow } from './messages';
import { wordContext } from './wordContext';
import { looksBlank } from '../language/text';
import { coupleIdOf, userOf } from '../web/auth';
import { AppError } from '../web/errors';
import { STALL_MIN_BYTES, StalledUpload, UPLOAD_STALL_MS, watchStall } from '../files/stall';
import { TooLarge } from '../files/storage';
import { EmptyFile, storeUpload } from './attachments';

export interface Received {
  created: number[];
  messages: MessageRow[];
}

/** What reading one request came to, besides the messages it stored. */
interface Reading {
  received: Received;
  failure: unknown; // the first file that could not be stored
  broken: boolean; // the body was cut short or malformed, or the client went away
  malformed: boolean; // the multipart itself could not be read (e.g. control characters in a part's header)
  stalled: boolean;
  open: Set<Readable>; // file streams still waiting for bytes
  work: Promise<void>; // the files, stored one after another
}

function parserFor(ctx: Context): busboy.Busboy {
  try {
    return busboy({
      headers: ctx.req.headers,
      defParamCharset: 'utf8',
      limits: { files: 10, fileSize: ctx.deps.config.uploadMaxBytes + 1, fields: 10, fieldSize: 20_000, parts: 30 },
    });
  } catch {
    throw new AppError(415, 'error.unsupported');
  }
}

/** Each `file` part streams to storage and becomes a message of its own, in order (the first carries the optional `body`). */
async function storeEachFile(ctx: Context, parser: busboy.Busboy, reading: Reading): Promise<void> {
  const { config } = ctx.deps;
  const [coupleId, me, context] = [coupleIdOf(ctx), userOf(ctx).id, await wordContext(ctx)];
  const fields: Record<string, string> = {};
  let index = 0;
  parser.on('field', (name, value) => (fields[name] = value));
  parser.on('file', (name, stream, info) => {
    // at once, before anything awaits: a stream error with no listener would crash the process
    stream.on('error', () => (reading.broken = true));
    reading.open.add(stream);
    stream.on('close', () => reading.open.delete(stream));
    if (name !== 'file' || reading.failure) return void stream.resume();
    const i = index++;
    reading.work = reading.work.then(async () => {
      if (reading.failure) return void stream.resume();
      try {
        const typed = i === 0 ? cleanBody(fields.body ?? '') : '';
        const caption = looksBlank(typed) ? '' : typed; // a caption of nothing visible is no caption
        const captionError = bodyError(caption === '' ? 'x' : caption);
        if (captionError) throw new AppError(422, captionError);
        const base = clientIdOf(fields.client_id ?? '');
        const clientId = i === 0 ? base : `${base.slice(0, 56)}-${i}`;
        const upload = { part: { stream, name: info.filename ?? '' }, senderId: me, clientId, caption, context };
        const result = await storeUpload(ctx.changes, ctx.storage, coupleId, upload, config.uploadMaxBytes);
        reading.received.messages.push(result.message);
        if (result.created) reading.received.created.push(result.message.id);
      } catch (err) {
        reading.failure = err;
        stream.resume();
      }
    });
  });
}

/**
 * Pipes the body into the parser; settles when it is read, or at once when the client
 * goes away or stalls: file streams waiting for bytes that will never come are ended
 * with an error, so storage removes what it had and the request settles.
 */
async function readBody(ctx: Context, parser: busboy.Busboy, reading: Reading, gone: AbortSignal): Promise<void> {
  let stopWatching = () => {};
  let forget = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      const cut = (err: Error) => {
        ctx.req.unpipe(parser);
        for (const stream of reading.open) stream.destroy(err);
        reject(err);
      };
      parser.on('close', resolve);
      parser.on('error', (err: Error) => {
        reading.malformed = /^Malformed/.test(err.message); // busboy's word for what no browser sends; a cut body is "Unexpected end of form"
        reject(err);
      });
      ctx.req.on('error', cut);
      gone.throwIfAborted();
      const leave = () => cut(new Error('client gone'));
      gone.addEventListener('abort', leave, { once: true });
      forget = () => gone.removeEventListener('abort', leave);
      ctx.req.pipe(parser);
      const stallMs = ctx.deps.config.uploadStallMs ?? UPLOAD_STALL_MS;
      stopWatching = watchStall(ctx.req, stallMs, STALL_MIN_BYTES, () => {
        reading.stalled = true;
        cut(new StalledUpload());
      });
    });
  } catch {
    reading.broken = true;
  } finally {
    stopWatching();
    forget();
  }
}

/** The one error a failed upload answers with, the most telling first. */
function refusal(reading: Reading): unknown {
  if (reading.stalled) return new AppError(408, 'upload.stalled', { Connection: 'close' }); // a trickle is not read to its end
  if (reading.failure instanceof TooLarge) return new AppError(413, 'upload.tooLarge');
  if (reading.malformed) return new AppError(400, 'upload.malformed');
  if (reading.broken) return new AppError(400, 'upload.broken');
  if (reading.failure instanceof EmptyFile) return new AppError(422, 'upload.empty');
  if (reading.failure) return reading.failure;
  if (reading.received.messages.length === 0) return new AppError(422, 'upload.none');
  return null;
}

/**
 * Reads a multipart upload as it arrives, storing each file as it comes.
 * Fields must come before the files, as the page's form puts them.
 */
export async function receiveUploads(ctx: Context, gone: AbortSignal): Promise<Received> {
  const parser = parserFor(ctx);
  const reading: Reading = { received: { created: [], messages: [] }, failure: null, broken: false, malformed: false, stalled: false, open: new Set(), work: Promise.resolve() };
  await storeEachFile(ctx, parser, reading);
  await readBody(ctx, parser, reading, gone);
  await reading.work;
  const refused = refusal(reading);
  if (refused) throw refused;
  return reading.received;
}
