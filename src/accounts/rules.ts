import { readFileSync } from 'node:fs';
import { fromRoot } from '../appRoot';
import type { MessageKey } from '../i18n/index';
import type { FieldErrors } from '../web/form';

const LOGIN_ID = /^[a-z0-9_]{4,20}$/;

let commonPasswords: Set<string> | null = null;
function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    readFileSync(fromRoot('src', 'accounts', 'common-passwords.txt'), 'utf8').split('\n').filter(Boolean),
  );
  return commonPasswords.has(password.toLowerCase());
}

/** Phones capitalise the first letter by themselves, so IDs are taken in lower case. */
export function normalizeLoginId(value: string): string {
  return value.trim().toLowerCase();
}

export function loginIdError(loginId: string): MessageKey | null {
  if (loginId === '') return 'loginId.required';
  return LOGIN_ID.test(loginId) ? null : 'loginId.invalid';
}

export function passwordError(password: string): MessageKey | null {
  if (password === '') return 'password.required';
  if (/\s/u.test(password)) return 'password.whitespace';
  if (!password.isWellFormed() || /\p{Cc}/u.test(password)) return 'password.control';
  const length = [...password].length;
  if (length < 8 || length > 64) return 'password.length';
  if (isCommonPassword(password)) return 'password.common';
  return null;
}

export interface SignupInput {
  loginId: string;
  password: string;
  passwordConfirm: string;
}

export function validateSignup(input: SignupInput): FieldErrors<'login_id' | 'password' | 'password_confirm'> {
  const errors: FieldErrors<'login_id' | 'password' | 'password_confirm'> = {};
  const idError = loginIdError(input.loginId);
  if (idError) errors.login_id = idError;
  const pwError = passwordError(input.password);
  if (pwError) errors.password = pwError;
  else if (input.password !== input.passwordConfirm) errors.password_confirm = 'password.mismatch';
  return errors;
}

export interface PasswordChangeInput {
  currentPassword: string;
  newPassword: string;
  newPasswordConfirm: string;
}

export function validatePasswordChange(
  input: PasswordChangeInput,
): FieldErrors<'current_password' | 'new_password' | 'new_password_confirm'> {
  const errors: FieldErrors<'current_password' | 'new_password' | 'new_password_confirm'> = {};
  if (input.currentPassword === '') errors.current_password = 'password.required';
  const pwError = passwordError(input.newPassword);
  if (pwError) errors.new_password = pwError;
  else if (input.newPassword === input.currentPassword) errors.new_password = 'password.same';
  else if (input.newPassword !== input.newPasswordConfirm) errors.new_password_confirm = 'password.mismatch';
  return errors;
}

