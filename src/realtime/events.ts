/**
 * What a couple's event log holds: each kind of event with its payload. A writer appends
 * them through changeCouple (coupleChanges.ts); a feature's renderer turns them into the
 * HTML the pages swap in; the pages' `sse-swap` lists name them (tests/unit/events.test.ts
 * checks that every name there is one of these and each of these is listened for).
 */
export interface EventPayloads {
  /** a message was stored; `file`: whether it carries a file (older events do not say) */
  message: { id: number; file?: boolean };
  deleted: { id: number };
  /** the reader's mark moved from one message id to another */
  read: { reader: number; from: number; to: number };
  /** a question was asked (`id`: the couple's question; `bank`: which question of the bank, and `at`: when, in newer events) */
  question: { id: number; bank?: number; at?: number };
  answered: { id: number; user: number };
  revealed: { id: number };
  /** a day's plans changed */
  calendar: { date: string };
  /** a break-up was started (`dueAt`) or cancelled (null) */
  breakup: { dueAt: number | null; by?: number };
  /** a message's reactions changed (`id`: the message) */
  reaction: { id: number };
  /** a partner changed the couple's profile (names, 사귄 날, birthdays, the photo) */
  profile: { by: number };
}

export type EventType = keyof EventPayloads;

/** Every type, in the order of the interface: listed once here so a new one cannot be left out elsewhere. */
export const EVENT_TYPES = Object.keys({
  message: true,
  deleted: true,
  read: true,
  question: true,
  answered: true,
  revealed: true,
  calendar: true,
  breakup: true,
  reaction: true,
  profile: true,
} satisfies Record<EventType, true>) as EventType[];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as string[]).includes(value);

/** An event of one type with its payload. */
export type CoupleEvent<T extends EventType = EventType> = { [K in T]: { type: K; payload: EventPayloads[K] } }[T];

/** An event as the log numbers it. */
export type EventRow<T extends EventType = EventType> = CoupleEvent<T> & { seq: number };

/** The events of the given types, typed as such. */
export const ofType = <T extends EventType>(events: readonly EventRow[], ...types: T[]): EventRow<T>[] =>
  events.filter((e) => (types as EventType[]).includes(e.type)) as unknown as EventRow<T>[];
