// The request limits' rules: plain data, so that config (and tests) can name them without
// the web layer. The log-in throttle keeps its own rules (accounts/loginThrottle.ts).

/**
 * At most `perUser` requests per `windowMs` for each logged-in user, and `perIp` for each
 * address (higher, or left out: a campus or an office shares one); a subject the rule
 * does not name is not counted.
 */
export interface RateRule {
  /** the counters' name: each rule counts on its own */
  name: string;
  windowMs: number;
  perUser?: number;
  perIp?: number;
  /**
   * Beyond the rate, `extra` more may come at once, once per `windowMs` of the burst: a
   * quick exchange goes through, a flood is slowed to the rate.
   */
  burst?: { extra: number; windowMs: number };
}

export interface RateLimits {
  /** GET /signup/check-id: asked while typing (anonymous, so by address only) */
  idCheck: RateRule;
  /** POST /signup: each costs a password hash; a family or a dorm shares an address */
  signup: RateRule;
  signupDaily: RateRule;
  /** POST /pair/requests: a few people a day is normal */
  pairRequest: RateRule;
  /** POST /chat/messages, and a message a question held back */
  send: RateRule;
  /** POST /chat/uploads */
  upload: RateRule;
  /**
   * Open streams per user in one process; a new one beyond it closes the user's oldest,
   * so a phone that reconnects (its old stream not yet noticed gone) is never refused.
   */
  streamsPerUser: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  idCheck: { name: 'id-check', perUser: 60, perIp: 120, windowMs: 60_000 },
  signup: { name: 'signup', perIp: 5, windowMs: 10 * 60_000 },
  signupDaily: { name: 'signup-day', perIp: 20, windowMs: 24 * 60 * 60_000 },
  pairRequest: { name: 'pair-request', perUser: 20, perIp: 200, windowMs: 60 * 60_000 },
  // a burst of 20, then 5 a second: faster than anyone types, slower than a script
  send: { name: 'send', perUser: 5, windowMs: 1_000, burst: { extra: 15, windowMs: 60_000 } },
  // an album of a hundred photos is fine; an address may be a whole office
  upload: { name: 'upload', perUser: 300, perIp: 2000, windowMs: 10 * 60_000 },
  // a phone, a laptop and a few tabs each
  streamsPerUser: 10,
};
