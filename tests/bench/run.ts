// npm run bench: the figures of the "Performance" sections of issues 3, 4, 5, 8 and 16, printed, never asserted.
// Knobs (environment): BENCH_ONLY=cpu,browser,saturation,storm,fresh,idle,render,uploads,words,export · BENCH_BACKENDS=sqlite,mariadb ·
// BENCH_MYSQL_URL or TEST_MYSQL_URL · BENCH_RELAY=0 (no relay figures) · BENCH_APP_CMD (how to start the app) ·
// the chat parts' knobs in chatParts.ts (BENCH_BROWSER_*, BENCH_CPU_*, BENCH_SAT_*, BENCH_STORM_*, BENCH_DRAIN_S) ·
// BENCH_IDLE_CONNECTIONS · BENCH_HISTORY · BENCH_WEEK · BENCH_NODE_ENV=production · BENCH_PROFILE=1 (CPU profile + SQL timings of the app) ·
// BENCH_UPLOAD_MB=200 · BENCH_EXPORT_MB=200 · BENCH_PHOTO_UPLOADS=30 · BENCH_UPLOAD_DISK=0 (skip the STORAGE=disk pass on SQLite) ·
// BENCH_WARMUP_S, BENCH_STEADY_S (delivery while uploading) · BENCH_TIME_LIMIT_S.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NODE_ENV } from './appMode';
import { appLabel } from './appProcess';
import { CHAT, chatCouplesNeeded, runBrowser, runCpu, runFresh, runSaturation, runStorm } from './chatParts';
import { cleanUpAll, guardProcess, onCleanup } from './cleanup';
import { freshDatabase, mysqlServerUrl, type BackendName, type BenchDatabase } from './databases';
import { measureIdleStreams, type IdleResult } from './idle';
import { codeVersion, formatShare, loadAverage, machineFacts } from './machine';
import { measureRender, timePage } from './render';
import { measureFirstLoad } from './firstLoad';
import { addRow, cells, HEADER, met, noPercentiles, percentiles, ratio, rows } from './rows';
import { seedCouples, seedHistory, type SeededCouple } from './seed';
import { mb, ms, table } from './stats';
import { measureRank, measureTriggerCheck, seedWeek, type TriggerTiming } from './words';
import { measureBigUpload, measureDeliveryUnderUploads, measurePhotoUploads, twelveMegapixelJpeg } from './uploads';
import { SESSION_SECRET, withApp, withRelay, WITH_RELAY } from './withServer';
import { measureZipExport } from './exportZip';

type Part = 'cpu' | 'browser' | 'saturation' | 'storm' | 'fresh' | 'idle' | 'render' | 'uploads' | 'words' | 'export';

const env = process.env;
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const list = (name: string, fallback: string) => (env[name] ?? fallback).split(',').map((p) => p.trim()).filter(Boolean);
const PARTS = list('BENCH_ONLY', 'cpu,browser,saturation,storm,fresh,idle,render,uploads,words,export') as Part[];
const WARMUP_MS = number('BENCH_WARMUP_S', 5) * 1000;
const STEADY_MS = number('BENCH_STEADY_S', 20) * 1000;
const DRAIN_MS = 10_000;
const IDLE_CONNECTIONS = number('BENCH_IDLE_CONNECTIONS', 10_000);
const HISTORY = number('BENCH_HISTORY', 100_000);
const WEEK = number('BENCH_WEEK', 100_000);
const RANK_REQUESTS = 200;
const TRIGGER_CHECKS = 3_000;
const TARGET_RANK_P95_MS = 20;
const TARGET_TRIGGER_P99_MS = 1;
const CHAT_REQUESTS = 200;
const SEARCH_REQUESTS = 100;
const TIME_LIMIT_MS = number('BENCH_TIME_LIMIT_S', 1200) * 1000;
const UPLOAD_BYTES = number('BENCH_UPLOAD_MB', 200) * 1024 * 1024;
const PHOTO_UPLOADS = number('BENCH_PHOTO_UPLOADS', 30);
const UPLOAD_DISK = env.BENCH_UPLOAD_DISK !== '0';
const EXPORT_BYTES = number('BENCH_EXPORT_MB', 200) * 1024 * 1024;
const TARGET_EXPORT_RSS_GROWTH = 64 * 1024 * 1024;
const UPLOADING_COUPLES = 4;
const CHATTING_WHILE_UPLOADING = 100;

