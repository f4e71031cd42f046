// Accessibility checks in real Chromium: axe-core over the page as it is shown, the page's
// outline (one h1, a lang, the landmarks), and where the keyboard focus is. Shared by the
// e2e files that look at pages; the phone profiles are those the README's screenshots use.
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext } from './browser';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

export interface PhoneOptions {
  lang?: 'ko' | 'en';
  scheme?: 'light' | 'dark';
  javaScriptEnabled?: boolean;
  /** pixels per CSS pixel (screenshots stay small at 1) */
  scale?: number;
  /** the screen in CSS pixels; 390×844 unless told */
  viewport?: { width: number; height: number };
}

/**
 * A phone-sized profile (390×844) in Seoul, in a language and colour scheme. CSP is
 * bypassed only so that axe-core can be put into the page; the app's own pages never
 * need it.
 */
export function phone(options: PhoneOptions = {}) {
  return async (browser: Browser, baseURL: string, extra: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await newContext(browser, {
      baseURL,
      locale: options.lang === 'en' ? 'en-US' : 'ko-KR',
      timezoneId: 'Asia/Seoul',
      viewport: options.viewport ?? { width: 390, height: 844 },
      deviceScaleFactor: options.scale ?? 1,
      colorScheme: options.scheme ?? 'light',
      javaScriptEnabled: options.javaScriptEnabled ?? extra.javaScriptEnabled ?? true,
      bypassCSP: true,
    });
    return { context, page: await context.newPage() };
  };
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string; html: string; summary: string }>;
}

/** The violations axe-core finds on the page as it is now (WCAG 2.x A/AA and best practices). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  // colours are judged as they end up, not halfway through a dialog's fade-in
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<Record<string, any>> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: String(v.id),
      impact: v.impact ?? null,
      help: String(v.help),
      nodes: (v.nodes as Array<Record<string, any>>).map((n) => ({
        target: (n.target as unknown[]).join(' '),
        html: String(n.html).slice(0, 160),
        summary: String(n.failureSummary ?? '').split('\n').slice(0, 3).join(' '),
      })),
    }));
  });
}

const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core, prints every violation for the record (minor and moderate too), and
 * returns the serious and critical ones, which the caller expects to be none.
 */
export async function blockingViolations(page: Page, label: string): Promise<string[]> {
  const violations = await axeViolations(page);
  if (violations.length === 0) console.log(`[axe] ${label}: no violations`);
  for (const v of violations) {
    console.log(`[axe] ${label}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.length}×)`);
    for (const n of v.nodes.slice(0, 3)) console.log(`        ${n.target}  ${n.html}\n        ${n.summary}`);
  }
  return violations
    .filter((v) => v.impact !== null && BLOCKING.has(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target).join(', ')}`);
}

export interface Outline {
  lang: string;
  h1: number;
  banner: number;
  main: number;
  contentinfo: number;
  /** form controls (not hidden) without an accessible name */
  unlabelled: string[];
}

/** The page's outline: its language, how many h1, its landmarks and any control with no name. */
export function outline(page: Page): Promise<Outline> {
  return page.evaluate(() => {
    const visible = (el: Element) => (el as HTMLElement).checkVisibility?.({ visibilityProperty: true }) ?? true;
    const unlabelled = Array.from(document.querySelectorAll<HTMLElement>('input:not([type="hidden"]), select, textarea, button'))
      .filter((el) => visible(el) || el.classList.contains('file-input'))
      .filter((el) => {
        const input = el as HTMLInputElement;
        const labelled = (input.labels?.length ?? 0) > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
        const text = el.tagName === 'BUTTON' ? (el.textContent ?? '').trim() : '';
        return !labelled && !text;
      })
      .map((el) => el.outerHTML.slice(0, 120));
    return {
      lang: document.documentElement.lang,
      h1: Array.from(document.querySelectorAll('h1')).filter(visible).length,
      banner: document.querySelectorAll('body > header').length,
      main: document.querySelectorAll('main').length,
      contentinfo: document.querySelectorAll('body > footer').length,
      unlabelled,
    };
  });
}

/** What has the keyboard focus: its id, tag, text and, for a link, where it goes. */
export function focused(page: Page): Promise<{ id: string; tag: string; text: string; href: string | null; inDialog: string | null }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim(),
      href: el?.getAttribute('href') ?? null,
      inDialog: el?.closest('dialog')?.id ?? null,
    };
  });
}

/** Presses Tab until `matches` says the focus is where it should be; fails after `max` presses. */
export async function tabTo(page: Page, matches: () => boolean, max = 80): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(matches)) return i;
  }
  throw new Error(`Tab did not reach the element in ${max} presses (focus is on ${JSON.stringify(await focused(page))})`);
}
