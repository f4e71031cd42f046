// Which reminders fall due on a partner's date, and what they say: the pure rules behind
// the 9:00 sweep (tests/http/reminders.test.ts sends them).
import { describe, expect, it } from 'vitest';
import { remindersOn, type CoupleDates } from '../../src/reminders/occasions';
import { reminderPayload } from '../../src/reminders/payload';
import { togetherSince } from '../../src/couple/together';

const none: CoupleDates = { startDay: '2026-10-03', partnerBirthday: null, dday: null };
const kinds = (today: string, dates: Partial<CoupleDates>) => remindersOn(today, { ...none, ...dates }).map((r) => [r.occasion.kind, 'n' in r.occasion ? r.occasion.n : '', r.on, r.lead]);

describe('reminders due on a date', () => {
  it('reminds of a 100일 step the day before and on the day, as the calendar counts it (the start day is day 1)', () => {
    expect(kinds('2027-01-09', {})).toEqual([['days', 100, '2027-01-10', 1]]);
    expect(kinds('2027-01-10', {})).toEqual([['days', 100, '2027-01-10', 0]]);
    expect(kinds('2027-01-11', {})).toEqual([]);
    expect(kinds('2027-10-02', {})).toEqual([['years', 1, '2027-10-03', 1]]);
  });

  it('reminds of the D-day and of the partner’s birthday, every year, 29 February on the 28th in common years', () => {
    expect(kinds('2027-03-12', { dday: { date: '2027-03-13', title: '여행' } })).toEqual([['dday', '', '2027-03-13', 1]]);
    expect(kinds('2027-03-13', { dday: { date: '2027-03-12', title: '지난 일' } })).toEqual([]);
    expect(kinds('2027-03-14', { partnerBirthday: '1995-03-14' })).toEqual([['birthday', '', '2027-03-14', 0]]);
    expect(kinds('2027-02-27', { partnerBirthday: '2000-02-29' })).toEqual([['birthday', '', '2027-02-28', 1]]);
    expect(kinds('2028-02-28', { partnerBirthday: '2000-02-29' })).toEqual([['birthday', '', '2028-02-29', 1]]);
  });

  it('reminds across a year’s end, and of several occasions on one day', () => {
    expect(kinds('2026-12-31', { startDay: '2026-01-01', partnerBirthday: '1990-01-01', dday: { date: '2027-01-01', title: '새해' } })).toEqual([
      ['years', 1, '2027-01-01', 1],
      ['dday', '', '2027-01-01', 1],
      ['birthday', '', '2027-01-01', 1],
    ]);
  });

  it('counts from 사귄 날 when the couple set it, else from the pairing day in the recipient’s zone', () => {
    const pairedAt = Date.parse('2026-10-02T20:00:00Z'); // the 3rd in Seoul, still the 2nd in New York
    expect(togetherSince({ startedOn: null, startedAt: pairedAt }, 'Asia/Seoul')).toBe('2026-10-03');
    expect(togetherSince({ startedOn: null, startedAt: pairedAt }, 'America/New_York')).toBe('2026-10-02');
    expect(togetherSince({ startedOn: '2025-05-05', startedAt: pairedAt }, 'Asia/Seoul')).toBe('2025-05-05');
  });
});

describe('a reminder’s notification', () => {
  it('names the partner and says the occasion in the recipient’s language, opening its day on the calendar', () => {
    const [eve] = remindersOn('2027-07-28', { ...none, startDay: '2026-10-03' });
    expect(reminderPayload(eve, { lang: 'ko', partnerName: '자기', previews: true })).toEqual({
      title: '자기',
      body: '내일은 우리 300일이에요',
      url: '/calendar?month=2027-07#day-2027-07-29',
      tag: 'reminder-days-300-2027-07-29',
    });
    const [birthday] = remindersOn('2027-03-14', { ...none, partnerBirthday: '1995-03-14' });
    expect(reminderPayload(birthday, { lang: 'en', partnerName: 'yoonseok', previews: true }).body).toBe('Today is yoonseok’s birthday');
    expect(reminderPayload(birthday, { lang: 'ko', partnerName: '윤석', previews: true }).body).toBe('오늘은 윤석의 생일이에요');
  });

  it('keeps a D-day’s title off the lock screen for someone who turned previews off', () => {
    const [eve] = remindersOn('2027-03-12', { ...none, dday: { date: '2027-03-13', title: '제주 여행' } });
    expect(reminderPayload(eve, { lang: 'ko', partnerName: '자기', previews: true }).body).toBe('내일은 D-Day예요: 제주 여행');
    expect(reminderPayload(eve, { lang: 'ko', partnerName: '자기', previews: false }).body).toBe('내일은 D-Day예요');
    expect(reminderPayload(eve, { lang: 'en', partnerName: 'jiwoo', previews: false }).body).toBe('Tomorrow is D-Day');
  });
});
