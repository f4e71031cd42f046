import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import SseChannel from 'sse-channel';
import type { Db } from '../db';
import type { Lang } from '../i18n/index';
import type { Broker, BrokerMessage } from './broker';
import { eventsSince, latestSeq } from './eventLog';
import { EVENT_TYPES, ofType, type EventRow, type EventType } from './events';

export const HEARTBEAT_MS = 25_000; // PaaS routers drop connections idle for 55 s
export const RETRY_MS = 2_000;
export const REPLAY_BATCH = 50; // events read and rendered in one turn of the event loop (see drain)

/** Who is watching: what an event's HTML depends on besides the event itself. */
export interface Viewer {
  userId: number;
  lang: Lang;
  timeZone: string;
}

/** A batch's events as HTML for one kind of viewer: event seq → HTML. */
export type RenderFor = (viewer: Viewer) => Map<number, string>;

/**
 * A feature's part of turning a batch of a couple's events into HTML. It reads what its
 * events need once per batch, in a fixed number of queries whatever the batch holds, and
 * then renders that for each kind of viewer without reading again.
 */
export type EventRenderer = (coupleId: number, events: EventRow[]) => Promise<RenderFor>;

/**
 * The renderers of every event type, one per type (a type left out does not compile), each
 * given only the batch's events of its own types.
 */
export function combineRenderers(byType: Record<EventType, EventRenderer>): EventRenderer {
  const renderers = [...new Set(Object.values(byType))];
  const typesOf = (renderer: EventRenderer) => EVENT_TYPES.filter((type) => byType[type] === renderer);
  return async (coupleId, events) => {
    const loaded = await Promise.all(
      renderers.map((load) => {
        const own = ofType(events, ...typesOf(load));
        return own.length ? load(coupleId, own) : renderNothing;
      }),
    );
    return (viewer) => new Map(loaded.flatMap((renderFor) => [...renderFor(viewer)]));
  };
}

/** What a feature renders when none of the batch's events are its own: nothing, and no query. */
export const renderNothing: RenderFor = () => new Map();

interface Connection {
  res: ServerResponse;
  lastSent: number;
  viewer: Viewer;
  sessionHash: string;
}

interface CoupleStream {
  channel: SseChannel;
  connections: Set<Connection>;
  wanted: boolean;
  running: boolean;
  /** events this process committed and has not yet sent to every connection, in seq order (see fresh) */
  fresh: EventRow[];
}

/** At most this many committed events wait in a stream's `fresh` (a stalled stream reads from the database instead). */
const FRESH_KEPT = REPLAY_BATCH;

// Partners reading in the same language and zone get the very same HTML: one render each.
const viewerKey = (v: Viewer) => `${v.lang}|${v.timeZone}`;

/**
 * One sse-channel per couple with at least one open stream in this process. Every
 * event is sent to each connection once, in order, from the connection's own last event
 * id: the same path serves a first connect, a reconnect after a gap (Last-Event-ID), and
 * live delivery. The events come from the couple's log in the database, except those this
 * process has just committed itself: those are handed over by the commit, and used when
 * they follow on without a gap from where the connections are.
 */
