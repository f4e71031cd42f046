// One person's chat page, as a phone's browser runs it (static/chat/*.js with htmx 2):
// the page itself, its EventSource, and the requests htmx makes, each with the headers a
// browser and htmx send, on the page's own keep-alive connections (at most 6, as a
// browser keeps per site). Answers come compressed when they are (Accept-Encoding) and
// are only decoded when the page would look into them.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { NODE_ENV, PROXY_HEADERS } from './appMode';
import type { AppProcess } from './appProcess';
import type { SeededUser } from './seed';
import { openStream, type OnEvent, type SseStream } from './sseClient';

const BROWSER = {
  'user-agent': 'Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'accept-language': 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7',
  'accept-encoding': 'gzip, deflate, br',
};

export interface PageAnswer {
  status: number;
  /** request started → last byte, ms */
  elapsed: number;
  /** the body as the page sees it (decoded); read lazily */
  text(): string;
}

function decode(body: Buffer, encoding: string | undefined): string {
  const raw = encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : encoding === 'deflate' ? inflateSync(body) : body;
  return raw.toString('utf8');
}

/** The page's random client id, as chat.newClientId() makes it (12 bytes, hex). */
export const newClientId = () => randomBytes(12).toString('hex');

/** The SSE card's or the 409 card's question: its couple question id. */
export const questionIdIn = (html: string) => Number(/data-question="(\d+)"/.exec(html)?.[1] ?? NaN);

export class ChatPage {
  /** the page's event number when it was rendered (its stream starts there) */
  seq: number | null = null;
  stream: SseStream | null = null;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 6 });
  private readonly origin: string;
  private readonly pageUrl: string;

  constructor(
    private readonly target: AppProcess,
    readonly user: SeededUser,
  ) {
    // the origin the browser is on: behind the production proxy, https
    this.origin = `${NODE_ENV === 'production' ? 'https' : 'http'}://127.0.0.1:${target.port}`;
    this.pageUrl = `${this.origin}/chat`;
  }

  private request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string, timeoutMs = 30_000): Promise<PageAnswer> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const all: Record<string, string> = { ...BROWSER, cookie: this.user.cookie, ...headers, ...PROXY_HEADERS };
      if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
      const req = request(`${this.target.base}${path}`, { method, agent: this.agent, headers: all, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const elapsed = performance.now() - started;
          let text: string | undefined;
          const encoding = res.headers['content-encoding'];
          resolve({ status: res.statusCode ?? 0, elapsed, text: () => (text ??= decode(Buffer.concat(chunks), encoding)) });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A navigation (a link followed, the address typed): the browser's document request. */
  navigate(path: string): Promise<PageAnswer> {
    return this.request('GET', path, {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
      'sec-fetch-site': 'none',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'sec-fetch-user': '?1',
      'upgrade-insecure-requests': '1',
    });
  }

  /** Opening the chat: the page, from which the stream's starting point is read. */
  async load(): Promise<PageAnswer> {
    const answer = await this.navigate('/chat');
    const seq = answer.status === 200 ? /sse-connect="\/chat\/stream\?lastEventId=(\d+)"/.exec(answer.text())?.[1] : undefined;
    this.seq = seq === undefined ? null : Number(seq);
    return answer;
  }

  /** The page's EventSource; `lastEventId` is the header a reconnecting EventSource sends. */
  async openStream(onEvent: OnEvent | null, lastEventId?: number): Promise<SseStream> {
    const path = this.seq === null ? '/chat/stream' : `/chat/stream?lastEventId=${this.seq}`;
    const headers: Record<string, string> = {
      ...BROWSER,
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
      referer: this.pageUrl,
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'cors',
      'sec-fetch-dest': 'empty',
    };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    this.stream = await openStream(this.target.port, path, this.user.cookie, onEvent, 30_000, headers);
    return this.stream;
  }

  /** An htmx request: XHR headers, HX-*, the page's CSRF header (hx-headers on <body>), a form body. */
  private htmx(path: string, values: Record<string, string>, hx: { trigger?: string; target?: string }): Promise<PageAnswer> {
    const headers: Record<string, string> = {
      accept: '*/*',
      origin: this.origin,
      referer: this.pageUrl,
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'cors',
      'sec-fetch-dest': 'empty',
      'content-type': 'application/x-www-form-urlencoded',
      'hx-request': 'true',
      'hx-current-url': this.pageUrl,
      'x-csrf-token': this.user.csrf,
    };
    if (hx.trigger) headers['hx-trigger'] = hx.trigger;
    if (hx.target) headers['hx-target'] = hx.target;
    return this.request('POST', path, headers, new URLSearchParams(values).toString());
  }

  /** composer.js: htmx.ajax from the pending bubble (no id, outside the form): body and client_id. */
  send(body: string, clientId: string): Promise<PageAnswer> {
    return this.htmx('/chat/messages', { body, client_id: clientId }, {});
  }

  /** readMarks.js: htmx.ajax from the empty #latest mark. */
  read(upTo: number): Promise<PageAnswer> {
    return this.htmx('/chat/read', { up_to: String(upTo) }, { trigger: 'latest', target: 'latest' });
  }

  /**
   * The question card's form (hx-post, hx-target="#question-slot"): its _csrf field when
   * the card has one (the 409's card does, the stream's does not), and the answer.
   */
  answer(questionId: number, text: string, cardHasCsrf: boolean): Promise<PageAnswer> {
    const values: Record<string, string> = cardHasCsrf ? { _csrf: this.user.csrf, answer: text } : { answer: text };
    return this.htmx(`/questions/${questionId}/answer`, values, { target: 'question-slot' });
  }

  close(): void {
    this.stream?.close();
    this.stream = null;
    this.agent.destroy();
  }
}
