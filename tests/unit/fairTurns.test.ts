// The uploads' turns (fairLimiter): a task that is given up leaves at once, one key never
// holds every turn, and freed turns go round the waiting keys.
import { describe, expect, it } from 'vitest';
import { fairLimiter } from '../../src/limiter';

/** A task that runs until `finish()` is called; `started` says whether it got its turn. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const task = { started: false, finish, work: () => ((task.started = true), done) };
  return task;
}

const never = new AbortController().signal;

/** Lets every promise that can settle settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('fair turns', () => {
  it('a task whose signal aborts while it waits leaves the queue at once; its turn goes to the next', async () => {
    const turns = fairLimiter(1, 1);
    const first = held();
    const running = turns.inTurn(1, never, first.work);
    const gone = new AbortController();
    const abandoned = turns.inTurn(2, gone.signal, async () => 'ran');
    const next = held();
    const later = turns.inTurn(3, never, next.work);
    expect(turns.counts).toEqual({ running: 1, waiting: 2 });
    gone.abort(new Error('client gone'));
    await expect(abandoned).rejects.toThrow('client gone');
    expect(turns.counts).toEqual({ running: 1, waiting: 1 });
    first.finish();
    await running;
    await settle();
    expect(next.started).toBe(true);
    next.finish();
    await later;
    expect(turns.counts).toEqual({ running: 0, waiting: 0 });
  });

  it('a signal already aborted never runs and never queues', async () => {
    const turns = fairLimiter(1, 1);
    const gone = new AbortController();
    gone.abort(new Error('gone before'));
    let ran = false;
    await expect(turns.inTurn(1, gone.signal, async () => (ran = true))).rejects.toThrow('gone before');
    expect(ran).toBe(false);
    expect(turns.counts).toEqual({ running: 0, waiting: 0 });
  });

  it('one key cannot hold every turn: another key starts while the first one’s tasks wait', async () => {
    const turns = fairLimiter(2, 1);
    const mine = [held(), held(), held()];
    const running = mine.map((t) => turns.inTurn(1, never, t.work));
    const theirs = held();
    const other = turns.inTurn(2, never, theirs.work);
    await settle();
    expect(mine.map((t) => t.started)).toEqual([true, false, false]);
    expect(theirs.started).toBe(true);
    for (const t of [...mine, theirs]) t.finish();
    await Promise.all([...running, other]);
  });

  it('freed turns go round the waiting keys, each key’s own tasks in order', async () => {
    const turns = fairLimiter(1, 1);
    const order: string[] = [];
    const task = (key: number, name: string) => turns.inTurn(key, never, async () => void order.push(name));
    const first = held();
    const tasks = [turns.inTurn(1, never, first.work), task(1, 'a'), task(1, 'b'), task(2, 'd'), task(2, 'e'), task(3, 'f')];
    first.finish();
    await Promise.all(tasks);
    expect(order).toEqual(['a', 'd', 'f', 'b', 'e']);
  });

  it('a task that fails frees its turn', async () => {
    const turns = fairLimiter(1, 1);
    await expect(turns.inTurn(1, never, async () => Promise.reject(new Error('broke')))).rejects.toThrow('broke');
    expect(await turns.inTurn(1, never, async () => 'next')).toBe('next');
    expect(turns.counts).toEqual({ running: 0, waiting: 0 });
  });
});
