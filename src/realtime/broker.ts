import { Redis } from 'ioredis';

/**
 * What instances tell each other: "couple N has new events" (the events themselves are
 * read from the database), and "end the streams of user N / of session S".
 */
export type BrokerMessage = { kind: 'couple'; id: number } | { kind: 'user'; id: number } | { kind: 'session'; id: string };

export interface BrokerListener {
  message(message: BrokerMessage): void;
  /** the broker was cut off for a while: whatever was published meanwhile may be lost */
  resync(): void;
}

export interface Broker {
  publish(message: BrokerMessage): Promise<void>;
  subscribe(listener: BrokerListener): Promise<void>;
  close(): Promise<void>;
}

/** One process: a message goes straight to this process's hub. */
export class MemoryBroker implements Broker {
  private listeners: BrokerListener[] = [];
  async publish(message: BrokerMessage) {
    for (const listener of this.listeners) listener.message(message);
  }
  async subscribe(listener: BrokerListener) {
    this.listeners.push(listener);
  }
  async close() {
    this.listeners = [];
  }
}

const CHANNEL = 'couple-chat:events';

function parse(raw: string): BrokerMessage | null {
  try {
    const m = JSON.parse(raw) as BrokerMessage;
    if ((m.kind === 'couple' || m.kind === 'user') && Number.isSafeInteger(m.id)) return m;
    if (m.kind === 'session' && typeof m.id === 'string') return m;
  } catch {
    /* not ours */
  }
  return null;
}

/** Several processes: messages fan out through Redis pub/sub to every instance. */
export class RedisBroker implements Broker {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(url: string) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) client.on('error', (err) => console.error(`redis: ${err.message}`));
  }

  async publish(message: BrokerMessage) {
    await this.pub.publish(CHANNEL, JSON.stringify(message));
  }

  async subscribe(listener: BrokerListener) {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.sub.on('message', (_channel: string, raw: string) => {
      const message = parse(raw);
      if (message) listener.message(message);
    });
    await this.sub.subscribe(CHANNEL);
    // ioredis subscribes again by itself after a reconnect; what was published in
    // between never arrived, so every open stream catches up from the database.
    let connected = true;
    this.sub.on('close', () => (connected = false));
    this.sub.on('ready', () => {
      if (!connected) listener.resync();
      connected = true;
    });
  }

  async close() {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

export function createBroker(redisUrl: string | null): Broker {
  return redisUrl ? new RedisBroker(redisUrl) : new MemoryBroker();
}
