import type { Db } from '../db';
import type { Lang } from '../i18n/index';
import { normalizeWord, rawWords } from '../language/words';

/** The question bank's trigger words (seeded by a migration, never changed at run time). */
export interface Bank {
  /** trigger word → the questions it asks, in bank order */
  triggers: Map<string, number[]>;
  /** the trigger words, for the tokenizer to keep whole */
  words: ReadonlySet<string>;
}

const banks = new WeakMap<Db, Promise<Bank>>();

export function questionBank(db: Db): Promise<Bank> {
  let bank = banks.get(db);
  if (!bank) {
    bank = loadBank(db);
    bank.catch(() => banks.delete(db)); // a database that was away: ask again next time
    banks.set(db, bank);
  }
  return bank;
}

async function loadBank(db: Db): Promise<Bank> {
  const rows = await db('question_triggers').orderBy('question_id').select('word', 'question_id');
  const triggers = new Map<string, number[]>();
  for (const row of rows) {
    const word = String(row.word);
    triggers.set(word, [...(triggers.get(word) ?? []), Number(row.question_id)]);
  }
  return { triggers, words: new Set(triggers.keys()) };
}

export const questionText = (row: { text_ko: string; text_en: string }, lang: Lang) => (lang === 'en' ? row.text_en : row.text_ko);

const HANGUL = /^[\uAC00-\uD7A3]+$/;

/**
 * The trigger words a typed word stands for. Besides its dictionary form, a Korean word
 * may start or end with a trigger of two syllables or more, as spoken Korean glues words
 * together (운동갔다가, 길고양이); one-syllable triggers (밥, 잠, 일) must stand alone so
 * 잠깐 or 일주일 ask nothing.
 */
function triggersIn(word: string, bank: Bank): string[] {
  const found: string[] = [];
  const add = (w: string) => {
    if (bank.words.has(w) && !found.includes(w)) found.push(w);
  };
  const stem = normalizeWord(word, bank.words);
  add(stem);
  add(word);
  if (HANGUL.test(word)) {
    for (const w of new Set([word, stem])) {
      for (let n = w.length - 1; n >= 2; n--) {
        add(w.slice(0, n));
        add(w.slice(-n));
      }
    }
  }
  return found;
}

/**
 * Words of every day that name a time or a routine more than a topic: "우리 주말에 고양이
 * 카페 갈래?" is about the cat, not the weekend. They still ask when nothing else does.
 */
const BROAD_TRIGGERS = new Set([
  '주말', '토요일', '일요일', '불금', '월요일', '퇴근', '출근', '회사', '직장', '업무', '아침', '새벽', '휴일', '연휴',
  '밥', '음식', '친구', '가족', '날씨', '여행', '데이트', '습관', '공부', '학교', '전화', '통화', '카톡', '답장', '문자',
  'weekend', 'saturday', 'sunday', 'monday', 'office', 'job', 'food', 'friend', 'family', 'weather', 'trip', 'date',
]);

type Candidate = { questionId: number; word: string };

/**
 * The most specific of the questions a message could ask: a word naming a topic before a
 * broad one (BROAD_TRIGGERS), then the longer word (길고양이 before 카페), then the earlier
 * one in the message.
 */
export function mostSpecific(candidates: readonly Candidate[]): Candidate | undefined {
  const rank = (c: Candidate) => (BROAD_TRIGGERS.has(c.word) ? 0 : 1000) + [...c.word].length;
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || rank(c) > rank(best)) best = c;
  return best;
}

/** The questions a text (or its words as typed: rawWords) could ask, in the order their words appear (each once). */
export function triggeredQuestions(text: string | readonly string[], bank: Bank): Array<{ questionId: number; word: string }> {
  const out: Array<{ questionId: number; word: string }> = [];
  const seen = new Set<number>();
  for (const word of typeof text === 'string' ? rawWords(text) : text) {
    for (const trigger of triggersIn(word, bank)) {
      for (const questionId of bank.triggers.get(trigger) ?? []) {
        if (seen.has(questionId)) continue;
        seen.add(questionId);
        out.push({ questionId, word: trigger });
      }
    }
  }
  return out;
}
