// The words of a chat message, as both the questions and the ranking see them: Intl word
// segments, lower-cased, with Korean particles and 하다-endings taken off, so 운동을,
// 운동하는 and 운동했어 are all 운동. Korean is written without a dictionary here, so the
// rules are cautious: a particle comes off only where Korean grammar allows it (은/을/이
// after a final consonant, 는/를/가 after a vowel), and words that merely end like a
// particle (고양이, 가을, 사과) are kept whole.

const segmenter = new Intl.Segmenter('ko', { granularity: 'word' });

export const MAX_WORD_CHARS = 40;

const HANGUL_SYLLABLE = /^[\uAC00-\uD7A3]+$/;
const HAS_LETTER = /\p{L}/u;
const JAMO_ONLY = /^[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uD7B0-\uD7FF]+$/;

/** Nouns that end in a syllable that is also a particle; they never lose it. */
const WHOLE_WORDS = new Set([
  '같이', '많이', '없이', '굳이', '고양이', '호랑이', '원숭이', '토끼', '돼지', '놀이', '먹이', '높이', '깊이', '길이', '나이', '아이', '오이', '거북이',
  '누나', '언니', '오빠', '엄마', '아빠', '할머니', '할아버지', '어머니', '아버지', '사과', '결과', '효과', '가을', '마을',
  '하늘', '바다', '포도', '정도', '온도', '속도', '만두', '우리', '여기', '거기', '저기', '누가', '가수', '한국', '영어',
]);

const hasFinalConsonant = (syllable: string) => (syllable.charCodeAt(0) - 0xac00) % 28 !== 0;

interface Ending {
  text: string;
  /** what the stem must end with: a final consonant, a vowel, or either */
  after: 'consonant' | 'vowel' | 'any';
  /** how many syllables must remain */
  minStem: number;
}

const ending = (after: Ending['after'], minStem: number, ...texts: string[]): Ending[] => texts.map((text) => ({ text, after, minStem }));

// Longest first, so 에서 comes off before 서 could be considered.
const ENDINGS: Ending[] = [
  ...ending('consonant', 1, '은', '을', '이', '이랑', '이나', '이야', '이에요', '이라서', '이라고', '이지', '으로', '이랑은', '이었어'),
  ...ending('vowel', 1, '는', '를', '가', '랑', '나', '야', '예요', '라서', '라고', '로', '였어'),
  ...ending('consonant', 2, '과'),
  ...ending('vowel', 2, '와'),
  ...ending('any', 1, '에서', '에게', '한테', '까지', '부터', '처럼', '보다', '마다', '밖에', '이랑', '께서'),
  ...ending('any', 2, '도', '만', '에', '의', '요', '께'),
  // a noun made a verb with 하다: 운동하는, 운동했어, 공부하러 …
  ...ending(
    'any',
    2,
    '하는', '하다', '해', '해요', '했어', '했어요', '했다', '했는데', '하고', '하러', '해서', '하면', '하자', '할래', '할까',
    '한다', '합니다', '하기', '하는데', '할', '한', '했던', '하던', '하려고', '하니', '했니', '하지', '해야', '해도', '하는거',
    '하는게', '했지', '할게', '해줘', '하면서', '하냐', '했냐',
  ),
].sort((x, y) => y.text.length - x.text.length);

function stripOnce(word: string): string | null {
  for (const e of ENDINGS) {
    if (!word.endsWith(e.text)) continue;
    const stem = word.slice(0, -e.text.length);
    if (stem.length < e.minStem) continue;
    const last = stem.at(-1)!;
    if (e.after === 'consonant' && !hasFinalConsonant(last)) continue;
    if (e.after === 'vowel' && hasFinalConsonant(last)) continue;
    return stem;
  }
  return null;
}

/** The dictionary form of one Korean word: at most two endings come off (고양이한테는 → 고양이). */
function koreanStem(word: string, keep: ReadonlySet<string>): string {
  let stem = word;
  for (let i = 0; i < 2; i++) {
    if (WHOLE_WORDS.has(stem) || keep.has(stem)) return stem;
    const shorter = stripOnce(stem);
    if (!shorter) return stem;
    stem = shorter;
  }
  return stem;
}

/** cats → cat, movie's → movie; short words and -ss words stay. */
function latinStem(word: string): string {
  const w = word.replace(/['’]s$/, '');
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** A segment worth counting: it has a letter and is not ㅋㅋ / ㅠㅠ, a number or a symbol. */
function isWord(segment: string): boolean {
  return HAS_LETTER.test(segment) && !JAMO_ONLY.test(segment) && segment.length <= MAX_WORD_CHARS;
}

/** The word segments of a text as typed, lower-cased (NFC), without jamo runs, numbers or symbols. */
export function rawWords(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFC'))) {
    if (!s.isWordLike) continue;
    const w = s.segment.toLowerCase();
    if (isWord(w)) out.push(w);
  }
  return out;
}

/** One typed word in dictionary form; `keep` lists words known whole (e.g. trigger words). */
export function normalizeWord(word: string, keep: ReadonlySet<string> = new Set()): string {
  if (HANGUL_SYLLABLE.test(word)) return koreanStem(word, keep);
  return /^[a-z'’]+$/.test(word) ? latinStem(word) : word;
}

/** The words of a message as the ranking counts them. */
export function words(text: string, keep: ReadonlySet<string> = new Set()): string[] {
  return rawWords(text).map((w) => normalizeWord(w, keep));
}

/** A word typed in the exclusion form, normalized like the ranking's words; null if it is not one word. */
export function parseWord(input: string): string | null {
  const found = rawWords(input.trim());
  if (found.length !== 1 || found[0] !== input.trim().toLowerCase().normalize('NFC')) return null;
  return found[0];
}
