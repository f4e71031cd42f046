import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const keys = webpush.generateVAPIDKeys();
const VAPID = { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'https://couple.example' };
const base = () => ({ DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'cc-config-')), 'x.sqlite')}` });

describe('configuration', () => {
  it('has working defaults for a newcomer', () => {
    const env = base();
    const config = loadConfig(env);
    expect(config).toMatchObject({
      port: 3000,
      production: false,
      breakupGraceMs: 7 * 86_400_000,
      uploadMaxBytes: 50 * 1024 * 1024,
      storage: { kind: 'db' },
      redisUrl: null,
      timeZone: 'Asia/Seoul',
      questionCadence: { minGapMs: 3 * 3_600_000, perDay: 3, quietStartMs: 10 * 60_000 },
    });
    expect(config.sessionKeys[0].length).toBeGreaterThanOrEqual(32);
  });

  it('makes the development session secret once and keeps it beside the database', () => {
    const env = base();
    const first = loadConfig(env).sessionKeys;
    expect(loadConfig(env).sessionKeys).toEqual(first);
    const folder = env.DATABASE_URL.slice('sqlite:'.length).replace(/x\.sqlite$/, '');
    expect(readFileSync(join(folder, 'session-secret'), 'utf8').trim()).toBe(first[0]);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'mysql://u:p@db.internal:3306/couple',
      SESSION_SECRET: 'a'.repeat(32) + ',' + 'b'.repeat(40),
      NODE_ENV: 'production',
      BREAKUP_GRACE: '2m',
      UPLOAD_MAX_BYTES: '10MB',
      STORAGE: 'disk:/var/uploads',
      REDIS_URL: 'redis://127.0.0.1:6379',
      APP_TIMEZONE: 'Europe/Berlin',
      QUESTION_GAP: '0',
      QUESTIONS_PER_DAY: '10',
      QUESTION_QUIET_START: '1h',
      ...VAPID,
    });
    expect(config).toMatchObject({
      port: 8080,
      production: true,
      sessionKeys: ['a'.repeat(32), 'b'.repeat(40)],
      breakupGraceMs: 120_000,
      uploadMaxBytes: 10 * 1024 * 1024,
      storage: { kind: 'disk', path: '/var/uploads' },
      redisUrl: 'redis://127.0.0.1:6379',
      timeZone: 'Europe/Berlin',
      questionCadence: { minGapMs: 0, perDay: 10, quietStartMs: 3_600_000 },
      vapid: { publicKey: keys.publicKey, privateKey: keys.privateKey, subject: 'https://couple.example' },
    });
  });

  it.each([
    ['PORT', 'eighty', /^PORT must be/],
    ['PORT', '70000', /^PORT must be/],
    ['DATABASE_URL', 'postgres://x/y', /^DATABASE_URL must be/],
    ['DATABASE_URL', 'mysql://host-without-db', /^DATABASE_URL must be/],
    ['BREAKUP_GRACE', '7 days', /^BREAKUP_GRACE must be/],
    ['BREAKUP_GRACE', '0d', /^BREAKUP_GRACE must be/],
    ['UPLOAD_MAX_BYTES', '-5', /^UPLOAD_MAX_BYTES must be/],
    ['QUESTION_GAP', 'often', /^QUESTION_GAP must be/],
    ['QUESTIONS_PER_DAY', '0', /^QUESTIONS_PER_DAY must be/],
    ['QUESTION_QUIET_START', '-1m', /^QUESTION_QUIET_START must be/],
    ['STORAGE', 's3', /^STORAGE must be/],
    ['REDIS_URL', 'localhost:6379', /^REDIS_URL must be/],
    ['APP_TIMEZONE', 'Mars/Olympus', /^APP_TIMEZONE must be/],
    ['NODE_ENV', 'prod', /^NODE_ENV must be/],
    ['SESSION_SECRET', 'short', /^SESSION_SECRET must be/],
    ['VAPID_SUBJECT', 'admin@example.com', /^VAPID_SUBJECT must be/],
    ['VAPID_SUBJECT', 'http://example.com', /^VAPID_SUBJECT must be/],
    ['VAPID_PUBLIC_KEY', 'abc', /^VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together/],
  ])('stops on a bad %s (%j) with one line naming it', (name, value, message) => {
    const attempt = () => loadConfig({ ...base(), [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('requires SESSION_SECRET in production', () => {
    expect(() => loadConfig({ ...base(), NODE_ENV: 'production' })).toThrow(/^SESSION_SECRET must be set in production/);
  });

  it('makes the development VAPID key pair once and keeps it beside the database', () => {
    const env = base();
    const first = loadConfig(env).vapid;
    expect(first.subject).toBe('mailto:admin@localhost');
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
    expect(loadConfig(env).vapid).toEqual(first);
    const folder = env.DATABASE_URL.slice('sqlite:'.length).replace(/x\.sqlite$/, '');
    expect(JSON.parse(readFileSync(join(folder, 'vapid-keys.json'), 'utf8'))).toEqual({ publicKey: first.publicKey, privateKey: first.privateKey });
  });

  it('requires the VAPID keys and subject in production', () => {
    const env = { ...base(), NODE_ENV: 'production', SESSION_SECRET: 'a'.repeat(32) };
    expect(() => loadConfig(env)).toThrow(/^VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT must be set in production/);
    expect(() => loadConfig({ ...env, ...VAPID, VAPID_SUBJECT: '' })).toThrow(/must be set in production/);
    expect(loadConfig({ ...env, ...VAPID }).vapid.publicKey).toBe(keys.publicKey);
  });

  it('refuses VAPID keys that are malformed or not one pair, in one line', () => {
    const other = webpush.generateVAPIDKeys();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ VAPID_PUBLIC_KEY: 'not a key', VAPID_PRIVATE_KEY: keys.privateKey }, /^VAPID_PUBLIC_KEY must be a base64url P-256 public key/],
      [{ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey.slice(4) }, /^VAPID_PRIVATE_KEY must be a base64url P-256 private key/],
      [{ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: other.privateKey }, /^VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be one key pair/],
    ];
    for (const [vars, message] of cases) {
      const attempt = () => loadConfig({ ...base(), ...vars });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    }
  });
});
