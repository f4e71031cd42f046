import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_ENV, PROXY_HEADERS } from './appMode';
import { onCleanup } from './cleanup';
import { sleep } from './stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./appPreload.ts', import.meta.url));
const SQL_TIMER = fileURLToPath(new URL('./sqlTimer.ts', import.meta.url));

/** One secret for every app the bench starts, so seeded cookies work in each. */
export const SESSION_SECRET = randomBytes(36).toString('base64url');

export interface AppProcess {
  base: string;
  port: number;
  pid: number;
  /** VmRSS of the app process, in bytes */
  rss(): number;
  output(): string;
  stop(): Promise<void>;
}

/** Ports CI's own MariaDB and Redis take (.ci/run). */
const TAKEN_BY_CI = new Set([23306, 26379]);

/**
 * A port nothing listens on, for a server started (and maybe restarted on the same port)
 * as its own process: below Linux's ephemeral range (32768-60999), so no outgoing
 * connection, nor one in TIME_WAIT, can be holding it in between.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!TAKEN_BY_CI.has(port) && (await canListen(port))) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export function readRss(pid: number): number {
  const line = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : NaN;
}

const TICKS_PER_S = 100; // USER_HZ on Linux

export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S; // utime, stime
}

function healthy(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${base}/healthz`, { timeout: 2_000, headers: PROXY_HEADERS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * The app as production runs it, `node --import tsx src/server.ts`, in its own process
 * (so the load generator's CPU is not the app's), listening on 127.0.0.1 only, with the
 * file descriptor limit raised to the hard limit for 10,000 streams.
 */
export async function startApp(databaseUrl: string, options: { profileDir?: string; env?: Record<string, string> } = {}): Promise<AppProcess> {
  const port = await freePort();
  const nodeArgs = ['--import', 'tsx', '--import', PRELOAD];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--import', SQL_TIMER, '--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  const command = `ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" ${nodeArgs.map((a) => `'${a}'`).join(' ')} src/server.ts`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, PORT: String(port), DATABASE_URL: databaseUrl, NODE_ENV, SESSION_SECRET };
  delete env.REDIS_URL;
  if (options.profileDir) env.BENCH_SQL_TIMES = join(options.profileDir, 'sql-times.json');
  const child = spawn('bash', ['-c', command], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const stop = onCleanup(
    `app process ${pid}`,
    async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exit;
      clearTimeout(timer);
    },
    () => {
      if (!exited) child.kill('SIGKILL');
    },
  );

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await healthy(base))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not start (${exited ? 'it exited' : 'no answer in 30 s'}):\n${out}`);
    }
    await sleep(100);
  }
  return { base, port, pid, rss: () => readRss(pid), output: () => out, stop };
}
