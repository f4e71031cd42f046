import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../bench/appProcess';
import { pairUp } from '../support/client';


function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('the server process', () => {
  it('starts on an empty SQLite database, serves, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'cc-server-'));
    const server = start({ PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
    await expect.poll(() => server.output(), { timeout: 20_000 }).toContain('listening');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: 'ok' });
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(await login.text()).toContain('로그인');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('SIGTERM: shutting down');
  });

  it('on SIGTERM tells open chat streams to come back soon, then exits', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'cc-server-'));
    const server = start({ PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` });
    await expect.poll(() => server.output(), { timeout: 20_000 }).toContain('listening');
    const base = `http://127.0.0.1:${port}`;
    const [, partner] = await pairUp(base, 'sigterm_a', 'sigterm_b');
    let received = '';
    const ended = new Promise<void>((resolve) => {
      request(`${base}/chat/stream`, { headers: { cookie: partner.cookieHeader() } }, (res) => {
        res.on('data', (chunk) => (received += chunk));
        res.on('end', resolve);
        res.on('close', resolve);
      }).end();
    });
    await expect.poll(() => received).toContain(':ok');
    server.child.kill('SIGTERM');
    await ended;
    expect(received).toContain('retry: 1000');
    expect(await server.exited).toBe(0);
  });

  it('the release step (npm run migrate) says what it applied, and on a second run that nothing was left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-server-'));
    const release = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/migrate.ts'], { env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      return new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
    };
    const first = await release();
    expect(first).toEqual({ code: 0, out: expect.stringMatching(/^migrations: \d+ applied \(001_\S+ … \d+_\S+\), up to date\n$/) });
    expect(await release()).toEqual({ code: 0, out: 'migrations: up to date, none to apply\n' });
  });

  it('refuses to start when Redis cannot be reached, naming it without its password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-server-'));
    const nothingThere = await freePort();
    const server = start({ PORT: String(await freePort()), DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, REDIS_URL: `redis://:add-on-password@127.0.0.1:${nothingThere}` });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`redis: cannot subscribe at redis://***@127.0.0.1:${nothingThere}`);
    expect(server.output()).not.toContain('add-on-password');
  });

  it('refuses to start on a bad setting, with one line naming it', async () => {
    const server = start({ PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toBe('config: PORT must be a port number 1-65535 (got "eighty")');
  });
});
