// A MariaDB server of a test's own (as .ci/run starts one: mariadb-install-db, then mariadbd
// as a plain process on 127.0.0.1), so that a test may stop and restart it without
// disturbing the server other suites share through TEST_MYSQL_URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../bench/appProcess';

export { freePort };

export interface MariaDbBinaries {
  mariadbd: string;
  installDb: string;
  admin: string;
  client: string;
}

function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return null;
}

/** The programs a server of our own needs, or why there is none. */
export function findMariaDb(): { binaries: MariaDbBinaries } | { missing: string } {
  const found = { mariadbd: which('mariadbd'), installDb: which('mariadb-install-db'), admin: which('mariadb-admin'), client: which('mariadb') };
  const missing = Object.entries({ mariadbd: found.mariadbd, 'mariadb-install-db': found.installDb, 'mariadb-admin': found.admin, mariadb: found.client })
    .filter(([, path]) => !path)
    .map(([name]) => name);
  if (missing.length) return { missing: `${missing.join(', ')} not found on PATH or in /usr/sbin` };
  return { binaries: found as MariaDbBinaries };
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MariaDbServer {
  port: number;
  /** mysql://…@127.0.0.1:port/ — a server URL without a database, as TEST_MYSQL_URL */
  serverUrl: string;
  dir: string;
  /** whether mariadbd is running now */
  running(): boolean;
  /** SIGTERM, and waits until the process has exited */
  stop(): Promise<void>;
  /** mariadbd again on the same data folder and port; resolves once it answers */
  start(): Promise<void>;
  /** a statement through the socket, as root */
  sql(statement: string): string;
  /** the end of the server's log, for failure messages */
  log(): string;
  /** stops the server (SIGKILL if it does not go) and removes its folder; safe to call twice */
  destroy(): Promise<void>;
}

const USER = 'cc';
const PASSWORD = 'cc-fault-test';

/**
 * Installs a data folder in a new temporary directory and starts mariadbd on a free
 * port of 127.0.0.1 with a user that may do anything over TCP.
 */
export async function startMariaDb(binaries: MariaDbBinaries): Promise<MariaDbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const logFile = join(dir, 'mariadb.log');
  const asRoot = process.getuid?.() === 0;
  mkdirSync(datadir);
  chmodSync(dir, 0o755); // the mysql user must reach its data folder inside
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'mysql']).stdout?.toString().trim();
    const gid = spawnSync('id', ['-g', 'mysql']).stdout?.toString().trim();
    if (!id || !gid) throw new Error('running as root, but there is no mysql user for mariadbd to run as');
    chownSync(dir, Number(id), Number(gid));
    chownSync(datadir, Number(id), Number(gid));
  }
  const userArgs = asRoot ? ['--user=mysql'] : [];
  // its temporary files in its own folder too: the mysql user may not write to the caller's TMPDIR
  const env = { ...process.env, TMPDIR: dir };
  const install = spawnSync(binaries.installDb, [...userArgs, `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8', timeout: 120_000, env });
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);
  }
  const port = await freePort();
  const args = [
    '--no-defaults',
    ...userArgs,
    `--datadir=${datadir}`,
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'mariadbd.pid')}`,
    `--tmpdir=${dir}`,
    '--bind-address=127.0.0.1',
    `--port=${port}`,
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    '--max-connections=100',
  ];

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  const ping = () => spawnSync(binaries.admin, [`--socket=${socket}`, '--user=root', 'ping'], { encoding: 'utf8', timeout: 5_000 }).status === 0;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4_000) : '');

  async function start(): Promise<void> {
    if (running()) throw new Error('mariadbd is running already');
    const out = openSync(logFile, 'a');
    const proc = spawn(binaries.mariadbd, args, { stdio: ['ignore', out, out], env });
    closeSync(out);
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    for (let i = 0; i < 600; i++) {
      if (ping()) return;
      if (!running()) break;
      await sleep(100);
    }
    throw new Error(`mariadbd did not start:\n${log()}`);
  }

  async function stop(): Promise<void> {
    if (!running()) return;
    child!.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  const sql = (statement: string) => {
    const r = spawnSync(binaries.client, [`--socket=${socket}`, '--user=root', '--batch', '--skip-column-names', '-e', statement], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`mariadb -e failed: ${r.stderr}`);
    return r.stdout;
  };

  let destroyed = false;
  const onExit = () => {
    if (running()) child!.kill('SIGKILL');
  };
  process.once('exit', onExit);

  try {
    await start();
    sql(`CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'; GRANT ALL PRIVILEGES ON *.* TO '${USER}'@'127.0.0.1';`);
  } catch (err) {
    onExit();
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    port,
    serverUrl: `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}/`,
    dir,
    running,
    stop,
    start,
    sql,
    log,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (running()) {
        child!.kill('SIGKILL');
        await exited;
      }
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
