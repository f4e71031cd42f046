// Runs once before the suites: says which real services this run has, and under
// REQUIRE_SERVICES=1 (CI) refuses to run with any of them missing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function setup() {
  const services = {
    mysql: process.env.TEST_MYSQL_URL ? 'TEST_MYSQL_URL' : null,
    redis: process.env.TEST_REDIS_URL ? 'TEST_REDIS_URL' : null,
    chromium: chromiumPath(),
    // the deploy rehearsal: a reverse proxy in front of two app processes, with a throwaway certificate
    nginx: commandPath('nginx'),
    openssl: commandPath('openssl'),
  };
  const missing = Object.entries(services).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length && process.env.REQUIRE_SERVICES === '1') {
    throw new Error(`REQUIRE_SERVICES=1 but these are missing: ${missing.join(', ')}`);
  }
  for (const name of missing) {
    const how = {
      mysql: 'set TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:3306/',
      redis: 'set TEST_REDIS_URL=redis://127.0.0.1:6379',
      chromium: 'set CHROME_PATH or install chromium',
      nginx: 'install nginx (the deploy rehearsal puts it in front of two app processes)',
      openssl: 'install openssl (the deploy rehearsal makes a throwaway certificate with it)',
    }[name];
    console.log(`[skip] ${name} tests: ${how}`);
  }
}

export function chromiumPath(): string | null {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Where a program is: on PATH, or in the sbin folders a user's PATH may lack (nginx is in /usr/sbin). */
export function commandPath(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.map((dir) => join(dir, name)).find((p) => existsSync(p)) ?? null;
}
