import type { ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import { findMessages } from '../chat/messages';
import { coupleMembers } from '../couple/couples';
import { calledName } from '../couple/names';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { filesOfMessages } from '../files/files';
import { isLang } from '../i18n/index';
import { findAsked } from '../questions/asked';
import { CoupleChanges, type Committed } from '../realtime/coupleChanges';
import { ofType } from '../realtime/events';
import { payloadFor, type Notice, type Payload, type Recipient } from './payload';
import type { DeliveryOptions, PushSender } from './sender';
import { markDelivered, removeSubscription, subscriptionsOf, type PushTarget } from './subscriptions';

/** What the partner hears of; the notifier reads what it needs from the database itself. */
type Happened = { kind: 'message'; id: number } | { kind: 'upload'; messageIds: number[] } | { kind: 'question'; id: number };

/**
 * What a request's committed changes tell the partner: each text message, the files it
 * sent (one notice for all of them, as they were picked together), each question asked.
 */
function happenedIn(committed: readonly Committed[]): Happened[] {
  const events = committed.flatMap((c) => c.events);
  const happened: Happened[] = [];
  const files = ofType(events, 'message').filter((e) => e.payload.file === true).map((e) => e.payload.id);
  for (const event of events) {
    if (event.type === 'message' && event.payload.file !== true) happened.push({ kind: 'message', id: event.payload.id });
    if (event.type === 'message' && event.payload.id === files[0]) happened.push({ kind: 'upload', messageIds: files });
    if (event.type === 'question') happened.push({ kind: 'question', id: event.payload.id });
  }
  return happened;
}

interface Sender {
  id: number;
  loginId: string;
}

const DELIVERY: DeliveryOptions = { ttl: 86_400, urgency: 'high' };

/** The one told, with the name they gave the sender (the notification's title shows it). */
async function partnerOf(db: Db, coupleId: number, senderId: number): Promise<(Recipient & { id: number; nickname: string | null }) | null> {
  const row = await db('users').where({ couple_id: coupleId }).andWhereNot({ id: senderId }).first('id', 'language', 'push_previews', 'partner_nickname');
  if (!row) return null;
  return { id: Number(row.id), lang: isLang(row.language) ? row.language : 'ko', previews: Number(row.push_previews) !== 0, nickname: row.partner_nickname ?? null };
}

/**
 * Tells the partner what just happened, on each of their devices. It runs after the response has gone, never fails or slows a request, and
 * removes the subscriptions the push service says are gone.
 */
export class Notifier {
  private pending = 0;
  private idlers: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly sender: PushSender,
    private readonly clock: Clock,
  ) {}

  /** Starts once `res` is finished (or at once if it is); errors are logged, never thrown. */
  after(res: ServerResponse, coupleId: number, from: Sender, events: Happened[]): void {
    this.pending++;
    const run = () => {
      void this.notifyAll(coupleId, from, events)
        .catch((err: Error) => console.error(`push: couple ${coupleId}: ${err.message}`))
        .finally(() => this.settle());
    };
    if (res.writableFinished || res.destroyed) run();
    else res.once('close', run);
  }

  /** Sends one notification to each of a user's devices (a reminder); resolves once each is delivered or given up on. */
  async toUser(userId: number, payload: Payload, options: DeliveryOptions): Promise<void> {
    this.pending++;
    try {
      await this.deliverEach(await subscriptionsOf(this.db, userId), payload, options);
    } finally {
      this.settle();
    }
  }

  private settle(): void {
    if (--this.pending === 0) for (const wake of this.idlers.splice(0)) wake();
  }

  /** Resolves when no notification is being worked on (for tests and shutdown). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idlers.push(resolve));
  }

  private async notifyAll(coupleId: number, from: Sender, events: Happened[]): Promise<void> {
    // Sent even while the partner has a stream open (any page of a couple has one): their
    // service worker shows it unless the chat is in front (static/sw.js), which only the
    // browser knows. The common case first, in one query: no device to tell.
    const members = await coupleMembers(this.db, coupleId);
    const partnerId = members.a === from.id ? members.b : members.a;
    if (!partnerId) return;
    const targets = await subscriptionsOf(this.db, partnerId);
    if (targets.length === 0) return;
    const recipient = await partnerOf(this.db, coupleId, from.id);
    if (!recipient) return;
    for (const event of events) {
      const notice = await this.noticeOf(coupleId, event);
      if (!notice) continue;
      await this.deliverEach(targets, payloadFor(notice, calledName(from.loginId, recipient.nickname), recipient), DELIVERY);
    }
  }

  private async deliverEach(targets: PushTarget[], payload: Payload, options: DeliveryOptions): Promise<void> {
    await Promise.all(
      targets.map(async (target) => {
        const result = await this.sender.deliver(target, payload, options);
        if (result === 'gone') await removeSubscription(this.db, target.id);
        if (result === 'ok') await markDelivered(this.db, target.id, this.clock.now());
      }),
    );
  }

  private async noticeOf(coupleId: number, event: Happened): Promise<Notice | null> {
    if (event.kind === 'message') {
      const message = (await findMessages(this.db, coupleId, [event.id])).get(event.id);
      return message && message.deleted_at === null ? { kind: 'message', text: message.body } : null;
    }
    if (event.kind === 'question') {
      const asked = await findAsked(this.db, coupleId, event.id);
      return asked && { kind: 'question', id: asked.id, textKo: asked.textKo, textEn: asked.textEn };
    }
    const files = await filesOfMessages(this.db, coupleId, event.messageIds);
    if (files.size === 0) return null; // deleted meanwhile
    const first = (await findMessages(this.db, coupleId, event.messageIds.slice(0, 1))).get(event.messageIds[0]);
    return { kind: 'files', kinds: [...files.values()].flat().map((f) => f.kind), caption: first?.body ?? '' };
  }
}

/**
 * Around a request of a couple: the changes it commits are collected, and once its response
 * has gone the partner hears of what they sent (see happenedIn). Mounted after loadUser.
 */
export function notifyAfterResponse(): Middleware {
  return async (ctx, next) => {
    const committed: Committed[] = [];
    try {
      await CoupleChanges.collect(next, committed);
    } finally {
      const me = ctx.state.user;
      const coupleId = committed[0]?.coupleId;
      const happened = happenedIn(committed);
      if (me && coupleId !== undefined && happened.length) ctx.push.after(ctx.res, coupleId, { id: me.id, loginId: me.loginId }, happened);
    }
  };
}
