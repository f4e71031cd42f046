import { performance } from 'node:perf_hooks';
import type { AppProcess } from './appProcess';
import { newAgent, postMessage } from './httpClient';
import { cpuSample, cpuShare, type CpuSample, type CpuShare } from './machine';
import type { SeededCouple } from './seed';
import { openStream, type SseEvent, type SseStream } from './sseClient';
import { inParallel, sleep, summarize, type Summary } from './stats';

export interface LatencyOptions {
  warmupMs: number;
  steadyMs: number;
  /** how long to wait after the last send for receipts still on their way */
  drainMs: number;
  /** makes client ids unique across scenarios on the same database */
  tag: string;
  /** the database server runs on this machine: count its CPU */
  localDbServer: boolean;
}

export interface LatencyResult {
  couples: number;
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  misdelivered: number;
  failedPosts: number;
  /** send → the partner's stream has the event */
  delivery: Summary;
  /** send → the POST's answer */
  post: Summary;
  /** the POST's answer → the partner's receipt (negative: the event came first) */
  afterAnswer: Summary;
  /** how late the generator's timers fired: if large, the generator and not the app is slow */
  generatorLag: Summary;
  cpu: CpuShare;
}

interface Sent {
  coupleId: number;
  at: number;
  answeredAt: number;
  receivedAt: number;
  measured: boolean;
  receipts: number;
  failed: boolean;
}

const CLIENT_ID = /data-client-id="([^"]+)"/;

/**
 * Every couple's partner a sends one message a second (couples evenly staggered across the
 * second); partner b's stream must receive each exactly once. Only messages sent in the
 * steady window after the warm-up count.
 */
export async function measureLatency(app: AppProcess, couples: SeededCouple[], options: LatencyOptions): Promise<LatencyResult> {
  const sent = new Map<string, Sent>();
  let duplicated = 0;
  let misdelivered = 0;

  const onPartnerEvent = (coupleId: number) => (event: SseEvent, at: number) => {
    if (event.event !== 'message') return;
    const clientId = CLIENT_ID.exec(event.data)?.[1];
    const record = clientId ? sent.get(clientId) : undefined;
    if (!record) return;
    if (record.coupleId !== coupleId) {
      misdelivered++;
    } else if (++record.receipts === 1) {
      record.receivedAt = at;
    } else if (record.measured) {
      duplicated++;
    }
  };

  const streams: SseStream[] = [];
  try {
    await inParallel(couples, 50, async (couple) => {
      streams.push(await openStream(app.port, '/chat/stream', couple.a.cookie, null));
      streams.push(await openStream(app.port, '/chat/stream', couple.b.cookie, onPartnerEvent(couple.id)));
    });
    await sleep(300);
    return await drive(app, couples, options, sent, () => ({ duplicated, misdelivered }));
  } finally {
    for (const stream of streams) stream.close();
  }
}

async function drive(
  app: AppProcess,
  couples: SeededCouple[],
  options: LatencyOptions,
  sent: Map<string, Sent>,
  counts: () => { duplicated: number; misdelivered: number },
): Promise<LatencyResult> {
  const agent = newAgent(256);
  const postTimes: number[] = [];
  const lags: number[] = [];
  let failedPosts = 0;
  let inFlight = 0;
  const start = performance.now() + 200;
  const steadyFrom = start + options.warmupMs;
  const end = steadyFrom + options.steadyMs;
  const sample = () => cpuSample(app.pid, options.localDbServer);
  let cpuAtSteady: CpuSample = sample();
  const steadyTimer = setTimeout(() => (cpuAtSteady = sample()), steadyFrom - performance.now());

  const fire = async (couple: SeededCouple, k: number, due: number) => {
    const clientId = `${options.tag}c${couple.id}n${k}`;
    const at = performance.now();
    const measured = due >= steadyFrom;
    if (measured) lags.push(at - due);
    const record: Sent = { coupleId: couple.id, at, answeredAt: NaN, receivedAt: NaN, measured, receipts: 0, failed: false };
    sent.set(clientId, record);
    inFlight++;
    try {
      const answer = await postMessage(agent, app.base, couple.a.cookie, couple.a.csrf, `벤치 메시지 ${k}: 오늘 저녁에 뭐 먹을까?`, clientId);
      if (answer.status !== 200) throw new Error(`status ${answer.status}`);
      record.answeredAt = performance.now();
      if (measured) postTimes.push(answer.elapsed);
    } catch {
      record.failed = true;
      if (measured) failedPosts++;
    } finally {
      inFlight--;
    }
  };

  const timers = new Set<NodeJS.Timeout>();
  const schedule = (couple: SeededCouple, offset: number, k: number) => {
    const due = start + offset + k * 1000;
    if (due >= end) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void fire(couple, k, due);
      schedule(couple, offset, k + 1);
    }, Math.max(0, due - performance.now()));
    timers.add(timer);
  };
  couples.forEach((couple, i) => schedule(couple, (i / couples.length) * 1000, 0));

  await sleep(end - performance.now());
  const cpuAtEnd = sample();
  const measured = () => [...sent.values()].filter((r) => r.measured);
  const drainUntil = performance.now() + options.drainMs;
  while (performance.now() < drainUntil && (inFlight > 0 || measured().some((r) => r.receipts === 0))) await sleep(50);
  clearTimeout(steadyTimer);
  for (const timer of timers) clearTimeout(timer);
  agent.destroy();

  const all = measured();
  const received = all.filter((r) => r.receipts > 0);
  return {
    couples: couples.length,
    sent: all.length,
    received: received.length,
    lost: all.length - received.length,
    ...counts(),
    failedPosts,
    delivery: summarize(received.map((r) => r.receivedAt - r.at)),
    post: summarize(postTimes),
    afterAnswer: summarize(received.filter((r) => !Number.isNaN(r.answeredAt)).map((r) => r.receivedAt - r.answeredAt)),
    generatorLag: summarize(lags),
    cpu: cpuShare(cpuAtSteady, cpuAtEnd),
  };
}
