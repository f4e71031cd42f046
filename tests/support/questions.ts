// Question steps for HTTP tests: the question a page or event shows, answering it as the
// card's form does, what each partner's card shows, and the Q&A history as a list.
import type { Client, Fields, Reply } from './client';
import type { EventMatch } from './sse';

/** The bank's first questions as the Korean pages show them (migrations/data/questionBank.ts). */
export const Q = {
  exercise: '운동하는 거 좋아해?',
  cats: '고양이랑 강아지 중에 누굴 더 좋아해?',
  cuisine: '한식 / 중식 / 양식 / 일식 중에 뭘 제일 좋아해?',
  food: '못 먹는 음식이 뭐야?',
} as const;

/** The id of the question card in a page, fragment or event (`data-question="N"`), or null. */
export const questionIdIn = (html: string): number | null => {
  const id = /<dialog id="question"[^>]*\sdata-question="(\d+)"/.exec(html)?.[1];
  return id === undefined ? null : Number(id);
};

/** The id of the question whose revealed pair of answers (a card in the conversation) the HTML holds. */
export const revealedIdIn = (html: string): number | null => {
  const id = /<li class="qa-card" id="qa-(\d+)"/.exec(html)?.[1];
  return id === undefined ? null : Number(id);
};

/** The card's `data-answered` sides ("", "a", "b", "a b"). */
export const answeredSidesIn = (html: string): string[] => (/<dialog id="question"[^>]*\sdata-answered="([^"]*)"/.exec(html)?.[1] ?? '').split(' ').filter(Boolean);

/** The side (a / b) a chat page or question page is drawn for. */
export const pageSide = (html: string): string | null => /class="(?:chat|question-page) me-([ab])"/.exec(html)?.[1] ?? null;

/**
 * What the question card in a page shows its reader, as the stylesheet decides from the
 * page's side and the card's answered sides: the answer form, the "waiting for your
 * partner" note, both answers, or no card at all.
 */
export function cardShows(html: string): 'form' | 'waiting' | 'none' {
  if (questionIdIn(html) === null) return 'none';
  const side = pageSide(html);
  if (!side) throw new Error('no side on this page');
  return answeredSidesIn(html).includes(side) ? 'waiting' : 'form';
}

/** Answers a question as the card's form does (no JavaScript unless `headers` says htmx). */
export function answer(client: Client, id: number | string, text: string, extra: Fields = {}, headers: Record<string, string> = {}): Promise<Reply> {
  return client.post(`/questions/${id}/answer`, { answer: text, ...extra }, headers);
}

/** Answers and fails the test unless the answer was taken. */
export async function answerOk(client: Client, id: number, text: string): Promise<void> {
  const res = await answer(client, id, text);
  if (res.status !== 303) throw new Error(`answer refused: ${res.status} ${res.text.slice(0, 300)}`);
}

export const isQuestion = (id?: number): EventMatch => (e) => e.event === 'question' && (id === undefined || questionIdIn(e.data) === id);
export const isAnswered = (id?: number): EventMatch => (e) => e.event === 'answered' && (id === undefined || questionIdIn(e.data) === id);
export const isRevealed = (id?: number): EventMatch => (e) => e.event === 'revealed' && (id === undefined || revealedIdIn(e.data) === id);

export interface HistoryItem {
  id: number;
  question: string;
  /** the visible text of the item */
  text: string;
  /** my answer and my partner's, as the item shows them ('' when not shown) */
  mine: string;
  theirs: string;
  waitingForMe: boolean;
  waitingForPartner: boolean;
  hasForm: boolean;
}

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The items of GET /answers, in page order. */
export function historyItems(html: string): HistoryItem[] {
  return [...html.matchAll(/<li class="answer-item" id="q-(\d+)">([\s\S]*?)<\/li>/g)].map(([, id, item]) => {
    const dd = (cls: string) => unescape(new RegExp(`<div class="answer ${cls}"><dt>[^<]*</dt><dd>([\\s\\S]*?)</dd>`).exec(item)?.[1] ?? '');
    const waitingForPartner = item.includes('class="answer theirs waiting"');
    return {
      id: Number(id),
      question: unescape(/<h2 class="question-text">([\s\S]*?)<\/h2>/.exec(item)?.[1] ?? ''),
      text: item.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
      mine: dd('mine'),
      theirs: waitingForPartner ? '' : dd('theirs'),
      waitingForMe: item.includes('class="waiting-you"'),
      waitingForPartner,
      hasForm: item.includes(`action="/questions/${id}/answer"`),
    };
  });
}
