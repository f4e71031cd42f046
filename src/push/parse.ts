import { createECDH, type ECDH } from 'node:crypto';
import { isIP } from 'node:net';
import type { MessageKey } from '../i18n/index';

/** A browser's push subscription, as push.js posts it (the fields of PushSubscription.toJSON()). */
export interface SubscriptionInput {
  endpoint: string;
  /** the browser's P-256 public key, base64url without padding */
  p256dh: string;
  /** the 16-byte authentication secret, base64url without padding */
  auth: string;
}

export const MAX_ENDPOINT_BYTES = 2048;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Names that are never on the public internet (RFC 6761, 6762, 8375; cloud metadata services live under .internal). */
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'intranet', 'lan'];

/**
 * A name on the server's own network, or one that says it points there: an IP literal,
 * localhost, a name without a dot, an internal suffix, or a wildcard-DNS name that carries
 * an IPv4 address (127.0.0.1.nip.io, 10-0-0-1.sslip.io). Trailing dots are the same name.
 */
function internalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (isIP(host) !== 0 || !host.includes('.')) return true;
  if (INTERNAL_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return true;
  return /(^|[.-])\d{1,3}([.-])\d{1,3}\2\d{1,3}\2\d{1,3}([.-]|$)/.test(host);
}

/**
 * The push service's URL, or null. Push services are public https hosts on port 443; the
 * server POSTs to whatever is stored here, so in production a name on the server's own
 * network is refused (and where the name leads is checked again at every send: see
 * address.ts). Outside production plain http is allowed to the loopback host only, for a
 * push service a test runs itself.
 */
export function parseEndpoint(raw: string, production: boolean): string | null {
  if (raw === '' || Buffer.byteLength(raw) > MAX_ENDPOINT_BYTES || /[\s\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password || url.hash) return null;
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') return !production && LOOPBACK.has(host) ? raw : null;
  if (url.protocol !== 'https:') return null;
  if (!production) return raw;
  return url.port === '' && !internalHost(host) ? raw : null;
}

/** base64url (padding tolerated) decoded, or null when it is anything else. */
function base64url(raw: string): Buffer | null {
  const bare = raw.replace(/={0,2}$/, '');
  return /^[A-Za-z0-9_-]+$/.test(bare) ? Buffer.from(bare, 'base64url') : null;
}

let probe: ECDH | null = null;

/** An uncompressed point that is really on P-256: the payload could not be encrypted to anything else. */
function isP256Point(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 0x04) return false;
  if (!probe) {
    probe = createECDH('prime256v1');
    probe.generateKeys();
  }
  try {
    probe.computeSecret(key);
    return true;
  } catch {
    return false;
  }
}

export type Parsed<T> = { ok: T; error?: undefined } | { ok?: undefined; error: MessageKey };

export function parseSubscription(fields: { endpoint: string; p256dh: string; auth: string }, production: boolean): Parsed<SubscriptionInput> {
  const endpoint = parseEndpoint(fields.endpoint, production);
  if (!endpoint) return { error: 'push.error.endpoint' };
  const p256dh = base64url(fields.p256dh);
  const auth = base64url(fields.auth);
  if (!p256dh || !isP256Point(p256dh) || !auth || auth.length !== 16) return { error: 'push.error.keys' };
  return { ok: { endpoint, p256dh: p256dh.toString('base64url'), auth: auth.toString('base64url') } };
}

/** The previews switch: 'on', or 'off' (an unticked checkbox sends nothing, which is off too). */
export function parsePreviews(raw: string): Parsed<boolean> {
  if (raw === 'on') return { ok: true };
  if (raw === 'off' || raw === '') return { ok: false };
  return { error: 'push.error.previews' };
}