const TARGET_IDLE_RSS = 250 * 1024 * 1024;
const TARGET_CHAT_P95_MS = 5;
const TARGET_SEARCH_P95_MS = 50;
const TARGET_FIRST_LOAD_BYTES = 60 * 1024;
const TARGET_UPLOAD_RSS_GROWTH = 64 * 1024 * 1024;
const TARGET_THUMB_P95_MS = 400;
const TARGET_P99_WHILE_UPLOADING_MS = 100;

function describeIdle(who: string, r: IdleResult): string {
  return (
    `  ${who}: ${r.opened}/${r.wanted} streams open in ${r.openSeconds.toFixed(1)} s${r.failed ? ` (${r.failed} failed: ${r.firstError})` : ''}; ` +
    `held ${r.heldSeconds.toFixed(0)} s, ${r.heardFrom} heard a heartbeat; ` +
    `RSS before ${mb(r.rssBefore)}, holding ${mb(r.rssHeld)}, after closing ${mb(r.rssAfterClose)}; ` +
    `live probe: ${r.probesReceived}/${r.probesSent} messages reached a partner while all were held`
  );
}

async function runIdle(database: BenchDatabase, couples: SeededCouple[]): Promise<void> {
  const holding = couples.slice(0, Math.ceil(IDLE_CONNECTIONS / 2));
  const r = await withApp(database, 'idle', couples[0], (app) => measureIdleStreams(app, holding));
  console.log(describeIdle('app', r));
  const relay = await withRelay(database, (server) => measureIdleStreams(server, holding));
  if (relay) console.log(describeIdle('relay', relay));
  addRow({
    backend: database.backend,
    measure: `${r.wanted} idle streams, whole process RSS`,
    detail: `${mb(r.rssBefore)} → ${mb(r.rssHeld)} (${r.opened} open, +${((r.rssHeld - r.rssBefore) / Math.max(1, r.opened) / 1024).toFixed(1)} KB each)`,
    relay: relay ? mb(relay.rssHeld) : '',
    ratio: relay ? ratio(r.rssHeld, relay.rssHeld) : '',
    target: `≤ ${mb(TARGET_IDLE_RSS)}`,
    met: met(r.rssHeld <= TARGET_IDLE_RSS && r.failed === 0),
  });
}

async function runRender(database: BenchDatabase, couple: SeededCouple): Promise<void> {
  const local = database.backend === 'mariadb';
  const relayChat = await withRelay(database, (relay) =>
    timePage(relay, couple, { chatRequests: CHAT_REQUESTS, searchRequests: 0, localDbServer: local }, {
      name: 'GET /chat',
      path: '/chat',
      requests: CHAT_REQUESTS,
      shown: (html) => `${html.split('<li class="msg"').length - 1} messages`,
    }),
  );
  if (relayChat) console.log(`  relay GET /chat: n ${relayChat.timing.n} p50 ${ms(relayChat.timing.p50)} p95 ${ms(relayChat.timing.p95)} max ${ms(relayChat.timing.max)}; showed ${relayChat.shown}`);
  await withApp(database, 'render', couple, async (app) => {
    const first = await measureFirstLoad(app, couple);
    for (const part of first.parts) console.log(`  first load: ${part.url.replace(app.base, '')} ${part.status} ${part.encoding} ${(part.bytes / 1024).toFixed(1)} KB`);
    addRow({
      backend: database.backend,
      measure: 'first load of /chat, all resources but images',
      detail: `${(first.total / 1024).toFixed(1)} KB in ${first.parts.length} responses (br), ${first.messages} messages`,
      target: `< ${TARGET_FIRST_LOAD_BYTES / 1024} KB`,
      met: met(first.total < TARGET_FIRST_LOAD_BYTES && first.messages === 50 && first.parts.every((p) => p.status === 200)),
    });
    const pages = await measureRender(app, couple, { chatRequests: CHAT_REQUESTS, searchRequests: SEARCH_REQUESTS, localDbServer: local });
    for (const page of pages) {
      const chat = page.name === 'GET /chat';
      const target = chat ? TARGET_CHAT_P95_MS : TARGET_SEARCH_P95_MS;
      console.log(
        `  ${page.name} (${page.path}): n ${page.timing.n} p50 ${ms(page.timing.p50)} p95 ${ms(page.timing.p95)} p99 ${ms(page.timing.p99)} max ${ms(page.timing.max)}; ` +
          `page showed ${page.shown}${page.errors ? `; ${page.errors} errors` : ''}; ${formatShare(page.cpu)}`,
      );
      addRow({
        backend: database.backend,
        measure: `${page.name}, ${HISTORY / 1000}k history${chat ? ', browser headers (br)' : ''}`,
        ...percentiles(page.timing),
        detail: `n ${page.timing.n}, ${page.shown}${page.errors ? `, ${page.errors} errors` : ''}`,
        relay: chat && relayChat ? `p95 ${ms(relayChat.timing.p95)}` : '',
        ratio: chat && relayChat ? ratio(page.timing.p95, relayChat.timing.p95) : '',
        target: `p95 ${chat ? '≤' : '<'} ${target} ms`,
        met: met((chat ? page.timing.p95 <= target : page.timing.p95 < target) && page.errors === 0),
      });
    }
  });
}

