// The words of a chat message, as both the questions and the ranking see them: Intl word
// segments, lower-cased, with Korean particles and 하다-endings taken off, so 운동을,
// 운동하는 and 운동했어 are all 운동. Korean is written without a dictionary here, so the
// rules are cautious: a particle comes off only where Korean grammar allows it (은/을/이
// after a final consonant, 는/를/가 after a vowel), and words that merely end like a
// particle (고양이, 가을, 사과) are kept whole.

import { lazySegmenter } from '../lazyModules';

const segmenter = lazySegmenter('ko', 'word');

export const MAX_WORD_CHARS = 40;

const HANGUL_SYLLABLE = /^[\uAC00-\uD7A3]+$/;
const HAS_LETTER = /\p{L}/u;
const JAMO_ONLY = /^[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uD7B0-\uD7FF]+$/;
/** A bare domain at the start of a piece, with its path: naver.com, youtu.be/x (last label 2+ Latin letters, so "e.g" stays). */
const DOMAIN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![a-z0-9.-])(?:\/\S*)?/i;
const SCHEME_CHAR = /[a-z0-9+.-]/i;

/**
 * One space-free piece of a message without the link or address in it: those are not words
 * anyone typed (a YouTube link would rank "https", "watch" and "v", and ask about whatever
 * its path says). Plain string searches and anchored patterns only, so a long piece costs
 * linear time.
 */
