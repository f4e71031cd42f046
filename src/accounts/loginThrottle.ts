import type { CounterSpec, RateCounters } from '../limits/counters';

const WINDOW_MS = 15 * 60_000;

/**
 * Failed log-ins, counted in 15-minute windows (in Redis, else in the database: they hold
 * across restarts and instances):
 * - per ID from one address, 10: one place guessing at one account;
 * - per address, 30, whatever the IDs: one place trying many accounts;
 * - per ID from browsers that never logged in to it, 20: many places guessing at one
 *   account. One address alone (held to 10) cannot lock an ID even for new devices;
 * - per ID on a device that logged in to it before (deviceCookie.ts), 10, and nothing
 *   else: guesses from elsewhere never lock the owner's own phone or laptop out.
 */
export const LOGIN_LIMITS = {
  idFromAddress: { name: 'login-id-ip', points: 10, windowMs: WINDOW_MS, durable: true },
  address: { name: 'login-ip', points: 30, windowMs: WINDOW_MS, durable: true },
  id: { name: 'login-id', points: 20, windowMs: WINDOW_MS, durable: true },
  idOnDevice: { name: 'login-device', points: 10, windowMs: WINDOW_MS, durable: true },
} satisfies Record<string, CounterSpec>;

/** Who is trying: the ID asked for, from where, and which known device of that ID (if any). */
export interface Attempter {
  loginId: string;
  ip: string;
  device: string | null;
}

export interface Attempt {
  counted: Array<[CounterSpec, string]>;
  /** seconds to wait when this attempt is over a limit, else 0 */
  retryAfter: number;
}

function countsOf({ loginId, ip, device }: Attempter): Array<[CounterSpec, string]> {
  const id = loginId.slice(0, 40);
  if (device) return [[LOGIN_LIMITS.idOnDevice, `${id}.${device}`]];
  return [
    [LOGIN_LIMITS.idFromAddress, `${id}@${ip}`],
    [LOGIN_LIMITS.address, ip],
    [LOGIN_LIMITS.id, id],
  ];
}

const takeBack = (counters: RateCounters, counted: Attempt['counted']) => Promise.all(counted.map(([spec, key]) => counters.takeBack(spec, key)));

/**
 * Counts a log-in attempt *before* the password is checked, so a burst of parallel
 * guesses cannot all slip under the limit while each is being hashed. Over any limit the
 * attempt is taken back from every count: a refused guess (its password never checked)
 * brings no other limit nearer, e.g. an ID's for new devices.
 */
export async function beginLoginAttempt(counters: RateCounters, who: Attempter): Promise<Attempt> {
  const counted = countsOf(who);
  const wait = Math.max(0, ...(await Promise.all(counted.map(([spec, key]) => counters.hit(spec, key)))));
  if (wait > 0) await takeBack(counters, counted);
  return { counted, retryAfter: Math.ceil(wait / 1000) };
}

/**
 * A log-in that succeeded takes its attempt back, and its owner's earlier typos from this
 * place or device are forgotten (failures of the address and of the ID elsewhere stay).
 */
export async function loginSucceeded(counters: RateCounters, attempt: Attempt): Promise<void> {
  const ownPlace = (spec: CounterSpec) => spec === LOGIN_LIMITS.idFromAddress || spec === LOGIN_LIMITS.idOnDevice;
  await Promise.all(attempt.counted.map(([spec, key]) => (ownPlace(spec) ? counters.forget(spec, key) : counters.takeBack(spec, key))));
}
