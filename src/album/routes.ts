import Router from '@koa/router';
import type { Context } from 'koa';
import type { Translate } from '../i18n/index';
import { coupleIdOf, requireCouple } from '../web/auth';
import { AppError, notFound } from '../web/errors';
import { parseId, queryField } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { formatDateTime } from '../time';
import { albumPage, findAlbumFile, monthOf, neighboursOf, type AlbumFile } from './albumFiles';

export const albumRoutes = new Router();

/** A tile as the page shows it: under the heading of its month, when that month starts there. */
export interface AlbumTile extends AlbumFile {
  /** the month's heading ("2026년 12월"), on the first tile of each month */
  month: string | null;
  /** when it was sent, for its label */
  sent: string;
}

function monthTitle(t: Translate, month: string): string {
  const [year, n] = month.split('-').map(Number);
  return t('calendar.monthTitle', { year, monthName: t('calendar.monthNames').split(',')[n - 1] });
}

/** The tiles with their month headings; `previousMonth` is the month the page before ended on (no heading again). */
function tilesOf(ctx: Context, files: AlbumFile[], previousMonth: string | null): AlbumTile[] {
  const zone = viewerTimeZone(ctx);
  let month = previousMonth;
  return files.map((file) => {
    const own = monthOf(file.createdAt, zone);
    const starts = own !== month;
    month = own;
    return { ...file, month: starts ? monthTitle(ctx.state.t, own) : null, sent: formatDateTime(file.createdAt, ctx.state.lang, zone) };
  });
}

/** ?before= or ?at= as a file id: absent is null, anything else but an id is a 400. */
function fileIdQuery(ctx: Context, name: string): number | null {
  const raw = queryField(ctx, name);
  if (raw === '') return null;
  const id = parseId(raw);
  if (id === null) throw new AppError(400, 'error.badRequest');
  return id;
}

/** One photo or video on a page of its own (this app's addition): the album's preview without JavaScript. */
async function renderOne(ctx: Context, id: number) {
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const file = await findAlbumFile(db, coupleId, id);
  if (!file) throw notFound();
  const { newer, older } = await neighboursOf(db, coupleId, id);
  ctx.render('album/photo', { file: tilesOf(ctx, [file], null)[0], newer, older });
}

/**
 * 우리 앨범: the couple's photos and videos, newest first, by month. ?before=ID is the next
 * (older) page: for htmx the tiles alone, continuing the grid; ?at=ID is one of them.
 */
albumRoutes.get('/album', requireCouple, async (ctx) => {
  const at = fileIdQuery(ctx, 'at');
  if (at !== null) return renderOne(ctx, at);
  const before = fileIdQuery(ctx, 'before');
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  let previousMonth: string | null = null;
  if (before !== null) {
    const from = await findAlbumFile(db, coupleId, before);
    if (!from) throw notFound();
    if (ctx.state.htmx) previousMonth = monthOf(from.createdAt, viewerTimeZone(ctx));
  }
  const page = await albumPage(db, coupleId, before);
  const data = { tiles: tilesOf(ctx, page.files, previousMonth), older: page.older, more: page.files.length ? page.files[page.files.length - 1].id : null, before };
  ctx.render('album/album', data, { fragment: 'album/_tiles' });
});