function unlinked(piece: string): string {
  const scheme = piece.indexOf('://');
  if (scheme > 0) {
    let from = scheme;
    while (from > 0 && SCHEME_CHAR.test(piece[from - 1])) from--;
    if (from < scheme) return piece.slice(0, from);
  }
  const www = piece.search(/www\./i);
  if (www === 0 || (www > 0 && !/[\p{L}\p{N}]/u.test(piece[www - 1]))) return piece.slice(0, www);
  const at = piece.indexOf('@');
  if (at > 0 && piece.indexOf('.', at + 2) > 0) return '';
  const lead = piece.length - piece.replace(/^[\p{Ps}\p{Pi}"'<]+/u, '').length;
  const domain = DOMAIN.exec(piece.slice(lead));
  return domain ? piece.slice(0, lead) + piece.slice(lead + domain[0].length) : piece;
}

/** Nouns that end in a syllable that is also a particle; they never lose it. */
const WHOLE_WORDS = new Set([
  '같이', '많이', '없이', '굳이', '고양이', '호랑이', '원숭이', '토끼', '돼지', '놀이', '먹이', '높이', '깊이', '길이', '나이', '아이', '오이', '거북이',
  '누나', '언니', '오빠', '엄마', '아빠', '할머니', '할아버지', '어머니', '아버지', '사과', '결과', '효과', '가을', '마을',
  '하늘', '바다', '포도', '정도', '온도', '속도', '만두', '우리', '여기', '거기', '저기', '누가', '가수', '한국', '영어',
  '오랜만', '사랑', '휴가', '요가', '바나나', '회의', '강의', '도로', '수도', '지도', '이해', '오해', '새해', '역할',
]);

const hasFinalConsonant = (syllable: string) => (syllable.charCodeAt(0) - 0xac00) % 28 !== 0;

interface Ending {
  text: string;
  /** what the stem must end with: a final consonant, a vowel, or either */
  after: 'consonant' | 'vowel' | 'any';
  /** how many syllables must remain */
  minStem: number;
  /** a 하다-ending (운동하는), not a particle */
  verb?: boolean;
}

const ending = (after: Ending['after'], minStem: number, ...texts: string[]): Ending[] => texts.map((text) => ({ text, after, minStem }));
const verbEnding = (...texts: string[]): Ending[] => texts.map((text) => ({ text, after: 'any', minStem: 2, verb: true }));

// One ending comes off a word, never two: a stem may itself end like a particle (사랑, 휴가,
// 바다), and taking a second one would cut the word (사랑해 → 사랑, not 사). Particles that
// stack (한테는, 에서도) are listed as one ending. Longest first.
const PARTICLES = ['한테', '에서', '에게', '까지', '부터', '처럼', '보다', '마다', '밖에', '께서', '하고', '이랑', '으로'];
const TOPIC = ['는', '도', '만'];
const ENDINGS: Ending[] = [
  ...ending('consonant', 1, '은', '을', '이', '이랑', '이야', '이에요', '이라서', '이라고', '이지', '으로', '이었어', '이랑은', '이랑도', '으로는', '으로도'),
  ...ending('vowel', 1, '는', '를', '야', '예요', '에요', '라서', '라고', '였어'),
  ...ending('vowel', 2, '가', '랑', '로', '와', '랑은', '랑도', '로는', '로도'),
  ...ending('consonant', 2, '과'),
  ...ending('any', 1, ...PARTICLES, ...PARTICLES.flatMap((p) => TOPIC.map((t) => p + t))),
  ...ending('any', 2, '도', '만', '에', '의', '요', '께', '에는', '에도', '에만', '의는'),
  // a noun made a verb with 하다: 운동하는, 운동했어, 사랑해 …
  ...verbEnding(
    '하는', '하다', '해', '해요', '했어', '했어요', '했다', '했는데', '하고', '하러', '해서', '하면', '하자', '할래', '할까',
    '한다', '합니다', '하기', '하는데', '할', '한', '했던', '하던', '하려고', '하니', '했니', '하지', '해야', '해도', '하는거',
    '하는게', '했지', '할게', '해줘', '하면서', '하냐', '했냐', '해서요', '하세요', '했잖아', '하잖아',
  ),
].sort((x, y) => y.text.length - x.text.length);

/** The stem left when `e` comes off `word`, if Korean grammar allows it there (`loose`: however short it is). */
function fits(word: string, e: Ending, loose = false): string | null {
  if (!word.endsWith(e.text)) return null;
  const stem = word.slice(0, -e.text.length);
  if (stem === '' || (!loose && stem.length < e.minStem)) return null;
  const last = stem.at(-1)!;
  if (e.after === 'consonant' && !hasFinalConsonant(last)) return null;
  if (e.after === 'vowel' && hasFinalConsonant(last)) return null;
  return stem;
}

/**
 * The dictionary form of one Korean word: a known word stays whole; an ending that leaves
 * a known word wins (원숭이랑 → 원숭이, not 원숭; 비가 → 비); else the longest ending that
 * fits. A one-syllable word never loses a 하다-ending (비해 is not 비).
 */
function koreanStem(word: string, keep: ReadonlySet<string>): string {
  const known = (w: string) => WHOLE_WORDS.has(w) || keep.has(w);
  if (known(word)) return word;
  let fallback: string | null = null;
  for (const e of ENDINGS) {
    const stem = fits(word, e, !e.verb);
    if (stem === null) continue;
    if (known(stem) && (stem.length > 1 || !e.verb)) return stem;
    fallback ??= fits(word, e);
  }
  return fallback ?? word;
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

/**
 * Text where ICU's word breaks are plain runs (most chat lines): Hangul syllables, ASCII and
 * compatibility jamo only, with no `_` and no . , : ; ' between two letters or digits (the
 * only places ICU would join across punctuation). There Hangul syllables make words of their
 * own and Latin letters, digits and jamo make words together, so a regex gives the same
 * segments as Intl.Segmenter at a tenth of its cost (about 0.1 ms a message; a property test
 * compares the two).
 */
const PLAIN_TEXT = /^[\uAC00-\uD7A3\u3131-\u318E\x20-\x7E\t\n\r]*$/;
const JOINS_ACROSS = /_|[\u3131-\u318Ea-zA-Z0-9][.,:;'][\u3131-\u318Ea-zA-Z0-9]/;
const PLAIN_WORDS = /[\uAC00-\uD7A3]+|[\u3131-\u318Ea-zA-Z0-9]+/g;

/** The word-like segments of a plain text (see PLAIN_TEXT) by regex; null for any other text. */
export function plainSegments(text: string): string[] | null {
  if (!PLAIN_TEXT.test(text) || JOINS_ACROSS.test(text)) return null;
  return text.match(PLAIN_WORDS) ?? [];
}

/** The word-like segments of any text, as ICU's word break rules cut it. */
export function icuSegments(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter().segment(text)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/** The word segments of a text as typed, lower-cased (NFC), without links, jamo runs, numbers or symbols. */
export function rawWords(text: string): string[] {
  const out: string[] = [];
  // invisible format characters (ZWJ, BOM, soft hyphen) would cut a word in two, and
  // unusual spaces (U+202F before French punctuation) would be glued into one
  const clean = text.replace(/\p{Cf}/gu, '').normalize('NFC').replace(/\p{Zs}/gu, ' ').replace(/\S+/g, unlinked);
  for (const segment of plainSegments(clean) ?? icuSegments(clean)) {
    const w = segment.toLowerCase();
    if (isWord(w)) out.push(w);
  }
  return out;
}

/** One typed word in dictionary form; `keep` lists words known whole (e.g. trigger words). */
export function normalizeWord(word: string, keep: ReadonlySet<string> = new Set()): string {
  if (HANGUL_SYLLABLE.test(word)) {
    // to a fixed point, so a word as ranked normalizes to itself (밥이요 → 밥이 → 밥)
    let stem = word;
    for (let previous = ''; stem !== previous; ) [previous, stem] = [stem, koreanStem(stem, keep)];
    return stem;
  }
  return /^[a-z'’]+$/.test(word) ? latinStem(word) : word;
}

/** The words of a message as the ranking counts them. */
export function words(text: string, keep: ReadonlySet<string> = new Set()): string[] {
  return rawWords(text).map((w) => normalizeWord(w, keep));
}

/** A word typed in the exclusion form: one word, lower-cased (the route takes it to its dictionary form); null if it is not one word. */
export function parseWord(input: string): string | null {
  const found = rawWords(input.trim());
  if (found.length !== 1 || found[0] !== input.trim().toLowerCase().normalize('NFC')) return null;
  return found[0];
}
