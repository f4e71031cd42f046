// What the full walk-through reads from pages besides plain chat bubbles, in real
// Chromium: messages with their photos and files, uploads, search results, the word
// ranking, the calendar's days and its D-day. Dates are Seoul dates (the phones' zone).
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SEE_TIMEOUT, expectPath, expectVisibleText, submit } from './browser';
import { testClock } from './clock';

// ---- the chat, with uploads ---------------------------------------------------------------

/** Every stored message, top to bottom: its text, or "사진 name" / "파일 name" for an upload ("사진 a, b" for photos sent together). */
export function shownItems(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('#messages > li.msg[data-id]')).map((li) => {
      const photos = Array.from(li.querySelectorAll('a.photo img')).map((img) => img.getAttribute('alt'));
      if (photos.length) return `사진 ${photos.join(', ')}`;
      const file = li.querySelector<HTMLElement>('a.file .file-name');
      if (file) return `파일 ${file.innerText.trim()}`;
      return (li.querySelector<HTMLElement>('.text')?.innerText ?? '').trim();
    }),
  );
}

/** Waits until the page shows exactly these messages (texts and uploads), in this order. */
export async function expectItems(page: Page, items: string[], timeout = SEE_TIMEOUT): Promise<void> {
  await expect.poll(() => shownItems(page), { timeout }).toEqual(items);
}

export interface Upload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** Picks files in the chat's file input (they go as they are picked); waits until none is still on its way. */
export async function sendFiles(page: Page, files: Upload[]): Promise<void> {
  await page.locator('#file').setInputFiles(files);
  await expect.poll(() => page.locator('#upload-progress li').count(), { timeout: 15_000 }).toBe(0);
}

/** Clicks a download link and resolves to the file the browser saved: its suggested name and bytes. */
export async function download(page: Page, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { name: saved.suggestedFilename(), bytes: await readFile((await saved.path())!) };
}

/** The photo preview dialog of the chat page. */
export const previewOf = (page: Page): Locator => page.locator('dialog#preview');

export const isOpen = (dialog: Locator): Promise<boolean> => dialog.evaluate((d) => (d as HTMLDialogElement).open && d.checkVisibility());

// ---- dates --------------------------------------------------------------------------------

const seoulDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Seoul, 'YYYY-MM-DD'. */
export const seoulToday = (): string => seoulDay.format(testClock.now());

/**
 * Waits out Seoul's midnight when it is less than `withinMs` away, for a test whose
 * messages and plans must all fall on one Seoul day (it checks "today"). Seoul has no
 * DST: its midnight is 15:00 UTC.
 */
export async function clearOfSeoulMidnight(withinMs: number): Promise<void> {
  const untilMidnight = (86_400_000 - ((testClock.now() + 9 * 3_600_000) % 86_400_000)) % 86_400_000;
  if (untilMidnight < withinMs) await new Promise((resolve) => setTimeout(resolve, untilMidnight + 1_000));
}

/** A 'YYYY-MM-DD' date `n` days later (earlier when negative). */
export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The 10th of the month after the date's. */
export function nextMonthTenth(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-10` : `${y}-${String(m + 1).padStart(2, '0')}-10`;
}

/** The calendar's title for the month of a date: "2026년 5월". */
export const monthTitle = (date: string, yearShift = 0): string => `${Number(date.slice(0, 4)) + yearShift}년 ${Number(date.slice(5, 7))}월`;

// ---- search -------------------------------------------------------------------------------

export interface Found {
  who: string;
  text: string;
  marks: string[];
}

/** Fills the search form (word and/or date) and sends it; resolves to the results shown. */
export async function search(page: Page, query: { q?: string; date?: string }): Promise<Found[]> {
  if (new URL(page.url()).pathname !== '/chat/search') {
    await page.getByRole('link', { name: '검색', exact: true }).click();
    await expectPath(page, '/chat/search');
  }
  await page.getByLabel('단어', { exact: true }).fill(query.q ?? '');
  await page.getByLabel('날짜', { exact: true }).fill(query.date ?? '');
  await submit(page, page.locator('main').getByRole('button', { name: '검색', exact: true }));
  return foundOn(page);
}

export function foundOn(page: Page): Promise<Found[]> {
  return page.locator('#results > li.result').evaluateAll((items) =>
    items.map((li) => ({
      who: (li.querySelector<HTMLElement>('.who')?.innerText ?? '').trim(),
      text: (li.querySelector<HTMLElement>('p')?.innerText ?? '').trim(),
      marks: Array.from(li.querySelectorAll<HTMLElement>('mark')).map((m) => m.innerText),
    })),
  );
}

// ---- the word ranking ---------------------------------------------------------------------

/** One column of /rank ('mine' or 'theirs') as [word, "n번"] pairs, in rank order. */
export function rankColumn(page: Page, who: 'mine' | 'theirs'): Promise<Array<[string, string]>> {
  return page.locator(`.rank-column.${who} .rank-list > li`).evaluateAll((items) =>
    items.map((li) => [(li.querySelector<HTMLElement>('.rank-word')?.innerText ?? '').trim(), (li.querySelector<HTMLElement>('.rank-count')?.innerText ?? '').trim()] as [string, string]),
  );
}

export const excludedWords = (page: Page): Promise<string[]> => page.locator('.excluded-list > li > span').allInnerTexts();

// ---- the calendar -------------------------------------------------------------------------

/** The plans a day cell of the calendar shows, in order (a D-day's title ends with "D-day"). */
export const plansOn = (page: Page, date: string): Promise<string[]> =>
  page.locator(`#day-${date} > li summary`).evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));

/** The calendar's month title. */
export const calendarTitle = (page: Page): Promise<string> => page.locator('#cal-title').innerText();

/** Adds a plan with the calendar's form; the calendar then shows the plan's month with the plan in its day. */
export async function addPlan(page: Page, date: string, title: string): Promise<void> {
  await page.getByLabel('날짜', { exact: true }).fill(date);
  await page.getByLabel('일정', { exact: true }).fill(title);
  await page.getByRole('button', { name: '추가하기', exact: true }).click();
  await expect.poll(() => plansOn(page, date)).toContain(title);
  await expect.poll(() => calendarTitle(page)).toBe(monthTitle(date));
  await expectVisibleText(page.locator('#calendar'), '일정을 추가했어요.');
}

/** Opens a plan's actions (a tap on it) and makes it the D-day; waits for the badge. */
export async function markDday(page: Page, date: string, title: string): Promise<void> {
  const plan = page.locator(`#day-${date} > li`).filter({ hasText: title });
  await plan.locator('summary').click();
  await plan.getByRole('button', { name: 'D‑day로 설정', exact: true }).click();
  await expect.poll(() => plansOn(page, date)).toContain(`${title} D-day`);
  await expectVisibleText(page.locator('#calendar'), 'D-day로 설정했어요.');
}

/** The D-day line of a page (the chat's header or the calendar's summary); '' when none. */
export const ddayText = (page: Page): Promise<string> => page.locator('#dday').innerText().then((t) => t.trim());

/** Moves the calendar with one of its links (이전 해, 다음 달, 오늘, …) and waits for the month. */
export async function moveCalendar(page: Page, link: string, title: string): Promise<void> {
  await submit(page, page.locator('.cal-nav').getByRole('link', { name: link, exact: true }));
  await expect.poll(() => calendarTitle(page)).toBe(title);
}
