import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { PROXY_HEADERS } from './appMode';

/**
 * A lean EventSource over a raw socket: 10,000 of these fit in one Node process where
 * 10,000 http.request()s would not. It speaks just enough HTTP/1.1 (status line, chunked
 * body) and SSE (event, id, data) for the bench; each event is stamped with the time its
 * bytes arrived.
 */
export interface SseEvent {
  event: string;
  id: string;
  data: string;
}

export type OnEvent = (event: SseEvent, at: number) => void;

export interface SseStream {
  socket: Socket;
  /** when bytes last arrived (performance.now()), heartbeats included */
  lastDataAt: number;
  close(): void;
}

/** `headers` are sent besides Host, Cookie and the proxy's: a browser's EventSource headers, a Last-Event-ID. */
export function openStream(
  port: number,
  path: string,
  cookie: string,
  onEvent: OnEvent | null,
  timeoutMs = 30_000,
  headers: Record<string, string> = { accept: 'text/event-stream' },
): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    let head: Buffer = Buffer.alloc(0);
    let opened = false;
    const chunked = new ChunkedDecoder();
    const events = new EventParser();
    const timer = setTimeout(() => fail(new Error(`no stream after ${timeoutMs} ms`)), timeoutMs);

    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (!opened) reject(err);
    };
    const stream: SseStream = { socket, lastDataAt: 0, close: () => socket.destroy() };
    const open = () => {
      opened = true;
      clearTimeout(timer);
      resolve(stream);
    };

    socket.on('connect', () => {
      const extra = Object.entries({ ...headers, ...PROXY_HEADERS }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\n${extra}\r\n`);
    });
    socket.on('error', (err) => fail(err));
    socket.on('close', () => {
      if (!opened) fail(new Error('stream closed before it opened'));
    });
    socket.on('data', (data: Buffer) => {
      const at = performance.now();
      stream.lastDataAt = at;
      let body = data;
      if (!opened) {
        head = Buffer.concat([head, data]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        const status = /^HTTP\/1\.1 (\d+)/.exec(head.subarray(0, end).toString('latin1'))?.[1];
        if (status !== '200') return fail(new Error(`stream answered ${status ?? 'garbage'}`));
        body = head.subarray(end + 4);
        head = Buffer.alloc(0);
        open();
      }
      if (!onEvent) return; // idle streams: the bytes (heartbeats) are not looked at
      for (const event of events.push(chunked.push(body))) onEvent(event, at);
    });
  });
}

/** Transfer-Encoding: chunked → the body's bytes, as text. */
class ChunkedDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private remaining = 0; // bytes of the current chunk still to come
  private pendingCrlf = false; // the CRLF after a chunk's bytes
  private readonly text = new StringDecoder('utf8');

  push(data: Buffer): string {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, data]) : data;
    let out = '';
    for (;;) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, this.buffered.length);
        out += this.text.write(this.buffered.subarray(0, take));
        this.buffered = this.buffered.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return out;
      }
      if (this.pendingCrlf) {
        if (this.buffered.length < 2) return out;
        this.buffered = this.buffered.subarray(2);
        this.pendingCrlf = false;
      }
      const eol = this.buffered.indexOf('\r\n');
      if (eol === -1) return out;
      const size = parseInt(this.buffered.subarray(0, eol).toString('latin1'), 16);
      this.buffered = this.buffered.subarray(eol + 2);
      if (!Number.isFinite(size) || size === 0) return out;
      this.remaining = size;
      this.pendingCrlf = true;
    }
  }
}

/** text/event-stream → events (comments and retry lines are skipped). */
class EventParser {
  private pending = '';

  push(text: string): SseEvent[] {
    this.pending += text;
    const out: SseEvent[] = [];
    let end;
    while ((end = this.pending.indexOf('\n\n')) !== -1) {
      const block = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      const event: SseEvent = { event: 'message', id: '', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon === 0) continue;
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
      }
      if (data.length) out.push({ ...event, data: data.join('\n') });
    }
    return out;
  }
}
