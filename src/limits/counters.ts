import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { loadIoredis } from '../lazyModules';
import { DbRateLimiter } from './dbCounter';

/** A count of requests in windows: `points` per `windowMs` for each key. */
export interface CounterSpec {
  name: string;
  points: number;
  windowMs: number;
  /** must outlive a restart and hold across instances even without Redis (the log-in throttle) */
  durable?: boolean;
  /** more at once beyond the rate, once per the burst's window (see RateRule.burst) */
  burst?: { extra: number; windowMs: number };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The counts behind every limit, kept by rate-limiter-flexible. With REDIS_URL in Redis,
 * so a limit holds across instances; while Redis is away each process counts on by itself
 * (its insurance limiter), so limits still hold and requests still pass. Without Redis,
 * in this process, or in the database for what is durable.
 */
export class RateCounters {
  private readonly redis: Redis | null = null;
  private redisDown = false;
  private readonly stores = new Map<string, RateLimiterAbstract>();
  private readonly bursts = new Map<string, BurstyRateLimiter>();

  constructor(private readonly options: { redisUrl: string | null; prefix: string; db: Db; clock: Clock }) {
    if (!options.redisUrl) return;
    // no offline queue: a count that cannot be made at once is made by this process instead
    this.redis = new (loadIoredis().Redis)(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.redis.on('error', (err: Error) => {
      if (!this.redisDown) console.error(`rate limits: redis unavailable (${err.message}); counting in this process meanwhile`);
      this.redisDown = true;
    });
    this.redis.on('ready', () => (this.redisDown = false));
  }

  /** Counts one hit of `key`: 0 when it is within the limit, else the ms to wait. */
  async hit(spec: CounterSpec, key: string): Promise<number> {
    try {
      await this.limiter(spec).consume(key);
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
      throw refusal; // the database is away: its own 503
    }
  }

  /** Takes back one hit (refused for another reason, or proven good). */
  async takeBack(spec: CounterSpec, key: string): Promise<void> {
    await this.store(spec).reward(key, 1);
  }

  /** Forgets a key's count altogether. */
  async forget(spec: CounterSpec, key: string): Promise<void> {
    await this.store(spec).delete(key);
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }

  private limiter(spec: CounterSpec): RateLimiterAbstract | BurstyRateLimiter {
    const { burst } = spec;
    if (!burst) return this.store(spec);
    const id = `${spec.name}:${spec.points}:${spec.windowMs}:${burst.extra}:${burst.windowMs}`;
    let limiter = this.bursts.get(id);
    if (!limiter) {
      const extra = this.store({ ...spec, name: `${spec.name}-burst`, points: burst.extra, windowMs: burst.windowMs });
      limiter = new BurstyRateLimiter(this.store(spec), extra);
      this.bursts.set(id, limiter);
    }
    return limiter;
  }

  private store(spec: CounterSpec): RateLimiterAbstract {
    const id = `${spec.name}:${spec.points}:${spec.windowMs}`;
    let limiter = this.stores.get(id);
    if (!limiter) {
      limiter = this.make(spec);
      this.stores.set(id, limiter);
    }
    return limiter;
  }

  private make(spec: CounterSpec): RateLimiterAbstract {
    const window = { points: spec.points, duration: seconds(spec.windowMs) };
    if (this.redis) {
      const options = { ...window, keyPrefix: `${this.options.prefix}:rate:${spec.name}` };
      return new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) });
    }
    if (spec.durable) return new DbRateLimiter({ ...window, keyPrefix: spec.name }, this.options.db, this.options.clock);
    return new RateLimiterMemory({ ...window, keyPrefix: spec.name });
  }
}
