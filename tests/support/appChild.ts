// The real server, `node --import tsx src/server.ts`, as a child process (as production
// runs it), so that a test can kill it outright — SIGKILL, no shutdown code runs — and
// start it again on the same database and port.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Binds listen(port) to 127.0.0.1, and ends the app when the test process goes (its stdin closes).
const PRELOAD = fileURLToPath(new URL('../bench/appPreload.mjs', import.meta.url));
// Lifts the request limits, for a test that floods the server on purpose.
const UNLIMITED = fileURLToPath(new URL('./unlimitedPreload.ts', import.meta.url));

export const CHILD_SESSION_SECRET = 'fault-test-session-secret-0123456789abcdef';

export interface AppChild {
  base: string;
  port: number;
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** SIGKILL: the process ends at once, mid-request */
  kill(): void;
  /** SIGTERM, then SIGKILL if it has not gone in 10 s; resolves once it has exited */
  stop(): Promise<void>;
}

/** GET /healthz straight to the process (as a platform's health check does): 200 or not. */
export function healthy(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${base}/healthz`, { timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Starts the server on `port` over `databaseUrl` and resolves once /healthz answers 200;
 * `unlimited` lifts its request limits (a test that floods it on purpose).
 */
export async function startAppChild(databaseUrl: string, port: number, env: Record<string, string> = {}, options: { unlimited?: boolean } = {}): Promise<AppChild> {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  delete inherited.REDIS_URL; // a Redis only when the test gives one
  const childEnv: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'test',
    ...env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: CHILD_SESSION_SECRET,
  };
  const preloads = ['--import', 'tsx', '--import', PRELOAD, ...(options.unlimited ? ['--import', UNLIMITED] : [])];
  const child: ChildProcess = spawn(process.execPath, [...preloads, 'src/server.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const onExit = () => {
    if (!gone) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));

  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await healthy(base))) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not start (${gone ? 'it exited' : 'no answer in 60 s'}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    port,
    pid: child.pid!,
    exited,
    output: () => out,
    kill: () => {
      if (!gone) child.kill('SIGKILL');
    },
    stop,
  };
}
