import { Readable } from 'node:stream';
import Router from '@koa/router';
import { coupleIdOf, requireCouple } from '../web/auth';
import { viewerTimeZone } from '../web/timeZone';
import { transcript, transcriptFileName } from './transcript';

export const exportRoutes = new Router();

/** The whole conversation as a text file, streamed as it is read. */
exportRoutes.get('/chat/export', requireCouple, (ctx) => {
  const timeZone = viewerTimeZone(ctx);
  const now = ctx.deps.clock.now();
  ctx.set({
    'Content-Disposition': `attachment; filename="${transcriptFileName(now, timeZone)}"`,
    'Cache-Control': 'no-store',
  });
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = Readable.from(transcript(ctx.deps.db, coupleIdOf(ctx), { lang: ctx.state.lang, timeZone, now }));
});
