/**
 * At most `max` of the wrapped tasks run at once in this process; the others wait their
 * turn in order. For heavy work (thumbnails, big uploads) that must not starve the chat.
 */
export function limiter(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next(); // the turn passes on directly, so nobody overtakes a waiter
      else running--;
    }
  };
}

export interface FairTurns {
  /**
   * Runs `work` when a turn is free for `key`. A caller whose `signal` aborts while it
   * waits leaves the queue at once (rejecting with the signal's reason), so a request
   * that is gone never holds a turn.
   */
  inTurn<T>(key: number, signal: AbortSignal, work: () => Promise<T>): Promise<T>;
  /** how many run and how many wait, for the tests and the curious */
  readonly counts: { running: number; waiting: number };
}

/**
 * At most `max` tasks at once, at most `perKey` of them for one key (a couple), so one
 * key can never hold every turn; a freed turn goes round the waiting keys in turn, each
 * key's own tasks in order.
 */
export function fairLimiter(max: number, perKey: number): FairTurns {
  const running = new Map<number, number>();
  let total = 0;
  // a Map keeps its keys in insertion order: a key served goes to the back of the round
  const waiting = new Map<number, (() => void)[]>();
  const mayRun = (key: number) => total < max && (running.get(key) ?? 0) < perKey;
  const take = (key: number) => {
    total++;
    running.set(key, (running.get(key) ?? 0) + 1);
  };
  const give = (key: number) => {
    total--;
    const left = running.get(key)! - 1;
    if (left === 0) running.delete(key);
    else running.set(key, left);
  };
  const passOn = () => {
    for (let key = [...waiting.keys()].find(mayRun); key !== undefined; key = [...waiting.keys()].find(mayRun)) {
      const queue = waiting.get(key)!;
      waiting.delete(key);
      const start = queue.shift()!;
      if (queue.length) waiting.set(key, queue);
      take(key);
      start();
    }
  };
  const wait = (key: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const start = () => {
        signal.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        const queue = (waiting.get(key) ?? []).filter((w) => w !== start);
        if (queue.length) waiting.set(key, queue);
        else waiting.delete(key);
        reject(signal.reason);
      };
      signal.addEventListener('abort', leave, { once: true });
      waiting.set(key, [...(waiting.get(key) ?? []), start]);
    });
  return {
    async inTurn(key, signal, work) {
      signal.throwIfAborted();
      if (mayRun(key)) take(key);
      else await wait(key, signal);
      try {
        return await work();
      } finally {
        give(key);
        passOn();
      }
    },
    get counts() {
      return { running: total, waiting: [...waiting.values()].reduce((n, queue) => n + queue.length, 0) };
    },
  };
}
