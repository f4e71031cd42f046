// The request limits lifted: every test sends from 127.0.0.1, often hundreds of requests a
// second on purpose; the limits themselves are tested on their own, with their real values
// (throttling.test.ts, login-throttle.test.ts).
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../../src/limits/rules';

export const unlimited = Object.fromEntries(
  Object.entries(DEFAULT_RATE_LIMITS).map(([key, limit]) => [key, typeof limit === 'number' ? 1e9 : { ...limit, perUser: limit.perUser && 1e9, perIp: limit.perIp && 1e9 }]),
) as unknown as RateLimits;
