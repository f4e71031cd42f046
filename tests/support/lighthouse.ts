// Lighthouse (the npm package) against the Debian Chromium, in its default mobile emulation
// (moto g power screen, simulated slow-4G and 4x CPU throttling): scores per category and
// the audits that fail, for printing. Performance is measured and reported, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from './browser';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { generateReport, type Flags, type Result } from 'lighthouse';
// Lighthouse's own puppeteer-core (a dependency of lighthouse, like chrome-launcher):
// the page Lighthouse drives is opened through it, so the run has one DevTools client.
import puppeteer from 'puppeteer-core';
import { chromiumPath } from './services';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

/** An audit that passes at 0.9 or above, as Lighthouse's own report colours it green. */
export const PASSING_AUDIT = 0.9;

/** Where the full HTML and JSON reports go, one per page (overwritten by the next run). */
export const REPORT_DIR = join(tmpdir(), 'couple-chat-lighthouse');

// the browser the other e2e tests use, in the headless mode Lighthouse needs
const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_ARGS.filter((flag) => flag !== '--headless')];

/**
 * Lighthouse's own failures to record a page load (not the page's), which its message
 * answers with "Please run Lighthouse again": on a loaded machine the trace now and then
 * misses the navigation start. A run that ends so is run once more.
 */
const RETRIED_ERRORS = new Set(['NO_NAVSTART', 'NO_TRACING_STARTED', 'NO_FCP', 'NO_LCP', 'PROTOCOL_TIMEOUT', 'NO_DCL', 'NO_RESOURCE_REQUEST']);
const ATTEMPTS = 2;

export interface LighthouseChrome {
  port: number;
  close(): Promise<void>;
}

/**
 * One headless Chromium with a DevTools port of its own (chrome-launcher picks a free port
 * and a throw-away profile, and removes the profile on kill). Each run opens a tab of its
 * own in it, so one launch serves every page of a test file.
 */
export async function launchLighthouseChrome(): Promise<LighthouseChrome> {
  const chromePath = chromiumPath();
  if (!chromePath) throw new Error('no Chromium: set CHROME_PATH or install chromium');
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: 'silent', handleSIGINT: false });
  return {
    port: chrome.port,
    async close() {
      // kill() does not wait for the process; wait for it so no Chromium outlives the file
      const exited = chrome.process.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => chrome.process.once('exit', () => resolve()));
      chrome.kill();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    },
  };
}

export interface FailingAudit {
  id: string;
  title: string;
  category: Category;
  score: number;
  /** its weight in the category score (0: a diagnostic that does not move the score) */
  weight: number;
  displayValue?: string;
  /** the first few elements, URLs or reasons it names */
  items: string[];
  /** how many it names in all */
  itemCount: number;
}

export interface LighthouseRun {
  url: string;
  /** 0–100 per category, null when Lighthouse could not score it */
  scores: Record<Category, number | null>;
  failing: FailingAudit[];
  /** Lighthouse's own warnings for the run (e.g. the test URL was redirected) */
  warnings: string[];
  /** an error Lighthouse met in the last attempt (a load that timed out, a broken trace) */
  runtimeError: string | null;
  /** the errors of attempts that were run again (see RETRIED_ERRORS) */
  retried: string[];
  reportPath: string;
  /** the 1-minute load average when the run started and ended, and the cores: context for performance */
  load: { before: number; after: number; cores: number };
  /** Lighthouse's CPU benchmark of this machine during the run (higher is faster) */
  benchmarkIndex: number | null;
  /** wall time of the last attempt, for the record (never asserted) */
  seconds: number;
  lhr: Result;
}

export interface RunOptions {
  /** a short name for the report files */
  name: string;
  /** request headers for every request the page makes (Lighthouse's extraHeaders), e.g. Accept-Language */
  headers?: Record<string, string>;
  /**
   * The browser's cookies for the run: the jar is emptied and these are put in it for the
   * URL's host (an empty list: logged out). A Cookie header in extraHeaders does not do for
   * a session: Chromium sends the jar's Cookie header instead of the extra one as soon as
   * the jar holds a cookie for the host, and static/chat/timeZone.js writes one (cc.tz) on load, so the
   * chat page's EventSource went out without the session, got 401, and the page went to
   * /login in the middle of the audit.
   */
  cookies?: Array<{ name: string; value: string }>;
}

