// What a search looks for and what it marks: Korean words in the form the ranking counts them.
import { describe, expect, it } from 'vitest';
import { highlight, markedWords, searchTerms } from '../../src/chat/search';
import { normalizeWord } from '../../src/language/words';

const marks = (text: string, q: string) => highlight(text, markedWords(q)).filter((p) => p.match).map((p) => p.text);

describe('search terms', () => {
  it('takes a Korean word to its dictionary form, by the ranking’s own rules', () => {
    expect(searchTerms('고양이를')).toEqual(['고양이']);
    expect(searchTerms('고양이랑')).toEqual(['고양이']);
    expect(searchTerms('운동했어')).toEqual(['운동']);
    expect(searchTerms('영화를')).toEqual([normalizeWord('영화를')]);
    expect(searchTerms('고양이')).toEqual(['고양이']); // a word that merely ends like a particle stays whole
    expect(searchTerms('사과')).toEqual(['사과']);
  });

  it('looks for every word of the query, each once, and drops one that another contains', () => {
    expect(searchTerms('  고양이를   산책을 ')).toEqual(['고양이', '산책']);
    expect(searchTerms('고양이가 고양이를')).toEqual(['고양이']);
    expect(searchTerms('떡 떡볶이')).toEqual([normalizeWord('떡볶이')]);
  });

  it('keeps anything else as typed, lower-cased: symbols, Latin words, mixed pieces', () => {
    expect(searchTerms('100%')).toEqual(['100%']);
    expect(searchTerms('e_c')).toEqual(['e_c']);
    expect(searchTerms('hElLo')).toEqual(['hello']);
    expect(searchTerms("'quoted'")).toEqual(["'quoted'"]);
    expect(searchTerms('고양이를!')).toEqual(['고양이를!']);
  });

  it('is empty for an empty or blank query', () => {
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms('   ')).toEqual([]);
  });
});

describe('marks in a result', () => {
  it('marks the stem where the word shows with another particle, and the word as typed where it shows whole', () => {
    expect(marks('고양이가 귀여워', '고양이를')).toEqual(['고양이']);
    expect(marks('우리 고양이를 봐', '고양이를')).toEqual(['고양이를']);
    expect(marks('오늘저녁에떡볶이먹을래?', '떡볶이')).toEqual(['떡볶이']);
  });

  it('marks every word of the query, ignoring case', () => {
    expect(marks('Hello 고양이랑 hello', 'HELLO 고양이를')).toEqual(['Hello', '고양이', 'hello']);
  });

  it('marks nothing for no words', () => {
    expect(highlight('그냥 말', [])).toEqual([{ text: '그냥 말', match: false }]);
    expect(highlight('그냥 말', [''])).toEqual([{ text: '그냥 말', match: false }]);
  });
});
