import { describe, expect, it } from 'vitest';
import { bannerView, durationText, remainingText } from '../../src/couple/banner';
import { translator } from '../../src/i18n/index';

const ko = translator('ko');
const en = translator('en');
const s = 1_000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('the break-up countdown', () => {
  it.each([
    [7 * d, '7일 0시간 남음'],
    [7 * d - 1, '6일 23시간 남음'],
    [d + 5 * h + 59 * m, '1일 5시간 남음'],
    [3 * h + 4 * m + 5 * s, '3시간 4분 남음'],
    [2 * m, '2분 0초 남음'],
    [59 * s + 999, '59초 남음'],
    [999, '곧 연결이 끊어져요'],
    [0, '곧 연결이 끊어져요'],
    [-5 * s, '곧 연결이 끊어져요'],
  ])('shows %d ms as %j (the two largest units, rounded down)', (ms, text) => {
    expect(remainingText(ms, ko)).toBe(text);
  });

  it('speaks English too', () => {
    expect(remainingText(3 * h + 4 * m, en)).toBe('3h 4m left');
    expect(remainingText(0, en)).toBe('Ending any moment now');
  });
});

describe('the grace as words', () => {
  it.each([
    [7 * d, '7일'],
    [2 * m, '2분'],
    [2 * s, '2초'],
    [h + 30 * m, '1시간 30분'],
  ])('says %d ms as %j', (ms, text) => {
    expect(durationText(ms, ko)).toBe(text);
  });

  it.each([
    [7 * d, '7 days'],
    [d, '1 day'],
    [h + m, '1 hour 1 minute'],
    [2 * h + 30 * m, '2 hours 30 minutes'],
    [s, '1 second'],
    [0, '0 seconds'],
  ])('says %d ms in English as %j, in words', (ms, text) => {
    expect(durationText(ms, en)).toBe(text);
  });
});

describe('the banner', () => {
  it('shows the due time in the viewer’s zone and hands the script the words it ticks with', () => {
    const due = Date.UTC(2026, 10, 29, 6, 5); // 15:05 in Seoul, 01:05 in New York
    const seoul = bannerView({ dueAt: due, byUserId: 1, byLoginId: 'yoonseok' }, 'ko', 'Asia/Seoul', due - 2 * d);
    expect(seoul.dueText).toBe('2026. 11. 29. 오후 3:05');
    expect(seoul.dueIso).toBe('2026-11-29T06:05:00.000Z');
    expect(seoul.remaining).toBe('2일 0시간 남음');
    expect(JSON.parse(seoul.units)).toEqual({ d: '{n}일', h: '{n}시간', m: '{n}분', s: '{n}초', left: '{time} 남음', now: '곧 연결이 끊어져요' });
    const newYork = bannerView({ dueAt: due, byUserId: 1, byLoginId: 'yoonseok' }, 'en', 'America/New_York', due - 90 * s);
    expect(newYork.dueText).toBe('Nov 29, 2026, 1:05 AM');
    expect(newYork.remaining).toBe('1m 30s left');
  });
});
