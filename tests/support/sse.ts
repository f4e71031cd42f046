// An EventSource stand-in for HTTP tests: one streaming GET over node:http, parsed the way a
// browser parses text/event-stream (id:, event:, data:, retry:, comments), every event kept
// so a test can wait for one, assert that none came, and reconnect with Last-Event-ID.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Client, Via } from './client';
import { afterEach } from 'vitest';

export interface SseEvent {
  /** the `id:` of the event, or null when it had none */
  id: string | null;
  /** `event:`; 'message' when the event named none (as in a browser) */
  event: string;
  data: string;
}

export type EventMatch = (event: SseEvent) => boolean;

/**
 * How long the tests wait for something that should arrive "at once" before calling it
 * lost. A budget, not a speed: on a loaded CI machine (other test files in parallel on two
 * shared cores) an event that is on its way can take seconds; one that never comes fails
 * all the same. Waiting longer costs nothing when it arrives.
 */
export const DELIVERY_MS = 10_000;

export class SseStream {
  status = 0;
  headers: IncomingMessage['headers'] = {};
  /** everything received, as text */
  raw = '';
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  /** the last `id:` seen, what a browser would send as Last-Event-ID on reconnect */
  lastEventId: string | null = null;
  ended = false;

  private req: ClientRequest | null = null;
  private pending = '';
  private block: { id: string | null; event: string; data: string[] } = { id: null, event: '', data: [] };
  private waiters = new Set<() => void>();

  private constructor(
    readonly url: string,
    private readonly requestHeaders: Record<string, string>,
    private readonly tls: Via,
  ) {}

  /**
   * Opens a stream and resolves once the response headers are in. A refused stream (401)
   * resolves too, with its status and `ended` once its body is read.
   */
  static open(url: string, headers: Record<string, string> = {}, tls: Via = {}): Promise<SseStream> {
    const stream = new SseStream(url, headers, tls);
    return stream.start();
  }

  /** The stream a logged-in client's page would open; `lastEventId` goes in the header. */
  static forClient(client: Client, options: { query?: string; lastEventId?: string | number; headers?: Record<string, string> } = {}): Promise<SseStream> {
    const headers: Record<string, string> = { accept: 'text/event-stream', cookie: client.cookieHeader(), ...options.headers };
    if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
    return SseStream.open(`${client.base}/chat/stream${options.query ?? ''}`, headers, client.via);
  }

  /** What EventSource does after a drop: the same URL again, with the last id it saw. */
  reconnect(base = this.url.replace(/\/chat\/stream.*$/, '')): Promise<SseStream> {
    this.close();
    const path = this.url.slice(this.url.indexOf('/chat/stream'));
    const headers = { ...this.requestHeaders };
    if (this.lastEventId !== null) headers['last-event-id'] = this.lastEventId;
    return SseStream.open(base + path, headers, this.tls);
  }

  private start(): Promise<SseStream> {
    return new Promise((resolve, reject) => {
      const request = this.url.startsWith('https:') ? httpsRequest : httpRequest;
      const req = request(this.url, { method: 'GET', headers: this.requestHeaders, agent: false, ca: this.tls.ca, localAddress: this.tls.from }, (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.receive(chunk));
        const end = () => {
          if (this.ended) return;
          this.ended = true;
          this.wake();
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
        resolve(this);
      });
      req.on('error', (err) => {
        if (this.status === 0) reject(err);
        this.ended = true;
        this.wake();
      });
      req.end();
      this.req = req;
    });
  }

  private receive(chunk: string): void {
    this.raw += chunk;
    this.pending += chunk;
    const lines = this.pending.split(/\r\n|\r|\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    this.wake();
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'id') this.block.id = value;
    else if (name === 'event') this.block.event = value;
    else if (name === 'data') this.block.data.push(value);
    else if (name === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }

  private dispatch(): void {
    const { id, event, data } = this.block;
    this.block = { id: null, event: '', data: [] };
    if (id !== null) this.lastEventId = id;
    if (data.length === 0) return; // as a browser: an event without data is not dispatched
    this.events.push({ id, event: event || 'message', data: data.join('\n') });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves when `check` returns a value (checked now and after every chunk), rejects after `ms`. */
  private until<T>(check: () => T | undefined, ms: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (this.ended) {
          done();
          reject(new Error(`stream ended before ${what}; got ${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${ms} ms; got ${this.describe()}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      this.waiters.add(attempt);
      attempt();
    });
  }

  /** The first event so far (or to come within `ms`) that matches. */
  waitFor(match: EventMatch, ms = DELIVERY_MS, what = 'matching event'): Promise<SseEvent> {
    return this.until(() => this.events.find(match), ms, what);
  }

  /** Waits until `n` events in all have matched; returns them. */
  waitForCount(match: EventMatch, n: number, ms = DELIVERY_MS): Promise<SseEvent[]> {
    return this.until(
      () => {
        const found = this.events.filter(match);
        return found.length >= n ? found : undefined;
      },
      ms,
      `${n} matching events`,
    );
  }

  /** Resolves when the server has ended the stream. */
  waitForEnd(ms = DELIVERY_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        if (!this.ended) return;
        clearTimeout(timer);
        this.waiters.delete(attempt);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(attempt);
        reject(new Error(`stream still open after ${ms} ms`));
      }, ms);
      this.waiters.add(attempt);
      attempt();
    });
  }

  /** Events that arrive within `ms` from now and match (to assert that nothing more came). */
  async collectFor(ms: number, match: EventMatch = () => true): Promise<SseEvent[]> {
    const from = this.events.length;
    await new Promise((r) => setTimeout(r, ms));
    return this.events.slice(from).filter(match);
  }

  close(): void {
    this.req?.destroy();
    this.ended = true;
  }

  private describe(): string {
    const events = this.events.map((e) => `${e.id ?? '-'}:${e.event}:${e.data.slice(0, 60)}`);
    return `status ${this.status}, ${this.events.length} events [${events.join(' | ')}]`;
  }
}

/** Helpers for the chat's events. */
export const isMessage = (id?: number): EventMatch => (e) => e.event === 'message' && (id === undefined || e.data.includes(`id="m-${id}"`));
export const isDeleted = (id: number): EventMatch => (e) => e.event === 'deleted' && e.data.includes(`id="m-${id}"`);
export const isRead = (id?: number): EventMatch => (e) => e.event === 'read' && (id === undefined || e.data.includes(`id="u-${id}"`));
export const hasText = (text: string): EventMatch => (e) => e.data.includes(text);

/** The message ids an event's HTML carries (`<li ... id="m-ID">`). */
export const messageIdsIn = (html: string): number[] => [...html.matchAll(/<li class="msg[^"]*" id="m-(\d+)"/g)].map((m) => Number(m[1]));

/**
 * The streams a suite opens, closed after each test: `stream` opens one for a client,
 * `caughtUp` waits until a stream has an event numbered `seq` or later (the hub has it,
 * so silence afterwards means something). Call inside a describe.
 */
export function suiteStreams() {
  const open: SseStream[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  async function stream(client: Client, options: Parameters<typeof SseStream.forClient>[1] = {}): Promise<SseStream> {
    const s = await SseStream.forClient(client, options);
    open.push(s);
    return s;
  }
  const caughtUp = (s: SseStream, seq: number) => s.waitFor((e) => Number(e.id) >= seq, DELIVERY_MS, `event ${seq}`);
  return { open, stream, caughtUp };
}
