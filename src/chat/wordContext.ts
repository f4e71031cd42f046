import type { Context } from 'koa';
import { questionBank } from '../questions/bank';
import { viewerTimeZone } from '../web/timeZone';
import type { WordContext } from './messages';

/** The bank whose trigger words the tokenizer keeps whole (and how often they may ask), and the sender's zone for the day words count on. */
export async function wordContext(ctx: Context): Promise<WordContext> {
  return { bank: await questionBank(ctx.deps.db), timeZone: viewerTimeZone(ctx), cadence: ctx.deps.config.questionCadence };
}