export class Hub {
  private readonly couples = new Map<number, CoupleStream>();
  /** user id → how many streams this process holds for the user */
  private readonly usersOnline = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly broker: Broker,
    private readonly render: EventRenderer,
    /** open streams per user in this process (the oldest beyond it ends) */
    private readonly streamsPerUser = Infinity,
  ) {}

  start(): Promise<void> {
    return this.broker.subscribe({
      message: (m) => {
        if (m.kind === 'couple') this.notify(m.id);
        else if (m.kind === 'typing') this.relayTyping(m.id, m.user, m.stopped === true);
        else this.end((c) => (m.kind === 'user' ? c.viewer.userId === m.id : c.sessionHash === m.id));
      },
      resync: () => {
        for (const coupleId of this.couples.keys()) this.notify(coupleId);
      },
    });
  }

  /**
   * Called after a couple's event was committed. The database already holds it, so a
   * broker that is down fails nothing: this process's streams are fed at once and the
   * others catch up when the broker is back (resync).
   */
  async published(coupleId: number, events: readonly EventRow[] = []): Promise<void> {
    const stream = this.couples.get(coupleId);
    if (stream && events.length) keepFresh(stream, events);
    await this.tell({ kind: 'couple', id: coupleId }, () => this.notify(coupleId));
  }

  /**
   * Tells the partner's streams, on every instance, that the user is typing (or, `stopped`,
   * cleared the box). Not an event
   * of the log: no id (a reconnect's Last-Event-ID does not move, nothing is replayed), and
   * a signal lost while the broker is down is just lost.
   */
  async typing(coupleId: number, userId: number, stopped = false): Promise<void> {
    await this.tell({ kind: 'typing', id: coupleId, user: userId, stopped }, () => this.relayTyping(coupleId, userId, stopped));
  }

  private relayTyping(coupleId: number, userId: number, stopped: boolean): void {
    const stream = this.couples.get(coupleId);
    const partners = stream ? [...stream.connections].filter((c) => c.viewer.userId !== userId) : [];
    // to the given clients only: sse-channel keeps no history of it either
    if (partners.length) stream!.channel.send({ event: 'typing', data: stopped ? 'stopped' : 'typing' }, partners.map((c) => c.res));
  }

  /** Ends every stream of a user, on every instance (a password change, …). */
  async endUser(userId: number): Promise<void> {
    await this.tell({ kind: 'user', id: userId }, () => this.end((c) => c.viewer.userId === userId));
  }

  /** Ends the streams opened with one session (a log-out). */
  async endSession(sessionHash: string): Promise<void> {
    await this.tell({ kind: 'session', id: sessionHash }, () => this.end((c) => c.sessionHash === sessionHash));
  }

  private async tell(message: BrokerMessage, locally: () => void): Promise<void> {
    try {
      await this.broker.publish(message);
    } catch (err) {
      console.error(`broker: ${(err as Error).message}; delivering in this process only`);
      locally();
    }
  }

  private end(matches: (c: Connection) => boolean): void {
    for (const stream of this.couples.values()) {
      for (const connection of stream.connections) if (matches(connection)) connection.res.end();
    }
  }

  notify(coupleId: number): void {
    const stream = this.couples.get(coupleId);
    if (stream) this.schedule(coupleId, stream);
  }

  /**
   * Whether the user has a stream open: in this process, or in another instance (through
   * the broker). When the broker cannot say, no: a notification too many beats one missed.
   */
  async isOnline(userId: number): Promise<boolean> {
    if (this.usersOnline.has(userId)) return true;
    return this.broker.onlineElsewhere(userId).catch(() => false);
  }

  /** Takes over a response as an event stream; `lastEventId` is what the client already has. */
  async connect(req: IncomingMessage, res: ServerResponse, coupleId: number, viewer: Viewer, sessionHash: string, lastEventId: number | null): Promise<void> {
    const latest = await latestSeq(this.db, coupleId);
    // A first connect gets nothing old; a claim beyond the log (a stale page of an
    // earlier couple, a forged header) is brought back to what exists.
    const lastSent = lastEventId === null ? latest : Math.min(lastEventId, latest);

    // the client may have gone while we read the database: then there is nothing to hold
    if (req.destroyed || res.destroyed || res.writableEnded) return;
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    const stream = this.streamFor(coupleId);
    const connection: Connection = { res, lastSent, viewer, sessionHash };
    res.on('close', () => this.disconnect(coupleId, stream, connection));
    stream.connections.add(connection);
    this.countUser(viewer.userId, 1);
    stream.channel.addClient(req, res);
    this.endOldestBeyondCap(stream, viewer.userId);
    this.schedule(coupleId, stream);
  }

  /**
   * Beyond the cap, the user's oldest streams end as a log-out ends one: the newest (a
   * phone that came back before its old stream was noticed gone) is never the one refused.
   */
  private endOldestBeyondCap(stream: CoupleStream, userId: number): void {
    const mine = [...stream.connections].filter((c) => c.viewer.userId === userId);
    for (const oldest of mine.slice(0, -this.streamsPerUser)) oldest.res.end();
  }

  /** On shutdown: every client is told to come back soon (to another instance), then let go. */
  closeAll(): void {
    for (const stream of this.couples.values()) {
      stream.channel.retry(1_000);
      stream.channel.close();
    }
    this.couples.clear();
  }

  /** closeAll, and the broker's connections too. */
  async stop(): Promise<void> {
    this.closeAll();
    await this.broker.close();
  }

  private streamFor(coupleId: number): CoupleStream {
    let stream = this.couples.get(coupleId);
    if (!stream) {
      const channel = new SseChannel({ retryTimeout: RETRY_MS, pingInterval: HEARTBEAT_MS, historySize: 1 });
      stream = { channel, connections: new Set(), wanted: false, running: false, fresh: [] };
      this.couples.set(coupleId, stream);
    }
    return stream;
  }

  private disconnect(coupleId: number, stream: CoupleStream, connection: Connection): void {
    if (stream.connections.delete(connection)) this.countUser(connection.viewer.userId, -1);
    if (stream.connections.size === 0 && this.couples.get(coupleId) === stream) {
      stream.channel.close();
      this.couples.delete(coupleId);
    }
  }

  private countUser(userId: number, change: 1 | -1): void {
    const n = (this.usersOnline.get(userId) ?? 0) + change;
    if (n > 0) this.usersOnline.set(userId, n);
    else this.usersOnline.delete(userId);
    if (n === 1 && change === 1) this.broker.setOnline(userId, true);
    if (n === 0) this.broker.setOnline(userId, false);
  }

  /** Drains one couple's log at a time; notifications that arrive meanwhile cause one more pass. */
  private schedule(coupleId: number, stream: CoupleStream): void {
    stream.wanted = true;
    if (stream.running) return;
    stream.running = true;
    void (async () => {
      try {
        while (stream.wanted) {
          stream.wanted = false;
          await this.drain(coupleId, stream);
        }
      } catch (err) {
        console.error(`stream of couple ${coupleId}: ${(err as Error).message}`);
        setTimeout(() => this.notify(coupleId), 1_000).unref(); // the database may be back by then
      } finally {
        stream.running = false;
      }
    })();
  }

  private async drain(coupleId: number, stream: CoupleStream): Promise<void> {
    for (;;) {
      const connections = [...stream.connections];
      if (connections.length === 0) return;
      const from = Math.min(...connections.map((c) => c.lastSent));
      stream.fresh = stream.fresh.filter((e) => e.seq > from);
      const events = freshFrom(stream.fresh, from) ?? (await eventsSince(this.db, coupleId, from, REPLAY_BATCH));
      if (events.length === 0) return;
      await this.deliver(coupleId, stream, connections, events);
      if (events.length < REPLAY_BATCH) return;
      // A long replay (a phone back after days, a Last-Event-ID of 0) goes out one batch per
      // turn of the event loop. On SQLite a query completes without returning to the loop,
      // so a replay in one go held up every other request of the process for seconds (even
      // another stream's first byte), and went on writing to a client that had already left:
      // its 'close' is only seen between turns.
      await nextTurn();
    }
  }

  private async deliver(coupleId: number, stream: CoupleStream, connections: Connection[], events: EventRow[]) {
    const groups = new Map<string, Connection[]>();
    for (const c of connections) groups.set(viewerKey(c.viewer), [...(groups.get(viewerKey(c.viewer)) ?? []), c]);
    const renderFor = await this.render(coupleId, events); // the reading, once for every viewer
    for (const group of groups.values()) {
      const oldest = Math.min(...group.map((c) => c.lastSent));
      const needed = events.filter((e) => e.seq > oldest);
      if (needed.length === 0) continue;
      const html = renderFor(group[0].viewer);
      for (const connection of group) {
        if (!stream.connections.has(connection)) continue;
        for (const event of needed) {
          if (event.seq <= connection.lastSent) continue;
          stream.channel.send({ id: event.seq, event: event.type, data: html.get(event.seq) ?? '' }, [connection.res]);
          connection.lastSent = event.seq;
        }
      }
    }
  }
}

/** Adds committed events to a stream's fresh ones, in seq order, once each; the oldest go beyond FRESH_KEPT. */
function keepFresh(stream: CoupleStream, events: readonly EventRow[]): void {
  const known = new Set(stream.fresh.map((e) => e.seq));
  stream.fresh = [...stream.fresh, ...events.filter((e) => !known.has(e.seq))].sort((a, b) => a.seq - b.seq).slice(-FRESH_KEPT);
}

/**
 * The fresh events right after `from`, when they follow on from it without a gap (another
 * instance's event, or one committed before this process kept any, would be missing: then
 * null, and the log is read).
 */
function freshFrom(fresh: readonly EventRow[], from: number): EventRow[] | null {
  if (fresh.length === 0 || fresh[0].seq !== from + 1) return null;
  const run: EventRow[] = [];
  for (const event of fresh) {
    if (event.seq !== from + 1 + run.length) break;
    run.push(event);
  }
  return run;
}
