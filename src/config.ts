import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RateLimits } from './limits/rules';
import { loadWebPush } from './lazyModules';

export type Storage = { kind: 'db' } | { kind: 'disk'; path: string };

export interface Config {
  port: number;
  databaseUrl: string;
  sessionKeys: string[];
  production: boolean;
  breakupGraceMs: number;
  uploadMaxBytes: number;
  /** how long an upload may bring (next to) nothing before it is cut with 408; not read from the environment (tests lower it) */
  uploadStallMs?: number;
  storage: Storage;
  redisUrl: string | null;
  timeZone: string;
  vapid: Vapid;
  /** request limits other than the log-in throttle; the defaults suit everyone (tests lower them) */
  rateLimits?: Partial<RateLimits>;
  /** what the pub/sub channel and presence keys in Redis start with (default couple-chat); tests give each database its own */
  redisPrefix?: string;
  /** how often words may ask a question (QUESTION_GAP, QUESTIONS_PER_DAY, QUESTION_QUIET_START) */
  questionCadence: QuestionCadence;
}

/**
 * "A question time now and then": a trigger word asks only when no question is open, the
 * last one was asked at least `minGapMs` ago, fewer than `perDay` were asked in the last 24
 * hours, and the couple has been together (paired) for `quietStartMs` at least.
 */
export interface QuestionCadence {
  minGapMs: number;
  perDay: number;
  quietStartMs: number;
}

export const DEFAULT_QUESTION_CADENCE: QuestionCadence = { minGapMs: 3 * 3_600_000, perDay: 3, quietStartMs: 10 * 60_000 };
/** Every trigger word asks at once (when no question is open), as in the original's walk-through: for the demo and tests. */
export const EVERY_TRIGGER_ASKS: QuestionCadence = { minGapMs: 0, perDay: Number.MAX_SAFE_INTEGER, quietStartMs: 0 };

/** The server's Web Push identity: its key pair (base64url, as browsers take it) and a contact. */
export interface Vapid {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** A bad environment value: start-up prints `message` as one line and stops. */
export class ConfigError extends Error {}

const DEFAULT_DATABASE_URL = 'sqlite:./data/couple-chat.sqlite';
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

function fail(name: string, value: string, expected: string): never {
  throw new ConfigError(`${name} must be ${expected} (got ${JSON.stringify(value)})`);
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) fail('PORT', value, 'a port number 1-65535');
  return n;
}

export function parseDuration(name: string, value: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) fail(name, value, 'a duration like 7d, 12h, 2m or 30s');
  return Number(m[1]) * UNITS[m[2]];
}

/** A duration that may also be 0 (none); unset, the fallback. */
function durationOrNone(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  return value.trim() === '0' ? 0 : parseDuration(name, value);
}

export function parseCount(name: string, value: string): number {
  if (!/^\d{1,4}$/.test(value.trim()) || Number(value) === 0) fail(name, value, 'a whole number from 1 to 9999');
  return Number(value);
}

export function parseSize(name: string, value: string): number {
  const m = /^(\d+)\s*(B|KB|MB|GB)?$/i.exec(value.trim());
  if (!m || Number(m[1]) === 0) fail(name, value, 'a size like 52428800 or 50MB');
  return Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toUpperCase()];
}

export function parseDatabaseUrl(value: string): string {
  if (/^sqlite:.+/.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.protocol === 'mysql:' && url.hostname && url.pathname.length > 1) return value;
  } catch {
    /* reported below */
  }
  fail('DATABASE_URL', value, 'sqlite:PATH or mysql://user:pass@host:3306/db');
}

export function parseStorage(value: string): Storage {
  if (value === 'db') return { kind: 'db' };
  const m = /^disk:(.+)$/.exec(value);
  if (m) return { kind: 'disk', path: resolve(m[1]) };
  fail('STORAGE', value, '"db" or "disk:/path"');
}

export function parseRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return value;
  } catch {
    /* reported below */
  }
  fail('REDIS_URL', value, 'a redis:// or rediss:// URL');
}

export function parseTimeZone(name: string, value: string): string {
  if (!isTimeZone(value)) fail(name, value, 'an IANA time zone like Asia/Seoul');
  return value;
}

export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function parseNodeEnv(value: string): boolean {
  if (!['development', 'production', 'test'].includes(value)) {
    fail('NODE_ENV', value, 'development, production or test');
  }
  return value === 'production';
}

function parseSessionSecret(value: string | undefined, production: boolean, databaseUrl: string) {
  if (value !== undefined) {
    const keys = value.split(',').map((k) => k.trim());
    if (keys.some((k) => k.length < 32)) fail('SESSION_SECRET', '…', 'comma-separated keys of 32+ characters');
    return keys;
  }
  if (production) throw new ConfigError('SESSION_SECRET must be set in production (32+ random characters)');
  return [developmentSecret(databaseUrl)];
}