function triggerRow(backend: string, r: TriggerTiming): void {
  console.log(`  trigger check: n ${r.timing.n} p50 ${ms(r.timing.p50)} p95 ${ms(r.timing.p95)} p99 ${ms(r.timing.p99)} max ${ms(r.timing.max)}; ${r.triggering} of ${r.checked} asked a question`);
  addRow({
    backend,
    measure: 'trigger check added to a send',
    ...percentiles(r.timing),
    detail: `n ${r.timing.n}, in the send's transaction, with the questions state, a read mark between sends; ${r.triggering} of ${r.checked} asked`,
    target: `p99 < ${TARGET_TRIGGER_P99_MS} ms`,
    met: met(r.timing.p99 < TARGET_TRIGGER_P99_MS),
  });
}

async function runRank(database: BenchDatabase, couple: SeededCouple): Promise<void> {
  await withApp(database, 'words', couple, async (app) => {
    const page = await measureRank(app, couple, RANK_REQUESTS, database.backend === 'mariadb');
    console.log(`  ${page.name}: n ${page.timing.n} p50 ${ms(page.timing.p50)} p95 ${ms(page.timing.p95)} p99 ${ms(page.timing.p99)} max ${ms(page.timing.max)}; page showed ${page.shown}${page.errors ? `; ${page.errors} errors` : ''}; ${formatShare(page.cpu)}`);
    addRow({
      backend: database.backend,
      measure: `${page.name}, ${WEEK / 1000}k messages this week`,
      ...percentiles(page.timing),
      detail: `n ${page.timing.n}, ${page.shown}${page.errors ? `, ${page.errors} errors` : ''}`,
      target: `p95 < ${TARGET_RANK_P95_MS} ms`,
      met: met(page.timing.p95 < TARGET_RANK_P95_MS && page.errors === 0),
    });
  });
}

