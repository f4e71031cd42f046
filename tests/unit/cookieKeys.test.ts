// The app's cookie signatures (src/web/cookieKeys.ts) are keygrip's, so a session cookie
// signed before still verifies, and one signed with an old key of SESSION_SECRET too.
import Keygrip from 'keygrip';
import { describe, expect, it } from 'vitest';
import { cookieKeys } from '../../src/web/cookieKeys';

describe('cookie signatures', () => {
  const keys = ['new secret', 'old secret'];
  const ours = cookieKeys(keys);
  const theirs = new Keygrip(keys);

  it('signs as keygrip signs', () => {
    for (const data of ['cc.sid=abc', 'cc.csrf=' + 'x'.repeat(32), 'cc.flash=eyJraW5kIjoiaW5mbyJ9', '']) expect(ours.sign(data)).toBe(theirs.sign(data));
  });

  it('verifies what keygrip signed with any of the keys, and says which', () => {
    const old = new Keygrip(['old secret']).sign('cc.sid=abc');
    expect(ours.index('cc.sid=abc', old)).toBe(1);
    expect(ours.verify('cc.sid=abc', theirs.sign('cc.sid=abc'))).toBe(true);
  });

  it('refuses a signature of other data, another key, or a mangled one', () => {
    const good = theirs.sign('cc.sid=abc');
    expect(ours.verify('cc.sid=abd', good)).toBe(false);
    expect(ours.verify('cc.sid=abc', new Keygrip(['other']).sign('cc.sid=abc'))).toBe(false);
    expect(ours.verify('cc.sid=abc', good.slice(1))).toBe(false);
    expect(ours.verify('cc.sid=abc', '')).toBe(false);
    expect(ours.index('cc.sid=abc', undefined as unknown as string)).toBe(-1);
  });
});
