import { Readable } from 'node:stream';
import Router from '@koa/router';
import { coupleIdOf, requireCouple } from '../web/auth';
import { viewerTimeZone } from '../web/timeZone';
import { archiveFileName, mediaArchive } from './mediaArchive';
import { transcript, transcriptFileName } from './transcript';

export const exportRoutes = new Router();

/** The whole conversation as a text file, or (format=zip) with every photo and file, streamed as it is read. */
exportRoutes.get('/chat/export', requireCouple, async (ctx) => {
  const timeZone = viewerTimeZone(ctx);
  const now = ctx.deps.clock.now();
  const options = { lang: ctx.state.lang, timeZone, now };
  const zip = ctx.query.format === 'zip';
  ctx.set({
    'Content-Disposition': `attachment; filename="${zip ? archiveFileName(now, timeZone) : transcriptFileName(now, timeZone)}"`,
    'Cache-Control': 'no-store',
  });
  if (zip) {
    ctx.type = 'application/zip';
    ctx.compress = false; // photos inside are compressed already; the transcript is deflated in the archive
    ctx.body = await mediaArchive(ctx.deps.db, ctx.storage, coupleIdOf(ctx), options);
    return;
  }
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = Readable.from(transcript(ctx.deps.db, coupleIdOf(ctx), options));
});