/** The three upload figures, with the app storing bytes where `storage` says (STORAGE=db or disk:PATH). */
async function runUploadsWith(database: BenchDatabase, couples: SeededCouple[], storage: string, label: string): Promise<void> {
  const tag = `U${label.replace(/\W/g, '')}x${Date.now() % 100_000}`;
  const uploaders = couples.slice(0, UPLOADING_COUPLES);
  const chatting = couples.slice(UPLOADING_COUPLES, UPLOADING_COUPLES + CHATTING_WHILE_UPLOADING);
  const appEnv = { STORAGE: storage, UPLOAD_MAX_BYTES: '300MB' };
  console.log(`  STORAGE=${storage}, UPLOAD_MAX_BYTES=300MB`);
  await withApp(database, 'uploads', couples[0], async (app) => {
    const big = await measureBigUpload(app, couples[0].a, UPLOAD_BYTES, tag);
    const growth = big.rssPeak - big.rssBefore;
    const stored = big.storedSize === big.bytes;
    console.log(
      `  ${mb(big.bytes)} upload: ${big.error ? `FAILED (${big.error})` : `answered ${big.status}`} in ${big.seconds.toFixed(1)} s ` +
        `(${(big.bytes / 1024 / 1024 / big.seconds).toFixed(0)} MB/s); stored size ${Number.isFinite(big.storedSize) ? big.storedSize : '?'}${stored ? ' (all of it)' : ' (NOT the size sent)'}; ` +
        `app RSS before ${mb(big.rssBefore)}, peak ${mb(big.rssPeak)} (+${mb(growth)}), 2 s after ${mb(big.rssAfter)}; ${big.samples} samples every 50 ms`,
    );
    addRow({
      backend: label,
      measure: `${mb(big.bytes)} upload, app RSS growth`,
      ...noPercentiles,
      detail: `${mb(big.rssBefore)} → peak ${mb(big.rssPeak)} → ${mb(big.rssAfter)}; ${big.seconds.toFixed(1)} s${big.error ? `; FAILED ${big.error.slice(0, 60)}` : ''}`,
      target: `< ${mb(TARGET_UPLOAD_RSS_GROWTH)}`,
      met: met(growth < TARGET_UPLOAD_RSS_GROWTH && !big.error && stored),
    });

    const jpeg = await twelveMegapixelJpeg();
    const photos = await measurePhotoUploads(app, couples[0].a, PHOTO_UPLOADS, tag);
    console.log(
      `  12 MP JPEG (4000×3000, ${mb(jpeg.length)}) × ${PHOTO_UPLOADS} sequential: upload answered p50 ${ms(photos.timing.p50)} p95 ${ms(photos.timing.p95)} ` +
        `p99 ${ms(photos.timing.p99)} max ${ms(photos.timing.max)}; ${photos.n} ok, ${photos.errors} errors${photos.firstError ? ` (${photos.firstError})` : ''}, ` +
        `${photos.withoutThumb} without a thumbnail; app RSS now ${mb(app.rss())}`,
    );
    addRow({
      backend: label,
      measure: `12 MP JPEG upload + thumbnail`,
      ...percentiles(photos.timing),
      detail: `n ${photos.n}, ${mb(jpeg.length)} each${photos.errors ? `, ${photos.errors} errors` : ''}${photos.withoutThumb ? `, ${photos.withoutThumb} no thumb` : ''}`,
      target: `p95 < ${TARGET_THUMB_P95_MS} ms`,
      met: met(photos.timing.p95 < TARGET_THUMB_P95_MS && photos.errors === 0 && photos.withoutThumb === 0),
    });

    const { latency: r, uploads } = await measureDeliveryUnderUploads(
      app,
      uploaders,
      chatting,
      { warmupMs: WARMUP_MS, steadyMs: STEADY_MS, drainMs: DRAIN_MS, tag: `${tag}L`, localDbServer: database.backend === 'mariadb' },
      tag,
    );
    console.log(
      `  ${chatting.length} couples × 1 msg/s while ${uploaders.length} 12 MP uploads run in a loop: delivery p50 ${ms(r.delivery.p50)} p95 ${ms(r.delivery.p95)} ` +
        `p99 ${ms(r.delivery.p99)} max ${ms(r.delivery.max)}; sent ${r.sent} received ${r.received} lost ${r.lost} duplicated ${r.duplicated} ` +
        `wrong-couple ${r.misdelivered} failed-posts ${r.failedPosts}\n` +
        `    POST answered p50 ${ms(r.post.p50)} p99 ${ms(r.post.p99)}; uploads meanwhile: ${uploads.n} ok (answered p50 ${ms(uploads.timing.p50)} ` +
        `p95 ${ms(uploads.timing.p95)} max ${ms(uploads.timing.max)}), ${uploads.errors} errors${uploads.firstError ? ` (${uploads.firstError})` : ''}, ` +
        `${uploads.withoutThumb} without a thumbnail; ${formatShare(r.cpu)}; generator timer lag p99 ${ms(r.generatorLag.p99)}; app RSS ${mb(app.rss())}; load ${loadAverage()}`,
    );
    addRow({
      backend: label,
      measure: `delivery, ${chatting.length} couples × 1 msg/s + ${uploaders.length} uploads`,
      ...percentiles(r.delivery),
      detail: `sent ${r.sent} recv ${r.received} lost ${r.lost} dup ${r.duplicated}${r.misdelivered ? ` WRONG-COUPLE ${r.misdelivered}` : ''}; ${uploads.n} uploads${uploads.errors ? ` (${uploads.errors} failed)` : ''}; app CPU ${r.cpu.app.toFixed(0)}%`,
      target: `p99 < ${TARGET_P99_WHILE_UPLOADING_MS} ms, no loss`,
      met: met(r.delivery.p99 < TARGET_P99_WHILE_UPLOADING_MS && r.lost === 0 && r.duplicated === 0 && r.misdelivered === 0 && r.failedPosts === 0 && uploads.errors === 0),
    });
  }, appEnv);
}

