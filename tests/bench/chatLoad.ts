// Couples chatting through the browser-like pages of browserClient.ts: partner a of each
// couple types at a fixed rate; both partners' pages hold their streams; partner b's page
// reports its read mark as readMarks.js does; a question that holds a send back is
// answered as the page would, by both partners. Every send counts, from the first second.
import { performance } from 'node:perf_hooks';
import type { AppProcess } from './appProcess';
import { ChatPage, newClientId, questionIdIn } from './browserClient';
import { ANSWERS, lineOf } from './conversation';
import { cpuSample, cpuShare, type CpuShare } from './machine';
import type { SeededCouple } from './seed';
import type { SseEvent } from './sseClient';
import { inParallel, sleep, summarize, type Summary } from './stats';

export interface ChatLoadResult {
  couples: number;
  ratePerCouple: number;
  /** presses of Send (each a POST /chat/messages) */
  typed: number;
  /** stored messages (the send answered 200): the ones whose delivery counts */
  sent: number;
  /** sends a question held back (409; the text is sent again once answered) */
  heldByQuestion: number;
  /** sends refused as too fast (429; the text goes back in the box) */
  tooFast: number;
  /** sends that failed otherwise (other statuses, no answer) */
  failed: number;
  firstError: string | null;
  /** ticks at which partner a was still answering a question, so typed nothing */
  skipped: number;
  answers: number;
  answerErrors: number;
  readMarks: number;
  readErrors: number;
  /** stored messages partner b's stream brought */
  received: number;
  /** stored messages partner b's stream never brought (by the end of the drain) */
  lost: number;
  /** received more than 1 s / 5 s after the send */
  late1s: number;
  late5s: number;
  duplicated: number;
  misdelivered: number;
  /** send → partner b's stream has it */
  delivery: Summary;
  /** send → both partners' streams have it */
  bothDelivered: Summary;
  /** send → the POST's answer */
  post: Summary;
  generatorLag: Summary;
  cpu: CpuShare;
  /** the app's (or relay's) CPU from the first send to the end of the drain, per stored message */
  cpuPerMessageMs: number;
}

export interface RunOptions {
  ratePerCouple: number;
  durationMs: number;
  /** the longest wait after the last send for what is still on its way */
  drainMs: number;
}

interface Sent {
  coupleId: number;
  at: number;
  stored: boolean;
  receivedA: number;
  receivedB: number;
}

interface Pair {
  couple: SeededCouple;
  a: ChatPage;
  b: ChatPage;
  line: number;
  /** texts a send gave back (held by a question, too fast): typed again first */
  held: string[];
  answering: number | null;
  bAnswered: Set<number>;
  bNewest: number;
  bReported: number;
  bTimer: NodeJS.Timeout | null;
}

const CLIENT_ID = /data-client-id="([^"]+)"/;
const MESSAGE_ID = /data-id="(\d+)"/;
/** readMarks.js waits this long after the last event before it reports */
const READ_DEBOUNCE_MS = 300;

function emptyCounts() {
  return { typed: 0, heldByQuestion: 0, tooFast: 0, failed: 0, skipped: 0, answers: 0, answerErrors: 0, readMarks: 0, readErrors: 0, duplicated: 0, misdelivered: 0 };
}

export class ChatLoad {
  private readonly pairs = new Map<number, Pair>();
  private sent = new Map<string, Sent>();
  private counts = emptyCounts();
  private firstError: string | null = null;
  private pending = 0;
  private active = false;

  constructor(
    private readonly target: AppProcess,
    private readonly localDbServer: boolean,
  ) {}

  /** Opens the chat page and its stream for each partner of `couples` not yet open. */
  async open(couples: SeededCouple[], concurrency = 20): Promise<void> {
    const fresh = couples.filter((c) => !this.pairs.has(c.id));
    await inParallel(fresh, concurrency, async (couple) => {
      const pair: Pair = {
        couple,
        a: new ChatPage(this.target, couple.a),
        b: new ChatPage(this.target, couple.b),
        line: couple.id * 7,
        held: [],
        answering: null,
        bAnswered: new Set(),
        bNewest: 0,
        bReported: 0,
        bTimer: null,
      };
      this.pairs.set(couple.id, pair);
      for (const side of ['a', 'b'] as const) {
        const page = pair[side];
        const loaded = await page.load();
        if (loaded.status !== 200) throw new Error(`GET /chat for ${page.user.loginId} answered ${loaded.status}`);
        await page.openStream((event, at) => this.onEvent(pair, side, event, at));
      }
    });
  }

