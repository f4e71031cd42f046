import { performance } from 'node:perf_hooks';
import type { AppProcess } from './appProcess';
import { newAgent, postMessage } from './httpClient';
import type { SeededCouple } from './seed';
import { openStream, type SseStream } from './sseClient';
import { inParallel, sleep } from './stats';

export interface IdleResult {
  wanted: number;
  opened: number;
  failed: number;
  firstError: string | null;
  openSeconds: number;
  rssBefore: number;
  rssHeld: number;
  rssAfterClose: number;
  heldSeconds: number;
  /** streams that received bytes (a heartbeat at least) while held */
  heardFrom: number;
  /** a message sent in a few couples while all streams are held, received by the partner */
  probesSent: number;
  probesReceived: number;
}

const PROBES = 10;
// Longer than the 25 s heartbeat: every couple's channel pings its streams once while held.
const HOLD_MS = 30_000;

/** Both partners of every couple hold one stream: couples × 2 connections, then all are let go. */
export async function measureIdleStreams(app: AppProcess, couples: SeededCouple[]): Promise<IdleResult> {
  const streams: SseStream[] = [];
  const probed = new Set<string>();
  let failed = 0;
  let firstError: string | null = null;
  const rssBefore = app.rss();
  const started = performance.now();
  const users = couples.flatMap((c, i) => [
    { cookie: c.a.cookie, probe: false },
    { cookie: c.b.cookie, probe: i < PROBES },
  ]);
  try {
    await inParallel(users, 200, async (user) => {
      const onEvent = user.probe
        ? (event: { event: string; data: string }) => {
            const id = /data-client-id="(idle-probe-[^"]+)"/.exec(event.data)?.[1];
            if (event.event === 'message' && id) probed.add(id);
          }
        : null;
      try {
        streams.push(await openStream(app.port, '/chat/stream', user.cookie, onEvent));
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
      }
    });
    const openSeconds = (performance.now() - started) / 1000;
    const allOpen = performance.now();
    await sleep(HOLD_MS - 5_000);

    const agent = newAgent(4);
    await Promise.all(
      couples.slice(0, PROBES).map((c, i) => postMessage(agent, app.base, c.a.cookie, c.a.csrf, '자니?', `idle-probe-${i}-${Date.now()}`).catch(() => null)),
    );
    agent.destroy();
    const probeDeadline = performance.now() + 5_000;
    while (probed.size < PROBES && performance.now() < probeDeadline) await sleep(50);
    await sleep(Math.max(0, allOpen + HOLD_MS - performance.now()));
    const rssHeld = app.rss();
    const heardFrom = streams.filter((s) => s.lastDataAt > allOpen).length;
    const heldSeconds = (performance.now() - allOpen) / 1000;

    for (const stream of streams.splice(0)) stream.close();
    await sleep(3_000);
    return {
      wanted: users.length,
      opened: users.length - failed,
      failed,
      firstError,
      openSeconds,
      rssBefore,
      rssHeld,
      rssAfterClose: app.rss(),
      heldSeconds,
      heardFrom,
      probesSent: PROBES,
      probesReceived: probed.size,
    };
  } finally {
    for (const stream of streams) stream.close();
  }
}