/**
 * The chat page keeps an EventSource open for as long as it is shown. Lighthouse's load
 * wait tolerates it: it waits for "2-idle" network quiet (at most two requests in flight)
 * and its critical-request checks leave EventSource and WebSocket requests out, so the
 * defaults finish (in 6–16 s here). maxWaitForLoad is lowered from 45 s so that a page that
 * never settles ends the run soon, as a runtime error, rather than taking the test's time.
 */
const LOAD_SETTINGS: Partial<Flags> = {
  maxWaitForLoad: 25_000,
};

/** Runs Lighthouse on one URL in a Chromium started by launchLighthouseChrome. */
export async function runLighthouse(chrome: LighthouseChrome, url: string, options: RunOptions): Promise<LighthouseRun> {
  const flags: Flags = {
    logLevel: 'error',
    output: 'html',
    onlyCategories: [...CATEGORIES],
    formFactor: 'mobile', // the default, said out loud: moto g power emulation
    throttlingMethod: 'simulate',
    extraHeaders: options.headers,
    ...LOAD_SETTINGS,
  };
  const retried: string[] = [];
  const before = loadavg()[0];
  for (let attempt = 1; ; attempt++) {
    const started = process.hrtime.bigint();
    const lhr = await gather(chrome, url, flags, options.cookies);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const error = lhr.runtimeError;
    if (error && RETRIED_ERRORS.has(error.code) && attempt < ATTEMPTS) {
      retried.push(`${error.code} after ${seconds.toFixed(0)} s`);
      continue;
    }
    return summarize(lhr, url, options.name, { retried, seconds, load: { before, after: loadavg()[0], cores: availableParallelism() } });
  }
}

/**
 * One Lighthouse navigation in a new tab: Lighthouse is handed the tab (its documented way
 * for pages behind a log-in) after the cookies are set through the same connection.
 * Lighthouse's storage reset leaves cookies alone (its default clearStorageTypes are file
 * systems, shader cache, service workers and cache storage).
 */
