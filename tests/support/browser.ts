// Real Chromium for the e2e tier: one launch per test file, one context per person.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { backends } from './backends';
import { PASSWORD } from './client';
import type { Config } from '../../src/config';
import { chromiumPath } from './services';
import { startTestApp, type TestApp } from './testApp';
import { testClock } from './clock';

/** Headless Chromium as this machine and CI run it (the Debian build, as root, no GPU). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a user would reasonably wait for something to show up. */
export const SEE_TIMEOUT = 5_000;

/** A describe that is skipped, with a printed reason, when this machine has no Chromium. */
export function describeBrowser(name: string, body: () => void): void {
  const missing = chromiumPath() === null;
  if (missing) console.log(`[skip] ${name}: no Chromium (set CHROME_PATH or install chromium)`);
  describe.skipIf(missing)(name, body);
}

export function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium: set CHROME_PATH or install chromium');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * A browser profile whose clock agrees with the app's: when the run moved the app's clock
 * (TEST_NOW), the page's Date moves with it, so a countdown or "today" in a script reads
 * the same day as the server that rendered the page.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  if (testClock.moved) await context.clock.install({ time: testClock.now() });
  context.setDefaultTimeout(SEE_TIMEOUT);
  context.setDefaultNavigationTimeout(10_000);
  return context;
}

/** A touch phone of this size, in Korean on Seoul time: an opener for `suite.open`. */
export const touchPhone =
  (viewport: { width: number; height: number }) =>
  async (browser: Browser, baseURL: string, options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await newContext(browser, { baseURL, locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true, ...options });
    return { context, page: await context.newPage() };
  };

/** One person's own browser profile: their cookies, their session, Korean UI. */
export async function personContext(
  browser: Browser,
  baseURL: string,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, { baseURL, locale: 'ko-KR', ...options });
  return { context, page: await context.newPage() };
}

type ContextMaker = (
  browser: Browser,
  baseURL: string,
  options?: { javaScriptEnabled?: boolean },
) => Promise<{ context: BrowserContext; page: Page }>;

/**
 * What every e2e file needs: the app on a fresh SQLite database and one Chromium, both
 * ready before the file's own beforeAll, and every profile opened through `open` closed
 * with them after the last test. Call at the top of a describe; `overrides` change the
 * app's config (e.g. a short breakupGraceMs).
 */
export function browserSuite(overrides: Partial<Config> = {}) {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    app = await startTestApp(backends()[0], overrides);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });
  const ready = () => {
    if (!app || !browser) throw new Error('browserSuite: used before its beforeAll ran');
    return { app, browser };
  };
  return {
    get app(): TestApp {
      return ready().app;
    },
    /** One person's browser profile (a phone, with chatPages' phoneContext). */
    async open(make: ContextMaker = personContext, options: { javaScriptEnabled?: boolean } = {}) {
      const opened = await make(ready().browser, ready().app.url, options);
      contexts.push(opened.context);
      return opened;
    },
    /** `count` people, each in a profile of their own. */
    async people(count: number, options: { javaScriptEnabled?: boolean } = {}): Promise<Page[]> {
      const pages: Page[] = [];
      for (let i = 0; i < count; i++) pages.push((await this.open(personContext, options)).page);
      return pages;
    },
  };
}

export const pathOf = (page: Page): string => new URL(page.url()).pathname;

/** Waits until the page is at `path` (after redirects, or a navigation htmx starts). */
export async function expectPath(page: Page, path: string, timeout = SEE_TIMEOUT): Promise<void> {
  await page.waitForURL((url) => url.pathname === path, { timeout }).catch(() => undefined);
  expect(pathOf(page)).toBe(path);
}

/** The form field (label, input, hint, status and error) that the label names. */
export function fieldOf(page: Page, label: string): Locator {
  return page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });
}

/** The user sees `text` somewhere on the page (waits for it). */
export async function expectVisibleText(scope: Page | Locator, text: string, timeout = SEE_TIMEOUT): Promise<void> {
  await scope.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout });
}

/** The error `text` is shown next to the field labelled `label`. */
export async function expectFieldError(page: Page, label: string, text: string): Promise<void> {
  await expect.poll(() => fieldOf(page, label).innerText(), { timeout: SEE_TIMEOUT }).toContain(text);
}

/**
 * Clicks a button that submits a plain form and waits for the page the server answers
 * with, so that what is read next comes from the new page, not the old one.
 */
export async function submit(page: Page, button: string | Locator): Promise<void> {
  const target = typeof button === 'string' ? page.getByRole('button', { name: button, exact: true }) : button;
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await target.click();
  await navigated;
  await page.waitForLoadState('domcontentloaded');
}

export async function fillSignup(page: Page, loginId: string, password: string, confirm = password): Promise<void> {
  await page.getByLabel('아이디', { exact: true }).fill(loginId);
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await page.getByLabel('비밀번호 확인', { exact: true }).fill(confirm);
}

/** Signs up from the sign-up page; a new account lands on /pair. */
export async function signUp(page: Page, loginId: string, password = PASSWORD): Promise<void> {
  if (pathOf(page) !== '/signup') await page.goto('/signup');
  await fillSignup(page, loginId, password);
  await submit(page, '가입하기');
  await expectPath(page, '/pair');
}

/** Fills and sends the log-in form; the caller asserts where it ends up. */
export async function tryLogIn(page: Page, loginId: string, password: string): Promise<void> {
  if (pathOf(page) !== '/login') await page.goto('/login');
  await page.getByLabel('아이디', { exact: true }).fill(loginId);
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await submit(page, '로그인');
}

export async function logIn(page: Page, loginId: string, password = PASSWORD, landing = '/pair'): Promise<void> {
  await tryLogIn(page, loginId, password);
  await expectPath(page, landing);
}

/** The 로그아웃 button in the top bar. */
export async function logOut(page: Page): Promise<void> {
  await submit(page, page.getByRole('banner').getByRole('button', { name: '로그아웃', exact: true }));
  await expectPath(page, '/login');
  await expectVisibleText(page, '로그아웃했어요.');
}

/** Sends a couple request from the /pair page. */
export async function sendPairRequest(page: Page, toLoginId: string): Promise<void> {
  if (pathOf(page) !== '/pair') await page.goto('/pair');
  await page.getByLabel('연인의 아이디', { exact: true }).fill(toLoginId);
  await submit(page, '신청 보내기');
}

export const receivedRequests = (page: Page): Locator => page.getByRole('region', { name: '받은 신청' }).getByRole('listitem');
export const sentRequests = (page: Page): Locator => page.getByRole('region', { name: '보낸 신청' });
