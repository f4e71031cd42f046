import { Redis } from 'ioredis';
import type { Context, Middleware } from 'koa';
import { AppError } from './errors';

/**
 * At most `perUser` requests per `windowMs` for each user, and `perIp` for each address
 * (higher: a campus or an office shares one).
 */
export interface RateRule {
  name: string;
  perUser: number;
  perIp: number;
  windowMs: number;
}

export interface RateLimits {
  /** GET /signup/check-id: asked while typing (anonymous, so by address only) */
  idCheck: RateRule;
  /** POST /pair/requests: a few people a day is normal */
  pairRequest: RateRule;
  /** POST /chat/uploads */
  upload: RateRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  idCheck: { name: 'id-check', perUser: 60, perIp: 120, windowMs: 60_000 },
  pairRequest: { name: 'pair-request', perUser: 20, perIp: 200, windowMs: 60 * 60_000 },
  // an album of a hundred photos is fine; an address may be a whole office
  upload: { name: 'upload', perUser: 300, perIp: 2000, windowMs: 10 * 60_000 },
};

/** Counts hits in fixed windows: the count after this hit, and when the window ends. */
export interface RateStore {
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  close(): Promise<void>;
}

/** One process: a map of windows, swept when it grows. */
export class MemoryRateStore implements RateStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number, now: number) {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 50_000) this.sweep(now);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { ...window };
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }

  async close() {}
}

/**
 * Several instances: the counts live in Redis, so a limit holds across them. A Redis
 * that is away lets requests through (logged once per outage): a limiter must never be
 * the reason the chat is down.
 */
export class RedisRateStore implements RateStore {
  private readonly redis: Redis;
  private failing = false;

  constructor(url: string) {
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', () => {});
  }

  async hit(key: string, windowMs: number, now: number) {
    const window = Math.floor(now / windowMs);
    const resetAt = (window + 1) * windowMs;
    try {
      const redisKey = `cc:rate:${key}:${window}`;
      const [[, count]] = (await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs).exec()) as [[Error | null, number]];
      this.failing = false;
      return { count: Number(count), resetAt };
    } catch (err) {
      if (!this.failing) console.error(`rate limit: redis unavailable (${(err as Error).message}); not limiting meanwhile`);
      this.failing = true;
      return { count: 0, resetAt };
    }
  }

  async close() {
    this.redis.disconnect();
  }
}

export function createRateStore(redisUrl: string | null): RateStore {
  return redisUrl ? new RedisRateStore(redisUrl) : new MemoryRateStore();
}

/** The subjects a request counts against, with their limits: its address, and its user when logged in. */
function subjectsOf(ctx: Context, rule: RateRule): Array<[string, number]> {
  const subjects: Array<[string, number]> = [[`ip:${ctx.ip}`, rule.perIp]];
  if (ctx.state.user) subjects.push([`user:${ctx.state.user.id}`, rule.perUser]);
  return subjects;
}

/** 429 with Retry-After once any subject of the request is over the rule's limit. */
export function rateLimit(pick: (limits: RateLimits) => RateRule): Middleware {
  return async (ctx, next) => {
    const rule = pick(ctx.rateLimits);
    const now = ctx.deps.clock.now();
    let retryAt = 0;
    for (const [subject, max] of subjectsOf(ctx, rule)) {
      const { count, resetAt } = await ctx.rateStore.hit(`${rule.name}:${subject}`, rule.windowMs, now);
      if (count > max) retryAt = Math.max(retryAt, resetAt);
    }
    if (retryAt) throw new AppError(429, 'error.tooMany', { 'Retry-After': String(Math.max(1, Math.ceil((retryAt - now) / 1000))) });
    await next();
  };
}
