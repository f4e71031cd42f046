import { defineConfig } from 'vitest/config';

/**
 * The suites whose outcome depends on the date: the calendar, D-days, days together and
 * anniversaries, break-up due times, the ranking's 7-day window, search by date, the
 * export's dates, and the pages' look (a11y, screenshots). They run again with the app's
 * clock (and the browser's) at each of DATES, on SQLite, besides the run of everything
 * at the real time (tests/support/clock.ts reads TEST_NOW; the app never does).
 */
const DATE_SUITES = [
  'tests/http/calendar.test.ts',
  'tests/http/breakup.test.ts',
  'tests/http/breakup-purge.test.ts',
  'tests/http/ranking.test.ts',
  'tests/http/chat-search.test.ts',
  'tests/http/export.test.ts',
  'tests/http/demo.test.ts',
  'tests/e2e/liveUpdates.test.ts',
  'tests/e2e/a11y.test.ts',
  'tests/e2e/screenshots.test.ts',
];

/** Where calendars break: a year's end (30 s before it, in Seoul), a new year, a common and a leap February's end, a DST change. */
const DATES: Record<string, string> = {
  '2026-12-07': '2026-12-07T12:00:00+09:00',
  'year end': '2026-12-31T23:59:30+09:00',
  '2027-01-01': '2027-01-01T09:00:00+09:00',
  '2027-02-28': '2027-02-28T12:00:00+09:00',
  '2028-02-29': '2028-02-29T12:00:00+09:00',
  'New York DST': '2027-03-14T01:59:30-05:00', // 30 s before New York's clocks skip to 03:00
};

export default defineConfig({
  test: {
    globalSetup: ['tests/support/services.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll gives up after 1 s by default; a loaded CI machine needs what the browser
    // helpers wait (SEE_TIMEOUT), e.g. for a read mark's timer, POST, event and swap
    expect: { poll: { timeout: 5_000 } },
    projects: [
      { extends: true, test: { name: 'now', include: ['tests/**/*.test.ts'] } },
      ...Object.entries(DATES).map(([name, at]) => ({
        extends: true as const,
        test: { name: `at ${name}`, include: DATE_SUITES, env: { TEST_NOW: at, TEST_BACKENDS: 'sqlite' } },
      })),
    ],
  },
});
