// An upload sent by hand over a socket, as slowly as a test wants (fetch cannot pause in the
// middle of a body): the head and the first bytes now, the rest later, a trickle, or never.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { Client } from './client';
import { multipart, type Part } from './uploads';

export interface RawReply {
  status: number;
  /** everything after the head (the page, or the fragment) */
  text: string;
}

export class SlowUpload {
  private received: Buffer[] = [];
  private readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    private readonly body: Buffer,
    private sent: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.received.push(chunk));
    socket.on('error', () => {}); // the server may close while we write: its answer is what counts
    this.closed = once(socket, 'close').then(() => undefined);
  }

  /** Sends the request head and the first `firstBytes` of a multipart body of these parts (the server answers with Connection: close). */
  static async start(client: Client, parts: Part[], firstBytes: number): Promise<SlowUpload> {
    const { body, contentType } = multipart(parts);
    const url = new URL(client.base);
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    const head = [
      'POST /chat/uploads HTTP/1.1',
      `Host: ${url.host}`,
      `Cookie: ${client.cookieHeader()}`,
      `X-CSRF-Token: ${client.csrf}`,
      `Content-Type: ${contentType}`,
      `Content-Length: ${body.length}`,
      'Connection: close',
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    const upload = new SlowUpload(socket, body, 0);
    upload.send(firstBytes);
    return upload;
  }

  /** Sends the next `n` bytes of the body. */
  send(n: number): void {
    const next = this.body.subarray(this.sent, this.sent + n);
    this.sent += next.length;
    if (next.length && !this.socket.destroyed) this.socket.write(next);
  }

  /** Sends the rest of the body; resolves to the server's answer. */
  finish(): Promise<RawReply> {
    this.send(this.body.length);
    return this.reply();
  }

  /** One byte every `everyMs` until the server answers (or the body is all sent); resolves to the answer. */
  trickle(everyMs: number): Promise<RawReply> {
    const timer = setInterval(() => (this.received.length || this.socket.destroyed ? clearInterval(timer) : this.send(1)), everyMs);
    return this.reply().finally(() => clearInterval(timer));
  }

  /** The client gives up (a cancel button, a phone losing its signal): the connection is gone. */
  abort(): void {
    this.socket.destroy();
  }

  /** The server's answer, once it has closed the connection. */
  async reply(): Promise<RawReply> {
    await this.closed;
    const raw = Buffer.concat(this.received).toString('utf8');
    const end = raw.indexOf('\r\n\r\n');
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), text: end === -1 ? '' : raw.slice(end + 4) };
  }
}
