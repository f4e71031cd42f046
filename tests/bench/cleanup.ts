/**
 * Everything the bench starts (app processes, temp folders, MariaDB databases) registers
 * how to undo it here, so a failure, Ctrl-C or the overall time limit still leaves the
 * machine as it was. `sync` is the part that can run inside process.on('exit').
 */
interface Undo {
  name: string;
  run(): Promise<void>;
  sync?(): void;
}

const pending = new Set<Undo>();

export function onCleanup(name: string, run: () => Promise<void>, sync?: () => void): () => Promise<void> {
  const undo: Undo = { name, run, sync };
  pending.add(undo);
  return async () => {
    if (!pending.delete(undo)) return;
    await run();
  };
}

export async function cleanUpAll(): Promise<void> {
  for (const undo of [...pending].reverse()) {
    pending.delete(undo);
    try {
      await undo.run();
    } catch (err) {
      console.error(`cleanup of ${undo.name} failed: ${(err as Error).message}`);
    }
  }
}

function cleanUpSync(): void {
  for (const undo of [...pending].reverse()) {
    try {
      undo.sync?.();
    } catch {
      /* exiting anyway */
    }
  }
  pending.clear();
}

/** Installs the handlers once: signals and the time limit clean up, then exit non-zero. */
export function guardProcess(limitMs: number): void {
  let leaving = false;
  const leave = async (why: string) => {
    if (leaving) return;
    leaving = true;
    console.error(`\nbench: ${why}; cleaning up`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await cleanUpAll();
    process.exit(1);
  };
  process.on('SIGINT', () => void leave('interrupted'));
  process.on('SIGTERM', () => void leave('terminated'));
  process.on('exit', cleanUpSync);
  setTimeout(() => void leave(`over the time limit of ${Math.round(limitMs / 1000)} s`), limitMs).unref();
}
