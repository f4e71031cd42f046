import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the app spent its CPU on, from the .cpuprofile that `node --cpu-prof` wrote (BENCH_PROFILE=1). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const where = (url: string) => {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules !== -1) return path.slice(inModules + 'node_modules/'.length);
  return path.startsWith('/') ? relative(process.cwd(), path) : path || '(native)';
};

/** The top functions by self time, and the share of time under each package or src folder. */
export function summarizeProfiles(dir: string, top = 15): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return `no profile in ${dir}`;
  const self = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id)!;
      const us = profile.timeDeltas[i] ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)' || functionName === '(program)') return;
      total += us;
      const key = `${functionName || '(anonymous)'} ${where(url)}:${lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + us);
      const parts = where(url).split('/');
      const area = parts[0] === 'src' || parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      byArea.set(area, (byArea.get(area) ?? 0) + us);
    });
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`busy CPU ${(total / 1e6).toFixed(1)} s in ${files.length} profile(s) at ${dir}`, 'by area (self time):'];
  for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${pct(us)}  ${area}`);
  lines.push('top functions (self time):');
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${key}`);
  return lines.join('\n');
}

/** Where the database time went, from sqlTimer.ts's totals: the top statements by total time. */
export function summarizeSqlTimes(dir: string, top = 12): string {
  let entries: { sql: string; count: number; ms: number }[];
  try {
    entries = JSON.parse(readFileSync(join(dir, 'sql-times.json'), 'utf8'));
  } catch {
    return 'no SQL timings';
  }
  const total = entries.reduce((sum, e) => sum + e.ms, 0);
  const queries = entries.reduce((sum, e) => sum + e.count, 0);
  const lines = [`SQL: ${queries} queries, ${(total / 1000).toFixed(1)} s in total (SQLite: execution; MySQL: round trip)`];
  for (const e of entries.sort((a, b) => b.ms - a.ms).slice(0, top)) {
    lines.push(`  ${(e.ms / 1000).toFixed(2).padStart(6)} s  ${String(e.count).padStart(6)} ×  ${((e.ms / e.count) * 1000).toFixed(0).padStart(5)} µs  ${e.sql.slice(0, 150)}`);
  }
  return lines.join('\n');
}
