import { createHash, createHmac, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Db } from '../../src/db';
import { COOKIE_PREFIX } from './appMode';

/**
 * Users, couples and logged-in sessions written straight into a fresh database: 10,000
 * sign-ups over HTTP would spend ten minutes in bcrypt. The rows are what sign-up,
 * pairing and log-in would have written (see src/web/session.ts for the session row).
 */

export const BENCH_PASSWORD = 'violet-Harbor-42';
const SESSION_MAX_AGE_MS = 30 * 86_400_000;
const BATCH = 500;

export interface SeededUser {
  id: number;
  loginId: string;
  /** Cookie header value: session and CSRF cookies, both signed as Koa signs them. */
  cookie: string;
  csrf: string;
}

export interface SeededCouple {
  id: number;
  a: SeededUser;
  b: SeededUser;
}

/** koa's cookies use keygrip: HMAC-SHA1 of "name=value", base64url. */
const signCookie = (secret: string, name: string, value: string) => createHmac('sha1', secret).update(`${name}=${value}`).digest('base64url');

function cookieHeader(secret: string, sessionKey: string, csrf: string): string {
  const [sid, token] = [`${COOKIE_PREFIX}cc.sid`, `${COOKIE_PREFIX}cc.csrf`];
  return [
    `${sid}=${sessionKey}`,
    `${sid}.sig=${signCookie(secret, sid, sessionKey)}`,
    `${token}=${csrf}`,
    `${token}.sig=${signCookie(secret, token, csrf)}`,
  ].join('; ');
}

async function insertInBatches(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += BATCH) await trx(table).insert(rows.slice(i, i + BATCH));
  });
}

/**
 * Couples with ids firstId…firstId+count-1; couple i has users 2i-1 and 2i (explicit ids
 * are safe in the fresh database the bench made).
 */
export async function seedCouples(db: Db, secret: string, firstId: number, count: number): Promise<SeededCouple[]> {
  const passwordHash = await bcrypt.hash(createHash('sha256').update(BENCH_PASSWORD).digest('base64'), 10);
  const now = Date.now();
  const couples: SeededCouple[] = [];
  const coupleRows: Record<string, unknown>[] = [];
  const userRows: Record<string, unknown>[] = [];
  const sessionRows: Record<string, unknown>[] = [];
  const user = (id: number, coupleId: number): SeededUser => {
    const loginId = `bench_${id}`;
    const sessionKey = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    userRows.push({ id, login_id: loginId, password_hash: passwordHash, couple_id: coupleId, created_at: now });
    sessionRows.push({
      id: createHash('sha256').update(sessionKey).digest('hex'),
      user_id: id,
      data: JSON.stringify({ userId: id, issuedAt: now, _expire: now + SESSION_MAX_AGE_MS, _maxAge: SESSION_MAX_AGE_MS }),
      expires_at: now + SESSION_MAX_AGE_MS,
    });
    return { id, loginId, cookie: cookieHeader(secret, sessionKey, csrf), csrf };
  };
  for (let id = firstId; id < firstId + count; id++) {
    coupleRows.push({ id, started_at: now - 400 * 86_400_000 });
    couples.push({ id, a: user(2 * id - 1, id), b: user(2 * id, id) });
  }
  await insertInBatches(db, 'couples', coupleRows);
  await insertInBatches(db, 'users', userRows);
  await insertInBatches(db, 'sessions', sessionRows);
  return couples;
}

export const PHRASES = [
  '오늘 점심 뭐 먹었어?',
  '퇴근하고 전화할게',
  '보고싶다 진짜',
  '주말에 영화 보러 갈까',
  'ㅋㅋㅋㅋ 그거 완전 웃기다',
  '집에 잘 들어갔어?',
  '내일 아침 일찍 회의 있어서 먼저 잘게',
  '사랑해 오늘도 고생했어',
  'did you see the photos I sent?',
  '비 온대 우산 챙겨',
  '저녁은 떡볶이 어때',
  '지하철 너무 막혀서 좀 늦을 것 같아',
  'miss you already',
  '생일 선물 뭐 갖고 싶어?',
  '커피 한 잔 하자',
  '엄마가 안부 전해달래',
];

/** A word that appears in one message only, the oldest: a search for it reads the whole history. */
export const RARE_WORD = '무지개떡';
/** A word in about one message of sixteen. */
export const COMMON_WORD = '사랑해';

/** `count` messages of one couple, alternating senders, spread over the last two years. */
export async function seedHistory(db: Db, couple: SeededCouple, count: number): Promise<void> {
  const end = Date.now() - 3_600_000;
  const span = 730 * 86_400_000;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const phrase = PHRASES[(i * 7 + (i >> 4)) % PHRASES.length];
    rows.push({
      couple_id: couple.id,
      sender_id: i % 2 === 0 ? couple.a.id : couple.b.id,
      body: i === 0 ? `${RARE_WORD} 먹으러 가자` : `${phrase} (${i})`,
      client_id: `seed-${i.toString(36).padStart(6, '0')}`,
      created_at: Math.round(end - span + (span * i) / count),
    });
  }
  await insertInBatches(db, 'messages', rows);
}
