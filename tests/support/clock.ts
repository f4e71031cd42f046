// The clock every app a test starts is given (src/clock.ts): the real time, or, when the
// run sets TEST_NOW, that instant at the moment the test file starts, running on from
// there. vitest.config.ts runs the date-dependent suites again at the dates where
// calendars break: a year's end, 29 February, a DST change. TEST_NOW is read here, by
// the tests, never by the app: nothing in src/ can move a server's clock.
import type { Clock } from '../../src/clock';

/** TEST_NOW as an instant: an ISO date-time with its offset, e.g. 2026-12-31T23:59:30+09:00. */
export function parseTestNow(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) throw new Error(`TEST_NOW must be an ISO date-time with an offset (got ${JSON.stringify(raw)})`);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new Error(`TEST_NOW is not a real instant: ${raw}`);
  return ms;
}

export class TestClock implements Clock {
  private offset = 0;
  private standing: number | null = null;

  constructor(private readonly start: number | null) {
    this.reset();
  }

  now(): number {
    return this.standing ?? Date.now() + this.offset;
  }

  /** Back to where the run's clock is: TEST_NOW's instant running on since the file started, or the real time. */
  reset(): void {
    this.standing = null;
    this.offset = this.start === null ? 0 : this.start - startedAt;
  }

  /** From now on the clock reads `ms` and runs on from there. */
  moveTo(ms: number): void {
    this.standing = null;
    this.offset = ms - Date.now();
  }

  /** The clock stands at `ms` until it is moved or reset. */
  standAt(ms: number): void {
    this.standing = ms;
  }

  /** Runs `step` with the clock standing at `ms`, then puts it back as it was. */
  async at<T>(ms: number, step: () => Promise<T>): Promise<T> {
    const [offset, standing] = [this.offset, this.standing];
    this.standAt(ms);
    try {
      return await step();
    } finally {
      [this.offset, this.standing] = [offset, standing];
    }
  }

  /** Whether the run moved the clock (TEST_NOW), i.e. the browser's clock must be moved too. */
  get moved(): boolean {
    return this.start !== null;
  }
}

const startedAt = Date.now();

/** The clock of this test file's apps (one per file: vitest runs each file in a process of its own). */
export const testClock = new TestClock(parseTestNow(process.env.TEST_NOW));
