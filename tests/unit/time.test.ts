import { describe, expect, it } from 'vitest';
import { canonicalZone, dayOf, dayRange, formatDate, formatDateTime, formatDay, formatTime, parseDate, timeCacheSizes } from '../../src/time';

describe('dates in a time zone', () => {
  it('knows real dates from impossible ones', () => {
    expect(parseDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-1-1', '20240101', '', 'x', '2024-04-31']) {
      expect(parseDate(bad), bad).toBeNull();
    }
  });

  it('puts the day boundary at midnight in Asia/Seoul (UTC+9)', () => {
    const [start, end] = dayRange({ year: 2026, month: 11, day: 29 }, 'Asia/Seoul');
    expect(new Date(start).toISOString()).toBe('2026-11-28T15:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2026-11-29T15:00:00.000Z');
    expect(dayOf(start, 'Asia/Seoul')).toBe('2026-11-29');
    expect(dayOf(start - 1, 'Asia/Seoul')).toBe('2026-11-28');
    expect(dayOf(end - 1, 'Asia/Seoul')).toBe('2026-11-29');
  });

  it('handles a 23-hour day across a DST change', () => {
    const [start, end] = dayRange({ year: 2026, month: 3, day: 29 }, 'Europe/Berlin');
    expect(new Date(start).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(end - start).toBe(23 * 3_600_000);
  });

  it('starts a day at the skip where the clocks jump over midnight itself', () => {
    const [start] = dayRange({ year: 2026, month: 9, day: 6 }, 'America/Santiago');
    expect(new Date(start).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(dayOf(start, 'America/Santiago')).toBe('2026-09-06');
    expect(dayOf(start - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('crosses month and year ends', () => {
    const [, end] = dayRange({ year: 2026, month: 12, day: 31 }, 'Asia/Seoul');
    expect(dayOf(end, 'Asia/Seoul')).toBe('2027-01-01');
  });
});

describe('times of day', () => {
  it('reads like a Korean phone in Korean and like an English one in English', () => {
    const at = Date.UTC(2026, 10, 29, 6, 5); // 15:05 in Seoul
    expect(formatTime(at, 'ko', 'Asia/Seoul')).toBe('오후 3:05');
    expect(formatTime(Date.UTC(2026, 10, 28, 15, 0), 'ko', 'Asia/Seoul')).toBe('오전 12:00');
    expect(formatTime(at, 'en', 'Asia/Seoul')).toMatch(/^3:05\sPM$/);
    expect(formatDateTime(at, 'ko', 'Asia/Seoul')).toBe('2026. 11. 29. 오후 3:05');
  });
});

describe('zone names and the caches kept per zone', () => {
  it('names a zone canonically in any spelling or alias, and nothing else', () => {
    for (const spelling of ['Asia/Seoul', 'asia/seoul', 'ASIA/SEOUL', 'aSiA/sEoUl']) expect(canonicalZone(spelling), spelling).toBe('Asia/Seoul');
    expect(canonicalZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalZone('utc')).toBe('UTC');
    for (const bad of ['', 'Mars/Olympus_Mons', 'Asia/Seoul ', '../etc/passwd', '+09:00', 'x'.repeat(65), 'Asia/Seoul\u0000']) expect(canonicalZone(bad), bad).toBeNull();
  });

  it('keeps its caches bounded whatever zones and spellings are asked for, and still formats right', () => {
    const at = Date.UTC(2026, 10, 29, 6, 5);
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (const lang of ['ko', 'en'] as const) {
        formatTime(at, lang, zone);
        formatDay(at, lang, zone);
        formatDate(at, lang, zone, 'medium');
        formatDateTime(at, lang, zone);
      }
    }
    for (let i = 0; i < 1_000; i++) canonicalZone(`Asia/Seoul${'_'.repeat(i % 50)}${i}`);
    const sizes = timeCacheSizes();
    expect(sizes.partsFormatters).toBeLessThanOrEqual(64);
    expect(sizes.hourOffsets).toBeLessThanOrEqual(64);
    expect(sizes.displayFormatters).toBeLessThanOrEqual(640);
    expect(sizes.zoneNames).toBeLessThanOrEqual(256);
    expect(formatTime(at, 'ko', 'Asia/Seoul')).toBe('오후 3:05');
    expect(formatTime(at, 'en', 'America/New_York')).toBe('1:05 AM');
  });
});
