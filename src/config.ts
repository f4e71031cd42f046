import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RateLimits } from './web/rateLimit';

export type Storage = { kind: 'db' } | { kind: 'disk'; path: string };

export interface Config {
  port: number;
  databaseUrl: string;
  sessionKeys: string[];
  production: boolean;
  breakupGraceMs: number;
  uploadMaxBytes: number;
  storage: Storage;
  redisUrl: string | null;
  timeZone: string;
  /** request limits other than the log-in throttle; the defaults suit everyone (tests lower them) */
  rateLimits?: Partial<RateLimits>;
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

/** The zone's canonical spelling (asia/seoul → Asia/Seoul). */
export function canonicalTimeZone(value: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
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

/** In development the secret is made once and kept beside the SQLite file, so sessions survive restarts. */
function developmentSecret(databaseUrl: string): string {
  const folder = databaseUrl.startsWith('sqlite:') ? dirname(resolve(databaseUrl.slice(7))) : resolve('data');
  const file = resolve(folder, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(folder, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
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
  };
}
