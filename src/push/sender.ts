import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { LRUCache } from 'lru-cache';
import type { Vapid } from '../config';
import { loadWebPush } from '../lazyModules';
import { limiter } from '../limiter';
import { InternalAddressError, isPublicAddress, publicOnlyLookup } from './address';
import type { Payload } from './payload';
import type { PushTarget } from './subscriptions';

/** ok: accepted by the push service; gone: the subscription is dead (404/410); failed: anything else. */
export type Delivery = 'ok' | 'gone' | 'failed';

export interface DeliveryOptions {
  /** seconds the push service keeps a message for a device that is offline */
  ttl: number;
  urgency: 'normal' | 'high';
  /** a newer message with the same topic replaces an undelivered older one at the push service */
  topic?: string;
}

/** How push services are reached: DNS, and the port https push services listen on (a test puts its own here). */
export interface PushNetwork {
  lookup: LookupFunction;
  httpsPort: number;
}

export const INTERNET: PushNetwork = { lookup: dnsLookup as LookupFunction, httpsPort: 443 };

export const PUSH_TIMEOUT_MS = 10_000;
const CONCURRENCY = 4;

/**
 * Where a POST may go. In production: https on the push port, to a name whose every
 * address is public at the moment of connecting, or to a public IP literal (which is
 * connected to without a lookup, so it is checked here). Elsewhere: anywhere (a test's
 * push service on 127.0.0.1).
 */
function checkedTarget(endpoint: string, production: boolean, network: PushNetwork): { url: URL; lookup: LookupFunction } {
  const url = new URL(endpoint);
  if (!production) return { url, lookup: network.lookup };
  if (url.protocol !== 'https:' || Number(url.port || 443) !== network.httpsPort) throw new Error(`not https on port ${network.httpsPort}`);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isPublicAddress(literal)) throw new InternalAddressError(url.hostname, literal);
  return { url, lookup: publicOnlyLookup(network.lookup) };
}

/** One POST, its status code; the response body is not ours to read. */
function post(target: { url: URL; lookup: LookupFunction }, headers: Record<string, string | number>, body: Buffer | null): Promise<number> {
  const { url, lookup } = target;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, lookup, signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) }, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/**
 * Sends encrypted notifications to push services. web-push encrypts the payload (RFC 8291,
 * aes128gcm) and signs the VAPID header; the POST is our own so that it never follows a
 * redirect, has a timeout, and (outside production) can reach a test's plain-http service.
 * At most CONCURRENCY requests run at once per process; a failure is logged once per
 * subscription until it works again.
 */
export class PushSender {
  private readonly inTurn = limiter(CONCURRENCY);
  /** subscriptions whose failure was logged; bounded, as subscriptions come and go */
  private readonly complained = new LRUCache<number, true>({ max: 10_000 });

  constructor(
    private readonly vapid: Vapid,
    private readonly production: boolean,
    private readonly network: PushNetwork = INTERNET,
  ) {}

  async deliver(target: PushTarget, payload: Payload, options: DeliveryOptions): Promise<Delivery> {
    const status = await this.inTurn(() => this.send(target, payload, options)).catch((err: Error) => err);
    if (typeof status === 'number' && status >= 200 && status < 300) {
      this.complained.delete(target.id);
      return 'ok';
    }
    if (status === 404 || status === 410) return 'gone';
    if (!this.complained.has(target.id)) {
      this.complained.set(target.id, true);
      const why = typeof status === 'number' ? `status ${status}` : status.message;
      // the endpoint itself is a secret capability URL: only its origin goes to the log
      console.error(`push: subscription ${target.id} at ${new URL(target.endpoint).origin} failed (${why}); kept`);
    }
    return 'failed';
  }

  private async send(target: PushTarget, payload: Payload, options: DeliveryOptions): Promise<number> {
    const to = checkedTarget(target.endpoint, this.production, this.network);
    const details = loadWebPush().generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, JSON.stringify(payload), {
      vapidDetails: this.vapid,
      TTL: options.ttl,
      urgency: options.urgency,
      topic: options.topic,
      contentEncoding: 'aes128gcm',
    });
    return post(to, details.headers as Record<string, string | number>, details.body);
  }
}