/** The folder beside the SQLite file (./data otherwise), where development keeps what it generates. */
function dataFolder(databaseUrl: string): string {
  return databaseUrl.startsWith('sqlite:') ? dirname(resolve(databaseUrl.slice(7))) : resolve('data');
}

/** In development the secret is made once and kept beside the SQLite file, so sessions survive restarts. */
function developmentSecret(databaseUrl: string): string {
  const folder = dataFolder(databaseUrl);
  const file = resolve(folder, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(folder, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A P-256 key pair in the form browsers take (public: 65-byte uncompressed point; private: 32 bytes), checked to belong together. */
export function vapidKeysError(publicKey: string, privateKey: string): string | null {
  if (!BASE64URL.test(publicKey) || Buffer.from(publicKey, 'base64url').length !== 65) return 'VAPID_PUBLIC_KEY must be a base64url P-256 public key (65 bytes)';
  if (!BASE64URL.test(privateKey) || Buffer.from(privateKey, 'base64url').length !== 32) return 'VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes)';
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    if (ecdh.getPublicKey('base64url') === publicKey) return null;
  } catch {
    /* reported below */
  }
  return 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be one key pair (npx web-push generate-vapid-keys)';
}

/**
 * In development the key pair is made once into the data folder, like the session secret:
 * a browser's subscription is bound to the public key, so it must outlive restarts.
 */
function developmentVapidKeys(databaseUrl: string): { publicKey: string; privateKey: string } {
  const folder = dataFolder(databaseUrl);
  const file = resolve(folder, 'vapid-keys.json');
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(loadWebPush().generateVAPIDKeys()) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err; // another process made it first
    }
  }
  const keys = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  const error = vapidKeysError(String(keys.publicKey), String(keys.privateKey));
  if (error) throw new ConfigError(`${file} holds no valid VAPID key pair; delete it to make a new one`);
  return keys;
}

export function parseVapidSubject(value: string): string {
  try {
    const url = new URL(value);
    if ((url.protocol === 'mailto:' && /^[^@\s]+@[^@\s]+$/.test(url.pathname)) || (url.protocol === 'https:' && url.hostname)) return value;
  } catch {
    /* reported below */
  }
  fail('VAPID_SUBJECT', value, 'a mailto: address or an https: URL');
}

function parseVapid(env: NodeJS.ProcessEnv, production: boolean, databaseUrl: string): Vapid {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = env;
  if (production && (!publicKey || !privateKey || !subject)) {
    throw new ConfigError('VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT must be set in production (npx web-push generate-vapid-keys)');
  }
  if (Boolean(publicKey) !== Boolean(privateKey)) throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together');
  let keys;
  if (publicKey && privateKey) {
    const error = vapidKeysError(publicKey, privateKey);
    if (error) throw new ConfigError(error);
    keys = { publicKey, privateKey };
  } else {
    keys = developmentVapidKeys(databaseUrl);
  }
  return { ...keys, subject: parseVapidSubject(subject ?? 'mailto:admin@localhost') };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = parseNodeEnv(env.NODE_ENV ?? 'development');
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  return {
    port: parsePort(env.PORT ?? '3000'),
    databaseUrl,
    sessionKeys: parseSessionSecret(env.SESSION_SECRET, production, databaseUrl),
    production,
    breakupGraceMs: parseDuration('BREAKUP_GRACE', env.BREAKUP_GRACE ?? '7d'),
    uploadMaxBytes: parseSize('UPLOAD_MAX_BYTES', env.UPLOAD_MAX_BYTES ?? '50MB'),
    storage: parseStorage(env.STORAGE ?? 'db'),
    redisUrl: env.REDIS_URL ? parseRedisUrl(env.REDIS_URL) : null,
    timeZone: parseTimeZone('APP_TIMEZONE', env.APP_TIMEZONE ?? 'Asia/Seoul'),
    vapid: parseVapid(env, production, databaseUrl),
    questionCadence: {
      minGapMs: durationOrNone('QUESTION_GAP', env.QUESTION_GAP, DEFAULT_QUESTION_CADENCE.minGapMs),
      perDay: env.QUESTIONS_PER_DAY ? parseCount('QUESTIONS_PER_DAY', env.QUESTIONS_PER_DAY) : DEFAULT_QUESTION_CADENCE.perDay,
      quietStartMs: durationOrNone('QUESTION_QUIET_START', env.QUESTION_QUIET_START, DEFAULT_QUESTION_CADENCE.quietStartMs),
    },
  };
}
