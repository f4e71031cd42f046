// bcrypt at cost 4 instead of 10 for the hostile-input suite, by vi.mock in each of its files:
// it checks thousands of passwords on one event loop, and what it tests is what the app does
// with the input, not how slow a hash is.
import type bcrypt from 'bcryptjs';

export function cheapBcrypt(original: unknown) {
  const real = (original as { default: typeof bcrypt }).default;
  return { default: { ...real, hash: (s: string) => real.hash(s, 4), hashSync: (s: string) => real.hashSync(s, 4) } };
}
