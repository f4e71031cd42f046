// The chat's figures of issue 16, each measured on the app and then, in the same run, on
// the minimal relay: CPU per message, the browser-like chat, saturation, the reconnect
// storm after a restart, and a fresh process's memory.
import { performance } from 'node:perf_hooks';
import { startApp, startRelay, type AppProcess } from './appProcess';
import { ChatLoad, type ChatLoadResult, type RunOptions } from './chatLoad';
import type { BenchDatabase } from './databases';
import { formatShare, loadAverage } from './machine';
import { addRow, met, percentiles, ratio } from './rows';
import type { SeededCouple } from './seed';
import { mb, ms, sleep } from './stats';
import { measureStorm, seedAppEvents, seedRelayRows, type StormResult } from './storm';
import { WITH_RELAY, withApp, withRelay } from './withServer';

const env = process.env;
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

export const CHAT = {
  browserCouples: number('BENCH_BROWSER_COUPLES', 50),
  /** msg/s of each couple's sending partner, in the browser part and in saturation */
  rate: number('BENCH_BROWSER_RATE', 5),
  browserMs: number('BENCH_BROWSER_S', 20) * 1000,
  cpuCouples: number('BENCH_CPU_COUPLES', 100),
  cpuRate: number('BENCH_CPU_RATE', 1),
  cpuMs: number('BENCH_CPU_S', 20) * 1000,
  drainMs: number('BENCH_DRAIN_S', 10) * 1000,
  satStep: number('BENCH_SAT_STEP', 250),
  satMax: number('BENCH_SAT_MAX', 2500),
  satStepMs: number('BENCH_SAT_STEP_S', 8) * 1000,
  satBudgetMs: number('BENCH_SAT_BUDGET_S', 150) * 1000,
  stormCouples: number('BENCH_STORM_COUPLES', 1000),
  stormBehind: number('BENCH_STORM_BEHIND', 20),
  stormTimeoutMs: number('BENCH_STORM_TIMEOUT_S', 30) * 1000,
};

/** Couples the chat parts use (from the start of the seeded ones; the storm has its own). */
export const chatCouplesNeeded = (parts: string[]) =>
  Math.max(
    parts.includes('browser') ? CHAT.browserCouples : 0,
    parts.includes('cpu') ? CHAT.cpuCouples : 0,
    parts.includes('saturation') ? Math.ceil(CHAT.satMax / CHAT.rate) : 0,
  );

const TARGET = {
  cpuMs: { sqlite: 1.0, mariadb: 1.5 },
  browserP99Ms: 50,
  browserVsRelay: 3,
  saturation: { sqlite: 1_000, mariadb: 700 },
  saturationP99Ms: 100,
  stormMs: 5_000,
  stormHealthzMs: 100,
  freshRss: 80 * 1024 * 1024,
};

const isLocalDb = (database: BenchDatabase) => database.backend === 'mariadb';

async function chatRun(target: AppProcess, couples: SeededCouple[], database: BenchDatabase, options: RunOptions): Promise<ChatLoadResult> {
  const load = new ChatLoad(target, isLocalDb(database));
  try {
    await load.open(couples);
    return await load.run(couples, options);
  } finally {
    load.close();
  }
}

function describe(who: string, r: ChatLoadResult): string {
  return (
    `  ${who}: ${r.couples} couples × ${r.ratePerCouple}/s: partner's stream p50 ${ms(r.delivery.p50)} p95 ${ms(r.delivery.p95)} p99 ${ms(r.delivery.p99)} max ${ms(r.delivery.max)}; ` +
    `both partners p99 ${ms(r.bothDelivered.p99)}; POST answered p50 ${ms(r.post.p50)} p99 ${ms(r.post.p99)}\n` +
    `    typed ${r.typed}, stored ${r.sent}, received ${r.received}, lost ${r.lost}, later than 1 s ${r.late1s}, later than 5 s ${r.late5s}, ` +
    `duplicated ${r.duplicated}, wrong couple ${r.misdelivered}; held by a question ${r.heldByQuestion} (answers ${r.answers}, failed ${r.answerErrors}, ticks spent answering ${r.skipped}); ` +
    `too fast ${r.tooFast}; failed ${r.failed}${r.firstError ? ` (${r.firstError})` : ''}; read marks ${r.readMarks}${r.readErrors ? ` (${r.readErrors} failed)` : ''}\n` +
    `    CPU per stored message ${ms(r.cpuPerMessageMs)}; ${formatShare(r.cpu)}; generator timer lag p99 ${ms(r.generatorLag.p99)}; load ${loadAverage()}`
  );
}

