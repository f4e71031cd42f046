// The reconnect storm: every chat page was open when the server restarted, and all their
// EventSources come back at once to the new process, each 20 events behind (Last-Event-ID),
// while a platform's health check asks /healthz every 50 ms.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createDb, type Db } from '../../src/db';
import { PROXY_HEADERS } from './appMode';
import type { AppProcess } from './appProcess';
import { ChatPage } from './browserClient';
import { lineOf } from './conversation';
import { RELAY_TABLE, relayTableSql } from './relay';
import type { SeededCouple } from './seed';
import { inParallel, sleep, summarize, type Summary } from './stats';

/** Per couple: the last event id its pages had (`from`) and the newest there is (`until`). */
export interface StormPlan {
  couples: SeededCouple[];
  from: Map<number, number>;
  until: Map<number, number>;
}

export interface StormResult {
  streams: number;
  /** streams open on the first process before the restart */
  before: number;
  opened: number;
  failed: number;
  firstError: string | null;
  /** SIGTERM of the first process → the second answers /healthz */
  restartMs: number;
  caughtUp: number;
  /** storm start → the last stream caught up (NaN when some never did) */
  allCaughtUpMs: number;
  /** storm start → each stream's newest event */
  catchUp: Summary;
  healthz: Summary;
  healthzFailed: number;
}

const BATCH = 500;

/** `perCouple` messages (and their events) per couple, written as a send would have, with the app stopped. */
export async function seedAppEvents(url: string, couples: SeededCouple[], perCouple: number): Promise<StormPlan> {
  const db = createDb(url);
  const from = new Map<number, number>();
  const until = new Map<number, number>();
  try {
    for (let i = 0; i < couples.length; i += BATCH) {
      const batch = couples.slice(i, i + BATCH);
      await db.transaction(async (trx) => {
        const seqs = new Map((await trx('couples').whereIn('id', batch.map((c) => c.id)).select('id', 'event_seq')).map((r) => [Number(r.id), Number(r.event_seq)]));
        let id = Number((await trx('messages').max({ m: 'id' }))[0].m ?? 0);
        const now = Date.now();
        const messages: Record<string, unknown>[] = [];
        const events: Record<string, unknown>[] = [];
        for (const couple of batch) {
          const seq = seqs.get(couple.id) ?? 0;
          from.set(couple.id, seq);
          until.set(couple.id, seq + perCouple);
          for (let k = 1; k <= perCouple; k++) {
            const at = now - (perCouple - k) * 1_000;
            messages.push({ id: ++id, couple_id: couple.id, sender_id: k % 2 ? couple.a.id : couple.b.id, body: lineOf(couple.id, k), client_id: `storm-${couple.id}-${k}`, created_at: at });
            events.push({ couple_id: couple.id, seq: seq + k, type: 'message', payload: JSON.stringify({ id, file: false }), created_at: at });
          }
        }
        for (let j = 0; j < messages.length; j += BATCH) await trx('messages').insert(messages.slice(j, j + BATCH));
        for (let j = 0; j < events.length; j += BATCH) await trx('events').insert(events.slice(j, j + BATCH));
        await trx('couples').whereIn('id', batch.map((c) => c.id)).increment('event_seq', perCouple);
      });
    }
  } finally {
    await db.destroy();
  }
  return { couples, from, until };
}

/** The same for the relay: `perCouple` rows of its table per couple. */
export async function seedRelayRows(url: string, couples: SeededCouple[], perCouple: number): Promise<StormPlan> {
  const db: Db = createDb(url);
  try {
    for (const sql of relayTableSql(url.startsWith('sqlite:'))) await db.raw(sql);
    const before = Number((await db(RELAY_TABLE).max({ m: 'id' }))[0].m ?? 0);
    const rows = couples.flatMap((c) =>
      Array.from({ length: perCouple }, (_, k) => ({ couple_id: c.id, sender_id: k % 2 ? c.b.id : c.a.id, body: lineOf(c.id, k), client_id: `storm-${c.id}-${k}`, created_at: Date.now() })),
    );
    await db.transaction(async (trx) => {
      for (let j = 0; j < rows.length; j += BATCH) await trx(RELAY_TABLE).insert(rows.slice(j, j + BATCH));
    });
    const ranges = await db(RELAY_TABLE).where('id', '>', before).groupBy('couple_id').select('couple_id', db.raw('min(id) as first'), db.raw('max(id) as last'));
    const from = new Map(ranges.map((r) => [Number(r.couple_id), Number(r.first) - 1]));
    const until = new Map(ranges.map((r) => [Number(r.couple_id), Number(r.last)]));
    return { couples, from, until };
  } finally {
    await db.destroy();
  }
}

/** GET /healthz every 50 ms on a fresh connection each, as a platform's check; their times. */
function probeHealth(base: string): { stop(): Promise<{ times: number[]; failed: number }> } {
  const times: number[] = [];
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const probe = () => {
    const started = performance.now();
    const done = new Promise<void>((resolve) => {
      const req = request(`${base}/healthz`, { agent: false, timeout: 5_000, headers: PROXY_HEADERS }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) times.push(performance.now() - started);
          else failed++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const timer = setInterval(probe, 50);
  probe();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return { times, failed };
    },
  };
}

/**
 * `start(port?)` starts the server (the app or the relay): one with every page's stream
 * open and caught up, stopped (SIGTERM); a new one on the same port; then every stream at
 * once with Last-Event-ID `from`, until each has its couple's event `until`, or `timeoutMs`.
 */
export async function measureStorm(start: (port?: number) => Promise<AppProcess>, plan: StormPlan, timeoutMs: number): Promise<StormResult> {
  const users = plan.couples.flatMap((c) => [c.a, c.b].map((user) => ({ couple: c.id, user })));
  const first = await start();
  const live: ChatPage[] = [];
  let before = 0;
  let stopping = 0;
  try {
    await inParallel(users, 200, async ({ couple, user }) => {
      const page = new ChatPage(first, user);
      page.seq = plan.until.get(couple)!;
      live.push(page);
      await page.openStream(null).then(() => before++, () => {});
    });
  } finally {
    stopping = performance.now();
    await first.stop();
    for (const page of live) page.close();
  }
  const second = await start(first.port);
  const restartMs = performance.now() - stopping;
  const pages: ChatPage[] = [];
  try {
    const health = probeHealth(second.base);
    const caughtAt: number[] = [];
    let failed = 0;
    let firstError: string | null = null;
    const t0 = performance.now();
    await Promise.all(
      users.map(async ({ couple, user }) => {
        const page = new ChatPage(second, user);
        pages.push(page);
        const from = plan.from.get(couple)!;
        const until = plan.until.get(couple)!;
        page.seq = from; // the page's own URL; the header says where it got to
        let caught = false;
        try {
          await page.openStream((event, at) => {
            if (!caught && Number(event.id) >= until) {
              caught = true;
              caughtAt.push(at - t0);
            }
          }, from);
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
        }
      }),
    );
    const deadline = t0 + timeoutMs;
    while (caughtAt.length < users.length - failed && performance.now() < deadline) await sleep(20);
    const probes = await health.stop();
    return {
      streams: users.length,
      before,
      opened: users.length - failed,
      failed,
      firstError,
      restartMs,
      caughtUp: caughtAt.length,
      allCaughtUpMs: caughtAt.length === users.length ? Math.max(...caughtAt) : NaN,
      catchUp: summarize(caughtAt),
      healthz: summarize(probes.times),
      healthzFailed: probes.failed,
    };
  } finally {
    for (const page of pages) page.close();
    await second.stop();
  }
}
