import type { DefaultContext } from 'koa';
import { inDatabase } from '../files/storage';
import { purgeCoupleIfDue } from './purge';

/** What ending a couple needs: the database, the storage of uploads, the hub of open streams (a ctx or app.context). */
export type AppParts = Pick<DefaultContext, 'deps' | 'storage' | 'hub'>;

/**
 * Ends a couple whose break-up is due: its data is deleted, both partners are single,
 * the files it kept outside the database are removed, and the partners' open streams end
 * (their chat pages then go to /pair). False when it was not due after all (cancelled,
 * or already ended elsewhere).
 */
export async function endCoupleIfDue(app: AppParts, coupleId: number, now: number): Promise<boolean> {
  const purged = await purgeCoupleIfDue(app.deps.db, coupleId, now);
  if (!purged) return false;
  for (const key of purged.storageKeys.filter((k) => !inDatabase(k))) {
    await app.storage.remove(key).catch((err) => console.error(`break-up of couple ${coupleId}: cannot remove ${key}: ${err.message}`));
  }
  for (const userId of purged.userIds) await app.hub.endUser(userId);
  return true;
}

/** Ends every couple whose break-up is due; resolves to how many ended. */
export async function sweepDueBreakups(app: AppParts, now: number): Promise<number> {
  const due = await app.deps.db('couples').whereNotNull('breakup_due_at').andWhere('breakup_due_at', '<=', now).orderBy('id').pluck('id');
  let ended = 0;
  for (const coupleId of due) if (await endCoupleIfDue(app, Number(coupleId), now)) ended++;
  return ended;
}

export const SWEEP_EVERY_MS = 60_000;

/**
 * Break-ups take effect when due even if nobody visits and the app was down meanwhile:
 * one sweep at start-up, then one a minute. Several instances may sweep at once; each
 * couple's purge decides under its row lock, so a couple ends once.
 */
export function startBreakupSweeper(app: AppParts, everyMs = SWEEP_EVERY_MS): { firstSweep: Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  const sweep = () => {
    running ??= sweepDueBreakups(app, app.deps.clock.now())
      .then(() => undefined)
      .catch((err) => console.error(`break-up sweep: ${(err as Error).message}`))
      .finally(() => (running = null));
    return running;
  };
  const firstSweep = sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return { firstSweep, stop: () => clearInterval(timer) };
}
