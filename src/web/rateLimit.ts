import type { Context, Middleware } from 'koa';
import type { RateLimits, RateRule } from '../limits/rules';
import { AppError } from './errors';

/** Seconds for a Retry-After header: at least 1, so a client never retries at once. */
export const retrySeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The subjects a request counts against under a rule: its address, and its user when logged in. */
function subjectsOf(ctx: Context, rule: RateRule): Array<{ kind: string; points: number; key: string }> {
  const subjects = [];
  if (rule.perIp !== undefined) subjects.push({ kind: 'ip', points: rule.perIp, key: ctx.ip });
  if (rule.perUser !== undefined && ctx.state.user) subjects.push({ kind: 'user', points: rule.perUser, key: String(ctx.state.user.id) });
  return subjects;
}

/**
 * Counts the request against the rule for each of its subjects; the milliseconds to wait
 * when any is over its limit, else 0.
 */
export async function rateWait(ctx: Context, rule: RateRule): Promise<number> {
  const waits = await Promise.all(
    subjectsOf(ctx, rule).map(({ kind, points, key }) =>
      ctx.rateStore.hit({ name: `${rule.name}-${kind}`, points, windowMs: rule.windowMs, burst: rule.burst }, key),
    ),
  );
  return Math.max(0, ...waits);
}

export const tooMany = (waitMs: number) => new AppError(429, 'error.tooMany', { 'Retry-After': String(retrySeconds(waitMs)) });

/** 429 with Retry-After once any subject of the request is over the rule's limit. */
export function rateLimit(pick: (limits: RateLimits) => RateRule): Middleware {
  return async (ctx, next) => {
    const wait = await rateWait(ctx, pick(ctx.rateLimits));
    if (wait) throw tooMany(wait);
    await next();
  };
}
