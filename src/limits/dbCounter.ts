import { createHash } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import RateLimiterStoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js';
import type { Clock } from '../clock';
import { transaction, type Db } from '../db';

const TABLE = 'rate_counts';

/** The row's key: a subject too long for the column (an address a client made up, say) by its hash. */
const subjectOf = (key: string) => (key.length <= 191 ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`);

interface CountRow {
  points: number;
  expire: number;
}

/**
 * rate-limiter-flexible's counting in our own database, for counts that must outlive a
 * restart and be shared by instances when there is no Redis (the log-in throttle). Its
 * SQL stores each want a driver of their own and read the system clock; this one runs
 * on our knex, on either dialect, and reads the app's clock.
 */
export class DbRateLimiter extends RateLimiterStoreAbstract {
  constructor(
    options: { keyPrefix: string; points: number; duration: number },
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    super({ ...options, storeClient: db });
  }

  /** One window per subject: counting on in it while it lasts, starting a new one after. */
  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<CountRow> {
    const now = this.clock.now();
    const row = { subject: subjectOf(key), points, expire: now + msDuration };
    const stored = await transaction(this.db, async (trx) => {
      const insert = trx(TABLE).insert(row).onConflict('subject');
      // MySQL assigns left to right and a later assignment sees an earlier one: points
      // first, while expire still holds the old window's end
      await (forceExpire
        ? insert.merge(['points', 'expire'])
        : insert.merge({
            points: trx.raw('case when expire > ? then points + ? else ? end', [now, points, points]),
            expire: trx.raw('case when expire > ? then expire else ? end', [now, row.expire]),
          }));
      return (await trx(TABLE).where({ subject: row.subject }).first('points', 'expire')) as CountRow;
    });
    if (Number(stored.points) === points) await this.deleteEnded(now);
    return stored;
  }

  /**
   * When a window begins, some that ended go, so the table holds about the live counts.
   * By key, after a plain read: a delete over a range of the expire index would lock its
   * gaps, and MySQL would find deadlocks with the inserts of parallel log-ins.
   */
  private async deleteEnded(now: number): Promise<void> {
    const ended = await this.db(TABLE).where('expire', '<=', now).limit(100).pluck('subject');
    if (ended.length === 0) return;
    await transaction(this.db, (trx) => trx(TABLE).whereIn('subject', ended).andWhere('expire', '<=', now).delete());
  }

  async _get(key: string): Promise<CountRow | null> {
    const row = await this.db(TABLE).where({ subject: subjectOf(key) }).andWhere('expire', '>', this.clock.now()).first('points', 'expire');
    return (row as CountRow | undefined) ?? null;
  }

  async _delete(key: string): Promise<boolean> {
    return (await this.db(TABLE).where({ subject: subjectOf(key) }).delete()) > 0;
  }

  _getRateLimiterRes(_key: string, changedPoints: number, row: CountRow): RateLimiterRes {
    const consumed = Number(row.points);
    const msBeforeNext = Math.max(Number(row.expire) - this.clock.now(), 0);
    return new RateLimiterRes(Math.max(this.points - consumed, 0), msBeforeNext, consumed, consumed === changedPoints);
  }
}
