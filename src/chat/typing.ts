import type { Context } from 'koa';
import type { CounterSpec } from '../limits/counters';
import { coupleIdOf, userOf } from '../web/auth';
import { field } from '../web/form';

/**
 * "입력 중…" is refreshed by the page while its person types; one relayed signal per person
 * every 2 s is plenty for an indicator that lasts 5 s on the partner's page. Not one of the
 * request limits (rules.ts): it is how the feature works, not a guard against abuse, so it
 * holds in tests too. Counted where every limit is (Redis across instances, when there).
 */
const TYPING_SIGNAL: CounterSpec = { name: 'typing', points: 1, windowMs: 2_000 };
/**
 * "I cleared the box": one each half second at most, counted apart from the signals (a box
 * cleared, filled and cleared again within 2 s takes the indicator down both times); one
 * dropped only leaves the indicator up until it goes by itself.
 */
const STOPPED_SIGNAL: CounterSpec = { name: 'typing-stopped', points: 1, windowMs: 500 };

/**
 * POST /chat/typing: my partner's streams hear that I am typing. Nothing is stored; a
 * signal beyond the throttle is answered the same (204) and goes nowhere, so a page that
 * sends a little too often is never told off. With `stopped=1` (this app's addition: the
 * contract's route takes no fields) it says I cleared the box, and the partner's page takes
 * the indicator down at once; otherwise it goes by itself 5 s after the last signal, or
 * when my message arrives. Any other value of `stopped` is a plain signal.
 */
export async function signalTyping(ctx: Context): Promise<void> {
  const me = userOf(ctx).id;
  const stopped = field(ctx, 'stopped') === '1';
  if ((await ctx.rateStore.hit(stopped ? STOPPED_SIGNAL : TYPING_SIGNAL, String(me))) === 0) await ctx.hub.typing(coupleIdOf(ctx), me, stopped);
  ctx.status = 204;
}
