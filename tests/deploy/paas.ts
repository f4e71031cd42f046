// What a PaaS does with a `git push`, done on this machine: a fresh clone of the commit,
// the Node buildpack's install, build and prune, the Procfile's release phase once, then
// web processes from its `web:` line, each on its own PORT, stopped the way a platform
// stops a dyno (SIGTERM to every process in it, SIGKILL when the grace is over).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { healthy } from '../support/appChild';

/** The repository these tests run in; its HEAD commit is what gets deployed. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** How long platforms let a process exit after SIGTERM before they SIGKILL it. */
export const GRACE_MS = 30_000;

/**
 * What a build or a dyno inherits from this machine: its PATH, HOME (npm's own settings
 * and cache) and network settings. Not the test settings, and none of the npm_* variables
 * of the `npm test` around us (npm_config_local_prefix would point npm at this worktree).
 */
export function platformEnv(): Record<string, string> {
  const keep = /^(PATH|HOME|USER|LANG|LC_ALL|TMPDIR|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR)$|_proxy$/i;
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => keep.test(e[0]) && e[1] !== undefined));
}

export interface Ran {
  code: number | null;
  output: string;
  stderr: string;
}

/** Runs a shell command line to its end (or kills its process group at `timeoutMs`). */
export function sh(line: string, options: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => {
      output += d;
      stderr += d;
    });
    const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stderr });
    });
  });
}

/** Runs `line` and fails with its output when it does not exit 0. */
export async function mustRun(line: string, options: Parameters<typeof sh>[1]): Promise<Ran> {
  const ran = await sh(line, options);
  if (ran.code !== 0) throw new Error(`\`${line}\` exited ${ran.code}:\n${ran.output.slice(-4000)}`);
  return ran;
}

/** The process types of a Procfile (`name: command` lines). */
export function readProcfile(dir: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'Procfile'), 'utf8').split('\n')) {
    const m = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    if (m) types[m[1]] = m[2];
  }
  return types;
}

/**
 * The buildpack's steps: a clean install from the lock, the build script if any, then
 * devDependencies pruned. At a lower CPU priority (nice): the install compiles
 * better-sqlite3, and the test files running beside it on a busy machine wait for events.
 */
export async function build(dir: string, env: Record<string, string>, step: (what: string) => void): Promise<void> {
  const options = { cwd: dir, env, timeoutMs: 15 * 60_000 };
  await mustRun('nice -n 10 npm ci --no-audit --no-fund', options);
  step('npm ci');
  const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (scripts.build) {
    await mustRun('nice -n 10 npm run build', options);
    step('npm run build');
  }
  await mustRun('nice -n 10 npm prune --omit=dev --no-audit --no-fund', options);
  step('npm prune --omit=dev');
}

/** Preloaded into the web processes (NODE_OPTIONS): they listen on 127.0.0.1 only, and end with the test. */
export const LOOPBACK_PRELOAD = fileURLToPath(new URL('./loopback.mjs', import.meta.url));

/** Sends a signal to every process of a group; false when there was none left. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group still runs (zombies waiting to be reaped do not count). */
export function groupAlive(pgid: number): boolean {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      /* it ended while we looked */
    }
  }
  return false;
}

export interface WebProcess {
  name: string;
  port: number;
  /** also its process group's id: npm, the shell, tsx and the app are all in it */
  pid: number;
  stdout(): string;
  stderr(): string;
  /** SIGTERM to the whole group, as a platform stops a dyno; resolves to the ms until no process of it was left */
  terminate(): Promise<number>;
}

/** Starts a Procfile command as a dyno would (`sh -c`, a process group of its own) and waits until it answers /healthz. */
export async function startWeb(name: string, command: string, options: { cwd: string; env: Record<string, string>; port: number }): Promise<WebProcess> {
  const child = spawn('sh', ['-c', command], { cwd: options.cwd, env: { ...options.env, PORT: String(options.port) }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const killAll = () => void signalGroup(pid, 'SIGKILL');
  process.once('exit', killAll);

  const terminate = async () => {
    const started = Date.now();
    signalGroup(pid, 'SIGTERM');
    while (groupAlive(pid) && Date.now() - started < GRACE_MS) await sleep(50);
    const took = Date.now() - started;
    if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    process.removeListener('exit', killAll);
    child.stdin!.end();
    return took;
  };

  const deadline = Date.now() + 60_000;
  while (!(await healthy(`http://127.0.0.1:${options.port}`))) {
    if (!groupAlive(pid) || Date.now() > deadline) {
      await terminate();
      throw new Error(`${name} did not start:\n${stdout}\n${stderr}`);
    }
    await sleep(100);
  }
  return { name, port: options.port, pid, stdout: () => stdout, stderr: () => stderr, terminate };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