async function runUploads(database: BenchDatabase, couples: SeededCouple[]): Promise<void> {
  await runUploadsWith(database, couples, 'db', database.backend);
  if (database.backend !== 'sqlite' || !UPLOAD_DISK) return;
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-files-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const remove = onCleanup(`upload folder ${dir}`, async () => removeDir(), removeDir);
  try {
    await runUploadsWith(database, couples, `disk:${dir}`, 'sqlite, disk');
  } finally {
    await remove();
  }
}

/** The ZIP export of a 200 MB album (issue 17): the app's RSS while it streams the archive, STORAGE=db (and disk on SQLite). */
async function runExportWith(database: BenchDatabase, couple: SeededCouple, storage: string, label: string): Promise<void> {
  const tag = `Z${label.replace(/\W/g, '')}x${Date.now() % 100_000}`;
  console.log(`  STORAGE=${storage}`);
  await withApp(database, 'export', couple, async (app) => {
    const r = await measureZipExport(app, couple.a, EXPORT_BYTES, tag);
    const growth = r.rssPeak - r.rssBefore;
    console.log(
      `  ZIP export of ${r.files} files, ${mb(r.albumBytes)}: ${r.error ? `FAILED (${r.error})` : `answered ${r.status}`}, ${mb(r.zipBytes)} in ${r.seconds.toFixed(1)} s ` +
        `(${(r.zipBytes / 1024 / 1024 / r.seconds).toFixed(0)} MB/s); app RSS before ${mb(r.rssBefore)}, peak ${mb(r.rssPeak)} (+${mb(growth)}), 2 s after ${mb(r.rssAfter)}; ${r.samples} samples every 50 ms`,
    );
    addRow({
      backend: label,
      measure: `ZIP export of a ${mb(r.albumBytes)} album, app RSS growth`,
      ...noPercentiles,
      detail: `${mb(r.rssBefore)} → peak ${mb(r.rssPeak)} → ${mb(r.rssAfter)}; ${mb(r.zipBytes)} in ${r.seconds.toFixed(1)} s${r.error ? `; FAILED ${r.error.slice(0, 60)}` : ''}`,
      target: `< ${mb(TARGET_EXPORT_RSS_GROWTH)}`,
      met: met(growth < TARGET_EXPORT_RSS_GROWTH && !r.error && r.status === 200 && r.zipBytes > r.albumBytes),
    });
  }, { STORAGE: storage });
}

/** Each pass its own couple: a couple's files are in the storage they were sent to. */
async function runExport(database: BenchDatabase, [dbCouple, diskCouple]: SeededCouple[]): Promise<void> {
  await runExportWith(database, dbCouple, 'db', database.backend);
  if (database.backend !== 'sqlite' || !UPLOAD_DISK) return;
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-export-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const remove = onCleanup(`export folder ${dir}`, async () => removeDir(), removeDir);
  try {
    await runExportWith(database, diskCouple, `disk:${dir}`, 'sqlite, disk');
  } finally {
    await remove();
  }
}

