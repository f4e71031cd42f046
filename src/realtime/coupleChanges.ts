import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import { transaction, type Db } from '../db';
import { lockCouple, nextEventSeq, recordEvent } from './eventLog';
import type { EventPayloads, EventRow, EventType } from './events';
import type { Hub } from './hub';

/** What a change to a couple may do inside its transaction. */
export interface Change {
  trx: Knex.Transaction;
  /** the instant of the change (the app's clock, read once) */
  now: number;
  /**
   * Locks the couple's row for the rest of the transaction, for a change that reads before
   * it knows whether it has anything to announce; resolves to the couple's last event number.
   */
  lock(): Promise<number>;
  /** Takes the couple's next event number (and so its lock) before the event's payload is known. */
  take(): Promise<number>;
  /** Appends an event under a number `take` gave. */
  record<T extends EventType>(seq: number, type: T, payload: EventPayloads[T]): Promise<void>;
  /** Appends an event under the next number; resolves to it. */
  emit<T extends EventType>(type: T, payload: EventPayloads[T]): Promise<number>;
  /** Runs `follow` once the change has committed (never when it rolled back or is tried again). */
  afterCommit(follow: () => void): void;
}

/** A committed change: its couple and the events it appended, in order. */
export interface Committed {
  coupleId: number;
  events: EventRow[];
}

export type CommitListener = (committed: Committed) => void;

/** The changes committed during one request, for what follows its response (see CoupleChanges.collect). */
const requestScope = new AsyncLocalStorage<Committed[]>();

/**
 * The one way to change a couple's state. A change runs in a transaction that holds the
 * couple's lock; its events are numbered and appended there, from the typed list of
 * events.ts; after commit the follow-up happens once, whoever the writer: the hub is told
 * (every open stream of the couple, on every instance, reads the new events), the
 * listeners the features registered hear of the events (the questions memo moves on), and
 * the request that made the change collects them (for the partner's push notification).
 */
export class CoupleChanges {
  private readonly listeners: CommitListener[] = [];

  constructor(
    readonly db: Db,
    readonly clock: Clock,
    private readonly hub: Pick<Hub, 'published'>,
  ) {}

  /** A feature's follow-up to every committed change of this process. */
  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  async change<T>(coupleId: number, work: (change: Change) => Promise<T>): Promise<T> {
    let events: EventRow[] = [];
    let follows: Array<() => void> = [];
    const result = await transaction(this.db, async (trx) => {
      events = []; // an attempt tried again starts over
      follows = [];
      let locked: number | null = null;
      const change: Change = {
        trx,
        now: this.clock.now(),
        lock: async () => (locked ??= await lockCouple(trx, coupleId)),
        take: async () => {
          const seq = await nextEventSeq(trx, coupleId);
          locked = seq;
          return seq;
        },
        record: async (seq, type, payload) => {
          await recordEvent(trx, coupleId, seq, type, payload, change.now);
          events.push({ seq, type, payload } as EventRow);
        },
        emit: async (type, payload) => {
          const seq = await change.take();
          await change.record(seq, type, payload);
          return seq;
        },
        afterCommit: (follow) => void follows.push(follow),
      };
      return work(change);
    });
    for (const follow of follows) follow();
    if (events.length > 0) await this.committed({ coupleId, events });
    return result;
  }

  private async committed(committed: Committed): Promise<void> {
    for (const listener of this.listeners) listener(committed);
    requestScope.getStore()?.push(committed);
    await this.hub.published(committed.coupleId, committed.events);
  }

  /** Runs a request's handling, collecting the changes it commits (for what follows its response). */
  static collect<T>(handle: () => Promise<T>, changes: Committed[]): Promise<T> {
    return requestScope.run(changes, handle);
  }
}