/** App CPU per message, at a rate where partner b's page reports a read mark for every message. */
export async function runCpu(database: BenchDatabase, couples: SeededCouple[]): Promise<void> {
  const chatting = couples.slice(0, CHAT.cpuCouples);
  const options = { ratePerCouple: CHAT.cpuRate, durationMs: CHAT.cpuMs, drainMs: CHAT.drainMs };
  const app = await withApp(database, 'cpu', couples[0], (a) => chatRun(a, chatting, database, options));
  console.log(describe('app', app));
  const relay = await withRelay(database, (r) => chatRun(r, chatting, database, options));
  if (relay) console.log(describe('relay', relay));
  const target = TARGET.cpuMs[database.backend];
  addRow({
    backend: database.backend,
    measure: `app CPU per message (send, both streams, read mark)`,
    detail: `${ms(app.cpuPerMessageMs)}: ${app.sent} messages of ${chatting.length} couples × ${CHAT.cpuRate}/s, ${app.readMarks} read marks`,
    relay: relay ? ms(relay.cpuPerMessageMs) : '',
    ratio: relay ? ratio(app.cpuPerMessageMs, relay.cpuPerMessageMs) : '',
    target: `≤ ${target.toFixed(1)} ms`,
    met: met(app.cpuPerMessageMs <= target && app.lost === 0),
  });
}

/** The chat as 50 couples' phones use it, every send counted from the first second. */
export async function runBrowser(database: BenchDatabase, couples: SeededCouple[]): Promise<void> {
  const chatting = couples.slice(0, CHAT.browserCouples);
  const options = { ratePerCouple: CHAT.rate, durationMs: CHAT.browserMs, drainMs: CHAT.drainMs };
  const app = await withApp(database, 'browser', couples[0], (a) => chatRun(a, chatting, database, options));
  console.log(describe('app', app));
  const relay = await withRelay(database, (r) => chatRun(r, chatting, database, options));
  if (relay) console.log(describe('relay', relay));
  const p99 = app.delivery.p99;
  addRow({
    backend: database.backend,
    measure: `${chatting.length} couples × ${CHAT.rate} msg/s, browser-like, no warm-up`,
    ...percentiles(app.delivery),
    detail: `stored ${app.sent} recv ${app.received} lost ${app.lost}; >1 s ${app.late1s}, >5 s ${app.late5s}; held ${app.heldByQuestion}, answers ${app.answers}, reads ${app.readMarks}, 429 ${app.tooFast}, failed ${app.failed}`,
    relay: relay ? `p99 ${ms(relay.delivery.p99)}` : '',
    ratio: relay ? ratio(p99, relay.delivery.p99) : '',
    target: `p99 ≤ ${TARGET.browserP99Ms} ms and ≤ ${TARGET.browserVsRelay}× relay; none > 1 s`,
    met: met(
      p99 <= TARGET.browserP99Ms &&
        (!relay || p99 <= TARGET.browserVsRelay * relay.delivery.p99) &&
        app.late1s === 0 &&
        app.lost === 0 &&
        app.failed === 0 &&
        app.misdelivered === 0,
    ),
  });
}

interface Saturation {
  best: number;
  stoppedBy: string;
}

/** Steps the rate up (couples × CHAT.rate) until a step has p99 over 100 ms or anything late, lost or failed. */
async function saturate(target: AppProcess, couples: SeededCouple[], database: BenchDatabase, who: string): Promise<Saturation> {
  const load = new ChatLoad(target, isLocalDb(database));
  const started = performance.now();
  let best = 0;
  try {
    for (let rate = CHAT.satStep; rate <= CHAT.satMax; rate += CHAT.satStep) {
      if (performance.now() - started > CHAT.satBudgetMs) return { best, stoppedBy: `time budget (${CHAT.satBudgetMs / 1000} s)` };
      const chatting = couples.slice(0, Math.ceil(rate / CHAT.rate));
      await load.open(chatting);
      const r = await load.run(chatting, { ratePerCouple: CHAT.rate, durationMs: CHAT.satStepMs, drainMs: 5_000 });
      const expected = (rate * CHAT.satStepMs) / 1000;
      const ok = r.delivery.p99 <= TARGET.saturationP99Ms && r.late1s === 0 && r.lost === 0 && r.failed === 0 && r.typed >= 0.9 * expected;
      console.log(
        `  ${who} ${rate} msg/s (${chatting.length} couples): typed ${r.typed}/${expected}, stored ${r.sent}, p50 ${ms(r.delivery.p50)} p99 ${ms(r.delivery.p99)} max ${ms(r.delivery.max)}; ` +
          `>1 s ${r.late1s}, >5 s ${r.late5s}, lost ${r.lost}, failed ${r.failed}, 429 ${r.tooFast}; CPU/msg ${ms(r.cpuPerMessageMs)}; ${formatShare(r.cpu)}; ` +
          `generator lag p99 ${ms(r.generatorLag.p99)} → ${ok ? 'ok' : 'FAILS'}`,
      );
      if (!ok) return { best, stoppedBy: `${rate} msg/s failed` };
      best = rate;
      await sleep(500);
    }
    return { best, stoppedBy: `the last step (BENCH_SAT_MAX ${CHAT.satMax})` };
  } finally {
    load.close();
  }
}

