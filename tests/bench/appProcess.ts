import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_ENV, PROXY_HEADERS } from './appMode';
import { onCleanup } from './cleanup';
import { sleep } from './stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./appPreload.mjs', import.meta.url));
const RELAY = fileURLToPath(new URL('./relay.ts', import.meta.url));
const SQL_TIMER = fileURLToPath(new URL('./sqlTimer.ts', import.meta.url));

/** One secret for every app the bench starts, so seeded cookies work in each. */
export const SESSION_SECRET = randomBytes(36).toString('base64url');

export interface AppProcess {
  /** what runs: the app's command line, or the relay's */
  label: string;
  base: string;
  port: number;
  pid: number;
  /** VmRSS of the app process, in bytes */
  rss(): number;
  output(): string;
  stop(): Promise<void>;
}

/** Ports CI's and the tests' own MariaDB and Redis take (.ci/run). */
const TAKEN_BY_CI = new Set([13306, 16379, 23306, 26379]);

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

/** The children of a process (Linux, from /proc), for a command that is a wrapper (npm, tsx's CLI) around the app. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The process that does the work: down the chain of only children (bash → npm → sh → node), the last one. */
function workerPid(pid: number): number {
  for (let children = childrenOf(pid); children.length === 1; children = childrenOf(pid)) pid = children[0];
  return pid;
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * How the app is started, as production would start it:
 * - BENCH_APP_CMD, a shell command (e.g. `node dist/server.js`, `npm start`); the bench's
 *   preload goes in through NODE_OPTIONS, and the process measured is the last of a chain
 *   of only children (so `npm start` measures the node under npm);
 * - `node dist/server.js` when a build is there and `npm start` runs it, with the node
 *   flags `npm start` gives it;
 * - else `node --import tsx src/server.ts`.
 */
function appCommand(nodeArgs: string[]): { shell: string; nodeOptions: string; label: string } {
  const custom = process.env.BENCH_APP_CMD;
  if (custom) return { shell: custom, nodeOptions: nodeArgs.join(' '), label: custom };
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.start ?? '';
  const built = /\bdist\/server\.js\b/.test(start) && existsSync(join(ROOT, 'dist', 'server.js'));
  // the node flags `npm start` gives the server (e.g. a smaller young generation), as production has them
  const startFlags = built ? (/\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/server\.js\b/.exec(start)?.[1].trim().split(/\s+/).filter(Boolean) ?? []) : [];
  const args = built ? [...startFlags, ...nodeArgs, 'dist/server.js'] : ['--import=tsx', ...nodeArgs.filter((a) => a !== '--import=tsx'), 'src/server.ts'];
  return { shell: `exec ${quote(process.execPath)} ${args.map(quote).join(' ')}`, nodeOptions: '', label: `node ${built ? [...startFlags, 'dist/server.js'].join(' ') : '--import tsx src/server.ts'}` };
}

/** How the app is started, for the bench's header. */
export const appLabel = () => appCommand([]).label;

interface Launch {
  label: string;
  shell: string;
  env: NodeJS.ProcessEnv;
  port?: number;
}

/**
 * A server in its own process (so the load generator's CPU is not its), listening on
 * 127.0.0.1 only, with the file descriptor limit raised to the hard limit for 10,000
 * streams; ready once /healthz answers 200. `port` restarts one where an earlier one was.
 */
async function launch({ label, shell, env, port: wanted }: Launch): Promise<AppProcess> {
  const port = wanted ?? (await freePort());
  const command = `ulimit -n "$(ulimit -Hn)"; ${shell}`;
  const child = spawn('bash', ['-c', command], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['pipe', 'pipe', 'pipe'] });
  const shellPid = child.pid!;
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
  let pid = shellPid;
  const signal = (name: NodeJS.Signals) => {
    for (const target of new Set([pid, shellPid])) {
      try {
        process.kill(target, name);
      } catch {
        /* gone already */
      }
    }
  };

  const stop = onCleanup(
    `${label} process ${shellPid}`,
    async () => {
      if (exited) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 12_000);
      await exit;
      clearTimeout(timer);
    },
    () => {
      if (!exited) signal('SIGKILL');
    },
  );

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await healthy(base))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${label} did not start (${exited ? 'it exited' : 'no answer in 30 s'}):\n${out}`);
    }
    await sleep(100);
  }
  pid = workerPid(shellPid);
  return { label, base, port, pid, rss: () => readRss(pid), output: () => out, stop };
}

const baseEnv = (databaseUrl: string, extra?: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, DATABASE_URL: databaseUrl, NODE_ENV, SESSION_SECRET };
  delete env.REDIS_URL;
  return env;
};

/** The app as production runs it (see appCommand). */
export async function startApp(
  databaseUrl: string,
  options: { profileDir?: string; env?: Record<string, string>; port?: number } = {},
): Promise<AppProcess> {
  const nodeArgs = [`--import=${PRELOAD}`];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--import=tsx', `--import=${SQL_TIMER}`, '--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  const { shell, nodeOptions, label } = appCommand(nodeArgs);
  const env = baseEnv(databaseUrl, options.env);
  if (nodeOptions) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim();
  if (options.profileDir) env.BENCH_SQL_TIMES = join(options.profileDir, 'sql-times.json');
  return launch({ label, shell, env, port: options.port });
}

/** The minimal relay (relay.ts) over the same database: TypeScript through tsx, as the app runs from src/. */
export async function startRelay(databaseUrl: string, options: { port?: number } = {}): Promise<AppProcess> {
  const args = ['--import=tsx', `--import=${PRELOAD}`, RELAY];
  return launch({ label: 'relay', shell: `exec ${quote(process.execPath)} ${args.map(quote).join(' ')}`, env: baseEnv(databaseUrl), port: options.port });
}