  private onEvent(pair: Pair, side: 'a' | 'b', event: SseEvent, at: number): void {
    if (event.event === 'message') {
      const record = this.sent.get(CLIENT_ID.exec(event.data)?.[1] ?? '');
      if (record && record.coupleId !== pair.couple.id) this.counts.misdelivered++;
      else if (record) {
        const key = side === 'a' ? 'receivedA' : 'receivedB';
        if (Number.isNaN(record[key])) record[key] = at;
        else this.counts.duplicated++;
      }
      if (side === 'b') pair.bNewest = Math.max(pair.bNewest, Number(MESSAGE_ID.exec(event.data)?.[1] ?? 0));
    }
    if (side !== 'b' || !this.active) return;
    if (event.event === 'question') this.answerFromStream(pair, event.data);
    this.reportRead(pair);
  }

  /** readMarks.js: after each event, once the page has been quiet 300 ms, the newest of the partner's messages. */
  private reportRead(pair: Pair): void {
    if (pair.bTimer) clearTimeout(pair.bTimer);
    pair.bTimer = setTimeout(() => {
      pair.bTimer = null;
      const upTo = pair.bNewest;
      if (!this.active || !upTo || upTo <= pair.bReported) return;
      pair.bReported = upTo;
      void this.post(pair.b.read(upTo), (status) => {
        if (status === 204 || status === 200) this.counts.readMarks++;
        else {
          this.counts.readErrors++;
          pair.bReported = 0;
        }
      });
    }, READ_DEBOUNCE_MS);
  }

  /** questionCard.js: the stream's card opens as a modal for the partner who has not answered; b answers it. */
  private answerFromStream(pair: Pair, card: string): void {
    const id = questionIdIn(card);
    if (!Number.isFinite(id) || pair.bAnswered.has(id) || card.includes('data-revealed="true"')) return;
    pair.bAnswered.add(id);
    void this.post(pair.b.answer(id, ANSWERS[id % ANSWERS.length], card.includes('name="_csrf"')), (status) => this.countAnswer(status));
  }

  private countAnswer(status: number): void {
    if (status === 200 || status === 409) this.counts.answers++; // 409: answered already (a card came twice)
    else this.counts.answerErrors++;
  }

  /** A request of the page whose answer only counts; followed so the drain waits for it. */
  private async post(request: Promise<{ status: number }>, done: (status: number) => void): Promise<void> {
    this.pending++;
    try {
      done((await request).status);
    } catch (err) {
      done(0);
      this.firstError ??= (err as Error).message;
    } finally {
      this.pending--;
    }
  }

  /** One press of Send on partner a's page (composer.js), and what the page does with the answer. */
  private async type(pair: Pair): Promise<void> {
    this.counts.typed++;
    const text = pair.held.shift() ?? lineOf(pair.line++, 0);
    const clientId = newClientId();
    const record: Sent = { coupleId: pair.couple.id, at: performance.now(), stored: false, receivedA: NaN, receivedB: NaN };
    this.sent.set(clientId, record);
    this.pending++;
    try {
      const answer = await pair.a.send(text, clientId);
      if (answer.status === 200) {
        record.stored = true;
        this.postTimes.push(answer.elapsed);
      } else if (answer.status === 409 && answer.text().includes('question-card')) {
        // the card opens, the text goes back into the box: answer, then send it again
        this.counts.heldByQuestion++;
        pair.held.push(text);
        await this.answerHeld(pair, answer.text());
      } else if (answer.status === 429) {
        this.counts.tooFast++;
        pair.held.push(text);
      } else {
        this.counts.failed++;
        this.firstError ??= `POST /chat/messages answered ${answer.status}`;
      }
    } catch (err) {
      this.counts.failed++;
      this.firstError ??= (err as Error).message;
    } finally {
      this.pending--;
    }
  }

