import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  anniversaries,
  anniversaryLabel,
  daysBetween,
  ddayLabel,
  monthGrid,
  parseMonth,
  togetherDays,
  weekdayOrder,
} from '../../src/calendar/dates';
import { cleanTitle, planErrors } from '../../src/calendar/parse';
import { translator } from '../../src/i18n/index';
import { dayOf } from '../../src/time';

const ko = translator('ko');
const en = translator('en');
const SEOUL = 'Asia/Seoul';

describe('month grids', () => {
  it('lays out a month in whole weeks starting on Sunday', () => {
    const grid = monthGrid({ year: 2026, month: 5 }, 0); // 1 May 2026 is a Friday
    expect(grid).toHaveLength(6);
    expect(grid.every((week) => week.length === 7)).toBe(true);
    expect(grid[0]).toEqual(['2026-04-26', '2026-04-27', '2026-04-28', '2026-04-29', '2026-04-30', '2026-05-01', '2026-05-02']);
    expect(grid[5][0]).toBe('2026-05-31');
    expect(grid[5][6]).toBe('2026-06-06');
  });

  it('starts the weeks on Monday when the user chose so', () => {
    const grid = monthGrid({ year: 2026, month: 5 }, 1);
    expect(grid[0][0]).toBe('2026-04-27');
    expect(grid[0][4]).toBe('2026-05-01');
    expect(grid.at(-1)!.at(-1)).toBe('2026-05-31'); // a Sunday closes the last week
    expect(grid).toHaveLength(5);
    expect(weekdayOrder(1)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(weekdayOrder(0)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('needs only four weeks for a February that starts on the first day of the week', () => {
    const grid = monthGrid({ year: 2026, month: 2 }, 0); // 1 Feb 2026 is a Sunday
    expect(grid).toHaveLength(4);
    expect(grid[0][0]).toBe('2026-02-01');
    expect(grid[3][6]).toBe('2026-02-28');
  });

  it('knows month ends and leap years (2024 has 29 February, 2100 does not)', () => {
    const days = (year: number, month: number, weekStart: 0 | 1 = 0) =>
      monthGrid({ year, month }, weekStart).flat().filter((d) => d.startsWith(`${year}-${String(month).padStart(2, '0')}`));
    expect(days(2024, 2).at(-1)).toBe('2024-02-29');
    expect(days(2023, 2).at(-1)).toBe('2023-02-28');
    expect(days(2100, 2).at(-1)).toBe('2100-02-28');
    expect(days(2000, 2).at(-1)).toBe('2000-02-29');
    expect(days(2026, 4).at(-1)).toBe('2026-04-30');
    expect(days(2026, 12, 1)).toHaveLength(31);
    expect(monthGrid({ year: 2026, month: 12 }, 0).at(-1)!.at(-1)).toBe('2027-01-02');
  });

  it('reads a month parameter, refusing anything that is not a real month', () => {
    expect(parseMonth('2026-05')).toEqual({ year: 2026, month: 5 });
    for (const bad of ['2024-13', '2024-00', '0000-01', 'abc', '', '2024-1', '2024-05-01', '202405', '9'.repeat(5000), ' 2024-05']) {
      expect(parseMonth(bad), bad.slice(0, 20)).toBeNull();
    }
  });

  it('moves by months and years across year ends, and not past the years dates may have', () => {
    expect(addMonths({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
    expect(addMonths({ year: 2026, month: 12 }, 1)).toEqual({ year: 2027, month: 1 });
    expect(addMonths({ year: 2026, month: 5 }, 12)).toEqual({ year: 2027, month: 5 });
    expect(addMonths({ year: 2026, month: 5 }, -12)).toEqual({ year: 2025, month: 5 });
    expect(addMonths({ year: 1900, month: 1 }, -1)).toBeNull();
    expect(addMonths({ year: 2999, month: 6 }, 12)).toBeNull();
  });
});

describe('D-day labels', () => {
  it('counts down to the day, marks the day itself, then counts up', () => {
    expect(ddayLabel('2026-05-05', '2026-05-02', '생일', ko)).toBe('D-3 생일');
    expect(ddayLabel('2026-05-05', '2026-05-05', '생일', ko)).toBe('D-Day 생일');
    expect(ddayLabel('2026-05-05', '2026-05-07', '생일', ko)).toBe('D+2 생일');
    expect(ddayLabel('2026-05-05', '2026-05-04', 'Birthday', en)).toBe('D-1 Birthday');
  });

  it('counts calendar days across months, leap days and years', () => {
    expect(ddayLabel('2024-03-01', '2024-02-28', '여행', ko)).toBe('D-2 여행');
    expect(ddayLabel('2027-01-01', '2026-12-31', '새해', ko)).toBe('D-1 새해');
    expect(ddayLabel('2025-01-01', '2026-01-01', '처음', ko)).toBe('D+365 처음');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('changes at midnight in the viewer’s zone, not in UTC', () => {
    const before = Date.parse('2026-05-04T23:59:59+09:00');
    const after = Date.parse('2026-05-05T00:00:00+09:00');
    expect(after - before).toBe(1000);
    expect(ddayLabel('2026-05-05', dayOf(before, SEOUL), '생일', ko)).toBe('D-1 생일');
    expect(ddayLabel('2026-05-05', dayOf(after, SEOUL), '생일', ko)).toBe('D-Day 생일');
    // the same two instants are both 4 May in UTC
    expect(ddayLabel('2026-05-05', dayOf(after, 'UTC'), '생일', ko)).toBe('D-1 생일');
  });
});

describe('days together and anniversaries', () => {
  it('counts the pairing day as day 1', () => {
    expect(togetherDays('2026-01-01', '2026-01-01')).toBe(1);
    expect(togetherDays('2026-01-01', '2026-01-02')).toBe(2);
    expect(togetherDays('2026-01-01', addDays('2026-01-01', 99))).toBe(100);
  });

  it('turns the day at midnight in Seoul: paired at 23:59:59, it is day 2 a second later', () => {
    const paired = Date.parse('2026-03-10T23:59:59+09:00');
    const next = Date.parse('2026-03-11T00:00:00+09:00');
    expect(togetherDays(dayOf(paired, SEOUL), dayOf(paired, SEOUL))).toBe(1);
    expect(togetherDays(dayOf(paired, SEOUL), dayOf(next, SEOUL))).toBe(2);
  });

  it('marks 100, 200, 300 and 1000 days, the 100th being 99 days after the pairing day', () => {
    const marks = anniversaries('2026-01-01', '2026-01-01', '2028-12-31');
    expect(marks.get('2026-04-10')).toEqual([{ kind: 'days', n: 100 }]);
    expect(daysBetween('2026-01-01', '2026-04-10')).toBe(99);
    expect(marks.get('2026-07-19')).toEqual([{ kind: 'days', n: 200 }]);
    expect(marks.get('2026-10-27')).toEqual([{ kind: 'days', n: 300 }]);
    expect(marks.get('2028-09-26')).toEqual([{ kind: 'days', n: 1000 }]);
    expect(marks.has('2026-01-01')).toBe(false);
    expect(anniversaryLabel({ kind: 'days', n: 100 }, ko)).toBe('100일');
    expect(anniversaryLabel({ kind: 'days', n: 100 }, en)).toBe('Day 100');
  });

  it('marks each yearly anniversary on the same date', () => {
    const marks = anniversaries('2026-05-03', '2026-01-01', '2030-12-31');
    expect(marks.get('2027-05-03')).toEqual([{ kind: 'years', n: 1 }]);
    expect(marks.get('2028-05-03')).toEqual([{ kind: 'years', n: 2 }]);
    expect(marks.get('2030-05-03')).toEqual([{ kind: 'years', n: 4 }]);
    expect(marks.has('2026-05-03')).toBe(false);
    expect(anniversaryLabel({ kind: 'years', n: 2 }, ko)).toBe('2주년');
  });

  it('only lists what falls in the asked range, and brings a 29 February back on the 28th', () => {
    const may = anniversaries('2024-02-29', '2025-02-01', '2025-03-08');
    expect([...may]).toEqual([['2025-02-28', [{ kind: 'years', n: 1 }]]]);
    expect(anniversaries('2024-02-29', '2028-02-01', '2028-03-01').get('2028-02-29')).toEqual([{ kind: 'years', n: 4 }]);
    expect(anniversaries('2026-01-01', '2026-05-01', '2026-05-31').size).toBe(0);
  });
});

describe('a new plan', () => {
  it('keeps a title on one line, trimmed', () => {
    expect(cleanTitle('  데이트\n저녁\t ')).toBe('데이트 저녁');
    expect(cleanTitle('\u0000\u0007')).toBe('');
  });

  it('needs a real date and a title of 1 to 100 characters (emoji count as one)', () => {
    expect(planErrors('2024-02-29', '생일')).toEqual({});
    expect(planErrors('2024-02-30', '생일')).toEqual({ date: 'calendar.date.invalid' });
    expect(planErrors('2024/02/01', '생일')).toEqual({ date: 'calendar.date.invalid' });
    expect(planErrors('', '')).toEqual({ date: 'calendar.date.required', title: 'calendar.title.blank' });
    expect(planErrors('2026-05-01', '😀'.repeat(100))).toEqual({});
    expect(planErrors('2026-05-01', '가'.repeat(101))).toEqual({ title: 'calendar.title.tooLong' });
  });
});