export async function runSaturation(database: BenchDatabase, couples: SeededCouple[]): Promise<void> {
  const app = await withApp(database, 'saturation', couples[0], (a) => saturate(a, couples, database, 'app'));
  const relay = await withRelay(database, (r) => saturate(r, couples, database, 'relay'));
  const target = TARGET.saturation[database.backend];
  addRow({
    backend: database.backend,
    measure: `saturation: highest msg/s with p99 ≤ ${TARGET.saturationP99Ms} ms, nothing late`,
    detail: `${app.best} msg/s (${CHAT.satStep} a step, ${CHAT.satStepMs / 1000} s each; stopped by ${app.stoppedBy})`,
    relay: relay ? `${relay.best} msg/s` : '',
    ratio: relay ? ratio(app.best, relay.best) : '',
    target: `≥ ${target} msg/s`,
    met: met(app.best >= target),
  });
}

function describeStorm(who: string, r: StormResult): string {
  return (
    `  ${who}: ${r.before}/${r.streams} streams open before the restart; restart ${ms(r.restartMs)}; ${r.opened} came back${r.failed ? ` (${r.failed} failed: ${r.firstError})` : ''}; ` +
    `${r.caughtUp} caught up, all in ${ms(r.allCaughtUpMs)} (per stream p50 ${ms(r.catchUp.p50)} p99 ${ms(r.catchUp.p99)}); ` +
    `/healthz every 50 ms: ${r.healthz.n} answered, p99 ${ms(r.healthz.p99)}, max ${ms(r.healthz.max)}, ${r.healthzFailed} failed`
  );
}

/** Every page's stream back at once after a restart, each `stormBehind` events behind. */
export async function runStorm(database: BenchDatabase, stormCouples: SeededCouple[]): Promise<void> {
  const appPlan = await seedAppEvents(database.url, stormCouples, CHAT.stormBehind);
  const app = await measureStorm((port) => startApp(database.url, { port }), appPlan, CHAT.stormTimeoutMs);
  console.log(describeStorm('app', app));
  let relay: StormResult | null = null;
  if (WITH_RELAY) {
    const relayPlan = await seedRelayRows(database.url, stormCouples, CHAT.stormBehind);
    relay = await measureStorm((port) => startRelay(database.url, { port }), relayPlan, CHAT.stormTimeoutMs);
    console.log(describeStorm('relay', relay));
  }
  addRow({
    backend: database.backend,
    measure: `reconnect storm: ${app.streams} streams, ${CHAT.stormBehind} events behind, after a restart`,
    ...percentiles(app.catchUp),
    detail: `${app.caughtUp}/${app.streams} caught up, all in ${ms(app.allCaughtUpMs)}; /healthz max ${ms(app.healthz.max)}${app.healthzFailed ? `, ${app.healthzFailed} failed` : ''}`,
    relay: relay ? `all in ${ms(relay.allCaughtUpMs)}, /healthz max ${ms(relay.healthz.max)}` : '',
    ratio: relay ? ratio(app.allCaughtUpMs, relay.allCaughtUpMs) : '',
    target: `all ≤ ${TARGET.stormMs / 1000} s; /healthz ≤ ${TARGET.stormHealthzMs} ms`,
    met: met(app.allCaughtUpMs <= TARGET.stormMs && app.healthz.max <= TARGET.stormHealthzMs && app.healthzFailed === 0),
  });
}

/** RSS of a process that has answered nothing but /healthz, 2 s after it started. */
async function freshRss(start: () => Promise<AppProcess>): Promise<number> {
  const server = await start();
  try {
    await sleep(2_000);
    return server.rss();
  } finally {
    await server.stop();
  }
}

export async function runFresh(database: BenchDatabase): Promise<void> {
  const app = await freshRss(() => startApp(database.url));
  const relay = WITH_RELAY ? await freshRss(() => startRelay(database.url)) : NaN;
  console.log(`  fresh process RSS: app ${mb(app)}, relay ${mb(relay)}`);
  addRow({
    backend: database.backend,
    measure: 'idle RSS of a fresh process (only /healthz asked)',
    detail: mb(app),
    relay: WITH_RELAY ? mb(relay) : '',
    ratio: WITH_RELAY ? ratio(app, relay) : '',
    target: `≤ ${mb(TARGET.freshRss)}`,
    met: met(app <= TARGET.freshRss),
  });
}
