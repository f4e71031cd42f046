import Router from '@koa/router';
import { filesOfMessages } from '../files/files';
import { findCouple } from '../couple/couples';
import { questionBank } from '../questions/bank';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { queryField } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { formatDateTime } from '../time';
import { messageId } from './parse';
import { hasErrors } from '../web/form';
import { linkParts } from './links';
import { highlight, isEmptySearch, markedWords, searchMessages, validateSearch, type SearchQuery } from './search';

export const searchRoutes = new Router();

searchRoutes.get('/chat/search', requireCouple, async (ctx) => {
  const values = { q: queryField(ctx, 'q').trim(), date: queryField(ctx, 'date').trim(), from: queryField(ctx, 'from') };
  const errors = validateSearch(values);
  const me = userOf(ctx);
  const coupleId = coupleIdOf(ctx);
  const couple = await findCouple(ctx.deps.db, coupleId, me.id);
  // the form sent with neither a word nor a date (only "보낸 사람", or nothing): say what it needs
  const blank = 'q' in ctx.query && values.q === '' && values.date === '';
  const page = { values, errors, results: [] as unknown[], more: false, searched: false, blank, nextBefore: null as number | null, couple };
  if (hasErrors(errors)) return ctx.render('chat/search', page, { status: 422 });

  const query: SearchQuery = { ...values, from: values.from as SearchQuery['from'], before: messageId(queryField(ctx, 'before')) };
  if (!isEmptySearch(query)) {
    const timeZone = viewerTimeZone(ctx);
    // the words the ranking keeps whole (the question bank's) stay whole here too
    const keep = (await questionBank(ctx.deps.db)).words;
    const { rows, more } = await searchMessages(ctx.deps.db, coupleId, me.id, query, timeZone, keep);
    page.searched = true;
    page.more = more;
    page.nextBefore = rows.at(-1)?.id ?? null;
    const files = await filesOfMessages(ctx.deps.db, coupleId, rows.map((row) => row.id));
    const marked = markedWords(query.q, keep);
    page.results = rows.map((row) => ({
      id: row.id,
      mine: row.sender_id === me.id,
      when: formatDateTime(row.created_at, ctx.state.lang, timeZone),
      iso: new Date(row.created_at).toISOString(),
      // links first, then the marks inside each part: a match in an address is marked in its link
      parts: linkParts(row.body).map((part) => ({ href: part.href, marks: highlight(part.text, marked) })),
      files: files.get(row.id) ?? [],
    }));
  }
  ctx.render('chat/search', page, { fragment: query.before !== null ? 'chat/_results' : undefined });
});
