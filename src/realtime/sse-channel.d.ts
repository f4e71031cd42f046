declare module 'sse-channel' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import { EventEmitter } from 'node:events';

  interface SseMessage {
    id?: number | string;
    event?: string;
    data?: string;
    retry?: number;
  }

  interface SseChannelOptions {
    retryTimeout?: number;
    historySize?: number;
    pingInterval?: number;
    jsonEncode?: boolean;
  }

  class SseChannel extends EventEmitter {
    constructor(options?: SseChannelOptions);
    addClient(req: IncomingMessage, res: ServerResponse, callback?: () => void): void;
    removeClient(res: ServerResponse): void;
    getConnectionCount(): number;
    send(message: SseMessage | string, clients?: ServerResponse[]): void;
    retry(retryTimeout: number): void;
    close(): void;
  }

  export = SseChannel;
}