async function gather(chrome: LighthouseChrome, url: string, flags: Flags, cookies: RunOptions['cookies']): Promise<Result> {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  try {
    if (cookies) {
      const old = await browser.cookies();
      if (old.length) await browser.deleteCookie(...old);
      const { hostname } = new URL(url);
      if (cookies.length) await browser.setCookie(...cookies.map((c) => ({ ...c, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' as const })));
    }
    const page = await browser.newPage();
    try {
      const result = await lighthouse(url, flags, undefined, page);
      if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
      return result.lhr;
    } finally {
      await page.close().catch(() => undefined);
    }
  } finally {
    await browser.disconnect();
  }
}

function summarize(
  lhr: Result,
  url: string,
  name: string,
  extra: Pick<LighthouseRun, 'retried' | 'seconds' | 'load'>,
): LighthouseRun {
  mkdirSync(REPORT_DIR, { recursive: true });
  const reportPath = join(REPORT_DIR, `${name}.html`);
  writeFileSync(reportPath, generateReport(lhr, 'html'));
  writeFileSync(join(REPORT_DIR, `${name}.json`), JSON.stringify(lhr));

  const scores = Object.fromEntries(
    CATEGORIES.map((c) => {
      const score = lhr.categories[c]?.score;
      return [c, typeof score === 'number' ? Math.round(score * 100) : null];
    }),
  ) as Record<Category, number | null>;

  const failing: FailingAudit[] = [];
  for (const category of CATEGORIES) {
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      // 'hidden' holds the new "insight" twins of audits listed anyway (render-blocking-insight …)
      if (ref.group === 'hidden') continue;
      const audit = lhr.audits[ref.id];
      if (!audit || audit.score === null || audit.score >= PASSING_AUDIT) continue;
      if (!['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode)) continue;
      const items = itemsOf(audit.details);
      failing.push({
        id: audit.id,
        title: audit.title,
        category,
        score: audit.score,
        weight: ref.weight,
        displayValue: audit.displayValue,
        items: items.slice(0, 3),
        itemCount: items.length,
      });
    }
  }
  return {
    url,
    scores,
    failing,
    warnings: lhr.runWarnings.map(String),
    runtimeError: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
    reportPath,
    benchmarkIndex: lhr.environment.benchmarkIndex ?? null,
    lhr,
    ...extra,
  };
}

/** The elements or URLs an audit's table or list names, as one line each. */
function itemsOf(details: unknown): string[] {
  const d = details as { type?: string; items?: Array<Record<string, unknown>> } | undefined;
  if (!d || !Array.isArray(d.items)) return [];
  const out: string[] = [];
  for (const item of d.items) {
    if (item && typeof item === 'object' && (item as { type?: string }).type && Array.isArray((item as { items?: unknown }).items)) {
      out.push(...itemsOf(item)); // a list of tables
      continue;
    }
    const node = item.node as { selector?: string; snippet?: string; explanation?: string } | undefined;
    if (node?.selector || node?.snippet) {
      // axe's explanation: "Fix any of the following:\n  <the reason>"; the reason is what matters
      const reason = node.explanation?.split('\n').map((l) => l.trim()).filter(Boolean)[1];
      out.push(`${node.selector ?? ''} ${node.snippet ?? ''}`.trim() + (reason ? ` — ${reason}` : ''));
    } else if (typeof item.reason === 'string') {
      out.push(item.reason); // bf-cache
    } else if (typeof item.url === 'string') {
      out.push(item.url);
    } else if (typeof item.source === 'object' && item.source && typeof (item.source as { url?: string }).url === 'string') {
      out.push((item.source as { url: string }).url);
    }
  }
  return out;
}

/** "lighthouse /chat: performance 97, accessibility 100, best-practices 100, seo 92" */
export function scoreLine(path: string, run: LighthouseRun): string {
  return `lighthouse ${path}: ${CATEGORIES.map((c) => `${c} ${run.scores[c] ?? 'n/a'}`).join(', ')}`;
}

/** "run 24 s, load average 3.10 → 3.45 on 2 cores, benchmarkIndex 1234" */
export function contextLine(run: LighthouseRun): string {
  const { before, after, cores } = run.load;
  const again = run.retried.length ? ` (attempt ${run.retried.length + 1})` : '';
  return `run ${run.seconds.toFixed(0)} s${again}, load average ${before.toFixed(2)} → ${after.toFixed(2)} on ${cores} cores, benchmarkIndex ${run.benchmarkIndex ?? 'n/a'}`;
}

/** The failing audits, one block each, for the test's output. */
export function failingReport(path: string, run: LighthouseRun): string {
  const lines: string[] = [];
  for (const r of run.retried) lines.push(`  run again after Lighthouse's own error: ${r}`);
  if (run.runtimeError) lines.push(`  runtime error: ${run.runtimeError}`);
  for (const w of run.warnings) lines.push(`  warning: ${w.replace(/\s+/g, ' ')}`);
  if (!run.failing.length) lines.push('  no failing audits (every scored audit ≥ 0.9)');
  for (const a of run.failing) {
    const weight = a.weight ? `weight ${a.weight}` : 'weight 0, does not move the score';
    lines.push(`  [${a.category}] ${a.id} (score ${a.score.toFixed(2)}, ${weight}): ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}`);
    for (const item of a.items) lines.push(`      ${item}`);
    if (a.itemCount > a.items.length) lines.push(`      … and ${a.itemCount - a.items.length} more (${a.itemCount} in all)`);
  }
  lines.push(`  report: ${run.reportPath}`);
  return [`lighthouse ${path} failing audits (score < ${PASSING_AUDIT}):`, ...lines].join('\n');
}
