import { Redis } from 'ioredis';

/** "Couple N has new events": the only thing instances tell each other; the events themselves are read from the database. */
export type Notify = (coupleId: number) => void;

export interface Broker {
  publish(coupleId: number): Promise<void>;
  subscribe(onNotify: Notify): Promise<void>;
  close(): Promise<void>;
}

/** One process: a notification goes straight to this process's hub. */
export class MemoryBroker implements Broker {
  private listeners: Notify[] = [];
  async publish(coupleId: number) {
    for (const listener of this.listeners) listener(coupleId);
  }
  async subscribe(onNotify: Notify) {
    this.listeners.push(onNotify);
  }
  async close() {
    this.listeners = [];
  }
}

const CHANNEL = 'couple-chat:events';

/** Several processes: notifications fan out through Redis pub/sub to every instance. */
export class RedisBroker implements Broker {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(url: string) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, options);
    for (const client of [this.pub, this.sub]) client.on('error', (err) => console.error(`redis: ${err.message}`));
  }

  async publish(coupleId: number) {
    await this.pub.publish(CHANNEL, String(coupleId));
  }

  async subscribe(onNotify: Notify) {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.sub.on('message', (_channel: string, message: string) => {
      const coupleId = Number(message);
      if (Number.isSafeInteger(coupleId)) onNotify(coupleId);
    });
    await this.sub.subscribe(CHANNEL);
  }

  async close() {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

export function createBroker(redisUrl: string | null): Broker {
  return redisUrl ? new RedisBroker(redisUrl) : new MemoryBroker();
}
