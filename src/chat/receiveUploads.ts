import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { bodyError, clientIdOf, cleanBody } from './parse';
import { canReplyTo, existingMessage, messageId, replyGone, type MessageRow } from './messages';
import { wordContext } from './wordContext';
import { looksBlank } from '../language/text';
import { coupleIdOf, userOf } from '../web/auth';
import { AppError } from '../web/errors';
import { STALL_MIN_BYTES, StalledUpload, UPLOAD_STALL_MS, watchStall } from '../files/stall';
import { TooLarge } from '../files/storage';
import { EmptyFile, MAX_FILES_PER_MESSAGE, removeStored, sendFiles, storeFile } from './attachments';
import type { StoredFile } from '../files/files';

export interface Received {
  /** the one message the upload became (or had become, sent before under its client_id) */
  message: MessageRow;
  created: boolean;
}

/** What reading one request came to, besides the files it stored. */
interface Reading {
  files: StoredFile[]; // stored, waiting to go as one message
  bytes: number; // their size together, under the cap for the whole upload
  existing: MessageRow | null; // sent before under this client_id: nothing more is stored
  caption: string;
  clientId: string;
  replyTo: number | null; // the message the files answer (a reply)
  failure: unknown; // the first file that could not be stored
  failed: (Readable & { truncated?: boolean }) | null; // its part: busboy marks it truncated when it alone is over the cap
  tooMany: boolean; // more files than one message carries
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
      limits: { files: MAX_FILES_PER_MESSAGE, fileSize: ctx.deps.config.uploadMaxBytes + 1, fields: 10, fieldSize: 20_000, parts: 30 },
    });
  } catch {
    throw new AppError(415, 'error.unsupported');
  }
}

/** Before the first file is stored: its caption is checked, and a client_id used before stops the rest. */
async function firstFile(ctx: Context, fields: Record<string, string>, reading: Reading): Promise<void> {
  const typed = cleanBody(fields.body ?? '');
  reading.caption = looksBlank(typed) ? '' : typed; // a caption of nothing visible is no caption
  const captionError = bodyError(reading.caption === '' ? 'x' : reading.caption);
  if (captionError) throw new AppError(422, captionError);
  reading.clientId = clientIdOf(fields.client_id ?? '');
  const rawReply = fields.reply_to ?? '';
  reading.replyTo = rawReply === '' ? null : messageId(rawReply);
  if (rawReply !== '' && (reading.replyTo === null || !(await canReplyTo(ctx.deps.db, coupleIdOf(ctx), reading.replyTo)))) throw replyGone();
  reading.existing = await existingMessage(ctx.deps.db, coupleIdOf(ctx), userOf(ctx).id, reading.clientId);
}

/** Each `file` part streams to storage in turn; together they will be one message. */
function storeEachFile(ctx: Context, parser: busboy.Busboy, reading: Reading): void {
  const { config } = ctx.deps;
  const coupleId = coupleIdOf(ctx);
  const fields: Record<string, string> = {};
  let index = 0;
  parser.on('field', (name, value) => (fields[name] = value));
  parser.on('filesLimit', () => (reading.tooMany = true));
  parser.on('file', (name, stream, info) => {
    // at once, before anything awaits: a stream error with no listener would crash the process
    stream.on('error', () => (reading.broken = true));
    reading.open.add(stream);
    stream.on('close', () => reading.open.delete(stream));
    if (name !== 'file' || reading.failure) return void stream.resume();
    const first = index++ === 0;
    reading.work = reading.work.then(async () => {
      try {
        if (first) await firstFile(ctx, fields, reading);
        if (reading.failure || reading.existing || reading.tooMany) return void stream.resume();
        const room = config.uploadMaxBytes - reading.bytes; // the cap is for the whole upload
        const file = await storeFile(ctx.storage, coupleId, { stream, name: info.filename ?? '' }, room);
        reading.files.push(file);
        reading.bytes += file.size;
      } catch (err) {
        reading.failure = err;
        reading.failed = stream;
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
  if (reading.tooMany) return new AppError(413, 'upload.tooMany');
  if (reading.failure instanceof TooLarge) {
    const alone = reading.files.length === 0 || reading.failed?.truncated; // read to its end by now: truncated is known
    return new AppError(413, alone ? 'upload.tooLarge' : 'upload.tooLargeTogether');
  }
  if (reading.malformed) return new AppError(400, 'upload.malformed');
  if (reading.broken) return new AppError(400, 'upload.broken');
  if (reading.failure instanceof EmptyFile) return new AppError(422, 'upload.empty');
  if (reading.failure) return reading.failure;
  if (reading.files.length === 0 && !reading.existing) return new AppError(422, 'upload.none');
  return null;
}

/**
 * Reads a multipart upload as it arrives, storing each file as it comes, then sends them
 * all as one message (an album when there are several), or none of them: a refusal
 * takes back out of storage whatever was stored. Fields must come before the files, as
 * the page's form puts them.
 */
export async function receiveUploads(ctx: Context, gone: AbortSignal): Promise<Received> {
  const parser = parserFor(ctx);
  const reading: Reading = {
    ...{ files: [], bytes: 0, existing: null, caption: '', clientId: '', replyTo: null, failure: null, failed: null },
    ...{ tooMany: false, broken: false, malformed: false, stalled: false, open: new Set<Readable>(), work: Promise.resolve() },
  };
  storeEachFile(ctx, parser, reading);
  await readBody(ctx, parser, reading, gone);
  await reading.work;
  const refused = refusal(reading);
  if (refused || reading.existing) await removeStored(ctx.storage, reading.files);
  if (refused) throw refused;
  if (reading.existing) return { message: reading.existing, created: false };
  const { caption, clientId, files, replyTo } = reading;
  const album = { senderId: userOf(ctx).id, clientId, caption, context: await wordContext(ctx), files, replyTo };
  const sent = await sendFiles(ctx.changes, ctx.storage, coupleIdOf(ctx), album);
  return { message: sent.message, created: sent.created };
}
