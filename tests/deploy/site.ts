// A user's side of the deployed site, reached through the proxy only: which web process
// answered (the proxy says so in X-Upstream), streams placed on a given process, sends
// that a phone retries until they are acknowledged, and a stream that reconnects as a
// browser's EventSource does.
import type { IncomingMessage } from 'node:http';
import { HX, newClientId } from '../support/chatHttp';
import type { Client, Reply } from '../support/client';
import { DELIVERY_MS, SseStream, type SseEvent } from '../support/sse';
import { sleep } from './paas';

/** The port of the web process that answered (the last one nginx tried). */
export function servedBy(headers: Reply['headers'] | IncomingMessage['headers']): number {
  const value = headers instanceof Headers ? headers.get('x-upstream') : headers['x-upstream'];
  const last = String(value ?? '').split(',').pop() ?? '';
  return Number(/:(\d+)\s*$/.exec(last)?.[1] ?? NaN);
}

/** Repeats a request until the proxy hands it to the process on `port` (round-robin gets there soon). */
export async function onInstance(port: number, ask: () => Promise<Reply>, ms = 30_000): Promise<Reply> {
  const deadline = Date.now() + ms;
  for (;;) {
    const reply = await ask();
    if (servedBy(reply.headers) === port) return reply;
    if (Date.now() > deadline) throw new Error(`no request reached the process on port ${port} within ${ms} ms`);
    await sleep(50);
  }
}

type StreamOptions = Parameters<typeof SseStream.forClient>[1];

/**
 * The client's chat stream through the proxy, failing when its response has not begun
 * within `ms`: the app sends a stream's first bytes at once, so a proxy that buffers
 * would hold it back.
 */
export async function openStream(client: Client, options: StreamOptions = {}, ms = DELIVERY_MS): Promise<SseStream> {
  const opening = SseStream.forClient(client, options);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a stream's response did not begin within ${ms} ms (a proxy buffering it?)`)), ms);
  });
  try {
    return await Promise.race([opening, late]);
  } catch (err) {
    void opening.then((stream) => stream.close(), () => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The client's chat stream, opened through the proxy until it lands on the process on `port`. */
export async function streamOn(client: Client, port: number, options: StreamOptions = {}, ms = 30_000): Promise<SseStream> {
  const deadline = Date.now() + ms;
  for (;;) {
    const stream = await openStream(client, options);
    if (stream.status === 200 && servedBy(stream.headers) === port) return stream;
    stream.close();
    if (Date.now() > deadline) throw new Error(`no stream reached the process on port ${port} within ${ms} ms`);
    await sleep(50);
  }
}

/**
 * A send as the composer makes it, tried again with the same client_id (as a phone on a
 * bad network does) until the app acknowledges it: a proxy that lost the connection to a
 * stopping process answers 502, and the app keeps the message once however often it comes.
 */
export async function sendSurely(client: Client, body: string, ms = 30_000): Promise<number> {
  const clientId = newClientId();
  const deadline = Date.now() + ms;
  let last = '';
  for (;;) {
    try {
      const res = await client.post('/chat/messages', { body, client_id: clientId }, HX);
      const id = /<li class="msg[^"]*" id="m-(\d+)"/.exec(res.text)?.[1];
      if (res.status === 200 && id) return Number(id);
      last = `${res.status} ${res.text.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`"${body}" was not acknowledged within ${ms} ms: ${last}`);
    await sleep(100);
  }
}

/**
 * What a browser's EventSource does with a stream that ends: waits the `retry:` the server
 * gave, opens the same address again with Last-Event-ID (the last id of any connection),
 * and keeps trying while the answer is not a stream. Every connection is kept, in order.
 */
export class LastingStream {
  readonly connections: SseStream[];
  private closed = false;
  private readonly following: Promise<void>;

  constructor(
    private readonly client: Client,
    first: SseStream,
  ) {
    this.connections = [first];
    this.following = this.follow();
  }

  get events(): SseEvent[] {
    return this.connections.flatMap((c) => c.events);
  }

  get current(): SseStream {
    return this.connections[this.connections.length - 1];
  }

  private lastEventId(): string | undefined {
    return this.connections.map((c) => c.lastEventId).filter((id) => id !== null).pop() ?? undefined;
  }

  private async follow(): Promise<void> {
    let retry = 2_000;
    while (!this.closed) {
      const stream = this.current;
      while (!stream.ended && !this.closed) await sleep(20);
      if (this.closed) return;
      retry = stream.retry ?? retry;
      await sleep(retry);
      if (this.closed) return;
      const next = await openStream(this.client, { lastEventId: this.lastEventId() }).catch(() => null);
      if (!next) continue;
      this.connections.push(next);
      if (next.status !== 200) next.close(); // a 502 while no process could take it: try again
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.current.close();
    await this.following;
  }
}
