// A fresh server process per part (the app, or the relay beside it), stopped afterwards,
// so one part's memory and caches are not the next one's.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_SECRET, startApp, startRelay, type AppProcess } from './appProcess';
import type { BenchDatabase } from './databases';
import { newAgent, send } from './httpClient';
import { summarizeProfiles, summarizeSqlTimes } from './profile';
import type { SeededCouple } from './seed';

export { SESSION_SECRET };

const PROFILE = process.env.BENCH_PROFILE === '1';
/** BENCH_RELAY=0 leaves out the relay's figures */
export const WITH_RELAY = process.env.BENCH_RELAY !== '0';

/** The seeded cookies must be a logged-in session, or every figure after this is of an error page. */
async function checkSession(app: AppProcess, couple: SeededCouple): Promise<void> {
  const agent = newAgent(1);
  const answer = await send(agent, `${app.base}/chat`, 'GET', { cookie: couple.a.cookie });
  agent.destroy();
  if (answer.status !== 200 || !answer.text.includes(`name="_csrf" value="${couple.a.csrf}"`)) {
    throw new Error(`seeded session not accepted: GET /chat → ${answer.status} ${answer.text.slice(0, 200)}`);
  }
}

export async function withApp<T>(
  database: BenchDatabase,
  part: string,
  couple: SeededCouple | null,
  work: (app: AppProcess) => Promise<T>,
  appEnv?: Record<string, string>,
): Promise<T> {
  const profileDir = PROFILE ? join(tmpdir(), 'cc-bench-profiles', `${database.backend}-${part}-${Date.now()}`) : undefined;
  const app = await startApp(database.url, { profileDir, env: appEnv });
  try {
    if (couple) await checkSession(app, couple);
    return await work(app);
  } finally {
    await app.stop();
    if (profileDir) console.log(`${summarizeProfiles(profileDir)}\n${summarizeSqlTimes(profileDir)}`);
  }
}

/** The same work against the minimal relay (relay.ts) over the same database; null when BENCH_RELAY=0. */
export async function withRelay<T>(database: BenchDatabase, work: (relay: AppProcess) => Promise<T>): Promise<T | null> {
  if (!WITH_RELAY) return null;
  const relay = await startRelay(database.url);
  try {
    return await work(relay);
  } finally {
    await relay.stop();
  }
}