async function runBackend(backend: BackendName): Promise<void> {
  const started = performance.now();
  const database = await freshDatabase(backend);
  try {
    const coupleCount = Math.max(
      1,
      chatCouplesNeeded(PARTS),
      PARTS.includes('idle') ? Math.ceil(IDLE_CONNECTIONS / 2) : 0,
      PARTS.includes('uploads') ? UPLOADING_COUPLES + CHATTING_WHILE_UPLOADING : 0,
    );
    const couples = await seedCouples(database.db, SESSION_SECRET, 1, coupleCount);
    const [historyCouple] = await seedCouples(database.db, SESSION_SECRET, coupleCount + 1, 1);
    if (PARTS.includes('render')) await seedHistory(database.db, historyCouple, HISTORY);
    const [weekCouple] = await seedCouples(database.db, SESSION_SECRET, coupleCount + 2, 1);
    // the export's couples have nothing but the albums they upload
    const exportCouples = PARTS.includes('export') ? await seedCouples(database.db, SESSION_SECRET, coupleCount + 3 + CHAT.stormCouples, 2) : [];
    if (PARTS.includes('words')) {
      const seedStarted = performance.now();
      await seedWeek(database.db, weekCouple, WEEK);
      console.log(`  seeded ${WEEK} messages this week (with their word counts) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
      triggerRow(backend, await measureTriggerCheck(database.db, weekCouple, TRIGGER_CHECKS));
    }
    // the storm's couples have nothing but the events it seeds just before it
    const stormCouples = PARTS.includes('storm') ? await seedCouples(database.db, SESSION_SECRET, coupleCount + 3, CHAT.stormCouples) : [];
    await database.db.destroy(); // the app is the only client from here on
    const all = coupleCount + 2 + stormCouples.length;
    const seeded = `${all} couples, ${all * 2} sessions${PARTS.includes('render') ? `, ${HISTORY} messages` : ''}${PARTS.includes('words') ? `, ${WEEK} messages this week` : ''}`;
    console.log(`\n== ${database.version}: seeded ${seeded} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const parts: [Part, () => Promise<void>][] = [
      ['fresh', () => runFresh(database)],
      ['cpu', () => runCpu(database, couples)],
      ['browser', () => runBrowser(database, couples)],
      ['saturation', () => runSaturation(database, couples)],
      ['storm', () => runStorm(database, stormCouples)],
      ['idle', () => runIdle(database, couples)],
      ['render', () => runRender(database, historyCouple)],
      ['uploads', () => runUploads(database, couples)],
      ['words', () => runRank(database, weekCouple)],
      ['export', () => runExport(database, exportCouples)],
    ];
    for (const [part, run] of parts) {
      if (!PARTS.includes(part)) continue;
      console.log(`-- ${part} (${backend}), load ${loadAverage()}`);
      try {
        await run();
      } catch (err) {
        console.error(`  ${part} on ${backend} failed: ${(err as Error).stack ?? err}`);
        addRow({ backend, measure: part, detail: `FAILED: ${(err as Error).message.split('\n')[0]}`, target: '', met: 'NO' });
      }
    }
  } finally {
    await database.drop();
  }
}

async function versions(backends: BackendName[]): Promise<string> {
  const out: string[] = [];
  for (const backend of backends) {
    const database = await freshDatabase(backend);
    out.push(database.version);
    await database.drop();
  }
  return out.join('; ');
}

async function main(): Promise<void> {
  guardProcess(TIME_LIMIT_MS);
  const available: BackendName[] = mysqlServerUrl() ? ['sqlite', 'mariadb'] : ['sqlite'];
  const backends = available.filter((b) => list('BENCH_BACKENDS', 'sqlite,mariadb').includes(b));
  console.log(`Couple Chat bench, ${new Date().toISOString()}, code ${codeVersion()}`);
  console.log(machineFacts());
  console.log(`databases: ${await versions(backends)}`);
  if (!mysqlServerUrl()) console.log('MariaDB: skipped (set BENCH_MYSQL_URL or TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:3306/)');
  console.log(
    `app: its own process (${appLabel()}, NODE_ENV=${NODE_ENV}) on 127.0.0.1, a fresh one per part; load from this process` +
      `${WITH_RELAY ? '; beside it the minimal relay (tests/bench/relay.ts), measured the same way in the same run' : ''}\n` +
      `parts: ${PARTS.join(', ')}; browser-like chat ${CHAT.browserCouples} couples × ${CHAT.rate} msg/s for ${CHAT.browserMs / 1000} s (no warm-up); ` +
      `CPU per message at ${CHAT.cpuCouples} couples × ${CHAT.cpuRate} msg/s for ${CHAT.cpuMs / 1000} s; saturation in steps of ${CHAT.satStep} msg/s × ${CHAT.satStepMs / 1000} s up to ${CHAT.satMax}; ` +
      `storm ${CHAT.stormCouples * 2} streams ${CHAT.stormBehind} events behind; ${IDLE_CONNECTIONS} idle streams; ${HISTORY} messages of history`,
  );
  const started = performance.now();
  for (const backend of backends) await runBackend(backend);

  console.log(`\n== Summary (${((performance.now() - started) / 1000).toFixed(0)} s, load ${loadAverage()})`);
  console.log(
    `delivery: POST sent → the partner's SSE stream has the event, on the client; late = received more than 1 s (5 s) after the send; ` +
      `lost = a stored message not received ${CHAT.drainMs / 1000} s after the window (${DRAIN_MS / 1000} s for delivery while uploading); ` +
      `pages: request → last byte, one client, sequential; relay: the same figure for tests/bench/relay.ts, app/relay their ratio`,
  );
  console.log(table(HEADER, rows.map(cells)));
}

try {
  await main();
} finally {
  await cleanUpAll();
}
process.exit(0);
