// A push service of our own for tests: a plain-http server on 127.0.0.1 that takes what
// the app POSTs to a subscription's endpoint, as FCM or Mozilla's autopush would, and a
// browser stand-in that holds the subscription's private key and decrypts the payload
// (RFC 8291 Web Push encryption over RFC 8188 aes128gcm) the way the browser does.
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A browser's side of one subscription: its P-256 key pair and auth secret, and its endpoint. */
export interface Device {
  endpoint: string;
  /** the fields push.js posts (PushSubscription.toJSON(): endpoint, keys.p256dh, keys.auth) */
  fields: { endpoint: string; p256dh: string; auth: string };
  privateKey: Buffer;
  publicKey: Buffer;
  authSecret: Buffer;
}

export interface Push {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the status this service answered */
  status: number;
}

/**
 * Decrypts one aes128gcm body for a device (RFC 8291 §3.4, RFC 8188 §2): the header
 * carries the salt, the record size and the sender's ephemeral public key; the shared
 * ECDH secret and the auth secret give the IKM, the salt gives CEK and nonce, and each
 * record ends with a delimiter (2 for the last) and zero padding.
 */
export function decryptPush(body: Buffer, device: Pick<Device, 'privateKey' | 'publicKey' | 'authSecret'>): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  const senderPublic = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  if (idLength !== 65 || recordSize < 18) throw new Error(`not an RFC 8291 header (idlen ${idLength}, rs ${recordSize})`);

  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(device.privateKey);
  const shared = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), device.publicKey, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, device.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));

  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += recordSize, seq++) {
    const record = records.subarray(offset, Math.min(offset + recordSize, records.length));
    const iv = Buffer.from(nonce);
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8); // the record's sequence number XORed into the nonce's low bytes
    const decipher = createDecipheriv('aes-128-gcm', cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const last = offset + recordSize >= records.length;
    if (padded[end] !== (last ? 2 : 1)) throw new Error(`record ${seq}: bad padding delimiter ${padded[end]}`);
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain).toString('utf8');
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/**
 * Checks `Authorization: vapid t=JWT, k=KEY` (RFC 8292): k is the server's public key and
 * the JWT's ES256 signature verifies with it. Returns the claims.
 */
export function verifyVapid(authorization: string | undefined, serverPublicKey: string): VapidClaims {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!m) throw new Error(`not a VAPID authorization: ${authorization}`);
  const [, jwt, k] = m;
  if (k !== serverPublicKey) throw new Error('k is not the server’s public key');
  const [header, claims, signature] = jwt.split('.');
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!ok) throw new Error('the VAPID JWT signature does not verify');
  if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'ES256') throw new Error('the VAPID JWT is not ES256');
  return JSON.parse(Buffer.from(claims, 'base64url').toString()) as VapidClaims;
}

/** A new browser-side key pair and auth secret, for a subscription whose endpoint is `endpoint`. */
export function newDevice(endpoint: string): Device {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const publicKey = ecdh.getPublicKey();
  return {
    endpoint,
    fields: { endpoint, p256dh: publicKey.toString('base64url'), auth: authSecret.toString('base64url') },
    privateKey: ecdh.getPrivateKey(),
    publicKey,
    authSecret,
  };
}

export class PushService {
  readonly received: Push[] = [];
  /** path → the status to answer (201 otherwise, as FCM does) */
  readonly answers = new Map<string, number>();
  private waiters = new Set<() => void>();
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<PushService> {
    let service: PushService;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const status = service.answers.get(path) ?? 201;
        service.received.push({ path, headers: req.headers, body: Buffer.concat(chunks), status });
        res.writeHead(status).end();
        for (const wake of [...service.waiters]) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = new PushService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return service;
  }

  /** A device whose endpoint is a path of its own on this service. */
  device(): Device {
    return newDevice(`${this.url}/push/${++this.counter}-${randomBytes(6).toString('hex')}`);
  }

  /** What reached one device so far. */
  pushesTo(device: Device): Push[] {
    const path = new URL(device.endpoint).pathname;
    return this.received.filter((p) => p.path === path);
  }

  /**
   * Waits until `n` pushes reached the device, and returns them. 10 s before calling them
   * lost: on a loaded CI machine a push on its way can take seconds (see DELIVERY_MS).
   */
  waitFor(device: Device, n = 1, ms = 10_000): Promise<Push[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const pushes = this.pushesTo(device);
        if (pushes.length < n) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(pushes);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.pushesTo(device).length} of ${n} pushes reached ${device.endpoint} within ${ms} ms`));
      }, ms);
      this.waiters.add(check);
      check();
    });
  }

  /** The JSON payload of a push, decrypted with the device's keys. */
  static payload(push: Push, device: Device): Record<string, unknown> {
    return JSON.parse(decryptPush(push.body, device)) as Record<string, unknown>;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
