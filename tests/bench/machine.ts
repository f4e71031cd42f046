import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readCpuMs } from './appProcess';

/**
 * Where the machine's CPU went during a measurement: the app, the database server (a
 * local mariadbd), this load generator, and the whole machine — on a shared 2-core box
 * the rest is other people's work, and it shows in the figures.
 */
export interface CpuSample {
  at: number;
  app: number;
  db: number;
  generator: number;
  machineBusy: number;
  machineTotal: number;
}

export interface CpuShare {
  app: number;
  db: number;
  generator: number;
  /** busy share of all cores, 0–100 × cores */
  machine: number;
  other: number;
}

let dbServerPid: number | null | undefined;

/** A mariadbd/mysqld on this machine, if any (read from /proc, never signalled). */
function findDbServer(): number | null {
  if (dbServerPid !== undefined) return dbServerPid;
  dbServerPid = null;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') return (dbServerPid = Number(entry));
      } catch {
        /* gone */
      }
    }
  } catch {
    /* no /proc */
  }
  return null;
}

function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export function cpuSample(appPid: number, withDb: boolean): CpuSample {
  const db = withDb ? findDbServer() : null;
  const usage = process.cpuUsage();
  const jiffies = machineJiffies();
  let dbMs = 0;
  try {
    dbMs = db ? readCpuMs(db) : 0;
  } catch {
    /* gone */
  }
  return {
    at: performance.now(),
    app: readCpuMs(appPid),
    db: dbMs,
    generator: (usage.user + usage.system) / 1000,
    machineBusy: jiffies.busy,
    machineTotal: jiffies.total,
  };
}

export function cpuShare(from: CpuSample, to: CpuSample): CpuShare {
  const wall = to.at - from.at;
  const pct = (ms: number) => (ms / wall) * 100;
  const machine = ((to.machineBusy - from.machineBusy) / (to.machineTotal - from.machineTotal)) * 100 * cpus().length;
  const app = pct(to.app - from.app);
  const db = pct(to.db - from.db);
  const generator = pct(to.generator - from.generator);
  return { app, db, generator, machine, other: Math.max(0, machine - app - db - generator) };
}

export const formatShare = (s: CpuShare) =>
  `CPU app ${s.app.toFixed(0)}%` + (s.db ? `, db ${s.db.toFixed(0)}%` : '') + `, generator ${s.generator.toFixed(0)}%, other ${s.other.toFixed(0)}% (of ${cpus().length * 100}%)`;

export function machineFacts(): string {
  const cpu = cpus();
  let fdLimit = '?';
  try {
    fdLimit = /Max open files\s+(\d+)\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.slice(1).join(' soft / ') + ' hard';
  } catch {
    /* not Linux */
  }
  return [
    `machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM, Linux ${release()}`,
    `node ${process.version}; open files ${fdLimit}; load average ${loadAverage()}`,
  ].join('\n');
}

/** The commit measured, with a note when the working tree differs from it. */
export function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'views', 'migrations', 'package.json') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in src/views/migrations' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');
