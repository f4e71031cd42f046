import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/services.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // expect.poll gives up after 1 s by default; a loaded CI machine needs what the browser
    // helpers wait (SEE_TIMEOUT), e.g. for a read mark's timer, POST, event and swap
    expect: { poll: { timeout: 5_000 } },
  },
});
