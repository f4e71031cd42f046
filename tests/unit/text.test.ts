import { describe, expect, it } from 'vitest';
import { cleanText, looksBlank } from '../../src/language/text';

describe('what people type', () => {
  it.each([
    ['nothing', ''],
    ['spaces, new lines and an ideographic space', ' \n\t\u3000 '],
    ['zero-width space, joiners, word joiner and BOM', '\u200b\u200c\u200d\u2060\ufeff'],
    ['bidi marks', '\u200e\u200f\u202a\u202c'],
    ['Hangul fillers', '\u3164\u115f\u1160\uffa0'],
    ['the blank Braille pattern', '\u2800'],
    ['a lone variation selector', '\ufe0f'],
  ])('sees %s as blank', (_name, text) => {
    expect(looksBlank(text)).toBe(true);
  });

  it.each([
    ['a Korean word', '운동'],
    ['a jamo laugh', 'ㅋㅋ'],
    ['one full stop', '.'],
    ['an emoji with its variation selector', '❤️'],
    ['a family joined by zero-width joiners', '👨‍👩‍👧'],
    ['a word between zero-width spaces', '\u200b안녕\u200b'],
  ])('sees %s as something', (_name, text) => {
    expect(looksBlank(text)).toBe(false);
  });

  it('keeps new lines, tabs and joiners, and drops other control characters and the ends’ spaces', () => {
    expect(cleanText('  첫 줄\n\t둘째\u0000 줄 👨‍👩‍👧\u0007 ')).toBe('첫 줄\n\t둘째 줄 👨‍👩‍👧');
    expect(cleanText('\ud800외로운 서로게이트')).toBe('\ufffd외로운 서로게이트');
  });
});
