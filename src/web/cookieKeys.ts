import { createHmac, timingSafeEqual } from 'node:crypto';

/** What Koa's cookies need of a key set (keygrip's interface). */
export interface CookieKeys {
  sign(data: string): string;
  verify(data: string, digest: string): boolean;
  index(data: string, digest: string): number;
}

/**
 * The signatures keygrip makes (HMAC-SHA1 in base64url without padding, the first key
 * signing, any key verifying), so every cookie signed before stays valid, checked with
 * crypto's timingSafeEqual. keygrip compares with tsscmp, which hashes both sides again
 * with a fresh random key: three HMACs and a random draw per signed cookie read, and every
 * request reads two or three (the session's, the CSRF token's). Koa takes a keygrip-like
 * object as app.keys.
 */
export function cookieKeys(keys: readonly string[]): CookieKeys {
  if (keys.length === 0) throw new Error('cookie keys must be provided');
  const sign = (data: string, key: string) => createHmac('sha1', key).update(data).digest('base64url');
  const index = (data: string, digest: string) => {
    const given = Buffer.from(String(digest ?? ''));
    for (let i = 0; i < keys.length; i++) {
      const expected = Buffer.from(sign(data, keys[i]));
      if (given.length === expected.length && timingSafeEqual(given, expected)) return i;
    }
    return -1;
  };
  return { sign: (data) => sign(data, keys[0]), index, verify: (data, digest) => index(data, digest) > -1 };
}
