/**
 * The app's idea of now. Every read of the current time in src/ goes through the clock the
 * app was given (AppDeps.clock): the server gives it the system's, and a test gives it one
 * it can set, to run the same suites at a year's end, on 29 February or on a DST change.
 * No environment variable moves a server's clock.
 */
export interface Clock {
  /** milliseconds since the epoch, as Date.now() */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