  private async answerHeld(pair: Pair, card: string): Promise<void> {
    const id = questionIdIn(card);
    if (!Number.isFinite(id) || pair.answering === id) return;
    pair.answering = id;
    await this.post(pair.a.answer(id, ANSWERS[(id + 1) % ANSWERS.length], card.includes('name="_csrf"')), (status) => this.countAnswer(status));
    pair.answering = null;
  }

  private postTimes: number[] = [];

  /** Partner a of each of `couples` (opened before) sends `ratePerCouple` a second for `durationMs`, couples evenly staggered. */
  async run(couples: SeededCouple[], options: RunOptions): Promise<ChatLoadResult> {
    const pairs = couples.map((c) => this.pairs.get(c.id)!);
    this.sent = new Map();
    this.counts = emptyCounts();
    this.firstError = null;
    this.postTimes = [];
    this.active = true;
    const lags: number[] = [];
    const interval = 1000 / options.ratePerCouple;
    const start = performance.now() + 100;
    const end = start + options.durationMs;
    const timers = new Set<NodeJS.Timeout>();
    const schedule = (pair: Pair, offset: number, k: number) => {
      const due = start + offset + k * interval;
      if (due >= end) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        lags.push(performance.now() - due);
        if (pair.answering !== null) this.counts.skipped++; // the modal is open: nobody types
        else void this.type(pair);
        schedule(pair, offset, k + 1);
      }, Math.max(0, due - performance.now()));
      timers.add(timer);
    };
    await sleep(Math.max(0, start - performance.now() - 5));
    const cpuFrom = cpuSample(this.target.pid, this.localDbServer);
    pairs.forEach((pair, i) => schedule(pair, (i / pairs.length) * interval, 0));

    await sleep(end - performance.now());
    const drainUntil = performance.now() + options.drainMs;
    const missing = () => [...this.sent.values()].some((r) => r.stored && (Number.isNaN(r.receivedA) || Number.isNaN(r.receivedB)));
    while (performance.now() < drainUntil && (this.pending > 0 || missing())) await sleep(20);
    await sleep(READ_DEBOUNCE_MS + 50); // the last read marks
    while (performance.now() < drainUntil && this.pending > 0) await sleep(20);
    const cpuTo = cpuSample(this.target.pid, this.localDbServer);
    this.active = false;
    for (const timer of timers) clearTimeout(timer);
    return this.result(pairs.length, options.ratePerCouple, lags, cpuShare(cpuFrom, cpuTo), cpuTo.app - cpuFrom.app);
  }

  private result(couples: number, ratePerCouple: number, lags: number[], cpu: CpuShare, appCpuMs: number): ChatLoadResult {
    const stored = [...this.sent.values()].filter((r) => r.stored);
    const received = stored.filter((r) => !Number.isNaN(r.receivedB));
    const delivery = received.map((r) => r.receivedB - r.at);
    const both = stored.filter((r) => !Number.isNaN(r.receivedA) && !Number.isNaN(r.receivedB));
    return {
      couples,
      ratePerCouple,
      sent: stored.length,
      ...this.counts,
      firstError: this.firstError,
      received: received.length,
      lost: stored.length - received.length,
      late1s: delivery.filter((d) => d > 1_000).length,
      late5s: delivery.filter((d) => d > 5_000).length,
      delivery: summarize(delivery),
      bothDelivered: summarize(both.map((r) => Math.max(r.receivedA, r.receivedB) - r.at)),
      post: summarize(this.postTimes),
      generatorLag: summarize(lags),
      cpu,
      cpuPerMessageMs: stored.length ? appCpuMs / stored.length : NaN,
    };
  }

  close(): void {
    this.active = false;
    for (const pair of this.pairs.values()) {
      if (pair.bTimer) clearTimeout(pair.bTimer);
      pair.a.close();
      pair.b.close();
    }
    this.pairs.clear();
  }
}
