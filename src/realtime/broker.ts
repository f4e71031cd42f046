import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock';
import { loadIoredis } from '../lazyModules';

/**
 * What instances tell each other: "couple N has new events" (the events themselves are
 * read from the database), "end the streams of user N / of session S", and "user U of
 * couple N is typing" (ephemeral: it exists only as this message, never in the log).
 */
export type BrokerMessage =
  | { kind: 'couple'; id: number }
  | { kind: 'user'; id: number }
  | { kind: 'session'; id: string }
  | { kind: 'typing'; id: number; user: number; stopped?: boolean };

export interface BrokerListener {
  message(message: BrokerMessage): void;
  /** the broker was cut off for a while: whatever was published meanwhile may be lost */
  resync(): void;
}

export interface Broker {
  publish(message: BrokerMessage): Promise<void>;
  subscribe(listener: BrokerListener): Promise<void>;
  close(): Promise<void>;
  /** This process now holds (true) or no longer holds (false) an open stream of the user. */
  setOnline(userId: number, online: boolean): void;
  /** Whether another instance holds an open stream of the user. */
  onlineElsewhere(userId: number): Promise<boolean>;
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
  setOnline() {
    // one process: its hub knows who is online
  }
  async onlineElsewhere() {
    return false;
  }
}

const DEFAULT_REDIS_PREFIX = 'couple-chat';

function parse(raw: string): BrokerMessage | null {
  try {
    const m = JSON.parse(raw) as BrokerMessage;
    if ((m.kind === 'couple' || m.kind === 'user') && Number.isSafeInteger(m.id)) return m;
    if (m.kind === 'session' && typeof m.id === 'string') return m;
    if (m.kind === 'typing' && Number.isSafeInteger(m.id) && Number.isSafeInteger(m.user)) return { kind: 'typing', id: m.id, user: m.user, stopped: m.stopped === true };
  } catch {
    /* not ours */
  }
  return null;
}

// Who has an open stream on which instance: a sorted set per user, one member per
// instance, scored with the time the entry lapses. An instance refreshes its members while
// their streams are open and removes them when the last one closes; an instance that died
// without saying so lapses by itself within PRESENCE_TTL_MS.
const PRESENCE_TTL_MS = 60_000;
const PRESENCE_REFRESH_MS = 20_000;

/** Several processes: messages fan out through Redis pub/sub to every instance. */
export class RedisBroker implements Broker {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly instance = randomBytes(8).toString('hex');
  private readonly online = new Set<number>();
  private refresher: NodeJS.Timeout | null = null;
  private readonly channel: string;
  private readonly presenceKey: (userId: number) => string;

  /** `prefix` starts the channel's name and the keys: the instances over one database share it. */
  constructor(url: string, private readonly clock: Clock, prefix = DEFAULT_REDIS_PREFIX) {
    this.channel = `${prefix}:events`;
    this.presenceKey = (userId) => `${prefix}:online:${userId}`;
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    const { Redis: RedisClient } = loadIoredis();
    this.pub = new RedisClient(url, options);
    this.sub = new RedisClient(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) client.on('error', (err) => console.error(`redis: ${err.message}`));
  }

  async publish(message: BrokerMessage) {
    await this.pub.publish(this.channel, JSON.stringify(message));
  }

  async subscribe(listener: BrokerListener) {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.sub.on('message', (_channel: string, raw: string) => {
      const message = parse(raw);
      if (message) listener.message(message);
    });
    await this.sub.subscribe(this.channel);
    // ioredis subscribes again by itself after a reconnect; what was published in
    // between never arrived, so every open stream catches up from the database.
    let connected = true;
    this.sub.on('close', () => (connected = false));
    this.sub.on('ready', () => {
      if (!connected) listener.resync();
      connected = true;
    });
    this.pub.on('ready', () => this.markOnline([...this.online]));
    this.refresher = setInterval(() => this.markOnline([...this.online]), PRESENCE_REFRESH_MS);
    this.refresher.unref();
  }

  async close() {
    if (this.refresher) clearInterval(this.refresher);
    // streams move to other instances; what is not removed here lapses by itself
    await this.markOffline([...this.online]);
    this.online.clear();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  setOnline(userId: number, online: boolean) {
    if (online) {
      this.online.add(userId);
      void this.markOnline([userId]);
    } else {
      this.online.delete(userId);
      void this.markOffline([userId]);
    }
  }

  async onlineElsewhere(userId: number) {
    const instances = await this.pub.zrangebyscore(this.presenceKey(userId), this.clock.now(), '+inf');
    return instances.some((instance) => instance !== this.instance);
  }

  /** Best effort: while Redis is away the refresh after it comes back puts everyone back. */
  private async markOnline(userIds: number[]) {
    if (userIds.length === 0) return;
    const until = this.clock.now() + PRESENCE_TTL_MS;
    const batch = this.pub.pipeline();
    for (const id of userIds) batch.zadd(this.presenceKey(id), until, this.instance).pexpire(this.presenceKey(id), PRESENCE_TTL_MS);
    await batch.exec().catch(() => undefined);
  }

  private async markOffline(userIds: number[]) {
    if (userIds.length === 0) return;
    const batch = this.pub.pipeline();
    for (const id of userIds) batch.zrem(this.presenceKey(id), this.instance);
    await batch.exec().catch(() => undefined);
  }
}

export function createBroker(redisUrl: string | null, clock: Clock, prefix?: string): Broker {
  return redisUrl ? new RedisBroker(redisUrl, clock, prefix) : new MemoryBroker();
}
