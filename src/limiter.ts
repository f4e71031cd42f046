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
