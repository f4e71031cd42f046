import Router from '@koa/router';
import type { Context } from 'koa';
import { normalizeWord, parseWord } from '../language/words';
import { questionBank } from '../questions/bank';
import { coupleMembers } from '../couple/couples';
import { coupleNames, partnerName } from '../couple/names';
import { coupleIdOf, requireCouple, userOf } from '../web/auth';
import { field, queryField } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { excludedWords, excludeWord, rankSize, restoreWord, topWords, weekStart, RANK_SIZES } from './rank';

export const rankRoutes = new Router();

async function renderRank(ctx: Context, n: number, form: { word?: string; error?: string | null; status?: number } = {}) {
  const db = ctx.deps.db;
  const coupleId = coupleIdOf(ctx);
  const me = userOf(ctx).id;
  const [members, names] = await Promise.all([coupleMembers(db, coupleId), coupleNames(db, coupleId)]);
  const partner = members.a === me ? members.b : members.a;
  const from = weekStart(ctx.deps.clock.now(), viewerTimeZone(ctx));
  const excluded = await excludedWords(db, coupleId);
  const [mine, theirs] = await Promise.all([topWords(db, coupleId, me, from, n, excluded), topWords(db, coupleId, partner, from, n, excluded)]);
  ctx.render(
    'ranking/rank',
    { n, sizes: RANK_SIZES, mine, theirs, excluded, partnerLogin: partnerName(names, me), word: form.word ?? '', error: form.error ?? null },
    { status: form.status },
  );
}

rankRoutes.get('/rank', requireCouple, async (ctx) => {
  await renderRank(ctx, rankSize(queryField(ctx, 'n')));
});

/** Back to the ranking the form was on. */
const backTo = (ctx: Context) => `/rank?n=${rankSize(field(ctx, 'n'))}`;

/** A word as the ranking counts it: 사과를 typed in the box excludes 사과. */
async function wordOf(ctx: Context): Promise<string | null> {
  const word = parseWord(field(ctx, 'word'));
  return word && normalizeWord(word, (await questionBank(ctx.deps.db)).words);
}

rankRoutes.post('/rank/excluded', requireCouple, async (ctx) => {
  const word = await wordOf(ctx);
  if (!word) {
    return renderRank(ctx, rankSize(field(ctx, 'n')), { word: field(ctx, 'word'), error: ctx.state.t('rank.word.invalid'), status: 422 });
  }
  await excludeWord(ctx.deps.db, coupleIdOf(ctx), word, ctx.deps.clock.now());
  ctx.flash('info', 'rank.excludedNotice', { word });
  ctx.done(backTo(ctx));
});

rankRoutes.post('/rank/excluded/delete', requireCouple, async (ctx) => {
  const word = await wordOf(ctx);
  if (!word) {
    return renderRank(ctx, rankSize(field(ctx, 'n')), { error: ctx.state.t('rank.word.invalid'), status: 422 });
  }
  await restoreWord(ctx.deps.db, coupleIdOf(ctx), word);
  // 되돌리기 excludes it again: the same form as excluding a word
  ctx.flash('info', 'rank.restoredNotice', { word }, { action: '/rank/excluded', fields: { word, n: String(rankSize(field(ctx, 'n'))) } });
  ctx.done(backTo(ctx));
});
