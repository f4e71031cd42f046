import Koa from 'koa';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loginIdError, normalizeLoginId, passwordError, validatePasswordChange, validateSignup } from '../../src/accounts/rules';
import { translator } from '../../src/i18n/index';
import { browserLang } from '../../src/web/i18n';
import { en } from '../../src/i18n/en';
import { ko } from '../../src/i18n/ko';

describe('login IDs', () => {
  it.each(['abcd', 'a_b_c_d', 'user2026', 'a'.repeat(20)])('accepts %j', (id) => expect(loginIdError(id)).toBeNull());
  it.each(['abc', 'a'.repeat(21), 'ABCD', 'ab-cd', 'ab cd', '사랑해요', 'abcd\u0000'])('refuses %j', (id) =>
    expect(loginIdError(id)).toBe('loginId.invalid'),
  );
  it('normalises case and surrounding space', () => expect(normalizeLoginId('  Yoonseok ')).toBe('yoonseok'));
});

describe('passwords', () => {
  it('accepts 8 to 64 characters, Korean included', () => {
    expect(passwordError('kimchi-Jjigae7')).toBeNull();
    expect(passwordError('가'.repeat(64))).toBeNull();
    expect(passwordError('😀'.repeat(64))).toBeNull(); // 64 characters, 128 UTF-16 units
  });
  it.each([
    ['', 'password.required'],
    ['short7!', 'password.length'],
    ['가'.repeat(65), 'password.length'],
    ['with space1', 'password.whitespace'],
    ['ideographic\u3000space', 'password.whitespace'],
    ['lone\uD800surrogate', 'password.control'],
    ['bell\u0007bell-xyz', 'password.control'],
    ['iloveyou', 'password.common'],
    ['PASSWORD1', 'password.common'],
  ])('refuses %j as %s', (password, key) => expect(passwordError(password)).toBe(key));

  it('checks the confirmation only once the password itself is fine', () => {
    expect(validateSignup({ loginId: 'abcd', password: 'x', passwordConfirm: 'y' })).toEqual({ password: 'password.length' });
    expect(validateSignup({ loginId: 'abcd', password: 'tangerine-Sky-3', passwordConfirm: 'y' })).toEqual({
      password_confirm: 'password.mismatch',
    });
  });

  it('wants a new password different from the current one', () => {
    const same = 'tangerine-Sky-3';
    expect(validatePasswordChange({ currentPassword: same, newPassword: same, newPasswordConfirm: same })).toEqual({
      new_password: 'password.same',
    });
  });
});

describe('languages', () => {
  /** The language Koa's request negotiates for an Accept-Language header. */
  const langFromAcceptLanguage = (header: string) => {
    const req = new IncomingMessage(new Socket());
    req.headers['accept-language'] = header;
    return browserLang(new Koa().createContext(req, new ServerResponse(req)));
  };

  it('picks the best supported language from Accept-Language', () => {
    expect(langFromAcceptLanguage('en-US,en;q=0.9,ko;q=0.8')).toBe('en');
    expect(langFromAcceptLanguage('fr;q=1, ko-KR;q=0.5, en;q=0.4')).toBe('ko');
    expect(langFromAcceptLanguage('en;q=0, ko;q=0.1')).toBe('ko');
    expect(langFromAcceptLanguage('de')).toBeNull();
    expect(langFromAcceptLanguage('')).toBeNull();
    expect(langFromAcceptLanguage(';;;,q=,')).toBeNull();
  });

  it('has every Korean message in English too, with the same placeholders', () => {
    for (const key of Object.keys(ko) as (keyof typeof ko)[]) {
      expect(en[key], key).toBeTruthy();
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(en[key]), key).toEqual(names(ko[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translator('en')('pair.sentDone', { loginId: 'jiwoo' })).toBe('Request sent to jiwoo.');
    expect(translator('ko')('login.throttled', { minutes: 3 })).toContain('3분');
  });
});
