// The questions and ranking figures: GET /rank over a week of 100,000 messages, and what
// the trigger check adds to a send.
import { performance } from 'node:perf_hooks';
import { transaction, type Db } from '../../src/db';
import { EVERY_TRIGGER_ASKS } from '../../src/config';
import { insertMessage } from '../../src/chat/messages';
import { markRead } from '../../src/chat/readMarks';
import { answerQuestion, askTriggeredQuestion } from '../../src/questions/asked';
import { advanceQuestions, questionsState, rememberQuestions } from '../../src/questions/questionsState';
import { CoupleChanges } from '../../src/realtime/coupleChanges';
import { systemClock } from '../../src/clock';
import { questionBank } from '../../src/questions/bank';
import type { AppProcess } from './appProcess';
import { timePage, type PageTiming } from './render';
import { PHRASES, type SeededCouple } from './seed';
import { summarize, type Summary } from './stats';

const DAY = 86_400_000;
const BATCH = 1_000;

/**
 * A vocabulary of made-up two-syllable words used with a Zipf-like frequency, so a week
 * holds a few thousand different words per person and day, as real chat does.
 */
function vocabulary(size: number): string[] {
  const words: string[] = [];
  for (let i = 0; words.length < size; i++) {
    const first = String.fromCharCode(0xac00 + ((i * 2917) % 11172));
    const second = String.fromCharCode(0xac00 + ((i * 7919 + 13) % 11172));
    words.push(first + second);
  }
  return words;
}

function zipfPicker(n: number, seed: number): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const r = state / 2 ** 31;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * `count` messages over the last seven days, stored the way the app stores them
 * (insertMessage, which keeps the daily word counts), alternating senders.
 */
export async function seedWeek(db: Db, couple: SeededCouple, count: number): Promise<void> {
  const bank = await questionBank(db);
  const words = vocabulary(4_000);
  const pick = zipfPicker(words.length, 42);
  const end = Date.now() - 60_000;
  const span = 7 * DAY - 3_600_000;
  for (let from = 0; from < count; from += BATCH) {
    await transaction(db, async (trx) => {
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const text = `${PHRASES[i % PHRASES.length]} ${words[pick()]} ${words[pick()]} ${words[pick()]} ${words[pick()]}`;
        const at = Math.round(end - span + (span * i) / count);
        await insertMessage(trx, couple.id, i % 2 === 0 ? couple.a.id : couple.b.id, text, `week-${i}`, { bank, timeZone: 'Asia/Seoul', cadence: EVERY_TRIGGER_ASKS }, at);
      }
    });
  }
}

export async function measureRank(app: AppProcess, couple: SeededCouple, requests: number, localDbServer: boolean): Promise<PageTiming> {
  const words = (html: string) => `${html.split('class="rank-word"').length - 1} words ranked`;
  return timePage(app, couple, { chatRequests: 0, searchRequests: 0, localDbServer }, { name: 'GET /rank?n=10', path: '/rank?n=10', requests, shown: words });
}

export interface TriggerTiming {
  timing: Summary;
  triggering: number;
  checked: number;
}

/**
 * The trigger check as a send runs it, inside the send's transaction after it took the
 * couple's event number, timed on its own: the couple's questions state (remembered from
 * the send before, else read) and the match, over messages of everyday chat (many have a
 * trigger word). The couple's questions progress as in life: the partners take turns,
 * each message is read by the other (a read mark) before the next is sent, and a question
 * asked is answered by both before the next message, so later trigger words meet
 * questions already had, and the bank's questions run out one by one.
 */
export async function measureTriggerCheck(db: Db, couple: SeededCouple, count: number): Promise<TriggerTiming> {
  const bank = await questionBank(db);
  const texts = [...PHRASES, '나는 운동갔다가 저녁 먹고 쉬려고!', '어제 길고양이 봤는데 너무 귀엽더라', '아 나는 밥 먹으러 갔다 와야겠다!'];
  const samples: number[] = [];
  let triggering = 0;
  // as the app does it: a change of the couple, its questions memo moving on after commit (no stream to tell here)
  const changes = new CoupleChanges(db, systemClock, { published: async () => {} });
  changes.onCommit(advanceQuestions(db));
  for (let i = 0; i < count; i++) {
    const text = texts[i % texts.length];
    const [sender, reader] = i % 2 === 0 ? [couple.a, couple.b] : [couple.b, couple.a];
    const { questionId, messageId } = await changes.change(couple.id, async (change) => {
      const seq = await change.take();
      // the message itself, as a send stores it (without word counts: the ranking's week stays as seeded)
      const [id] = await change.trx('messages').insert({ couple_id: couple.id, sender_id: sender.id, body: text, client_id: `trigger-${i}`, created_at: change.now, words_day: null });
      await change.record(seq, 'message', { id: Number(id), file: false });
      const started = performance.now();
      const before = await questionsState(db, change.trx, couple.id, seq);
      const asked = await askTriggeredQuestion(change, { bank, cadence: EVERY_TRIGGER_ASKS }, couple.id, text, before); // every trigger asks: the check's worst case
      samples.push(performance.now() - started);
      change.afterCommit(() => rememberQuestions(db, couple.id, before));
      return { questionId: asked, messageId: Number(id) };
    });
    await markRead(changes, couple.id, reader.id, messageId);
    if (questionId) {
      triggering++;
      for (const user of [couple.a, couple.b]) await answerQuestion(changes, couple.id, user.id, questionId, '좋아!');
    }
  }
  return { timing: summarize(samples.slice(Math.min(100, count / 10))), triggering, checked: count };
}
