import type { Context } from 'koa';
import type { CounterSpec } from '../limits/counters';
import { coupleIdOf, userOf } from '../web/auth';

/**
 * "입력 중…" is refreshed by the page while its person types; one relayed signal per person
 * every 2 s is plenty for an indicator that lasts 5 s on the partner's page. Not one of the
 * request limits (rules.ts): it is how the feature works, not a guard against abuse, so it
 * holds in tests too. Counted where every limit is (Redis across instances, when there).
 */
const TYPING_SIGNAL: CounterSpec = { name: 'typing', points: 1, windowMs: 2_000 };

/**
 * POST /chat/typing: my partner's streams hear that I am typing. Nothing is stored; a
 * signal beyond the throttle is answered the same (204) and goes nowhere, so a page that
 * sends a little too often is never told off. Stopping is not signalled: the partner's
 * page hides the indicator by itself 5 s after the last signal, or when my message arrives.
 */
export async function signalTyping(ctx: Context): Promise<void> {
  const me = userOf(ctx).id;
  if ((await ctx.rateStore.hit(TYPING_SIGNAL, String(me))) === 0) await ctx.hub.typing(coupleIdOf(ctx), me);
  ctx.status = 204;
}
